#pragma once
// Investor matching rules (design.md "matcher_index"; seeds 000/004), pure: an immutable
// match_index built from the CRM's investors and contacts, and match() over the participants
// of one email. actors/matcher_index builds and hands out snapshots; the store records links.
//
// Rules, per participant address (from + to + cc + bcc, normalized: core/email_address.hpp):
//  1. Our own mailboxes (index_options::own_addresses) never produce a link.
//  2. exact: the address (Gmail dot/+tag folding: address_key) is an investor's email or a
//     live contact's email -> one 'exact' link per such investor; via a contact it carries
//     the contact_id (when an investor has several, the smallest id). Free-mail addresses match
//     exactly too: LPs write from personal addresses.
//  3. domain, only when rule 2 found nothing for this address: the address's domain equals an
//     investor's domain, or is a sub-domain of it (mail.acme.vc -> acme.vc); the most specific
//     matching domain wins; every investor listing that domain gets a 'domain' link. Never
//     for a free-mail domain (is_free_mail_domain + extra_free_mail) nor for our own domains
//     (the Workspace domain and the non-free-mail domains of our mailboxes, sub-domains
//     included): Twenty's bug #4008 (every colleague becoming a "company").
//  4. One link per (investor, address): an address that occurs twice (from and cc, or two
//     Gmail spellings of one mailbox) links once, with the first spelling seen as
//     matched_address.
// Graveyard investors are matched like any other: their mail is audit history (seed 004).
// Contacts with deleted_at set, without an investor, or whose investor is unknown are ignored.
// Investor domains are taken from the domain column only, never inferred from email addresses.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace gc::core {

// One investors row, as the matcher reads it. email and domain may each hold several entries
// ("a@x.vc; b@x.vc", "acme.vc, https://www.acme.com/"); empty when NULL.
struct crm_investor {
  int64_t id = 0;
  std::string email;
  std::string domain;
  bool graveyard = false;
};

// One contacts row.
struct crm_contact {
  int64_t id = 0;
  std::optional<int64_t> investor_id;
  std::string email;
  bool deleted = false;  // deleted_at IS NOT NULL
};

struct index_options {
  std::string workspace_domain;                  // CRM_GMAIL_WORKSPACE_DOMAIN ("" = none)
  std::vector<std::string> own_addresses;        // our mailboxes (email_accounts.email)
  std::vector<std::string> extra_free_mail;      // more consumer domains (sub-domains included)
};

enum class match_kind { exact, domain };
const char* to_string(match_kind k);             // "exact" | "domain" (the column values)

struct investor_link {
  int64_t investor_id = 0;
  std::optional<int64_t> contact_id;             // exact match via a contact
  match_kind kind = match_kind::exact;
  std::string matched_address;                   // normalized, as it appeared in the email
  bool operator==(const investor_link&) const = default;
};

// The addresses of one email, raw or normalized ("Lee <lee@acme.vc>" is fine).
struct participants {
  std::string from;
  std::vector<std::string> to, cc, bcc;
};

struct index_counts {
  size_t investors = 0;          // rows given
  size_t graveyard = 0;          // of which graveyard (still matched)
  size_t contacts = 0;           // live contacts indexed
  size_t ignored_contacts = 0;   // deleted, orphaned, or without a usable address
  size_t addresses = 0;          // distinct exact keys
  size_t domains = 0;            // distinct matchable investor domains
  size_t ignored_domains = 0;    // free-mail / own / unparseable domain entries
};

class match_index {
public:
  match_index() = default;       // matches nothing

  static match_index build(const std::vector<crm_investor>& investors,
                           const std::vector<crm_contact>& contacts,
                           const index_options& opts = {});

  // Links in order of first appearance of their address (from, to, cc, bcc), then by
  // investor id. Unparseable addresses are skipped.
  std::vector<investor_link> match(const participants& p) const;
  std::vector<investor_link> match_addresses(const std::vector<std::string>& addresses) const;

  const index_counts& counts() const { return counts_; }
  // Our own mailbox (any spelling address_key folds together)?
  bool is_own_address(std::string_view normalized_address) const;
  // May mail from this domain be domain-matched at all (not free-mail, not ours)?
  bool domain_matchable(std::string_view domain) const;

private:
  struct target {
    int64_t investor_id = 0;
    std::optional<int64_t> contact_id;
  };
  void add_exact(const std::string& key, int64_t investor_id, std::optional<int64_t> contact);

  std::unordered_map<std::string, std::vector<target>> by_address_;   // address_key -> targets
  std::unordered_map<std::string, std::vector<int64_t>> by_domain_;   // domain -> investor ids
  std::unordered_set<std::string> own_keys_;
  std::vector<std::string> own_domains_;
  std::vector<std::string> extra_free_;
  index_counts counts_;
};

inline std::vector<investor_link> match(const match_index& index, const participants& p) {
  return index.match(p);
}

} // namespace gc::core
