// core/email_address + core/matching: address and domain normalization, the free-mail list,
// and every matching rule (exact, domain, sub-domain, free-mail, own mailboxes and domain,
// graveyard, deleted contacts, one investor_link per investor and address).
#include "core/email_address.hpp"
#include "core/matching.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using gc::core::crm_contact;
using gc::core::crm_investor;
using gc::core::index_options;
using gc::core::investor_link;
using gc::core::match_index;
using gc::core::match_kind;
using gc::core::participants;

namespace {

std::string norm(std::string_view s) { return gc::core::normalize_address(s).value_or("<invalid>"); }
std::string dom(std::string_view s) { return gc::core::normalize_domain(s).value_or("<invalid>"); }

investor_link exact(int64_t inv, std::optional<int64_t> contact, std::string addr) {
  return {inv, contact, match_kind::exact, std::move(addr)};
}
investor_link by_domain(int64_t inv, std::string addr) {
  return {inv, std::nullopt, match_kind::domain, std::move(addr)};
}

// Fund "fund.vc" with mailboxes alice@ and bob@. Investors:
//  1 Acme (acme.vc, website form), contact 11 lee@acme.vc, contact 12 deleted kim@acme.vc
//  2 Beta (graveyard, beta.com), investor email partners@beta.com
//  3 Gamma: no domain; contact 31 writes from a personal gmail address
//  4 Delta lists gmail.com and fund.vc as "domains" (both must be ignored)
//  5 Acme Europe: eu.acme.vc (more specific than Acme's acme.vc)
struct crm {
  std::vector<crm_investor> investors{
      {1, "", "https://www.Acme.VC/", false},
      {2, "Partners@Beta.com", "beta.com", true},
      {3, "", "", false},
      {4, "", "gmail.com; fund.vc", false},
      {5, "", "eu.acme.vc", false},
  };
  std::vector<crm_contact> contacts{
      {11, 1, "Lee@Acme.vc", false},
      {12, 1, "kim@acme.vc", true},
      {31, 3, "gamma.lp@gmail.com", false},
      {40, std::nullopt, "orphan@zeta.io", false},
      {41, 99, "ghost@zeta.io", false},  // unknown investor
  };
  index_options opts{"fund.vc", {"alice@fund.vc", "Bob@Fund.VC"}, {}};
  match_index ix = match_index::build(investors, contacts, opts);
};

} // namespace

TEST_CASE("normalize_address: trim, case, display names, brackets, noise", "[core][matching]") {
  CHECK(norm("  Lee@Acme.VC  ") == "lee@acme.vc");
  CHECK(norm("\"Lee Partner\" <Lee.Partner@Acme.VC>") == "lee.partner@acme.vc");
  CHECK(norm("Lee Partner <lee@acme.vc>") == "lee@acme.vc");
  CHECK(norm("<lee@acme.vc>") == "lee@acme.vc");
  CHECK(norm("lee@acme.vc (Lee Partner)") == "lee@acme.vc");
  CHECK(norm("mailto:Lee@acme.vc") == "lee@acme.vc");
  CHECK(norm("'lee@acme.vc';") == "lee@acme.vc");
  CHECK(norm("lee@acme.vc.") == "lee@acme.vc");          // trailing dot of the domain
  CHECK(norm("a@bücher.example") == "a@bücher.example");  // IDN kept as given
  CHECK(norm("A@B\xC3\x9C" "CHER.example") == "a@b\xC3\x9C" "cher.example");  // ASCII only
  for (auto bad : {"", "   ", "lee", "@acme.vc", "lee@", "lee@@acme.vc", "a@b@c.vc",
                   "lee partner@acme.vc", "lee@acme..vc", "Lee <lee@acme.vc", "<>"})
    CHECK_FALSE(gc::core::normalize_address(bad).has_value());
}

TEST_CASE("address_key folds dots and +tags only for Gmail consumer addresses",
          "[core][matching]") {
  using gc::core::address_key;
  CHECK(address_key("lee.partner+crm@gmail.com") == "leepartner@gmail.com");
  CHECK(address_key("l.e.e@googlemail.com") == "lee@gmail.com");
  CHECK(address_key("lee.partner+crm@acme.vc") == "lee.partner+crm@acme.vc");
  CHECK(address_key("lee.partner@outlook.com") == "lee.partner@outlook.com");
  CHECK(address_key("+x@gmail.com") == "+x@gmail.com");
}

