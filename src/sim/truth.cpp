#include "sim/truth.hpp"

#include "core/encoding.hpp"
#include "sim/mime_codec.hpp"
#include "sim/mime_split.hpp"
#include "sim/workspace_impl.hpp"

#include <openssl/evp.h>

#include <ostream>

namespace gc::sim {
namespace {

void walk(const mail_part& p, const std::string& id, std::vector<attachment_info>& out) {
  auto child = [&](size_t i) { return id.empty() ? std::to_string(i) : id + "." + std::to_string(i); };
  if (p.is_multipart()) {
    for (size_t i = 0; i < p.parts.size(); ++i) walk(p.parts[i], child(i), out);
    return;
  }
  if (p.is_message()) {
    if (!p.filename().empty()) {
      auto data = render_raw(p.parts[0]);
      out.push_back({id, p.filename(), p.mime_type(), sha256_hex(data), data.size()});
    }
    walk(p.parts[0], child(0), out);
    return;
  }
  bool text = p.mime_type().rfind("text/", 0) == 0;
  if ((!p.filename().empty() || !text) && !p.body.empty())
    out.push_back({id, p.filename(), p.mime_type(), sha256_hex(p.body), p.body.size()});
}

json addresses(const std::string& v) { return address_list(v); }

} // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr);
  return core::hex_encode(std::string_view(reinterpret_cast<const char*>(md), n));
}

std::vector<attachment_info> attachments_of(const mail_part& root) {
  std::vector<attachment_info> out;
  walk(root, "", out);
  return out;
}

std::vector<json> read_truth(std::istream& in) {
  std::vector<json> out;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

void workspace::write_truth(std::ostream& out) const {
  std::lock_guard lk(mu_);
  auto& I = *impl_;
  json head = {{"type", "workspace"}, {"domain", I.domain}, {"mailboxes", json::array()}};
  for (auto& b : I.boxes) head["mailboxes"].push_back(b->address());
  out << head.dump() << '\n';
  for (auto& b : I.boxes) {
    auto all = b->all();
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      auto& m = **it;
      auto tree = I.store.tree(m.mail);
      auto& mid = I.store.message_id(m.mail);
      json j = {{"type", "message"}, {"mailbox", b->address()}, {"id", format_id(m.id)},
                {"threadId", format_id(m.thread_id)},
                {"messageId", mid.empty() ? json(nullptr) : json(mid)},
                {"labels", label_ids(m.labels)}, {"internalDate", m.internal_date_ms},
                {"capture", !(m.labels & (lbl::draft | lbl::chat))},
                {"softDeleted", bool(m.labels & (lbl::spam | lbl::trash))}};
      auto g = I.store.generated_index(m.mail);
      if (g) {
        auto& pm = I.gen->mails()[*g];
        json to = json::array(), cc = json::array();
        for (auto p : pm.to) to.push_back(I.gen->people()[p].email);
        for (auto p : pm.cc) cc.push_back(I.gen->people()[p].email);
        j["from"] = I.gen->address_of(*g);
        j["to"] = to;
        j["cc"] = cc;
        j["subject"] = pm.kind == mail_kind::chat ? std::string() : I.gen->subject(*g);
        j["mailKey"] = "g" + std::to_string(*g);
      } else {
        auto from = address_list(tree.header_or("From"));
        j["from"] = from.empty() ? std::string() : from[0];
        j["to"] = addresses(tree.header_or("To"));
        j["cc"] = addresses(tree.header_or("Cc"));
        j["subject"] = rfc2047_decode(tree.header_or("Subject"));
        j["mailKey"] = "r" + std::to_string(m.mail);
      }
      json atts = json::array();
      for (auto& a : attachments_of(tree))
        atts.push_back({{"partId", a.part_id}, {"filename", a.filename}, {"mimeType", a.mime_type},
                        {"size", a.size}, {"sha256", a.sha256}});
      j["attachments"] = atts;
      out << j.dump() << '\n';
    }
  }
}

} // namespace gc::sim
