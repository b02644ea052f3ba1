// messages.get, threads.get and attachments.get. The MIME tree is built under the lock; the
// JSON (base64 and all) is produced after releasing it.
#include "sim/workspace.hpp"

#include "core/encoding.hpp"
#include "sim/mime_codec.hpp"
#include "sim/workspace_impl.hpp"

#include <cstring>

namespace gc::sim {
namespace {

const gc::error not_found{"not_found", "Requested entity was not found."};
constexpr std::string_view att_prefix = "ANGjdJ";

struct fetched {
  sim_message m;
  std::shared_ptr<const mail_view> v;
  std::string raw;   // format=raw only
};

fetched fetch(const mail_store& store, const sim_message& m, msg_format format) {
  fetched f{m, store.view(m.mail), {}};
  if (format == msg_format::raw)
    f.raw = store.generated_index(m.mail) ? render_raw(f.v->tree) : store.raw(m.mail);
  return f;
}

void keystream(std::string& bytes, size_t from, uint64_t nonce) {
  for (size_t i = from; i < bytes.size(); ++i)
    bytes[i] = char(uint8_t(bytes[i]) ^ uint8_t(gen::mix(nonce, (i - from) / 8) >> (8 * ((i - from) % 8))));
}

} // namespace

std::string workspace::impl::attachment_id(uint64_t msg, const std::string& part_id) {
  uint64_t nonce = gen::mix(seed ^ 0xA77Aull, fetches.fetch_add(1) + 1);
  std::string b(reinterpret_cast<const char*>(&nonce), 8);
  b.append(reinterpret_cast<const char*>(&msg), 8);
  b += char(uint8_t(gen::mix(nonce, msg)));
  b += part_id;
  keystream(b, 8, nonce);
  return std::string(att_prefix) + core::base64url_encode(b, false);
}

std::optional<std::pair<uint64_t, std::string>> workspace::impl::decode_attachment_id(const std::string& a) {
  if (a.rfind(att_prefix, 0) != 0) return std::nullopt;
  auto b = core::base64_decode(std::string_view(a).substr(att_prefix.size()));
  if (!b || b->size() < 17) return std::nullopt;
  uint64_t nonce = 0, msg = 0;
  std::memcpy(&nonce, b->data(), 8);
  keystream(*b, 8, nonce);
  std::memcpy(&msg, b->data() + 8, 8);
  if (uint8_t((*b)[16]) != uint8_t(gen::mix(nonce, msg))) return std::nullopt;
  return std::pair{msg, b->substr(17)};
}

namespace {

json render_message(workspace::impl& w, const fetched& f, const get_params& p, size_t large) {
  auto& m = f.m;
  json j = {{"id", format_id(m.id)}, {"threadId", format_id(m.thread_id)}};
  if (m.labels) j["labelIds"] = label_ids(m.labels);
  j["snippet"] = f.v->snippet;
  j["sizeEstimate"] = f.v->raw_size;
  j["historyId"] = std::to_string(m.history_id);
  j["internalDate"] = std::to_string(m.internal_date_ms);
  if (p.format == msg_format::metadata) {
    payload_options o;
    o.headers_only = true;
    o.header_filter = p.metadata_headers;
    j["payload"] = render_payload(f.v->tree, o);
  } else if (p.format == msg_format::full) {
    payload_options o;
    o.large_body_threshold = large;
    uint64_t id = m.id;
    o.attachment_id = [&w, id](const std::string& part) { return w.attachment_id(id, part); };
    j["payload"] = render_payload(f.v->tree, o);
  } else if (p.format == msg_format::raw) {
    j["raw"] = core::base64url_encode(f.raw, true);
  }
  return j;
}

} // namespace

gc::result<json> workspace::get_message(const std::string& user, const std::string& id,
                                        const get_params& p) const {
  auto mid = parse_id(id);
  fetched f;
  size_t large = 0;
  {
    std::lock_guard lk(mu_);
    auto b = impl_->box(user);
    if (!b) return gc::error{"failed_precondition", "Unknown mailbox " + user};
    auto m = mid ? b->find(*mid) : nullptr;
    if (!m) return not_found;
    f = fetch(impl_->store, *m, p.format);
    large = impl_->large_threshold;
  }
  return render_message(*impl_, f, p, large);
}

gc::result<json> workspace::get_thread(const std::string& user, const std::string& id,
                                       const get_params& p) const {
  if (p.format == msg_format::raw) return gc::error{"invalid_argument", "Invalid value at 'format', \"raw\""};
  auto tid = parse_id(id);
  std::vector<fetched> fs;
  size_t large = 0;
  {
    std::lock_guard lk(mu_);
    auto b = impl_->box(user);
    if (!b) return gc::error{"failed_precondition", "Unknown mailbox " + user};
    if (!tid) return not_found;
    for (auto m : b->thread(*tid)) fs.push_back(fetch(impl_->store, *m, p.format));
    large = impl_->large_threshold;
  }
  if (fs.empty()) return not_found;
  json msgs = json::array();
  uint64_t hid = 0;
  for (auto& f : fs) {
    msgs.push_back(render_message(*impl_, f, p, large));
    hid = std::max(hid, f.m.history_id);
  }
  return json{{"id", format_id(*tid)}, {"historyId", std::to_string(hid)}, {"messages", std::move(msgs)}};
}

gc::result<json> workspace::get_attachment(const std::string& user, const std::string& message_id,
                                           const std::string& attachment_id) const {
  auto mid = parse_id(message_id);
  auto att = impl::decode_attachment_id(attachment_id);
  std::shared_ptr<const mail_view> v;
  {
    std::lock_guard lk(mu_);
    auto b = impl_->box(user);
    if (!b) return gc::error{"failed_precondition", "Unknown mailbox " + user};
    auto m = mid ? b->find(*mid) : nullptr;
    if (!m || !att || att->first != *mid) return not_found;
    v = impl_->store.view(m->mail);
  }
  auto part = find_part(v->tree, att->second);
  if (!part) return not_found;
  std::string data = part->is_message() ? render_raw(part->parts[0]) : part->body;
  return json{{"size", data.size()}, {"data", core::base64url_encode(data, true)}};
}

} // namespace gc::sim
