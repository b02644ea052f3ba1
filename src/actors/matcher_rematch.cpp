// matcher_index, rematch half (see actors/matcher_index.hpp): one message per page of emails,
// one store-writer job per page that has links, then the list of bodies to fetch.
#include "actors/matcher_index_state.hpp"
#include "core/log.hpp"
#include "core/matching.hpp"
#include "store/crm_repo.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

namespace gc::actors::detail {
namespace {

constexpr int needing_body_page = 1000;

struct email_links {
  int64_t email_id = 0;
  std::vector<store::link_rec> links;
};

// A page job's int64 result: newly matched emails in the high 32 bits, links added in the
// low 32 (a page holds at most page_size emails: both stay far below 2^31).
constexpr int64_t pack(int64_t newly, int64_t added) { return (newly << 32) | added; }
constexpr int64_t newly_of(int64_t packed) { return packed >> 32; }
constexpr int64_t added_of(int64_t packed) { return packed & 0xffffffffLL; }

write_fn page_job(std::vector<email_links> page) {
  return [page = std::move(page)](store::connection& c) -> int64_t {
    store::crm_repo repo{c};
    int64_t newly = 0, added = 0;
    for (const auto& e : page) {
      auto r = repo.apply_links(e.email_id, e.links);
      if (!r) throw std::runtime_error("apply_links: " + r.error().message);
      newly += r->newly_matched ? 1 : 0;
      added += r->links_added;
    }
    return pack(newly, added);
  };
}

void next_job(matcher_pointer self) {
  self->state.rematches.pop_front();
  if (!self->state.rematches.empty()) start_rematch(self);
}

void fail_front(matcher_pointer self, const caf::error& err) {
  auto& job = self->state.rematches.front();
  log::warn("matcher_index: rematch since '{}' failed after {} emails: {}", job.since,
            job.out.scanned, error_detail(err));
  job.rp.deliver(err);
  next_job(self);
}

caf::error read_error(const gc::error& e) {
  return caf::make_error(caf::sec::runtime_error, "rematch read failed: " + e.message);
}

// Calls on_writer with the store writer: the configured one, or the supervisor's child.
template <class OnWriter, class OnError>
void with_writer(matcher_pointer self, OnWriter on_writer, OnError on_error) {
  auto& st = self->state;
  if (st.opts.writer) return on_writer(st.opts.writer);
  auto sup = caf::actor_cast<caf::actor>(st.supervisor);
  if (!sup) return on_error(make_gc_error(errc::unavailable, "no store writer configured"));
  self->request(sup, st.opts.write_timeout, caf::get_atom_v, std::string{store_writer_name})
    .then([on_writer](caf::actor& w) { on_writer(caf::actor_cast<store_writer_actor>(w)); },
          [on_error](caf::error& e) { on_error(e); });
}

// All pages written: collect the bodies to fetch and answer.
void finish(matcher_pointer self) {
  auto& st = self->state;
  auto& job = st.rematches.front();
  store::crm_repo repo{*st.conn};
  int64_t after = 0;
  for (;;) {
    auto page = repo.emails_needing_body(job.since, after, needing_body_page);
    if (!page) return fail_front(self, read_error(page.error()));
    for (auto& b : *page)
      job.out.needing_body.push_back({b.email_id, b.account_id, std::move(b.gmail_message_id)});
    if (page->size() < static_cast<size_t>(needing_body_page)) break;
    after = page->back().email_id;
  }
  const auto& o = job.out;
  log::info("matcher_index: rematch since '{}': {} emails scanned, {} matched ({} newly, {} "
            "links added), {} need a body",
            job.since, o.scanned, o.matched, o.newly_matched, o.links_added,
            o.needing_body.size());
  job.rp.deliver(job.out);
  next_job(self);
}

} // namespace

void start_rematch(matcher_pointer self) {
  check_crm(self, false);  // CRM rows entered just before the rematch must count
  if (!self->state.snapshot || !self->state.conn)
    return fail_front(self, make_gc_error(errc::unavailable, "match index unavailable: " +
                                                                 self->state.stats.last_error));
  self->send(self, page_atom_v);
}

void rematch_page(matcher_pointer self) {
  auto& st = self->state;
  if (st.rematches.empty()) return;
  auto& job = st.rematches.front();
  if (!st.conn || !st.snapshot)
    return fail_front(self, make_gc_error(errc::unavailable, "database connection lost: " +
                                                                 st.stats.last_error));
  auto page = store::crm_repo{*st.conn}.emails_since(job.since, job.after_id, st.opts.page_size);
  if (!page) return fail_front(self, read_error(page.error()));
  if (page->empty()) return finish(self);

  std::vector<email_links> writes;
  for (const auto& e : *page) {
    ++job.out.scanned;
    job.after_id = e.email_id;
    auto links = st.snapshot->match(e.participants);
    if (links.empty()) continue;
    ++job.out.matched;
    email_links el{e.email_id, {}};
    for (auto& l : links)
      el.links.push_back({l.investor_id, l.contact_id, core::to_string(l.kind),
                          std::move(l.matched_address)});
    writes.push_back(std::move(el));
  }
  if (writes.empty()) return self->send(self, page_atom_v);

  auto fail = [self](const caf::error& e) { fail_front(self, e); };
  with_writer(
      self,
      [self, fn = page_job(std::move(writes)), fail](const store_writer_actor& w) {
        self->request(w, self->state.opts.write_timeout, write_atom_v, fn)
          .then(
            [self](int64_t packed) {
              auto& out = self->state.rematches.front().out;
              out.newly_matched += newly_of(packed);
              out.links_added += added_of(packed);
              self->send(self, page_atom_v);
            },
            [fail](caf::error& e) { fail(e); });
      },
      fail);
}

void fail_rematches(matcher_pointer self, const caf::error& err) {
  for (auto& job : self->state.rematches) job.rp.deliver(err);
  self->state.rematches.clear();
}

} // namespace gc::actors::detail
