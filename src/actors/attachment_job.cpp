#include "actors/attachment_job.hpp"

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "store/attachments_repo.hpp"
#include "store/read_connection.hpp"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <vector>

namespace gc::actors {
namespace {

using gmail::error_kind;
using method = core::gmail_method;
using store::pending_attachment;

const gmail::message_part* find_part(const gmail::message_part& p, const std::string& part_id) {
  if (p.part_id == part_id) return &p;
  for (const auto& c : p.parts)
    if (auto* f = find_part(c, part_id)) return f;
  return nullptr;
}

// A failure as words for the row's error column (gmail::describe never holds secrets).
std::string describe(const char* call, const gmail::api_error& e) {
  return std::string{call} + ": " + gmail::describe(e);
}

// Credentials refused or no permit/quota: not the attachment's fault.
bool not_the_attachments_fault(const gmail::api_error& e) {
  return e.kind == error_kind::auth || e.rate_limited || e.daily_limit || e.reason == "limiter";
}

// Gmail answers an unknown or outdated attachmentId with 404, or 400 "invalid".
bool stale_id(const gmail::api_error& e) {
  return e.kind == error_kind::not_found || (e.kind == error_kind::permanent && e.status == 400);
}

struct download {
  std::optional<std::string> bytes;
  std::optional<gmail::api_error> api;   // the Gmail failure, if that was the cause
  std::string error;                     // words, when bytes is empty
};

// attachments.get's answer as a download.
download from_answer(gmail::outcome<gmail::message_part_body> r) {
  if (!r) return {std::nullopt, r.error(), describe("attachments.get", r.error())};
  auto bytes = r->decoded();
  if (!bytes) return {std::nullopt, std::nullopt, "attachments.get: the answer holds no valid base64url data"};
  return {std::move(bytes), std::nullopt, {}};
}

// A row marked stored by the batch's one store-writer job.
struct stored_mark {
  int64_t id = 0;
  std::string sha256, path;
  int64_t size = 0;
};

class job {
public:
  // `first`: the answer to attachments.get of the row's known id, when a batch already asked.
  // `marks`: where a stored file's row goes to be recorded later (null: recorded at once).
  job(const job_deps& d, pending_attachment a, std::optional<download> first = std::nullopt,
      std::vector<stored_mark>* marks = nullptr)
      : d_{d}, a_{std::move(a)}, first_{std::move(first)}, marks_{marks} {}

  job_result run() {
    if (!a_.account_id) return fail("no mailbox holds a live copy of the message any more");
    if (a_.size > d_.max_bytes) return too_large(std::nullopt);
    auto got = fetch();
    if (!got.bytes) {
      if (d_.gate.stopping()) return {job_outcome::skipped, refreshed_, {}};
      if (got.api && not_the_attachments_fault(*got.api)) return defer(got.error);
      return fail(got.error);
    }
    auto size = static_cast<int64_t>(got.bytes->size());
    if (size > d_.max_bytes) return too_large(size);
    return keep(*got.bytes);
  }

private:
  // The bytes: by the known attachment id, else (or when it is stale) by a fresh one.
  download fetch() {
    std::string att_id = a_.gmail_attachment_id;
    if (att_id.empty()) {
      auto fresh = refresh();
      if (!fresh.error.empty() || fresh.bytes) return fresh;
      att_id = fresh_id_;
    }
    auto r = get_attachment(att_id);
    if (r.bytes || refreshed_ || !r.api || !stale_id(*r.api)) return r;
    log::info("attachments: attachments.get refused the id of attachment {} ({}), re-reading message {}", a_.id,
              r.api->status, a_.gmail_message_id);
    auto fresh = refresh();
    if (!fresh.error.empty() || fresh.bytes) return fresh;
    return get_attachment(fresh_id_);
  }

  download get_attachment(const std::string& att_id) {
    if (first_ && att_id == a_.gmail_attachment_id) {
      auto d = std::move(*first_);
      first_.reset();
      return d;
    }
    return from_answer(d_.gate.run<gmail::message_part_body>(
        a_.account_email, method::attachments_get, 1,
        [&](auto cb) { d_.gmail.get_attachment(a_.account_email, a_.gmail_message_id, att_id, std::move(cb)); }));
  }

  // Re-reads the message (format=full) for the part's current attachmentId (kept in
  // fresh_id_ and recorded on the row), or its inline bytes.
  download refresh() {
    refreshed_ = true;
    gmail::get_message_params p{gmail::message_format::full, {}};
    auto m = d_.gate.run<gmail::message>(a_.account_email, method::messages_get, 1, [&](auto cb) {
      d_.gmail.get_message(a_.account_email, a_.gmail_message_id, p, std::move(cb));
    });
    if (!m) {
      if (m.error().kind == error_kind::not_found)
        return {std::nullopt, m.error(), "messages.get: the message is no longer in mailbox " + a_.account_email};
      return {std::nullopt, m.error(), describe("messages.get", m.error())};
    }
    const gmail::message_part* part = m->payload ? find_part(*m->payload, a_.part_id) : nullptr;
    if (!part) return {std::nullopt, std::nullopt, "the message has no part " + a_.part_id + " any more"};
    if (part->body.attachment_id && !part->body.attachment_id->empty()) {
      fresh_id_ = *part->body.attachment_id;
      record_fresh_id();
      return {};
    }
    if (auto inline_bytes = part->body.decoded()) return {std::move(inline_bytes), std::nullopt, {}};
    return {std::nullopt, std::nullopt, "part " + a_.part_id + " has neither an attachment id nor data"};
  }

