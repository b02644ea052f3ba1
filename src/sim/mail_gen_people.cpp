// The synthetic fund's directory: team, LP firms, individual LPs on free mail, portfolio
// founders, service providers, mailing lists and spammers; and the CRM seed built from it.
#include "sim/mail_gen.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace gc::sim {
namespace {

struct name_pair { const char* display; const char* ascii; };

constexpr std::pair<const char*, const char*> team_roles[] = {
    {"partner", "Managing Partner"}, {"analyst", "Investment Analyst"},
    {"associate", "Associate"},      {"principal", "Principal"},
    {"ops", "Head of Operations"},   {"cfo", "Chief Financial Officer"},
    {"ir", "Investor Relations"},    {"platform", "Platform Lead"},
    {"legal", "General Counsel"},    {"venture", "Venture Partner"},
    {"admin", "Office Manager"},     {"scout", "Scout"}};
constexpr const char* team_names[] = {
    "Zoë Lindqvist", "Rafael Núñez", "Hannah Becker", "Tomás O'Connor", "Priya Raman",
    "Jean-Luc Fabre", "Mei Tanaka", "Oluwaseun Adeyemi", "Claire Dubois", "Søren Holm",
    "Grace Kim", "Mateo Rossi"};

constexpr name_pair firsts[] = {
    {"Anna", "anna"},   {"Ben", "ben"},       {"Carla", "carla"},   {"David", "david"},
    {"Élodie", "elodie"}, {"Farid", "farid"}, {"Greta", "greta"},   {"Hiro", "hiro"},
    {"Ingrid", "ingrid"}, {"Jonas", "jonas"}, {"Kemal", "kemal"},   {"Laura", "laura"},
    {"José", "jose"},   {"Nadia", "nadia"},   {"Björn", "bjorn"},   {"Paula", "paula"},
    {"Chloé", "chloe"}, {"Rosa", "rosa"},     {"Sven", "sven"},     {"Tara", "tara"},
    {"Łukasz", "lukasz"}, {"Vera", "vera"},   {"Wei", "wei"},       {"Renée", "renee"},
    {"Yusuf", "yusuf"}, {"Zoe", "zoe"},       {"Margaret", "margaret"}, {"Ahmed", "ahmed"}};
constexpr name_pair lasts[] = {
    {"Müller", "mueller"}, {"Smith", "smith"},   {"García", "garcia"}, {"Nakamura", "nakamura"},
    {"Dvořák", "dvorak"},  {"Okafor", "okafor"}, {"Larsen", "larsen"}, {"Ferreira", "ferreira"},
    {"Chen", "chen"},      {"Novak", "novak"},   {"O'Brien", "obrien"}, {"Schäfer", "schaefer"},
    {"Patel", "patel"},    {"Rossi", "rossi"},   {"Yilmaz", "yilmaz"}, {"Kowalski", "kowalski"},
    {"Andersson", "andersson"}, {"Moreau", "moreau"}, {"Haddad", "haddad"}, {"Ivanova", "ivanova"},
    {"Walsh", "walsh"},    {"Bauer", "bauer"},   {"Lefèvre", "lefevre"}, {"Santos", "santos"}};
constexpr name_pair lp_prefix[] = {
    {"Northwind", "northwind"}, {"Bluestone", "bluestone"}, {"Harbor", "harbor"},
    {"Alder", "alder"},         {"Summit", "summit"},       {"Cedar", "cedar"},
    {"Granite", "granite"},     {"Meridian", "meridian"},   {"Lakeshore", "lakeshore"},
    {"Fjord", "fjord"},         {"Zürich Lake", "zurichlake"}, {"Sakura", "sakura"},
    {"Montréal", "montreal"},   {"Ironwood", "ironwood"},   {"Saffron", "saffron"},
    {"Kestrel", "kestrel"},     {"Oakmont", "oakmont"},     {"Tidewater", "tidewater"}};
constexpr name_pair lp_suffix[] = {
    {"Capital", "capital"},  {"Family Office", "fo"}, {"Endowment", "endowment"},
    {"Pension Fund", "pension"}, {"Foundation", "foundation"}, {"Partners", "partners"},
    {"Wealth", "wealth"},    {"Holdings", "holdings"}};
constexpr name_pair startup_a[] = {
    {"Acme", "acme"},   {"Quantum", "quantum"}, {"Verde", "verde"}, {"Nimbus", "nimbus"},
    {"Helix", "helix"}, {"Orbit", "orbit"},     {"Lumen", "lumen"}, {"Pixel", "pixel"},
    {"Forge", "forge"}, {"Tandem", "tandem"},   {"Atlas", "atlas"}, {"Café", "cafe"}};
constexpr name_pair startup_b[] = {
    {"Robotics", "robotics"}, {"Labs", "labs"}, {"Health", "health"}, {"Pay", "pay"},
    {"AI", "ai"}, {"Energy", "energy"}, {"Bio", "bio"}, {"Logistics", "logistics"}, {"Kitchen", "kitchen"}};
constexpr const char* free_domains[] = {"gmail.com", "yahoo.com", "outlook.com"};

uint32_t pick(std::mt19937_64& rng, size_t n) { return uint32_t(rng() % n); }

} // namespace

