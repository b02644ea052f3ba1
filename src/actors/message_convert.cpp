#include "actors/message_convert.hpp"

#include "core/threading.hpp"

#include <algorithm>

namespace gc::actors {
namespace {

store::address_rec rec(const mime::address& a) { return {a.name, a.email}; }

std::vector<store::address_rec> recs(const std::vector<mime::address>& v) {
  std::vector<store::address_rec> out;
  out.reserve(v.size());
  for (const auto& a : v) out.push_back(rec(a));
  return out;
}

std::vector<std::string> emails_of(const std::vector<mime::address>& v) {
  std::vector<std::string> out;
  for (const auto& a : v) out.push_back(a.email);
  return out;
}

core::participants participants_of(const std::optional<mime::address>& from,
                                   const std::vector<mime::address>& to,
                                   const std::vector<mime::address>& cc,
                                   const std::vector<mime::address>& bcc) {
  core::participants p;
  p.from = from ? from->email : "";
  p.to = emails_of(to);
  p.cc = emails_of(cc);
  p.bcc = emails_of(bcc);
  return p;
}

} // namespace

bool is_matched(const mime::participants& p, const core::match_index& index) {
  return !index.match(participants_of(p.from, p.to, p.cc, p.bcc)).empty();
}

bool not_captured(const std::vector<std::string>& label_ids) {
  return std::any_of(label_ids.begin(), label_ids.end(),
                     [](const std::string& l) { return l == "DRAFT" || l == "CHAT"; });
}

converted convert_message(const mime::message& m, int64_t account_id, const core::match_index& index) {
  converted out;
  auto& e = out.email;
  core::dedup_fields f;
  f.from_email = m.from ? m.from->email : "";
  f.to = emails_of(m.to);
  f.cc = emails_of(m.cc);
  f.subject = m.subject;
  f.date = m.date.value_or(m.date_raw);
  std::optional<std::string> msgid;
  if (!m.message_id_raw.empty()) msgid = m.message_id_raw;
  e.dedup_key = core::dedup_key(msgid, f);
  e.message_id = msgid;
  if (!m.in_reply_to.empty()) e.in_reply_to = m.in_reply_to;
  e.references = m.references;
  e.subject = m.subject;
  if (m.from) e.from = rec(*m.from);
  e.to = recs(m.to);
  e.cc = recs(m.cc);
  e.bcc = recs(m.bcc);
  e.sent_at = m.date;
  e.internal_date_ms = m.internal_date_ms.value_or(0);
  e.snippet = m.snippet;
  for (const auto& a : m.attachments) {
    if (a.mime_type == "message/rfc822" && a.filename.empty() && a.gmail_attachment_id.empty()) continue;
    e.attachments.push_back({a.part_id, a.filename, a.mime_type, a.content_id, a.gmail_attachment_id, a.size});
  }

  for (const auto& l : index.match(participants_of(m.from, m.to, m.cc, m.bcc)))
    e.links.push_back({l.investor_id, l.contact_id, core::to_string(l.kind), l.matched_address});
  if (!e.links.empty()) {  // matched: keep the body; unmatched mail stays metadata-only
    e.body_text = m.text_body;
    e.body_html = m.html_body;
  }

  out.sighting = {account_id, m.gmail_id, m.gmail_thread_id, m.label_ids};
  return out;
}

} // namespace gc::actors