TEST_CASE("normalize_domain: website forms, lists, invalid entries", "[core][matching]") {
  CHECK(dom("https://www.acme.vc/") == "acme.vc");
  CHECK(dom("  HTTP://WWW.Acme.VC:8443/team?x=1#y ") == "acme.vc");
  CHECK(dom("acme.vc.") == "acme.vc");
  CHECK(dom("@acme.vc") == "acme.vc");
  CHECK(dom("lp@acme.vc") == "acme.vc");
  CHECK(dom("*.acme.vc") == "acme.vc");
  CHECK(dom("www.com") == "www.com");  // nothing registrable left after "www."
  CHECK(dom("mail.acme.vc") == "mail.acme.vc");
  CHECK(dom("bücher.example") == "bücher.example");
  for (auto bad : {"", "acme", "acme vc", "https://", "a..b", "acme,vc"})
    CHECK_FALSE(gc::core::normalize_domain(bad).has_value());
  CHECK(gc::core::parse_domain_list("acme.vc, https://www.acme.com/; acme.vc bogus") ==
        std::vector<std::string>{"acme.vc", "acme.com"});
  CHECK(gc::core::parse_address_list("a@x.vc; B@X.vc, a@x.vc junk") ==
        std::vector<std::string>{"a@x.vc", "b@x.vc"});
  CHECK(gc::core::parse_address_list("Lee Partner <lee@x.vc>, Kim <kim@x.vc>") ==
        std::vector<std::string>{"lee@x.vc", "kim@x.vc"});
  CHECK(gc::core::domain_of("lee@acme.vc") == "acme.vc");
}

TEST_CASE("free-mail domains: the list, families under country suffixes, sub-domains",
          "[core][matching]") {
  using gc::core::is_free_mail_domain;
  for (auto d : {"gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr",
                 "outlook.com", "hotmail.co.uk", "hotmail.com.br", "live.com", "icloud.com",
                 "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net",
                 "fastmail.com", "hey.com", "mail.yahoo.com"})
    CHECK(is_free_mail_domain(d));
  for (auto d : {"acme.vc", "yahoo-inc.com", "yahoo.fund.vc", "notgmail.com", "gmail.acme.vc",
                 "hey.capital", "live.ventures"})
    CHECK_FALSE(is_free_mail_domain(d));
  const auto& list = gc::core::free_mail_domains();
  CHECK(std::is_sorted(list.begin(), list.end()));
  CHECK(std::adjacent_find(list.begin(), list.end()) == list.end());
}

TEST_CASE("is_same_or_subdomain respects label boundaries", "[core][matching]") {
  using gc::core::is_same_or_subdomain;
  CHECK(is_same_or_subdomain("acme.vc", "acme.vc"));
  CHECK(is_same_or_subdomain("mail.acme.vc", "acme.vc"));
  CHECK_FALSE(is_same_or_subdomain("notacme.vc", "acme.vc"));
  CHECK_FALSE(is_same_or_subdomain("acme.vc", "mail.acme.vc"));
}

TEST_CASE_METHOD(crm, "match: exact via contact carries the contact id", "[core][matching]") {
  CHECK(ix.match(participants{"Lee Partner <LEE@acme.vc>", {"alice@fund.vc"}, {}, {}}) ==
        std::vector<investor_link>{exact(1, 11, "lee@acme.vc")});
  // via the investor's own email column: no contact id; graveyard investors still match
  CHECK(ix.match(participants{"partners@beta.com", {}, {}, {}}) ==
        std::vector<investor_link>{exact(2, std::nullopt, "partners@beta.com")});
}

TEST_CASE_METHOD(crm, "match: domain and sub-domain, the most specific domain wins",
                 "[core][matching]") {
  CHECK(ix.match_addresses({"ceo@acme.vc"}) == std::vector<investor_link>{by_domain(1, "ceo@acme.vc")});
  CHECK(ix.match_addresses({"ceo@mail.acme.vc"}) == std::vector<investor_link>{by_domain(1, "ceo@mail.acme.vc")});
  CHECK(ix.match_addresses({"x@eu.acme.vc"}) == std::vector<investor_link>{by_domain(5, "x@eu.acme.vc")});
  CHECK(ix.match_addresses({"x@paris.eu.acme.vc"}) ==
        std::vector<investor_link>{by_domain(5, "x@paris.eu.acme.vc")});
  CHECK(ix.match_addresses({"x@notacme.vc", "x@acme.vc.evil.io"}).empty());
  CHECK(ix.match_addresses({"anyone@beta.com"}) == std::vector<investor_link>{by_domain(2, "anyone@beta.com")});
}

TEST_CASE_METHOD(crm, "match: exact beats domain for the same address", "[core][matching]") {
  auto links = ix.match_addresses({"lee@acme.vc"});
  REQUIRE(links.size() == 1);
  CHECK(links[0].kind == match_kind::exact);
  CHECK(links[0].contact_id == 11);
  // ...but another address of the same domain in the same email still domain-matches
  CHECK(ix.match_addresses({"lee@acme.vc", "ceo@acme.vc"}) ==
        std::vector<investor_link>{exact(1, 11, "lee@acme.vc"), by_domain(1, "ceo@acme.vc")});
}

TEST_CASE_METHOD(crm, "match: free-mail domains are never domain-matched, but a contact's "
                 "personal address is matched exactly", "[core][matching]") {
  CHECK(ix.match_addresses({"stranger@gmail.com", "someone@yahoo.co.uk"}).empty());  // Delta lists gmail.com
  CHECK(ix.match_addresses({"Gamma.LP@gmail.com"}) ==
        std::vector<investor_link>{exact(3, 31, "gamma.lp@gmail.com")});
  // Gmail folding: same mailbox, other spelling
  CHECK(ix.match_addresses({"gammalp+deals@googlemail.com"}) ==
        std::vector<investor_link>{exact(3, 31, "gammalp+deals@googlemail.com")});
}

