// Pure helpers for serving mail content: cid: rewriting, CSP, Content-Disposition, types.
#include "http/content_safety.hpp"

#include <catch2/catch.hpp>

using namespace gc;

TEST_CASE("cid references become attachment URLs, text that only looks like one is kept", "[http][content]") {
  std::vector<store::attachment_ref> parts(2);
  parts[0].id = 7, parts[0].content_id = "Logo@Acme";
  parts[1].id = 9, parts[1].content_id = "bg@x";
  CHECK(http::rewrite_cid_refs("<img src=\"cid:Logo@Acme\">", parts) == "<img src=\"/api/email/attachments/7\">");
  CHECK(http::rewrite_cid_refs("<img src='CID:logo@acme'>", parts) == "<img src='/api/email/attachments/7'>");
  CHECK(http::rewrite_cid_refs("<img src=cid:bg%40x>", parts) == "<img src=/api/email/attachments/9>");
  CHECK(http::rewrite_cid_refs("a{background:url(cid:<bg@x>)}", parts) == "a{background:url(/api/email/attachments/9)}");
  CHECK(http::rewrite_cid_refs("acid:bg@x and cid:nope", parts) == "acid:bg@x and cid:nope");
  CHECK(http::rewrite_cid_refs("", parts).empty());
  CHECK(http::rewrite_cid_refs("tail cid:", parts) == "tail cid:");
}

TEST_CASE("the HTML CSP allows only the attachment route of a plain host", "[http][content]") {
  CHECK(http::html_csp("crm.local:8080") ==
        "sandbox; default-src 'none'; img-src cid: http://crm.local:8080/api/email/attachments/ "
        "https://crm.local:8080/api/email/attachments/; style-src 'unsafe-inline'; base-uri 'none'; "
        "form-action 'none'");
  for (const char* evil : {"", "x; script-src *", "a b", "evil.com/x", "h\"q"})
    CHECK(http::html_csp(evil).find("img-src cid:; ") != std::string::npos);
}

TEST_CASE("Content-Disposition never carries CR, LF, quotes or path separators", "[http][content]") {
  CHECK(http::content_disposition("report.pdf") == "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
  CHECK(http::content_disposition("") == "attachment; filename=\"attachment\"; filename*=UTF-8''attachment");
  CHECK(http::content_disposition("../../etc/passwd") ==
        "attachment; filename=\"etc_passwd\"; filename*=UTF-8''etc_passwd");
  CHECK(http::content_disposition("\xe6\x97\xa5\xe6\x9c\xac.txt") ==
        "attachment; filename=\"__.txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt");
  CHECK(http::content_disposition("bad\xff\xfe.bin") == "attachment; filename=\"bad__.bin\"; filename*=UTF-8''bad__.bin");
  auto long_name = http::content_disposition(std::string(300, 'a') + "\xc3\xa9");
  CHECK(long_name.find(std::string(200, 'a') + "\"") != std::string::npos);
  for (const std::string& name : std::vector<std::string>{"a\r\nb", "a\"b", "a\\b", "a/b", "a;b", "a%0d%0ab", std::string("a\0b", 3)}) {
    auto cd = http::content_disposition(name);
    auto value = cd.substr(cd.find('"') + 1);
    value = value.substr(0, value.find('"'));
    CHECK(value.find_first_of("\r\n\"\\/;%") == std::string::npos);
    CHECK(cd.find_first_of("\r\n") == std::string::npos);
  }
}

TEST_CASE("active content types are served as application/octet-stream", "[http][content]") {
  CHECK(http::safe_content_type("application/pdf") == "application/pdf");
  CHECK(http::safe_content_type("Image/PNG; name=\"x.png\"") == "image/png");
  for (const char* t : {"text/html", "TEXT/HTML; charset=utf-8", "image/svg+xml", "application/xhtml+xml",
                        "text/xml", "application/javascript", "application/vnd.foo+xml", "", "garbage",
                        "text/plain\r\nX: y", "a/b/c"})
    CHECK(http::safe_content_type(t) == "application/octet-stream");
}
