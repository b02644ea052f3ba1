#pragma once
// Email addresses and domains in the form the investor matcher compares them (pure, no I/O).
// See core/matching.hpp for the rules that use them.
//
// Case: the whole address is ASCII lower-cased, the local part too. RFC 5321 lets a server
// treat local parts case-sensitively, but Gmail, Workspace and practically every provider do
// not, and CRM rows are typed by hand ("Lee.Partner@Acme.vc"), so matching ignores case.
// IDN: domains are compared as given (UTF-8 or punycode, no conversion between the two);
// only ASCII letters are lower-cased.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::core {

// "Lee Partner" <Lee@Acme.VC.>  ->  "lee@acme.vc". Trims; takes what is inside <...> when
// present, otherwise drops a trailing "(comment)", surrounding quotes, a "mailto:" prefix and
// trailing ',' / ';'; lower-cases (see above); drops trailing dots of the domain. nullopt
// unless the result is local@domain with both parts non-empty, exactly one '@', no whitespace
// or any of <>()[],;:\" left, and no empty domain label.
std::optional<std::string> normalize_address(std::string_view raw);

// The domain of a normalized address ("" when there is no '@').
std::string_view domain_of(std::string_view normalized_address);

// The key exact matching compares. The normalized address itself, except for Gmail
// consumer addresses (gmail.com, googlemail.com), where Gmail delivers "Lee.Partner+crm@
// googlemail.com" to the same mailbox as "leepartner@gmail.com": there the dots and any
// "+tag" of the local part are dropped and googlemail.com becomes gmail.com. No other domain
// is folded: on Workspace / corporate domains dots are significant and '+' may be literal.
std::string address_key(std::string_view normalized_address);

// A domain as people type it into a CRM column: "https://www.Acme.VC/about" -> "acme.vc".
// Trims, lower-cases, drops a scheme ("x://"), path/query/fragment, user info or an address
// local part ("lp@acme.vc" -> "acme.vc"), a port, leading "*." / "." / "@", trailing dots and
// one leading "www." (when a registrable part remains). nullopt unless it has at least two
// non-empty labels and no whitespace or punctuation other than '-' and '.'.
std::optional<std::string> normalize_domain(std::string_view raw);

// Every domain of a column that may hold several ("acme.vc, acme.com; acme.io"), split on
// ',', ';' and whitespace, normalized, invalid entries and duplicates dropped, in order.
std::vector<std::string> parse_domain_list(std::string_view raw);

// Every address of a column that may hold several, split on ',' and ';' (and on whitespace
// when there is no '<' in the text), normalized, invalid entries and duplicates dropped.
std::vector<std::string> parse_address_list(std::string_view raw);

// True when `domain` equals `parent` or is a sub-domain of it ("mail.acme.vc" under
// "acme.vc"; "notacme.vc" is not). Both normalized.
bool is_same_or_subdomain(std::string_view domain, std::string_view parent);

// True for a free-mail (consumer) provider domain or any sub-domain of one: the built-in
// list (free_mail_domains()) plus the provider families matched under any country suffix,
// "yahoo.*", "hotmail.*", "outlook.*", "live.*", "gmx.*", "aol.*", "yandex.*" (the suffix is
// one or two labels of 2-3 letters: yahoo.co.uk, gmx.de, hotmail.com.br).
bool is_free_mail_domain(std::string_view domain);

// The built-in exact list, sorted (for documentation and tests).
const std::vector<std::string_view>& free_mail_domains();

} // namespace gc::core
