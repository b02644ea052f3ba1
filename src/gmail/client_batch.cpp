// client::batch (gmail-api.md §4): one multipart/mixed POST to /batch/gmail/v1, answers matched
// by Content-ID, each inner failure classified on its own (a 429 inside a 200 is common).
#include "core/log.hpp"
#include "gmail/batch_codec.hpp"
#include "gmail/client_impl.hpp"

namespace gc::gmail {
namespace {

api_error batch_error(error_kind kind, unsigned status, std::string reason, std::string message) {
  api_error e;
  e.kind = kind;
  e.status = status;
  e.reason = std::move(reason);
  e.message = std::move(message);
  return e;
}

std::string header_of(const std::map<std::string, std::string>& h, const char* name) {
  auto it = h.find(name);
  return it == h.end() ? std::string{} : it->second;
}

// Matches decoded parts to the calls by Content-ID; parts that never came are retryable.
std::vector<batch_reply> match(const std::vector<batch_call>& calls, std::vector<batch_inner_response> parts,
                               const std::string& mailbox) {
  std::vector<batch_reply> out(calls.size());
  std::vector<bool> seen(calls.size(), false);
  for (auto& p : parts) {
    auto k = batch_item_index(p.content_id);
    if (!k || *k >= calls.size() || seen[*k]) {
      gc::log::warn("gmail batch: ignoring a part with unexpected Content-ID '{}'", p.content_id);
      continue;
    }
    seen[*k] = true;
    auto& r = out[*k];
    r.status = p.status;
    if (p.status < 200 || p.status >= 300) {
      auto e = classify(p.status, p.body, calls[*k].method == core::gmail_method::history_list,
                        header_of(p.headers, "retry-after"));
      e.context = "mailbox " + mailbox;
      r.error = std::move(e);
    }
    r.body = std::move(p.body);
  }
  for (size_t i = 0; i < calls.size(); ++i)
    if (!seen[i])
      out[i].error = batch_error(error_kind::retryable, 0, "batch_missing",
                                 "the batch answer has no part for this call");
  return out;
}

} // namespace

void client::batch(const std::string& mailbox, std::vector<batch_call> calls, callback<std::vector<batch_reply>> done) {
  if (calls.empty()) return done(std::vector<batch_reply>{});
  if (calls.size() > opts_.max_batch)
    return done(batch_error(error_kind::permanent, 0, "batch_too_large",
                            "a batch may hold at most " + std::to_string(opts_.max_batch) + " calls, got " +
                                std::to_string(calls.size())));
  std::vector<batch_inner_request> inner;
  inner.reserve(calls.size());
  for (const auto& c : calls) inner.push_back(batch_inner_request{"GET", c.target, {}, {}});
  auto boundary = make_batch_boundary();
  net::http_request req;
  req.method = "POST";
  req.url = impl_->url(opts_.batch_path);
  req.headers["Content-Type"] = "multipart/mixed; boundary=" + boundary;
  req.headers["Accept"] = "multipart/mixed";
  req.body = encode_batch_request(inner, boundary);
  req.timeout = opts_.timeout;
  auto self = impl_;
  impl_->send(mailbox, std::move(req), false,
              [self, calls = std::move(calls), mailbox, done = std::move(done)](outcome<net::http_response> r) mutable {
                self->run([r = std::move(r), calls = std::move(calls), mailbox, done = std::move(done)]() mutable {
                  if (!r) return done(std::move(r).error());
                  auto parts = decode_batch_response(r->header("content-type"), r->body);
                  if (!parts) {
                    // (choice) retryable: a garbled or cut multipart answer is a transport fault
                    return done(batch_error(error_kind::retryable, r->status, "bad_response",
                                            "the batch answer could not be read: " + parts.error().message));
                  }
                  done(match(calls, std::move(*parts), mailbox));
                });
              });
}

void client::batch_get_messages(const std::string& mailbox, const std::vector<std::string>& ids,
                                const get_message_params& p, callback<std::vector<outcome<message>>> done) {
  std::vector<batch_call> calls;
  calls.reserve(ids.size());
  for (const auto& id : ids) calls.push_back(batch_call{core::gmail_method::messages_get, message_target(mailbox, id, p)});
  batch(mailbox, std::move(calls), [done = std::move(done)](outcome<std::vector<batch_reply>> r) {
    if (!r) return done(std::move(r).error());
    std::vector<outcome<message>> out;
    out.reserve(r->size());
    for (auto& reply : *r) {
      if (reply.error) {
        out.emplace_back(std::move(*reply.error));
        continue;
      }
      auto m = parse_body<message>(reply.body, &parse_message);
      if (!m) {
        auto e = std::move(m).error();
        e.status = reply.status;
        out.emplace_back(std::move(e));
      } else {
        out.emplace_back(std::move(m));
      }
    }
    done(std::move(out));
  });
}

} // namespace gc::gmail
