#pragma once
// The RFC 822 messages of a workspace, each stored once and shared by every mailbox holding a
// copy: either a generated mail (rendered on demand from its plan) or raw text (.eml, mbox,
// drafts.create, messages.send). Plus the .eml/mbox loaders and a Date-header parser.
#include "core/result.hpp"
#include "sim/message_render.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gc::sim {

class mail_generator;

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

private:
  struct entry {
    uint32_t gen = 0xFFFFFFFFu;
    std::shared_ptr<const std::string> raw;
    std::string message_id;
  };
  const mail_generator* gen_;
  std::vector<entry> entries_;
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
