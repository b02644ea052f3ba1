#pragma once
// The RFC 822 messages of a workspace, each stored once and shared by every mailbox holding a
// copy: either a generated mail (rendered on demand from its plan) or raw text (.eml, mbox,
// drafts.create, messages.send). Plus the .eml/mbox loaders and a Date-header parser.
#include "core/result.hpp"
#include "sim/message_render.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gc::sim {

class mail_generator;

// What every messages.get of one mail needs, rendered once: the MIME tree, the size of its
// RFC 822 text (Gmail's sizeEstimate) and its snippet.
struct mail_view {
  mail_part tree;
  size_t raw_size = 0;
  std::string snippet;
};

class mail_store {
public:
  explicit mail_store(const mail_generator* gen = nullptr) : gen_(gen) {}
  void set_generator(const mail_generator* gen) { gen_ = gen; }

  uint32_t add_generated(uint32_t gen_index);
  uint32_t add_raw(std::string raw);            // keeps the text as given

  size_t size() const { return entries_.size(); }
  const std::string& message_id(uint32_t i) const;   // "<...>" or ""
  std::optional<uint32_t> generated_index(uint32_t i) const;
  mail_part tree(uint32_t i) const;
  std::string raw(uint32_t i) const;
  // The rendered view of mail i, kept after the first call so that fetching stored mail costs
  // what serving it costs Google, not a re-generation. Views are dropped oldest first once they
  // add up to more than the budget (weighed by raw_size). Callers hold the workspace lock.
  std::shared_ptr<const mail_view> view(uint32_t i) const;
  static constexpr size_t default_view_budget = size_t(512) << 20;
  void set_view_budget(size_t bytes) { view_budget_ = bytes; }

private:
  struct entry {
    uint32_t gen = 0xFFFFFFFFu;
    std::shared_ptr<const std::string> raw;
    std::string message_id;
    mutable std::shared_ptr<const mail_view> view;
  };
  const mail_generator* gen_;
  std::vector<entry> entries_;
  size_t view_budget_ = default_view_budget;
  mutable std::deque<uint32_t> view_order_;   // entries holding a view, oldest first
  mutable size_t view_bytes_ = 0;
};

// Raw messages of every regular file in `dir` (sorted by name; any extension), CRLF-normalised.
gc::result<std::vector<std::string>> load_eml_dir(const std::string& dir);
// Messages of an mbox file, CRLF-normalised.
gc::result<std::vector<std::string>> load_mbox(const std::string& file);

// RFC 5322 date ("Tue, 1 Jul 2003 10:52:37 +0200", obsolete zones too) -> epoch ms.
std::optional<int64_t> parse_rfc822_date(std::string_view s);

// "Re: Fwd: Hello" -> "hello" (for Gmail's same-subject threading rule).
std::string normalize_subject(std::string_view utf8);

} // namespace gc::sim