void mail_generator::build_directory(std::mt19937_64& rng, int messages) {
  orgs_.push_back({"Example Fund Ventures", domain_, org_kind::fund});
  for (int i = 0; i < team_; ++i) {
    auto [role, title] = team_roles[i];
    people_.push_back({team_names[i], std::string(role) + "@" + domain_, title, 0, {}});
  }
  for (auto d : free_domains) orgs_.push_back({d, d, org_kind::free_mail});
  std::set<std::string> used;
  auto new_person = [&](uint32_t org, const std::string& domain, std::string title) {
    for (int tries = 0;; ++tries) {
      auto f = firsts[pick(rng, std::size(firsts))];
      auto l = lasts[pick(rng, std::size(lasts))];
      std::string local = std::string(f.ascii) + "." + l.ascii;
      if (tries > 20) local += std::to_string(tries);
      if (!used.insert(local + "@" + domain).second) continue;
      person p{std::string(f.display) + " " + l.display, local + "@" + domain, std::move(title), org, {}};
      return p;
    }
  };
  int n_lp = std::clamp(12 + messages / 1500, 12, 140);
  for (int i = 0; i < n_lp; ++i) {
    auto pre = lp_prefix[i % std::size(lp_prefix)];
    auto suf = lp_suffix[(i / std::size(lp_prefix) + i) % std::size(lp_suffix)];
    std::string dom = std::string(pre.ascii) + suf.ascii;
    if (i >= int(std::size(lp_prefix) * std::size(lp_suffix))) dom += std::to_string(i);
    orgs_.push_back({std::string(pre.display) + " " + suf.display, dom + ".example", org_kind::lp});
    uint32_t org = uint32_t(orgs_.size() - 1);
    int contacts = 1 + int(rng() % 3);
    for (int c = 0; c < contacts; ++c) {
      auto p = new_person(org, orgs_[org].domain, c == 0 ? "Investment Director" : "Analyst");
      if (rng() % 10 < 3) {
        auto local = p.email.substr(0, p.email.find('@'));
        p.personal_email = local + std::to_string(rng() % 90 + 10) + "@" + free_domains[pick(rng, 3)];
      }
      people_.push_back(std::move(p));
    }
  }
  int n_angels = std::clamp(4 + messages / 4000, 4, 40);   // individual LPs, free mail only
  for (int i = 0; i < n_angels; ++i) {
    uint32_t org = 1 + pick(rng, 3);
    auto p = new_person(org, orgs_[org].domain, "Individual LP");
    people_.push_back(std::move(p));
  }
  int n_co = std::clamp(10 + messages / 2000, 10, 100);
  for (int i = 0; i < n_co; ++i) {
    auto a = startup_a[i % std::size(startup_a)];
    auto b = startup_b[(i / std::size(startup_a) + i) % std::size(startup_b)];
    std::string dom = std::string(a.ascii) + b.ascii;
    if (i >= int(std::size(startup_a) * std::size(startup_b))) dom += std::to_string(i);
    orgs_.push_back({std::string(a.display) + " " + b.display, dom + ".example", org_kind::portfolio});
    uint32_t org = uint32_t(orgs_.size() - 1);
    int founders = 1 + int(rng() % 2);
    for (int c = 0; c < founders; ++c)
      people_.push_back(new_person(org, orgs_[org].domain, c == 0 ? "CEO & Co-founder" : "CTO"));
  }
  const std::pair<const char*, const char*> services[] = {
      {"Wilson & Castro LLP", "wilsoncastro.example"}, {"Fund Admin Services", "fundadmin.example"},
      {"First Meridian Bank", "firstmeridian.example"}};
  for (auto [n, d] : services) {
    orgs_.push_back({n, d, org_kind::service});
    people_.push_back(new_person(uint32_t(orgs_.size() - 1), d, "Director"));
  }
  const std::pair<const char*, const char*> lists[] = {
      {"Crunchbase Daily", "noreply@news.crunchbase.example"},
      {"PitchBook News", "newsletter@pitchbook.example"},
      {"Google Calendar", "calendar-notification@google.com"},
      {"DocuSign", "dse@docusign.example"},
      {"VC Platform Community", "community@groups.vcplatform.example"}};
  for (auto [n, e] : lists) {
    std::string em = e;
    orgs_.push_back({n, em.substr(em.find('@') + 1), org_kind::list});
    people_.push_back({n, em, "", uint32_t(orgs_.size() - 1), {}});
  }
  const std::pair<const char*, const char*> spam[] = {
      {"Crypto Yield Desk", "offers@yield-desk.example"},
      {"Dr. Funds Transfer", "transfer.office@payout-center.example"},
      {"SEO Growth Team", "growth@rank-boost.example"}};
  for (auto [n, e] : spam) {
    std::string em = e;
    orgs_.push_back({n, em.substr(em.find('@') + 1), org_kind::spam});
    people_.push_back({n, em, "", uint32_t(orgs_.size() - 1), {}});
  }
  pools_.assign(size_t(org_kind::free_mail) + 1, {});
  for (uint32_t i = uint32_t(team_); i < people_.size(); ++i) {
    auto k = orgs_[people_[i].org].kind;
    pools_[size_t(k)].push_back(i);
    if (k == org_kind::free_mail) pools_[size_t(org_kind::lp)].push_back(i);
  }
}

