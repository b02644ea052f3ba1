#include "net/url.hpp"

#include <boost/asio/ip/address.hpp>
#include <cctype>

namespace gc::net {
namespace {

gc::error bad(std::string why) { return gc::error{"bad_url", "bad URL: " + std::move(why)}; }

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool reg_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

// Parses "host", "host:port", "[v6]", "[v6]:port" into u.host / u.port.
gc::status parse_authority(std::string_view a, url& u) {
  if (a.find('@') != std::string_view::npos) return bad("user-info in URLs is not supported");
  std::string_view host, port;
  if (!a.empty() && a.front() == '[') {
    auto close = a.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 literal");
    host = a.substr(1, close - 1);
    auto rest = a.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("junk after IPv6 literal");
      port = rest.substr(1);
      if (port.empty()) return bad("empty port");
    }
    boost::system::error_code ec;
    auto addr = boost::asio::ip::make_address_v6(std::string{host}, ec);
    if (ec) return bad("invalid IPv6 literal");
    u.host = addr.to_string();
  } else {
    auto colon = a.rfind(':');
    host = a.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = a.substr(colon + 1);
      if (port.empty()) return bad("empty port");
    }
    for (char c : host)
      if (!reg_name_char(c)) return bad("invalid character in host name");
    u.host = lower(host);
  }
  if (u.host.empty()) return bad("missing host");
  if (port.empty()) {
    u.port = u.tls() ? 443 : 80;
    return gc::ok_v;
  }
  if (port.size() > 5) return bad("port out of range");
  unsigned long n = 0;
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return bad("port is not a number");
    n = n * 10 + static_cast<unsigned long>(c - '0');
  }
  if (n == 0 || n > 65535) return bad("port out of range");
  u.port = static_cast<uint16_t>(n);
  return gc::ok_v;
}

} // namespace

std::string url::authority() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return default_port() ? h : h + ":" + std::to_string(port);
}

std::string url::origin() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return scheme + "://" + h + ":" + std::to_string(port);
}

gc::result<url> parse_url(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return bad("whitespace or control character");
  auto sep = text.find("://");
  if (sep == std::string_view::npos) return bad("not an absolute URL");
  url u;
  u.scheme = lower(text.substr(0, sep));
  if (u.scheme != "http" && u.scheme != "https") return bad("unsupported scheme (only http and https)");
  auto rest = text.substr(sep + 3);
  rest = rest.substr(0, rest.find('#'));
  auto end = rest.find_first_of("/?");
  auto st = parse_authority(rest.substr(0, end), u);
  if (!st) return st.error();
  if (end == std::string_view::npos) u.target = "/";
  else if (rest[end] == '?') u.target = "/" + std::string{rest.substr(end)};
  else u.target = std::string{rest.substr(end)};
  return u;
}

} // namespace gc::net