TEST_CASE_METHOD(crm, "match: our own domain and mailboxes never investor_link", "[core][matching]") {
  CHECK(ix.match_addresses({"carol@fund.vc", "x@mail.fund.vc"}).empty());  // Delta lists fund.vc
  CHECK(ix.is_own_address("bob@fund.vc"));
  CHECK_FALSE(ix.domain_matchable("fund.vc"));
  CHECK_FALSE(ix.domain_matchable("sub.fund.vc"));
  CHECK(ix.domain_matchable("acme.vc"));
  // An own mailbox listed as an investor email still never links.
  auto ix2 = match_index::build({{7, "alice@fund.vc", "", false}}, {}, opts);
  CHECK(ix2.match_addresses({"alice@fund.vc"}).empty());
  CHECK(ix2.counts().addresses == 0);
  // Without a workspace domain, the domain of our mailboxes is still ours...
  auto ix3 = match_index::build({{8, "", "team.vc", false}}, {}, {"", {"me@team.vc"}, {}});
  CHECK(ix3.match_addresses({"other@team.vc"}).empty());
  // ...unless it is free-mail (a gmail mailbox does not make gmail.com ours: still free-mail).
  auto ix4 = match_index::build({{9, "", "acme.vc", false}}, {}, {"", {"me@gmail.com"}, {}});
  CHECK(ix4.match_addresses({"x@acme.vc"}) == std::vector<investor_link>{by_domain(9, "x@acme.vc")});
}

TEST_CASE_METHOD(crm, "match: deleted, orphaned and unknown-investor contacts are ignored",
                 "[core][matching]") {
  // kim is a deleted contact of Acme: only Acme's domain matches, without contact id
  CHECK(ix.match_addresses({"kim@acme.vc"}) == std::vector<investor_link>{by_domain(1, "kim@acme.vc")});
  CHECK(ix.match_addresses({"orphan@zeta.io", "ghost@zeta.io"}).empty());
  CHECK(ix.counts().contacts == 2);
  CHECK(ix.counts().ignored_contacts == 3);
  CHECK(ix.counts().investors == 5);
  CHECK(ix.counts().graveyard == 1);
  CHECK(ix.counts().domains == 3);          // acme.vc, beta.com, eu.acme.vc
  CHECK(ix.counts().ignored_domains == 2);  // gmail.com, fund.vc
}

TEST_CASE_METHOD(crm, "match: one investor_link per investor and address, first spelling kept",
                 "[core][matching]") {
  participants p{"Lee@Acme.vc", {"lee@acme.vc", "alice@fund.vc"}, {"LEE@ACME.VC"}, {"lee@acme.vc"}};
  CHECK(ix.match(p) == std::vector<investor_link>{exact(1, 11, "lee@acme.vc")});
  auto links = ix.match_addresses({"gamma.lp@gmail.com", "gammalp@gmail.com"});
  CHECK(links == std::vector<investor_link>{exact(3, 31, "gamma.lp@gmail.com")});
  CHECK(ix.match_addresses({"", "not an address", "<>"}).empty());
}

TEST_CASE("match: an address shared by several investors links to each, an investor with "
          "several contacts of that address keeps the smallest contact id", "[core][matching]") {
  std::vector<crm_investor> inv{{1, "", "acme.vc", false}, {2, "shared@acme.vc", "acme.vc", false}};
  std::vector<crm_contact> con{{30, 1, "shared@acme.vc", false}, {20, 1, "shared@acme.vc", false}};
  auto ix = match_index::build(inv, con);
  CHECK(ix.match_addresses({"shared@acme.vc"}) ==
        std::vector<investor_link>{exact(1, 20, "shared@acme.vc"), exact(2, std::nullopt, "shared@acme.vc")});
  CHECK(ix.match_addresses({"other@acme.vc"}) ==
        std::vector<investor_link>{by_domain(1, "other@acme.vc"), by_domain(2, "other@acme.vc")});
  // a contact beats the investor's own email column for the same investor
  auto ix2 = match_index::build({{1, "lp@acme.vc", "", false}}, {{5, 1, "lp@acme.vc", false}});
  CHECK(ix2.match_addresses({"lp@acme.vc"}) == std::vector<investor_link>{exact(1, 5, "lp@acme.vc")});
}

TEST_CASE("match: extra free-mail domains and an empty index", "[core][matching]") {
  auto ix = match_index::build({{1, "", "corp-mail.io", false}}, {}, {"", {}, {"corp-mail.io"}});
  CHECK(ix.match_addresses({"x@corp-mail.io", "y@eu.corp-mail.io"}).empty());
  CHECK(match_index{}.match_addresses({"lee@acme.vc"}).empty());
  CHECK(std::string{gc::core::to_string(match_kind::exact)} == "exact");
  CHECK(std::string{gc::core::to_string(match_kind::domain)} == "domain");
}
