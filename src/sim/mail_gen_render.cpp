// Builds the MIME tree of one planned mail. Everything derives from the mail's record and
// seed, so the same workspace spec renders byte-identical text.
#include "sim/mail_gen.hpp"

#include "core/encoding.hpp"
#include "sim/mime_codec.hpp"

namespace gc::sim {
namespace {

using headers_t = std::vector<std::pair<std::string, std::string>>;

bool ascii(const std::string& s) {
  for (char c : s)
    if (uint8_t(c) >= 0x80) return false;
  return true;
}

bool latin1_ok(const std::string& s) {
  return to_utf8(from_utf8(s, "iso-8859-1"), "iso-8859-1") == s;
}

std::string encode_words(const std::string& s, uint64_t seed) {
  if (ascii(s)) return s;
  int r = int(seed % 3);
  if (r == 0 && latin1_ok(s)) return rfc2047_encode(s, "ISO-8859-1", 'Q');
  return rfc2047_encode(s, "UTF-8", r == 1 ? 'Q' : 'B');
}

std::string mailbox_text(const std::string& name, const std::string& addr, uint64_t seed) {
  if (name.empty()) return addr;
  if (!ascii(name)) return encode_words(name, seed) + " <" + addr + ">";
  if (name.find_first_of("()<>[]:;@\\,.\"'") != std::string::npos) {
    std::string q = "\"";
    for (char c : name) q += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return q + "\" <" + addr + ">";
  }
  return name + " <" + addr + ">";
}

mail_part leaf(std::string type, std::string body, std::string cte) {
  mail_part p;
  p.headers = {{"Content-Type", std::move(type)}, {"Content-Transfer-Encoding", std::move(cte)}};
  p.body = std::move(body);
  return p;
}

mail_part text_part(const std::string& utf8, std::string charset, const std::string& cte,
                    const char* subtype = "plain") {
  if (charset != "UTF-8" && to_utf8(from_utf8(utf8, charset), charset) != utf8) charset = "UTF-8";
  std::string bytes = from_utf8(utf8, charset);
  std::string enc = cte;
  if (enc.empty()) enc = ascii(bytes) ? "7bit" : "8bit";
  return leaf(std::string("text/") + subtype + "; charset=\"" + charset + "\"", bytes, enc);
}

mail_part multipart(const std::string& sub, const std::string& boundary, std::vector<mail_part> kids) {
  mail_part p;
  p.headers = {{"Content-Type", "multipart/" + sub + "; boundary=\"" + boundary + "\""}};
  p.parts = std::move(kids);
  return p;
}

std::string disposition(const char* kind, const std::string& filename, uint64_t seed) {
  if (ascii(filename)) return std::string(kind) + "; filename=\"" + filename + "\"";
  if (seed % 2) return std::string(kind) + "; filename=\"" + rfc2047_encode(filename, "UTF-8", 'B') + "\"";
  return std::string(kind) + "; filename*=UTF-8''" + core::url_encode(filename);
}

mail_part attachment(const std::string& type, const std::string& filename, std::string bytes,
                     uint64_t seed) {
  std::string name = ascii(filename) ? filename : rfc2047_encode(filename, "UTF-8", 'B');
  auto p = leaf(type + "; name=\"" + name + "\"", std::move(bytes), "base64");
  p.headers.emplace_back("Content-Disposition", disposition("attachment", filename, seed));
  return p;
}

const char* pdf_names[] = {"Capital_Call_Notice_Fund_II.pdf", "Q3 2024 Quarterly Report.pdf",
                           "Subscription Agreement (signed).pdf", "Übersicht Beteiligungen.pdf",
                           "Board Deck.pdf", "K-1 2023.pdf", "Relevé de compte.pdf"};
const char* jpeg_names[] = {"team-photo.jpg", "Büro-Foto.jpg", "whiteboard.jpg"};
const int tz_choices[] = {-480, -300, 0, 60, 120, 330, 540};

} // namespace

std::string mail_generator::address_of(uint32_t idx) const {
  auto& m = mails_[idx];
  auto& p = people_[m.from];
  return m.from_personal && !p.personal_email.empty() ? p.personal_email : p.email;
}

std::string mail_generator::subject(uint32_t idx) const {
  auto& m = mails_[idx];
  auto& conv = convs_[m.conv];
  if (m.kind == mail_kind::chat) return "Chat with " + people_[m.from].name;
  if (m.kind == mail_kind::forward) return "Fwd: " + conv.subject;
  return (m.parent != no_mail ? "Re: " : "") + conv.subject;
}

mail_part mail_generator::render(uint32_t idx) const {
  auto& m = mails_[idx];
  uint64_t s = m.seed;
  std::string hex = core::hex_encode(std::string_view(reinterpret_cast<const char*>(&s), 8));
  std::string boundary = "000000000000" + hex.substr(0, 12);
  bool external = !is_team(m.from);
  int tz = external ? tz_choices[(s >> 20) % 7] : (m.from % 2 ? -300 : 60);
  mail_part root;
  headers_t& h = root.headers;
  auto& fp = people_[m.from];
  auto from_dom = address_of(idx).substr(address_of(idx).find('@') + 1);
  if (external && m.kind != mail_kind::chat)
    h.emplace_back("Received", "from mail." + from_dom + " (mail." + from_dom + ") by mx.google.com"
                   " with ESMTPS id " + hex.substr(0, 10) + "; " + gen::rfc822_date(m.date_ms, 0));
  h.emplace_back("MIME-Version", "1.0");
  h.emplace_back("Date", gen::rfc822_date(m.date_ms - int64_t(s % 4000), tz));
  if (!m.message_id.empty()) h.emplace_back(external && (s >> 30) % 5 == 0 ? "Message-Id" : "Message-ID", m.message_id);
  if (m.parent != no_mail) {
    std::vector<std::string> chain;
    for (uint32_t p = m.parent; p != no_mail && chain.size() < 20; p = mails_[p].parent)
      if (!mails_[p].message_id.empty()) chain.insert(chain.begin(), mails_[p].message_id);
    if (!mails_[m.parent].message_id.empty()) h.emplace_back("In-Reply-To", mails_[m.parent].message_id);
    if (!chain.empty()) {
      std::string refs;
      for (auto& c : chain) refs += (refs.empty() ? "" : " ") + c;
      h.emplace_back("References", refs);
    }
  }
  if (m.kind != mail_kind::chat) h.emplace_back("Subject", encode_words(subject(idx), s >> 3));
  h.emplace_back("From", mailbox_text(fp.name, address_of(idx), s >> 5));
  auto list_of = [&](const std::vector<uint32_t>& v) {
    std::string out;
    for (auto p : v) out += (out.empty() ? "" : ", ") + mailbox_text(people_[p].name, people_[p].email, s >> 7);
    return out;
  };
  if (!m.to.empty()) h.emplace_back("To", list_of(m.to));
  if (!m.cc.empty()) h.emplace_back("Cc", list_of(m.cc));
  if (m.kind == mail_kind::list) {
    h.emplace_back("List-Id", fp.name + " <" + from_dom + ">");
    h.emplace_back("List-Unsubscribe", "<mailto:unsubscribe@" + from_dom + ">, <https://" + from_dom + "/u/" + hex.substr(0, 8) + ">");
    h.emplace_back("Precedence", "bulk");
  }

  std::string text = gen::body_text(*this, idx);
  auto alt = [&](const std::string& b) {
    return multipart("alternative", b, {text_part(text, "UTF-8", "quoted-printable"),
                                        text_part(gen::body_html(text), "UTF-8", s & 1 ? "base64" : "quoted-printable", "html")});
  };
  mail_part body;
  switch (m.shape) {
    case mime_shape::plain_utf8: body = text_part(text, "UTF-8", ""); break;
    case mime_shape::plain_utf8_qp: body = text_part(text, "UTF-8", "quoted-printable"); break;
    case mime_shape::plain_latin1_qp: body = text_part(text, "ISO-8859-1", "quoted-printable"); break;
    case mime_shape::plain_cp1252_qp: body = text_part(text, "windows-1252", "quoted-printable"); break;
    case mime_shape::plain_base64: body = text_part(text, "UTF-8", "base64"); break;
    case mime_shape::alternative: body = alt(boundary); break;
    case mime_shape::html_only:
      body = text_part(gen::body_html(text), "UTF-8", s & 2 ? "base64" : "quoted-printable", "html");
      break;
    case mime_shape::mixed_pdf: {
      const char* name = pdf_names[(s >> 9) % std::size(pdf_names)];
      body = multipart("mixed", boundary, {alt(boundary + "_alt"),
                                           attachment("application/pdf", name, gen::make_pdf(name, (s >> 13) % 5), s)});
      break;
    }
    case mime_shape::related_inline: {
      std::string cid = "ii_" + hex.substr(2, 10);
      auto html = gen::body_html(text);
      html.insert(html.size() - 8, "<img src=\"cid:" + cid + "\" alt=\"logo.png\">");
      auto img = leaf("image/png; name=\"logo.png\"", gen::logo_png(), "base64");
      img.headers.emplace_back("Content-Disposition", "inline; filename=\"logo.png\"");
      img.headers.emplace_back("Content-ID", "<" + cid + ">");
      img.headers.emplace_back("X-Attachment-Id", cid);
      body = multipart("related", boundary,
                       {multipart("alternative", boundary + "_alt",
                                  {text_part(text, "UTF-8", "quoted-printable"),
                                   text_part(html, "UTF-8", "quoted-printable", "html")}),
                        img});
      break;
    }
    case mime_shape::mixed_jpeg: {
      const char* name = jpeg_names[(s >> 9) % std::size(jpeg_names)];
      body = multipart("mixed", boundary, {text_part(text, "UTF-8", ""),
                                           attachment("image/jpeg", name, gen::photo_jpeg(), s >> 1),
                                           attachment("image/png", "chart.png", gen::chart_png(), 0)});
      break;
    }
    case mime_shape::forward: {
      auto& inner = mails_[m.inner];
      std::string fw = text + "\r\n---------- Forwarded message ---------\r\nFrom: " +
                       people_[inner.from].name + " <" + address_of(m.inner) + ">\r\nDate: " +
                       gen::rfc822_date(inner.date_ms, 0) + "\r\nSubject: " + subject(m.inner) + "\r\n";
      mail_part msg;
      msg.headers = {{"Content-Type", "message/rfc822"}};
      if (s & 4) msg.headers.emplace_back("Content-Disposition", disposition("attachment", subject(m.inner) + ".eml", s));
      else msg.headers.emplace_back("Content-Disposition", "inline");
      msg.parts.push_back(render(m.inner));
      body = multipart("mixed", boundary, {text_part(fw, "UTF-8", "quoted-printable"), std::move(msg)});
      break;
    }
  }
  for (auto& kv : body.headers) h.push_back(kv);
  root.body = std::move(body.body);
  root.parts = std::move(body.parts);
  return root;
}

} // namespace gc::sim
