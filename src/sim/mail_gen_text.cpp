// Subjects and body text of generated mail (UTF-8, CRLF).
#include "sim/mail_gen.hpp"

#include "sim/mime_codec.hpp"

#include <ctime>
#include <vector>

namespace gc::sim::gen {
namespace {

using pool = std::vector<const char*>;

const pool& subjects(topic_kind t) {
  static const pool lp = {
      "Q{q} {y} LP update", "Capital call notice - Fund II", "Subscription documents for {org}",
      "K-1 for tax year {y}", "Annual meeting {y}: agenda", "Co-investment opportunity",
      "Side letter comments", "Distribution notice #{n}", "DDQ follow-up from {org}",
      "Fund III soft-circle", "Réunion investisseurs — Q{q} {y}", "Rückfragen zum Jahresbericht {y}",
      "Kapitalabruf Nr. {n} – Überweisung", "Données financières {org}", "Year-end NAV & fees"};
  static const pool founder = {
      "Intro: {org} <> Example Fund", "{org} seed deck", "Board meeting prep", "Term sheet draft",
      "Monthly update — {org}", "Hiring plan and runway", "Café next week?", "Pricing feedback",
      "Финансовый отчёт {org}", "Customer references for diligence"};
  static const pool internal = {
      "IC memo: next steps", "Pipeline review", "Offsite agenda", "Fundraising tracker",
      "LP report draft", "Expense report {q}/{y}", "Reminder: compliance training",
      "東京 LP meetings — itinerary", "Portfolio valuations Q{q}"};
  static const pool service = {"Wire confirmation", "Fund audit timeline {y}", "Engagement letter",
                               "NAV statement Q{q} {y}", "KYC refresh for Fund II"};
  static const pool list = {"Daily digest: {n} new funding rounds", "Invitation: LP call",
                            "Please DocuSign: Subscription Agreement",
                            "[VC Platform] New discussion: portfolio hiring", "Weekly deal roundup"};
  static const pool spam = {"You have won!!!", "URGENT: transfer pending", "Boost your fund's SEO",
                            "Gewinnbenachrichtigung für Sie", "Exclusive 40% APY offer"};
  static const pool chat = {"Chat"};
  switch (t) {
    case topic_kind::lp: return lp;
    case topic_kind::founder: return founder;
    case topic_kind::internal: return internal;
    case topic_kind::service: return service;
    case topic_kind::list: return list;
    case topic_kind::spam: return spam;
    default: return chat;
  }
}

const pool& sentences(topic_kind t) {
  static const pool lp = {
      "Please find attached the capital call notice for Fund II.",
      "The wire is due within ten business days.", "Our Q3 report shows a net IRR of 18.4%.",
      "Could you confirm the wiring instructions on your side?",
      "We’d be glad to walk you through the portfolio on a call.",
      "The annual meeting will take place in Zürich on 12 June.",
      "Let me know if your team needs the updated side letter.",
      "Attached is the signed subscription agreement.",
      "Our investment committee approved the commitment of €5M.",
      "Nous avons bien reçu votre appel de fonds."};
  static const pool founder = {
      "We closed three new enterprise customers this month.",
      "Burn is down 12% and runway is now 22 months.",
      "I’d love to get your feedback on the pricing page.",
      "The board deck is attached — happy to discuss before Thursday.",
      "We’re hiring a VP Sales; any intros would be great.", "Revenue grew to €1.2M ARR.",
      "Our café pilot in München went live last week."};
  static const pool internal = {
      "Can you review the IC memo before Friday?",
      "I added the notes from the LP meeting to the tracker.",
      "Let’s sync on the pipeline tomorrow at 10.",
      "The offsite is confirmed for the second week of May.",
      "Please update the fundraising tracker with the latest soft circles."};
  static const pool service = {"The wire of USD 250,000 was received today.",
                               "Please find our engagement letter attached.",
                               "The audit fieldwork begins on 3 March.",
                               "NAV statements will be issued by the 15th."};
  static const pool list = {"Here are today’s top funding rounds.",
                            "You have been invited to an event.",
                            "Please review and sign the document.",
                            "A new discussion was started in your group.",
                            "To stop receiving these emails, unsubscribe."};
  static const pool spam = {"Congratulations! You have been selected to receive a €1,000,000 payout.",
                            "Act now — this offer expires in 24 hours.",
                            "Reply with your bank details to claim your prize."};
  static const pool chat = {"sounds good", "can you send me the deck?", "on my way",
                            "👍", "call in 5?", "sure, 3pm works"};
  switch (t) {
    case topic_kind::lp: return lp;
    case topic_kind::founder: return founder;
    case topic_kind::internal: return internal;
    case topic_kind::service: return service;
    case topic_kind::list: return list;
    case topic_kind::spam: return spam;
    default: return chat;
  }
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
}

bool ascii(const std::string& s) {
  for (char c : s)
    if (uint8_t(c) >= 0x80) return false;
  return true;
}

std::string first_name(const std::string& n) { return n.substr(0, n.find(' ')); }

} // namespace

uint64_t mix(uint64_t a, uint64_t b) {
  uint64_t z = a ^ (b * 0x9E3779B97F4A7C15ull) ^ 0xD1B54A32D192ED03ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::string topic_subject(topic_kind t, uint64_t seed, const std::string& org, char& enc) {
  auto& p = subjects(t);
  std::string s = p[seed % p.size()];
  replace_all(s, "{q}", std::to_string(1 + (seed >> 8) % 4));
  replace_all(s, "{y}", std::to_string(2023 + (seed >> 12) % 2));
  replace_all(s, "{n}", std::to_string(1 + (seed >> 16) % 40));
  replace_all(s, "{org}", org);
  enc = 0;
  if (!ascii(s)) {
    bool latin = to_utf8(from_utf8(s, "iso-8859-1"), "iso-8859-1") == s;
    int r = int((seed >> 24) % 3);
    enc = latin && r == 0 ? 'L' : r == 1 ? 'Q' : 'B';
  }
  return s;
}

std::string body_core(const mail_generator& g, uint32_t idx) {
  auto& m = g.mails()[idx];
  auto& conv = g.convs()[m.conv];
  auto& from = g.people()[m.from];
  uint64_t s = m.seed;
  auto& sent = sentences(conv.topic);
  if (m.kind == mail_kind::chat) return std::string(sent[s % sent.size()]) + "\r\n";
  std::string to_name = m.to.empty() ? std::string("all") : first_name(g.people()[m.to[0]].name);
  static const char* greet[] = {"Hi ", "Dear ", "Hello ", "Bonjour ", "Hallo "};
  std::string out = m.kind == mail_kind::list || m.kind == mail_kind::spam
                        ? std::string("Hello,\r\n\r\n")
                        : greet[(s >> 4) % 5] + to_name + ",\r\n\r\n";
  int paras = 1 + int((s >> 8) % 3);
  for (int p = 0; p < paras; ++p) {
    int n = 1 + int((s >> (12 + p * 4)) % 3);
    size_t base = mix(s, uint64_t(p)) % sent.size();
    for (int k = 0; k < n; ++k) {
      out += sent[(base + size_t(k)) % sent.size()];
      out += k + 1 < n ? " " : "\r\n\r\n";
    }
  }
  if ((s >> 40) % 4 == 0) out += "Ref: " + std::to_string(s % 100000) + "\r\n\r\n";
  if (m.kind == mail_kind::list || m.kind == mail_kind::spam) return out;
  out += "Best,\r\n" + first_name(from.name) + "\r\n\r\n-- \r\n" + from.name + "\r\n";
  if (!from.title.empty()) out += from.title + ", " + g.orgs()[from.org].name + "\r\n";
  return out;
}

std::string body_text(const mail_generator& g, uint32_t idx) {
  auto out = body_core(g, idx);
  auto& m = g.mails()[idx];
  if (m.parent == no_mail || m.kind == mail_kind::chat) return out;
  auto& parent = g.mails()[m.parent];
  auto& pf = g.people()[parent.from];
  out += "\r\nOn " + rfc822_date(parent.date_ms, 0) + ", " + pf.name + " <" + g.address_of(m.parent) + "> wrote:\r\n";
  auto quoted = body_core(g, m.parent);
  size_t i = 0;
  int lines = 0;
  while (i < quoted.size() && lines < 6) {
    auto e = quoted.find("\r\n", i);
    if (e == std::string::npos) e = quoted.size();
    auto line = quoted.substr(i, e - i);
    out += line.empty() ? ">\r\n" : "> " + line + "\r\n";
    i = e + 2;
    ++lines;
  }
  return out;
}

std::string body_html(const std::string& text) {
  std::string out = "<div dir=\"ltr\">";
  bool quote = false;
  size_t i = 0;
  while (i < text.size()) {
    auto e = text.find("\r\n", i);
    if (e == std::string::npos) e = text.size();
    std::string line = text.substr(i, e - i);
    i = e + 2;
    bool q = line.rfind(">", 0) == 0;
    if (q && !quote) out += "<blockquote class=\"gmail_quote\">";
    if (!q && quote) out += "</blockquote>";
    quote = q;
    if (q) line = line.substr(line.size() > 1 ? 2 : 1);
    std::string esc;
    for (char c : line)
      esc += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
    out += esc.empty() ? "<br>\r\n" : "<div>" + esc + "</div>\r\n";
  }
  if (quote) out += "</blockquote>";
  return out + "</div>\r\n";
}

std::string rfc822_date(int64_t ms, int tz_minutes) {
  std::time_t t = std::time_t(ms / 1000 + tz_minutes * 60);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  int a = tz_minutes < 0 ? -tz_minutes : tz_minutes;
  std::snprintf(buf, sizeof buf, "%s, %d %s %04d %02d:%02d:%02d %c%02d%02d", days[tm.tm_wday],
                tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec, tz_minutes < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

} // namespace gc::sim::gen