  void record_fresh_id() {
    auto a = a_;
    auto id = fresh_id_;
    auto w = d_.write([a, id](store::connection& c) -> int64_t {
      store::attachments_repo repo{c};
      auto s = a.source_switched ? repo.update_source(a.id, *a.account_id, a.gmail_message_id, id)
                                 : repo.update_attachment_id(a.id, id);
      if (!s) throw std::runtime_error(s.error().message);
      return 0;
    });
    if (!w) log::warn("attachments: new id of attachment {} not recorded: {}", a_.id, w.error().message);
  }

  // Hash, store once, mark stored. The file's place is its hash; a file with that hash
  // recorded elsewhere (an older layout) is reused too.
  job_result keep(const std::string& bytes) {
    auto sha = core::sha256_hex(bytes);
    auto size = static_cast<int64_t>(bytes.size());
    std::string path = attachment_store::relative_path(sha);
    bool existed = d_.files.has(path, size);
    if (!existed) {
      auto known = store::attachments_repo{store::read_connection(d_.db_path)}.find_by_sha(sha);
      if (known && *known && d_.files.has((*known)->storage_path, size)) {
        path = (*known)->storage_path;
        existed = true;
      } else {
        auto put = d_.files.put(bytes, sha);
        if (!put) return fail(put.error().message);
        path = put->storage_path;
        existed = put->existed;
      }
    }
    if (marks_) {
      marks_->push_back({a_.id, sha, path, size});
      return {existed ? job_outcome::deduped : job_outcome::stored, refreshed_, {}};
    }
    auto w = record([id = a_.id, sha, path, size](store::attachments_repo& r) { return r.mark_stored(id, sha, path, size); });
    if (!w) return {job_outcome::skipped, refreshed_, {}};
    return {existed ? job_outcome::deduped : job_outcome::stored, refreshed_, {}};
  }

  job_result too_large(std::optional<int64_t> size) {
    log::info("attachments: attachment {} ({} bytes) is over the {} byte limit", a_.id, size ? *size : a_.size,
              d_.max_bytes);
    if (!record([id = a_.id, size](store::attachments_repo& r) { return r.mark_too_large(id, size); }))
      return {job_outcome::skipped, refreshed_, {}};
    return {job_outcome::too_large, refreshed_, {}};
  }

  job_result fail(const std::string& why) {
    log::warn("attachments: attachment {} failed (attempt {}): {}", a_.id, a_.attempts + 1, why);
    if (!record([id = a_.id, why](store::attachments_repo& r) { return r.mark_failed(id, why); }))
      return {job_outcome::skipped, refreshed_, why};
    return {job_outcome::failed, refreshed_, why};
  }

  job_result defer(const std::string& why) {
    log::warn("attachments: attachment {} deferred: {}", a_.id, why);
    if (!record([id = a_.id, why](store::attachments_repo& r) { return r.mark_deferred(id, why); }))
      return {job_outcome::skipped, refreshed_, why};
    return {job_outcome::deferred, refreshed_, why};
  }

  // Runs one repo mutation through the store writer; false (logged) when it did not commit.
  template <class F>
  bool record(F f) {
    auto w = d_.write([f](store::connection& c) -> int64_t {
      store::attachments_repo repo{c};
      auto s = f(repo);
      if (!s) throw std::runtime_error(s.error().message);
      return 0;
    });
    if (!w) log::warn("attachments: outcome of attachment {} not recorded: {}", a_.id, w.error().message);
    return w.ok();
  }