uint32_t mail_generator::pick_external(std::mt19937_64& rng, org_kind kind) const {
  auto& pool = pools_[size_t(kind)];
  return pool[rng() % pool.size()];
}

json mail_generator::crm_seed() const {
  json team = json::array(), investors = json::array(), contacts = json::array();
  for (int i = 0; i < team_; ++i)
    team.push_back({{"name", people_[i].name}, {"email", people_[i].email}, {"title", people_[i].title}});
  for (uint32_t o = 0; o < orgs_.size(); ++o) {
    auto k = orgs_[o].kind;
    if (k == org_kind::lp) {
      json cs = json::array();
      for (auto& p : people_)
        if (p.org == o) {
          json c = {{"name", p.name}, {"email", p.email}, {"title", p.title}};
          if (!p.personal_email.empty()) c["personal_email"] = p.personal_email;
          cs.push_back(c);
        }
      investors.push_back({{"name", orgs_[o].name}, {"kind", "institution"},
                           {"domain", orgs_[o].domain}, {"contacts", cs}});
    }
  }
  for (uint32_t i = uint32_t(team_); i < people_.size(); ++i) {
    auto& p = people_[i];
    auto k = orgs_[p.org].kind;
    if (k == org_kind::free_mail)
      investors.push_back({{"name", p.name}, {"kind", "individual"}, {"domain", nullptr},
                           {"contacts", json::array({{{"name", p.name}, {"email", p.email}}})}});
    else if (k == org_kind::portfolio || k == org_kind::service)
      contacts.push_back({{"name", p.name}, {"email", p.email}, {"title", p.title},
                          {"company", orgs_[p.org].name}, {"domain", orgs_[p.org].domain},
                          {"kind", k == org_kind::portfolio ? "founder" : "service"}});
  }
  return {{"fund", {{"name", orgs_[0].name}, {"domain", domain_}}},
          {"team", team}, {"investors", investors}, {"contacts", contacts}};
}

} // namespace gc::sim
