#include "actors/attachment_job.hpp"

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "store/attachments_repo.hpp"
#include "store/read_connection.hpp"

#include <optional>
#include <stdexcept>

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

class job {
public:
  job(const job_deps& d, pending_attachment a) : d_{d}, a_{std::move(a)} {}

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
    auto r = d_.gate.run<gmail::message_part_body>(a_.account_email, method::attachments_get, 1, [&](auto cb) {
      d_.gmail.get_attachment(a_.account_email, a_.gmail_message_id, att_id, std::move(cb));
    });
    if (!r) return {std::nullopt, r.error(), describe("attachments.get", r.error())};
    auto bytes = r->decoded();
    if (!bytes) return {std::nullopt, std::nullopt, "attachments.get: the answer holds no valid base64url data"};
    return {std::move(bytes), std::nullopt, {}};
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

  // Hash, store once, mark stored.
  job_result keep(const std::string& bytes) {
    auto sha = core::sha256_hex(bytes);
    auto size = static_cast<int64_t>(bytes.size());
    std::string path;
    bool existed = false;
    auto known = store::attachments_repo{store::read_connection(d_.db_path)}.find_by_sha(sha);
    if (known && *known && d_.files.has((*known)->storage_path, size)) {
      path = (*known)->storage_path;
      existed = true;
    } else {
      auto put = d_.files.put(bytes);
      if (!put) return fail(put.error().message);
      path = put->storage_path;
      existed = put->existed;
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
  bool refreshed_ = false;
  std::string fresh_id_;
};

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

job_result run_attachment_job(const job_deps& deps, int64_t attachment_id) {
  auto row = store::attachments_repo{store::read_connection(deps.db_path)}.due(attachment_id);
  if (!row) {
    log::warn("attachments: attachment {} not read: {}", attachment_id, row.error().message);
    return {};
  }
  if (!*row) return {};  // no longer due (done by another process, or not matched any more)
  return job{deps, std::move(**row)}.run();
}

} // namespace gc::actors
