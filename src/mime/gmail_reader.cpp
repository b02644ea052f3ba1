// read_gmail_message / read_gmail_thread: Gmail JSON text -> gmail_message_in without a JSON
// tree. Strict (see gmail_input.hpp): a known field of another type, a repeated name, or text
// the scanner leaves to nlohmann gives nullopt, and the caller reads the parsed value instead.
#include "core/json_scan.hpp"
#include "mime/gmail_input.hpp"


namespace gc::mime {
namespace {

class gmail_reader {
public:
  explicit gmail_reader(std::string_view text) : s_{text} {}

  bool message_document(gmail_message_in& in) {
    s_.ws();
    if (!s_.next_is('{') || !message(in, 1)) return false;
    s_.ws();
    return s_.at_end();
  }

  bool thread_document(std::vector<gmail_message_in>& out) {
    s_.ws();
    if (!s_.next_is('{')) return false;
    bool seen_messages = false;
    const bool ok = s_.object(1, [&](std::string_view key) {
      if (key != "messages") return s_.skip_value(1);
      if (seen_messages || !s_.next_is('[')) return false;
      seen_messages = true;
      return s_.array(2, [&] {
        if (!s_.next_is('{')) return false;
        out.emplace_back();
        return message(out.back(), 3);
      });
    });
    if (!ok) return false;
    s_.ws();
    return s_.at_end();
  }

private:
  json_scanner s_;

  // A name seen twice in one object: nlohmann keeps the last value; simpler to refuse.
  static bool first_time(unsigned& seen, unsigned bit) {
    if (seen & bit) return false;
    seen |= bit;
    return true;
  }

  bool text(std::string& out) { return s_.next_is('"') && s_.string(out); }

  // A string value as a view; decoded text is kept in in.owned.
  bool view(std::optional<std::string_view>& out, gmail_message_in& in) {
    if (!s_.next_is('"')) return false;
    std::string spill;
    std::string_view v;
    if (!s_.string(v, spill)) return false;
    if (!v.empty() && v.data() == spill.data()) v = *in.owned.emplace_back(std::make_unique<std::string>(std::move(spill)));
    out = v;
    return true;
  }

  // An int64 number, or a string holding one (else nullopt, as gmail_input_from_json).
  bool int64_or_string(std::optional<int64_t>& out) {
    if (s_.next_is('"')) {
      std::string t;
      if (!s_.string(t)) return false;
      out = gmail_int64(std::string_view{t});
      return true;
    }
    json_scanner::integer_value v;
    if (!s_.integer(v)) return false;
    out = v.negative ? std::optional<int64_t>{v.s} : gmail_int64(v.u);
    return true;
  }

  bool message(gmail_message_in& in, int depth) {
    unsigned seen = 0;
    return s_.object(depth, [&](std::string_view key) {
      if (key == "id") return first_time(seen, 1) && text(in.id);
      if (key == "threadId") return first_time(seen, 2) && text(in.thread_id);
      if (key == "snippet") return first_time(seen, 4) && text(in.snippet);
      if (key == "historyId") {
        if (!first_time(seen, 8)) return false;
        if (s_.next_is('"')) return text(in.history_id.emplace());
        std::optional<int64_t> v;
        if (!int64_or_string(v)) return false;
        if (v) in.history_id = std::to_string(*v);
        return true;
      }
      if (key == "internalDate") return first_time(seen, 16) && int64_or_string(in.internal_date);
      if (key == "labelIds")
        return first_time(seen, 32) && s_.array(depth + 1, [&] { return text(in.label_ids.emplace_back()); });
      if (key == "raw") return first_time(seen, 64) && view(in.raw, in);
      if (key == "payload")
        return first_time(seen, 128) && s_.next_is('{') && part(in.payload.emplace(), in, depth + 1, 0);
      if (key == "sizeEstimate") {
        json_scanner::integer_value v;
        if (!first_time(seen, 256) || !s_.integer(v)) return false;
        const auto size = v.negative ? std::optional<int64_t>{v.s} : gmail_int64(v.u);
        if (!size) return false;  // the parsed way reads it as 0: leave it to that way
        in.size_estimate = *size;
        return true;
      }
      if (key == "mimeType") return false;  // a bare MessagePart: the parsed way reads it
      return s_.skip_value(depth);
    });
  }

  bool part(gmail_part_in& p, gmail_message_in& in, int depth, int part_depth) {
    unsigned seen = 0;
    return s_.object(depth, [&](std::string_view key) {
      if (key == "partId") return first_time(seen, 1) && text(p.part_id.emplace());
      if (key == "mimeType") return first_time(seen, 2) && text(p.mime_type);
      if (key == "filename") return first_time(seen, 4) && text(p.filename);
      if (key == "headers") return first_time(seen, 8) && s_.array(depth + 1, [&] { return header(p, depth + 2); });
      if (key == "body") return first_time(seen, 16) && s_.next_is('{') && body(p, in, depth + 1);
      if (key == "parts")
        return first_time(seen, 32) && s_.array(depth + 1, [&] {
                 if (!s_.next_is('{')) return false;
                 if (part_depth >= gmail_input_part_depth) {  // read no deeper, as the parsed way
                   p.parts.emplace_back(std::nullopt);
                   return s_.skip_value(depth + 1);
                 }
                 auto& child = p.parts.emplace_back(std::in_place);
                 return part(*child, in, depth + 2, part_depth + 1);
               });
      return s_.skip_value(depth);
    });
  }

  bool header(gmail_part_in& p, int depth) {
    if (!s_.next_is('{')) return false;
    unsigned seen = 0;
    std::string name, value;
    const bool ok = s_.object(depth, [&](std::string_view key) {
      if (key == "name") return first_time(seen, 1) && text(name);
      if (key == "value") return first_time(seen, 2) && text(value);
      return s_.skip_value(depth);
    });
    if (ok && !name.empty()) p.headers.emplace_back(std::move(name), std::move(value));
    return ok;
  }

  bool body(gmail_part_in& p, gmail_message_in& in, int depth) {
    p.has_body = true;
    unsigned seen = 0;
    return s_.object(depth, [&](std::string_view key) {
      if (key == "attachmentId") return first_time(seen, 1) && text(p.attachment_id);
      if (key == "data") return first_time(seen, 2) && view(p.data, in);
      if (key == "size") return first_time(seen, 4) && int64_or_string(p.size);
      return s_.skip_value(depth);
    });
  }
};

} // namespace

std::optional<gmail_message_in> read_gmail_message(std::string_view text) {
  gmail_message_in in;
  if (!gmail_reader{text}.message_document(in)) return std::nullopt;
  return in;
}

std::optional<std::vector<gmail_message_in>> read_gmail_thread(std::string_view text) {
  std::vector<gmail_message_in> out;
  if (!gmail_reader{text}.thread_document(out)) return std::nullopt;
  return out;
}

} // namespace gc::mime
