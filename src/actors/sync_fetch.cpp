// fetch_messages: batched messages.get (or threads.get when cheaper), per-part retries,
// parse, convert. Permanent failures become skipped records with their reason.
#include "actors/message_convert.hpp"
#include "actors/sync_cycle.hpp"
#include "core/json_parse.hpp"
#include "core/log.hpp"
#include "mime/gmail_input.hpp"
#include "mime/parse.hpp"

#include <future>
#include <map>
#include <set>

namespace gc::actors {
namespace {

using gmail::error_kind;
using method = core::gmail_method;

struct fetch_state {
  const sync_deps& deps;
  int64_t account_id;
  const std::string& mailbox;
  const core::match_index& index;
  fetched& out;
  std::set<std::string> done;  // ids handled (stored, skipped or deliberately ignored)

  void skip(const std::string& id, const char* reason, std::string detail) {
    out.skipped.push_back({account_id, id, reason, std::move(detail)});
    done.insert(id);
  }

  // One parse per message: the address headers decide first whether it is matched, and only
  // matched mail has its bodies decoded (unmatched mail is stored metadata-only).
  void handle(const mime::gmail_message_in& in) {
    const auto& id = in.id;
    bool bodies = true;  // format=raw is parsed whole
    auto parsed = mime::parse_gmail_input(
        in, {.bodies_if = [&](const mime::participants& who) { return bodies = is_matched(who, index); }});
    if (!parsed) return skip(id, "unparseable", parsed.error().message);
    if (not_captured(parsed->label_ids)) return (void)done.insert(id);  // drafts and chats
    auto c = convert_message(*parsed, account_id, index);
    if (!bodies && !c.email.links.empty()) {  // matched on more than the participants said
      parsed = mime::parse_gmail_input(in);
      if (!parsed) return skip(id, "unparseable", parsed.error().message);
      c = convert_message(*parsed, account_id, index);
    }
    done.insert(id);
    c.email.size_estimate = in.size_estimate;
    out.messages.emplace_back(std::move(c.email), std::move(c.sighting));
  }

  // One error for one id: skip it, or return true to try it again.
  bool failed(const std::string& id, const gmail::api_error& e) {
    switch (e.kind) {
      case error_kind::not_found: skip(id, "not_found", "Gmail answered 404: the message is gone"); return false;
      case error_kind::permanent: skip(id, "permanent", gmail::describe(e)); return false;
      case error_kind::retryable:
        if (e.rate_limited) deps.gate.report_throttle(mailbox, e);
        [[fallthrough]];
      default:
        out.error = gmail::describe(e);
        return true;
    }
  }

  using batch_outcome = gmail::outcome<std::vector<gmail::batch_reply>>;

  // One paced batch of `m` calls (blocking; callable from any thread).
  batch_outcome call_batch(method m, const std::vector<std::string>& targets) const {
    std::vector<gmail::batch_call> calls;
    for (const auto& t : targets) calls.push_back({m, t});
    return deps.gate.run<std::vector<gmail::batch_reply>>(
        mailbox, m, static_cast<int>(calls.size()),
        [&](auto cb) { deps.gmail.batch(mailbox, calls, std::move(cb)); });
  }

  // Calls `m` on every target in batches of batch_size. The next batch is requested while this
  // one is handled (its permit is taken only after this one's was released, so the in-flight
  // cap holds): parsing never waits for Google and Google never waits for parsing.
  // on_part(i, reply, error): exactly one of reply and error is set for target i.
  template <class OnPart>
  void batched(method m, const std::vector<std::string>& targets, OnPart on_part) {
    const size_t n = static_cast<size_t>(std::max(1, deps.opts.batch_size));
    std::vector<std::vector<std::string>> chunks;
    for (size_t i = 0; i < targets.size(); i += n)
      chunks.emplace_back(targets.begin() + i, targets.begin() + std::min(targets.size(), i + n));
    auto launch = [this, m](const std::vector<std::string>& chunk) {
      return std::async(std::launch::async, [this, m, &chunk] { return call_batch(m, chunk); });
    };
    std::future<batch_outcome> next;
    if (!chunks.empty() && !deps.gate.stopping()) next = launch(chunks[0]);
    for (size_t c = 0; c < chunks.size() && next.valid(); ++c) {
      auto r = next.get();
      if (c + 1 < chunks.size() && !deps.gate.stopping()) next = launch(chunks[c + 1]);
      for (size_t k = 0; k < chunks[c].size(); ++k) {
        const size_t i = c * n + k;
        if (!r) on_part(i, nullptr, &r.error());
        else if ((*r)[k].error) on_part(i, nullptr, &*(*r)[k].error);
        else on_part(i, &(*r)[k], nullptr);
      }
    }
  }

  // threads.get for whole threads (full format), batched. A thread that fails is not an error
  // here: its ids go the messages.get way afterwards.
  void fetch_threads(const std::vector<std::string>& thread_ids) {
    gmail::get_message_params p{gmail::message_format::full, {}};
    std::vector<std::string> targets;
    for (const auto& t : thread_ids) targets.push_back(gmail::client::thread_target(mailbox, t, p));
    batched(method::threads_get, targets, [&](size_t, const gmail::batch_reply* reply, const gmail::api_error* e) {
      if (e) {
        if (e->rate_limited) deps.gate.report_throttle(mailbox, *e);
        return;
      }
      // Read straight from the text; text the direct reader refuses is parsed first.
      if (auto msgs = mime::read_gmail_thread(reply->body)) {
        for (const auto& m : *msgs) handle(m);
        return;
      }
      auto j = parse_json(reply->body);
      if (!j.is_object()) return;
      if (auto it = j.find("messages"); it != j.end() && it->is_array())
        for (const auto& m : *it)
          if (m.is_object()) handle(mime::gmail_input_from_json(m));  // others: messages.get later
    });
  }

