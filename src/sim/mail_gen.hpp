#pragma once
// Deterministic synthetic venture-fund mail. The generator first builds a directory (team,
// LP firms and their people, portfolio founders, service providers, list senders, spammers),
// then plans conversations as compact `planned_mail` records; the MIME tree of one mail is
// built on demand from its record (render), so 100k mails cost a few tens of MB, not GBs.
#include "core/json.hpp"
#include "sim/message_render.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace gc::sim {

enum class org_kind : uint8_t { fund, lp, portfolio, service, list, spam, free_mail };
enum class mail_kind : uint8_t { normal, list, spam, draft, chat, forward };
enum class mime_shape : uint8_t {
  plain_utf8, plain_utf8_qp, plain_latin1_qp, plain_cp1252_qp, plain_base64, alternative,
  html_only, mixed_pdf, related_inline, mixed_jpeg, forward
};

struct organisation {
  std::string name;
  std::string domain;
  org_kind kind = org_kind::fund;
};

struct person {
  std::string name;        // UTF-8 display name
  std::string email;       // lower-case
  std::string title;
  uint32_t org = 0;        // index into orgs(); 0 is the fund
  std::string personal_email;   // a second (free-mail) address some LPs also write from
};

inline constexpr uint32_t no_mail = 0xFFFFFFFFu;

struct planned_mail {
  uint32_t conv = 0;
  uint32_t parent = no_mail;   // the mail this one replies to
  uint32_t inner = no_mail;    // forwarded mail (shape forward)
  uint32_t from = 0;           // person index
  bool from_personal = false;  // sent from the person's personal_email
  std::vector<uint32_t> to, cc;
  int64_t date_ms = 0;
  uint64_t seed = 0;
  mail_kind kind = mail_kind::normal;
  mime_shape shape = mime_shape::plain_utf8;
  std::string message_id;      // "<...>" or "" (no Message-ID header)
};

enum class topic_kind : uint8_t { lp, founder, internal, service, list, spam, chat };

struct conversation {
  std::string subject;         // UTF-8, without Re:/Fwd:
  char subject_enc = 0;        // 0 plain, 'B'/'Q' UTF-8, 'L' ISO-8859-1 Q
  topic_kind topic = topic_kind::lp;
  std::vector<uint32_t> side_a, side_b;   // participants: starter side, other side
  std::vector<uint32_t> mails;
};

class mail_generator {
public:
  mail_generator(int team_size, int messages, uint64_t seed, std::string domain, int64_t anchor_ms);

  const std::string& domain() const { return domain_; }
  int team_size() const { return team_; }          // people()[0..team) own the mailboxes
  const std::vector<organisation>& orgs() const { return orgs_; }
  const std::vector<person>& people() const { return people_; }
  const std::vector<planned_mail>& mails() const { return mails_; }
  const std::vector<conversation>& convs() const { return convs_; }
  int64_t clock_ms() const { return clock_ms_; }   // newest planned date

  mail_part render(uint32_t mail) const;
  std::string subject(uint32_t mail) const;        // decoded, with Re:/Fwd:
  std::string address_of(uint32_t mail) const;     // From address actually used
  bool is_team(uint32_t person) const { return person < uint32_t(team_); }

  // Live mail: plan one more mail (a reply in a recent conversation or a new thread) dated
  // after the current clock; returns its index.
  uint32_t plan_live(std::mt19937_64& rng);

  json crm_seed() const;

private:
  void build_directory(std::mt19937_64& rng, int messages);
  void plan(std::mt19937_64& rng, int messages, int64_t anchor_ms);
  uint32_t plan_conversation(std::mt19937_64& rng, int64_t start_ms, int64_t end_ms, int budget);
  uint32_t add_mail(planned_mail m, std::mt19937_64& rng);
  uint32_t pick_external(std::mt19937_64& rng, org_kind kind) const;
  uint32_t plan_reply(std::mt19937_64& rng, uint32_t conv, int64_t date_ms, mail_kind kind);
  mime_shape pick_shape(std::mt19937_64& rng, topic_kind t, mail_kind k) const;

  std::string domain_;
  int team_ = 0;
  uint64_t seed_ = 0;
  int64_t clock_ms_ = 0;
  std::vector<organisation> orgs_;
  std::vector<person> people_;
  std::vector<planned_mail> mails_;
  std::vector<conversation> convs_;
  std::vector<std::vector<uint32_t>> pools_;   // people by org_kind (lp includes free_mail)
};

// Text and asset helpers (mail_gen_text.cpp, mail_gen_assets.cpp).
namespace gen {
uint64_t mix(uint64_t a, uint64_t b);                         // splitmix-style hash
std::string body_text(const mail_generator& g, uint32_t mail); // UTF-8, CRLF, with quote
std::string body_html(const std::string& text);
std::string make_pdf(const std::string& title, uint64_t variant);
std::string logo_png();
std::string chart_png();
std::string photo_jpeg();
std::string rfc822_date(int64_t ms, int tz_minutes);
// A subject for a new conversation; `enc` receives how it is to be encoded.
std::string topic_subject(topic_kind t, uint64_t seed, const std::string& org, char& enc);
std::string body_core(const mail_generator& g, uint32_t mail);  // without the quote
}  // namespace gen

} // namespace gc::sim
