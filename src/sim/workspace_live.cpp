// Live mail: new messages, permanent deletes and label changes, driven by the caller's rng.
#include "sim/workspace.hpp"

#include "sim/workspace_impl.hpp"

namespace gc::sim {

live_stats workspace::tick_live(std::mt19937_64& rng) {
  live_stats st;
  std::vector<std::pair<std::string, uint64_t>> notes;
  std::function<void(const std::string&, uint64_t)> fn;
  {
    std::lock_guard lk(mu_);
    auto& I = *impl_;
    if (I.gen) {
      int n = 1 + int(rng() % 2);
      for (int i = 0; i < n; ++i) {
        uint32_t g = I.gen->plan_live(rng);
        I.place_generated(g, I.store.add_generated(g), true);
        I.clock_ms = std::max(I.clock_ms, I.gen->mails()[g].date_ms);
        ++st.added;
      }
    }
    auto pick_recent = [&](mailbox*& box) -> const sim_message* {
      box = I.boxes[rng() % I.boxes.size()].get();
      auto recent = box->recent(60);
      if (recent.empty()) return nullptr;
      return recent[rng() % recent.size()];
    };
    mailbox* b = nullptr;
    if (rng() % 2 == 0) {
      if (auto m = pick_recent(b); m && b->remove(m->id)) {
        I.touched(*b);
        ++st.deleted;
      }
    }
    int changes = 1 + int(rng() % 2);
    for (int i = 0; i < changes; ++i) {
      auto m = pick_recent(b);
      if (!m) continue;
      label_set add = 0, rem = 0;
      switch (rng() % 7) {
        case 0: rem = lbl::unread; break;                                // read
        case 1: add = lbl::unread; break;                                // mark unread
        case 2: (m->labels & lbl::starred ? rem : add) = lbl::starred; break;
        case 3: add = lbl::trash; rem = lbl::inbox; break;               // trash
        case 4: add = lbl::inbox; rem = lbl::trash | lbl::spam; break;   // untrash / not spam
        case 5: add = lbl::spam; rem = lbl::inbox; break;                // report spam
        default: rem = lbl::inbox; break;                                // archive
      }
      auto before = m->labels;
      b->change_labels(m->id, add, rem);
      if (b->find(m->id)->labels != before) {
        I.touched(*b);
        ++st.relabelled;
      }
    }
    notes = I.take_pending();
    fn = I.listener;
  }
  notify(fn, notes);
  return st;
}

} // namespace gc::sim