  // Batches of messages.get; returns the ids to try again.
  std::vector<std::string> fetch_batches(const std::vector<std::string>& ids) {
    std::vector<std::string> again;
    gmail::get_message_params p{gmail::message_format::full, {}};
    std::vector<std::string> targets;
    for (const auto& id : ids) targets.push_back(gmail::client::message_target(mailbox, id, p));
    batched(method::messages_get, targets, [&](size_t i, const gmail::batch_reply* reply, const gmail::api_error* e) {
      if (e) {
        if (failed(ids[i], *e)) again.push_back(ids[i]);
        return;
      }
      if (auto in = mime::read_gmail_message(reply->body)) return handle(*in);
      auto j = parse_json(reply->body);
      if (j.is_discarded() || !j.is_object()) skip(ids[i], "permanent", "Gmail answered with unreadable JSON");
      else handle(mime::gmail_input_from_json(j));
    });
    return again;
  }
};

} // namespace

fetched fetch_messages(const sync_deps& deps, int64_t account_id, const std::string& mailbox,
                       const std::vector<id_ref>& ids) {
  fetched out;
  auto index = deps.snapshot();
  static const core::match_index nothing;
  fetch_state st{deps, account_id, mailbox, index ? *index : nothing, out, {}};

  // threads.get instead of several messages.get when the cost table makes it cheaper.
  const int get_cost = deps.gmail.cost(method::messages_get);
  const int thread_cost = deps.gmail.cost(method::threads_get);
  std::map<std::string, std::vector<std::string>> by_thread;
  for (const auto& r : ids) by_thread[r.thread_id].push_back(r.id);
  std::vector<std::string> whole_threads;
  for (const auto& [thread, members] : by_thread)
    if (!thread.empty() && thread_cost < static_cast<int>(members.size()) * get_cost) whole_threads.push_back(thread);
  st.fetch_threads(whole_threads);

  std::vector<std::string> pending;
  for (const auto& r : ids)
    if (!st.done.count(r.id)) pending.push_back(r.id);
  for (int round = 0; !pending.empty() && !deps.gate.stopping(); ++round) {
    auto again = st.fetch_batches(pending);
    if (again.empty() || round >= deps.opts.part_retry_rounds) {
      pending = std::move(again);
      break;
    }
    gmail::api_error e{error_kind::retryable, 0, "batch_part", out.error.value_or("")};
    deps.gate.pause_before_retry(e, round);
    pending = std::move(again);
  }
  // Every id not handled counts as failed (still failing, or not tried because the service is
  // stopping): the caller then holds the page cursor, so nothing is skipped silently.
  for (const auto& r : ids)
    if (!st.done.count(r.id)) out.failed_ids.push_back(r.id);
  if (!out.failed_ids.empty() && !out.error && deps.gate.stopping()) out.error = "stopped before every message was fetched";
  return out;
}

label_refresh refresh_labels(const sync_deps& deps, const std::string& mailbox, const std::vector<std::string>& ids) {
  label_refresh out;
  gmail::get_message_params p{gmail::message_format::minimal, {}};
  std::vector<std::string> pending = ids;
  const size_t n = static_cast<size_t>(std::max(1, deps.opts.batch_size));
  for (int round = 0; !pending.empty() && !deps.gate.stopping(); ++round) {
    std::vector<std::string> again;
    for (size_t i = 0; i < pending.size(); i += n) {
      std::vector<std::string> chunk(pending.begin() + i, pending.begin() + std::min(pending.size(), i + n));
      std::vector<gmail::batch_call> calls;
      for (const auto& id : chunk) calls.push_back({method::messages_get, gmail::client::message_target(mailbox, id, p)});
      auto r = deps.gate.run<std::vector<gmail::batch_reply>>(
          mailbox, method::messages_get, static_cast<int>(calls.size()),
          [&](auto cb) { deps.gmail.batch(mailbox, calls, std::move(cb)); });
      for (size_t k = 0; k < chunk.size(); ++k) {
        const gmail::api_error* e = !r ? &r.error() : (*r)[k].error ? &*(*r)[k].error : nullptr;
        if (e && e->kind == error_kind::not_found) { out.gone.push_back(chunk[k]); continue; }
        if (e) {
          if (e->rate_limited) deps.gate.report_throttle(mailbox, *e);
          out.error = gmail::describe(*e);
          again.push_back(chunk[k]);
          continue;
        }
        auto j = parse_json((*r)[k].body);
        std::vector<std::string> labels;
        if (j.is_object() && j.contains("labelIds") && j["labelIds"].is_array())
          for (const auto& l : j["labelIds"]) if (l.is_string()) labels.push_back(l.get<std::string>());
        out.labels.emplace_back(chunk[k], std::move(labels));
      }
    }
    if (again.empty() || round >= deps.opts.part_retry_rounds) {
      pending = std::move(again);
      break;
    }
    deps.gate.pause_before_retry(gmail::api_error{error_kind::retryable, 0, "batch_part", out.error.value_or("")}, round);
    pending = std::move(again);
  }
  out.failed_ids = std::move(pending);
  return out;
}

} // namespace gc::actors
