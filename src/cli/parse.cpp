// `gmail-capture parse`: one message file -> the canonical message as pretty JSON.
#include "cli/commands.hpp"
#include "core/json.hpp"
#include "mime/parse.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace gc::cli {
namespace {

constexpr const char* parse_usage = R"(usage: gmail-capture parse [--gmail-json] [--with-data] FILE

Parses one email and prints the canonical message (what capture stores) as JSON.

  FILE          a raw RFC 822 message (.eml; Gmail format=raw after base64url decoding),
                or "-" for stdin
  --gmail-json  FILE is a Gmail users.messages.get response (format=full or format=raw)
  --with-data   include attachment bytes (base64) in the output

Exit status: 0 parsed (warnings are in "parse_warnings"), 1 unparseable (the reason is
printed on stderr), 2 bad usage or unreadable file.
)";

bool read_all(const std::string& path, std::string& out) {
  if (path == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return !std::cin.bad();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return !in.bad();
}

} // namespace

int cmd_parse(const args& a) {
  if (wants_help(a, parse_usage)) return 0;
  bool gmail_json = false, with_data = false;
  std::string file;
  for (const auto& x : a) {
    if (x == "--gmail-json") gmail_json = true;
    else if (x == "--with-data") with_data = true;
    else if (x.size() > 1 && x[0] == '-' ) {
      std::fprintf(stderr, "gmail-capture parse: unknown option '%s'\n\n%s", x.c_str(), parse_usage);
      return 2;
    } else if (file.empty()) file = x;
    else {
      std::fprintf(stderr, "gmail-capture parse: one FILE only\n\n%s", parse_usage);
      return 2;
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "gmail-capture parse: FILE missing\n\n%s", parse_usage);
    return 2;
  }
  std::string bytes;
  if (!read_all(file, bytes)) {
    std::fprintf(stderr, "gmail-capture parse: cannot read %s\n", file.c_str());
    return 2;
  }
  result<mime::message> r = error{"unparseable", "not parsed"};
  if (gmail_json) {
    auto j = json::parse(bytes, nullptr, false);
    if (j.is_discarded()) {
      std::fprintf(stderr, "gmail-capture parse: unparseable: %s is not JSON\n", file.c_str());
      return 1;
    }
    r = mime::parse_gmail_json(j);
  } else {
    r = mime::parse_rfc822(bytes);
  }
  if (!r) {
    std::fprintf(stderr, "gmail-capture parse: unparseable: %s\n", r.error().message.c_str());
    return 1;
  }
  auto out = mime::to_json(*r, with_data).dump(2, ' ', false, json::error_handler_t::replace);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fputc('\n', stdout);
  return 0;
}

} // namespace gc::cli