  const job_deps& d_;
  pending_attachment a_;
  std::optional<download> first_;
  std::vector<stored_mark>* marks_;
  bool refreshed_ = false;
  std::string fresh_id_;
};

// Small stubs with a known id are asked for together: one batch request per mailbox of up to
// calls_per_batch attachments.get (the rate limiter's in-flight cap) and at most
// batch_reply_bytes of files.
constexpr size_t calls_per_batch = 10;
constexpr int64_t batch_part_bytes = int64_t{1} << 20;
constexpr int64_t batch_reply_bytes = int64_t{4} << 20;

bool batchable(const pending_attachment& a, int64_t max_bytes) {
  return a.account_id && !a.gmail_attachment_id.empty() && a.size > 0 && a.size <= batch_part_bytes &&
         a.size <= max_bytes;
}

// The answers of one batch of the rows at `idx` (all of one mailbox), into first[idx[k]]. An
// answer that a single call would have retried (a server error, a rate limit, no answer at
// all) is left out: that row asks again on its own, through the gate's retries.
void ask_batch(const job_deps& d, const std::vector<pending_attachment>& rows, const std::vector<size_t>& idx,
               std::vector<std::optional<download>>& first) {
  const auto& mailbox = rows[idx.front()].account_email;
  std::vector<gmail::batch_call> calls;
  for (auto i : idx)
    calls.push_back({method::attachments_get,
                     gmail::client::attachment_target(mailbox, rows[i].gmail_message_id, rows[i].gmail_attachment_id)});
  auto r = d.gate.run<std::vector<gmail::batch_reply>>(mailbox, method::attachments_get, static_cast<int>(calls.size()),
                                                       [&](auto cb) { d.gmail.batch(mailbox, calls, std::move(cb)); });
  if (!r || r->size() != idx.size()) return;
  for (size_t k = 0; k < idx.size(); ++k) {
    const auto& reply = (*r)[k];
    if (reply.error) {
      if (reply.error->rate_limited) d.gate.report_throttle(mailbox, *reply.error);
      if (reply.error->kind == error_kind::retryable || not_the_attachments_fault(*reply.error)) continue;
      first[idx[k]] = from_answer(*reply.error);
    } else {
      first[idx[k]] = from_answer(gmail::parse_body<gmail::message_part_body>(reply.body, &gmail::parse_part_body));
    }
  }
}

// Records the batch's stored rows in one store-writer job. A row that is gone meanwhile is
// left out; any other failure records none (they stay due). Returns which were recorded.
std::vector<bool> record_marks(const job_deps& d, const std::vector<stored_mark>& marks) {
  auto recorded = std::make_shared<std::vector<bool>>();
  auto w = d.write([marks, recorded](store::connection& c) -> int64_t {
    store::attachments_repo repo{c};
    recorded->assign(marks.size(), false);  // the writer may run a job twice (all-or-nothing groups)
    for (size_t i = 0; i < marks.size(); ++i) {
      const auto& m = marks[i];
      auto s = repo.mark_stored(m.id, m.sha256, m.path, m.size);
      if (!s && s.error().code != "not_found") throw std::runtime_error(s.error().message);
      (*recorded)[i] = s.ok();
    }
    return 0;
  });
  if (!w) {
    log::warn("attachments: {} stored files not recorded: {}", marks.size(), w.error().message);
    return std::vector<bool>(marks.size(), false);
  }
  return *recorded;
}

} // namespace

const char* to_string(job_outcome o) {
  switch (o) {
    case job_outcome::stored: return "stored";
    case job_outcome::deduped: return "deduped";
    case job_outcome::too_large: return "too_large";
    case job_outcome::failed: return "failed";
    case job_outcome::deferred: return "deferred";
    case job_outcome::skipped: return "skipped";
  }
  return "?";
}

std::vector<std::pair<int64_t, job_result>> run_attachment_jobs(const job_deps& deps, const std::vector<int64_t>& ids) {
  std::vector<std::pair<int64_t, job_result>> out;
  auto rows = store::attachments_repo{store::read_connection(deps.db_path)}.due(ids);
  if (!rows) {
    log::warn("attachments: attachments {}..{} not read: {}", ids.front(), ids.back(), rows.error().message);
    for (auto id : ids) out.push_back({id, {}});
    return out;
  }
  std::set<int64_t> due;
  for (const auto& r : *rows) due.insert(r.id);
  for (auto id : ids)  // no longer due (done by another process, or not matched any more)
    if (!due.count(id)) out.push_back({id, {}});

  std::vector<std::optional<download>> first(rows->size());
  std::map<std::string, std::vector<size_t>> by_mailbox;
  for (size_t i = 0; i < rows->size(); ++i)
    if (batchable((*rows)[i], deps.max_bytes)) by_mailbox[(*rows)[i].account_email].push_back(i);
  for (const auto& [mailbox, all] : by_mailbox) {
    std::vector<size_t> idx;
    int64_t bytes = 0;
    auto ask = [&] {
      if (!idx.empty() && !deps.gate.stopping()) ask_batch(deps, *rows, idx, first);
      idx.clear();
      bytes = 0;
    };
    for (auto i : all) {
      if (idx.size() == calls_per_batch || bytes + (*rows)[i].size > batch_reply_bytes) ask();
      idx.push_back(i);
      bytes += (*rows)[i].size;
    }
    ask();
  }

  std::vector<stored_mark> marks;
  std::vector<size_t> marked;  // out index of each mark's row
  for (size_t i = 0; i < rows->size(); ++i) {
    auto before = marks.size();
    out.push_back({(*rows)[i].id, job{deps, std::move((*rows)[i]), std::move(first[i]), &marks}.run()});
    if (marks.size() > before) marked.push_back(out.size() - 1);
  }
  if (!marks.empty()) {
    auto recorded = record_marks(deps, marks);
    for (size_t k = 0; k < marks.size(); ++k)
      if (!recorded[k]) out[marked[k]].second.outcome = job_outcome::skipped;
  }
  return out;
}

} // namespace gc::actors
