#pragma once
// json_writer: JSON text written straight into one string, for the listing routes whose
// answers are many small objects (GET /api/email/threads: 50 threads). Building them as an
// nlohmann::json DOM and dumping it cost ~10x more than the SQL behind the page
// (docs/benchmarks.md, REST load).
//
// Output is what json_response's dump gives for the same values: compact, UTF-8 kept as is,
// '"', '\\' and control characters escaped (\b \f \n \r \t, others \u00XX), and every byte
// that is not part of valid UTF-8 replaced by U+FFFD (dump's error_handler_t::replace).
// Keys and values must alternate correctly inside objects; the writer does not check.
#include "core/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::http {

class json_writer {
public:
  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  json_writer& key(std::string_view k);
  json_writer& value(std::string_view s);
  json_writer& value(const char* s) { return value(std::string_view{s}); }
  json_writer& value(const std::string& s) { return value(std::string_view{s}); }
  json_writer& value(const std::optional<std::string>& s);  // null when empty
  json_writer& value(int64_t n);
  json_writer& value(int n) { return value(static_cast<int64_t>(n)); }
  json_writer& value(bool b);
  json_writer& null();
  json_writer& value(const json& j);  // a DOM value, dumped in place

  // The text so far (a complete document once every begin_ has its end_).
  std::string take() { return std::move(out_); }

private:
  void separate();  // the comma before a value that is not the first in its container
  void string(std::string_view s);

  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

} // namespace gc::http
