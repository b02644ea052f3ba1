#include "gmail/client.hpp"

#include "core/log.hpp"
#include "gmail/client_impl.hpp"

namespace gc::gmail {
namespace {

// Parses a 2xx body with `parser` on the executor, then calls `done`.
template <class T>
client::impl::response_fn typed(std::shared_ptr<client::impl> self, outcome<T> (*parser)(const json&),
                                client::callback<T> done) {
  return [self, parser, done = std::move(done)](outcome<net::http_response> r) mutable {
    self->run([r = std::move(r), parser, done = std::move(done)]() mutable {
      if (!r) return done(std::move(r).error());
      auto parsed = parse_body<T>(r->body, parser);
      if (!parsed) {
        auto e = std::move(parsed).error();
        e.status = r->status;
        return done(std::move(e));
      }
      done(std::move(parsed));
    });
  };
}

outcome<json> as_json(const json& j) { return j; }

} // namespace

client::client(net::http_client& http, std::shared_ptr<auth_provider> auth, client_options opts)
    : opts_{opts}, impl_{std::make_shared<impl>(http, std::move(auth), std::move(opts))} {}

std::string client::impl::url(const std::string& target) const {
  auto base = opts.api_base;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + target;
}

void client::impl::send(const std::string& mailbox, net::http_request req, bool history_call, response_fn done,
                        int attempt) {
  auto self = shared_from_this();
  auth->token(mailbox, opts.scopes,
              [self, mailbox, req = std::move(req), history_call, done = std::move(done),
               attempt](outcome<access_token> tok) mutable {
                if (!tok) return done(std::move(tok).error());
                auto sent = req;                                  // keep `req` clean for a retry
                sent.headers["Authorization"] = "Bearer " + tok->value;
                auto value = tok->value;
                self->http.request(std::move(sent), [self, mailbox, req = std::move(req), history_call,
                                                     done = std::move(done), attempt,
                                                     value = std::move(value)](gc::result<net::http_response> r) mutable {
                  if (!r) return done(from_net_error(r.error()));
                  if (r->status == 401 && attempt == 0) {
                    gc::log::info("gmail: 401 for {}; fetching a new token and retrying once", mailbox);
                    self->auth->invalidate(mailbox, self->opts.scopes, value);
                    return self->send(mailbox, std::move(req), history_call, std::move(done), attempt + 1);
                  }
                  if (r->status < 200 || r->status >= 300) {
                    auto e = classify(r->status, r->body, history_call, r->header("retry-after"));
                    e.context = "mailbox " + mailbox;
                    return done(std::move(e));
                  }
                  done(std::move(*r));
                });
              });
}

void client::get_json(const std::string& mailbox, core::gmail_method method, const std::string& target,
                      callback<json> done) {
  net::http_request req;
  req.url = impl_->url(target);
  req.headers["Accept"] = "application/json";
  req.timeout = opts_.timeout;
  impl_->send(mailbox, std::move(req), method == core::gmail_method::history_list,
              typed<json>(impl_, &as_json, std::move(done)));
}

namespace {
template <class T>
void get_typed(const std::shared_ptr<client::impl>& self, const std::string& mailbox, const std::string& target,
               bool history_call, outcome<T> (*parser)(const json&), client::callback<T> done) {
  net::http_request req;
  req.url = self->url(target);
  req.headers["Accept"] = "application/json";
  req.timeout = self->opts.timeout;
  self->send(mailbox, std::move(req), history_call, typed<T>(self, parser, std::move(done)));
}
} // namespace

void client::get_profile(const std::string& mailbox, callback<profile> done) {
  get_typed<profile>(impl_, mailbox, profile_target(mailbox), false, &parse_profile, std::move(done));
}

void client::list_messages(const std::string& mailbox, const list_messages_params& p, callback<message_list> done) {
  get_typed<message_list>(impl_, mailbox, messages_list_target(mailbox, p), false, &parse_message_list,
                          std::move(done));
}

void client::get_message(const std::string& mailbox, const std::string& id, const get_message_params& p,
                         callback<message> done) {
  get_typed<message>(impl_, mailbox, message_target(mailbox, id, p), false, &parse_message, std::move(done));
}

void client::get_thread(const std::string& mailbox, const std::string& id, const get_message_params& p,
                        callback<thread> done) {
  get_typed<thread>(impl_, mailbox, thread_target(mailbox, id, p), false, &parse_thread, std::move(done));
}

void client::get_attachment(const std::string& mailbox, const std::string& message_id,
                            const std::string& attachment_id, callback<message_part_body> done) {
  get_typed<message_part_body>(impl_, mailbox, attachment_target(mailbox, message_id, attachment_id), false,
                               &parse_part_body, std::move(done));
}

void client::list_history(const std::string& mailbox, const list_history_params& p, callback<history_list> done) {
  get_typed<history_list>(impl_, mailbox, history_target(mailbox, p), true, &parse_history_list, std::move(done));
}

int client::cost(const std::vector<batch_call>& calls) const {
  int units = 0;
  for (const auto& c : calls) units += cost(c.method);
  return units;
}

} // namespace gc::gmail
