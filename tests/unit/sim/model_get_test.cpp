// messages.get formats, attachments and threads.get.
#include "model_support.hpp"

#include "sim/mime_codec.hpp"
#include "sim/mime_split.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

using namespace gc;
using namespace gc::sim;
using namespace gc::sim::test;

namespace {

// The first truth entry matching `pred`.
json find_truth(const workspace& w, const std::function<bool(const json&)>& pred) {
  for (auto& t : truth_of(w))
    if (t["type"] == "message" && pred(t)) return t;
  FAIL("no such message in the demo");
  return {};
}

bool has_att(const json& t, const std::string& type) {
  for (auto& a : t["attachments"])
    if (a["mimeType"] == type) return true;
  return false;
}

// Checks a Gmail MessagePart against the parsed tree of the raw text, recursively.
void check_part(workspace& w, const std::string& user, const std::string& id, const json& jp,
                const mail_part& p, const std::string& part_id, int& attachments) {
  CHECK(jp["partId"] == part_id);
  CHECK(jp["mimeType"] == p.mime_type());
  CHECK(jp["filename"] == p.filename());
  REQUIRE(jp["headers"].size() == p.headers.size());
  for (size_t i = 0; i < p.headers.size(); ++i) {
    CHECK(jp["headers"][i]["name"] == p.headers[i].first);
    CHECK(jp["headers"][i]["value"] == rfc2047_decode(p.headers[i].second));
  }
  if (p.is_multipart() || p.is_message()) {
    REQUIRE(jp["parts"].size() == p.parts.size());
    for (size_t i = 0; i < p.parts.size(); ++i)
      check_part(w, user, id, jp["parts"][i], p.parts[i], part_id.empty() ? std::to_string(i) : part_id + "." + std::to_string(i), attachments);
    if (p.is_multipart()) CHECK(jp["body"]["size"] == 0);
    return;
  }
  auto& body = jp["body"];
  CHECK(body["size"] == p.body.size());
  if (body.contains("attachmentId")) {
    ++attachments;
    auto a1 = w.get_attachment(user, id, body["attachmentId"]);
    REQUIRE(a1.ok());
    CHECK(b64((*a1)["data"]) == p.body);
    CHECK((*a1)["size"] == p.body.size());
  } else if (!p.body.empty()) {
    auto data = body["data"].get<std::string>();
    CHECK(data.size() % 4 == 0);   // padded base64url
    CHECK(data.find_first_of("+/") == std::string::npos);
    CHECK(b64(body["data"]) == p.body);
  }
}

} // namespace

TEST_CASE("minimal, metadata, raw formats", "[sim][model]") {
  auto w = demo();
  auto t = find_truth(*w, [](auto& t) { return !t["messageId"].is_null() && !t["attachments"].empty(); });
  std::string user = t["mailbox"], id = t["id"];
  auto m = minimal(*w, user, id);
  CHECK_FALSE(m.contains("payload"));
  CHECK_FALSE(m.contains("raw"));
  CHECK(m["id"] == id);
  CHECK(m["threadId"] == t["threadId"]);
  CHECK(m["internalDate"] == std::to_string(t["internalDate"].get<int64_t>()));
  CHECK(m["historyId"].is_string());
  CHECK_FALSE(m["snippet"].get<std::string>().empty());
  CHECK(m["labelIds"] == t["labels"]);

  get_params g;
  g.format = msg_format::metadata;
  g.metadata_headers = {"subject", "MESSAGE-ID"};
  auto md = *w->get_message(user, id, g);
  REQUIRE(md["payload"]["headers"].size() == 2);
  std::set<std::string> names;
  for (auto& h : md["payload"]["headers"]) names.insert(lower(h["name"].get<std::string>()));
  CHECK(names == std::set<std::string>{"subject", "message-id"});
  CHECK_FALSE(md["payload"].contains("parts"));
  g.metadata_headers.clear();
  CHECK((*w->get_message(user, id, g))["payload"]["headers"].size() > 5);

  auto raw = raw_of(*w, user, id);
  CHECK(m["sizeEstimate"] == raw.size());
  auto top = parse_message(raw);
  CHECK(top.header_or("Message-ID", top.header_or("Message-Id")) == t["messageId"]);
  CHECK(w->get_message(user, "0123456789abcdef", g).error().code == "not_found");
  CHECK(w->get_message(user, "zz", g).error().code == "not_found");
}

TEST_CASE("full format mirrors the MIME tree, attachment ids change but resolve", "[sim][model]") {
  auto w = demo();
  int total_attachments = 0;
  for (auto type : {"application/pdf", "image/png", "image/jpeg", "message/rfc822"}) {
    auto t = find_truth(*w, [&](auto& t) { return has_att(t, type); });
    std::string user = t["mailbox"], id = t["id"];
    auto full = *w->get_message(user, id, get_params{});
    auto tree = parse_message(raw_of(*w, user, id));
    check_part(*w, user, id, full["payload"], tree, "", total_attachments);
    auto again = *w->get_message(user, id, get_params{});
    auto a = full.dump(), b = again.dump();
    CHECK(a != b);   // fresh attachmentIds per fetch
    CHECK(full["snippet"] == again["snippet"]);
  }
  CHECK(total_attachments >= 4);
}

TEST_CASE("attachments 404 when deleted, foreign or garbage", "[sim][model]") {
  auto w = demo();
  auto t = find_truth(*w, [](auto& t) { return has_att(t, "application/pdf"); });
  std::string user = t["mailbox"], id = t["id"];
  auto full = *w->get_message(user, id, get_params{});
  std::string att;
  std::function<void(const json&)> walk = [&](const json& p) {
    if (p["body"].contains("attachmentId")) att = p["body"]["attachmentId"];
    if (p.contains("parts"))
      for (auto& c : p["parts"]) walk(c);
  };
  walk(full["payload"]);
  REQUIRE_FALSE(att.empty());
  CHECK(w->get_attachment(user, id, att).ok());
  CHECK(w->get_attachment(user, id, "ANGjdJgarbage").error().code == "not_found");
  auto other = list_all(*w, user, list_params{});
  auto other_id = other[0]["id"] == id ? other[1]["id"] : other[0]["id"];
  CHECK(w->get_attachment(user, other_id, att).error().code == "not_found");
  REQUIRE(w->delete_message(user, id).ok());
  CHECK(w->get_attachment(user, id, att).error().code == "not_found");
}

TEST_CASE("large text parts can be served by attachmentId", "[sim][model]") {
  auto w = demo();
  w->set_large_body_threshold(10);
  auto t = find_truth(*w, [](auto&) { return true; });
  auto full = *w->get_message(t["mailbox"], t["id"], get_params{});
  CHECK(full.dump().find("\"data\"") == std::string::npos);
  CHECK(full.dump().find("attachmentId") != std::string::npos);
}

TEST_CASE("threads.get returns the mailbox's thread, oldest first", "[sim][model]") {
  auto w = demo();
  std::map<std::pair<std::string, std::string>, int> sizes;
  for (auto& t : truth_of(*w))
    if (t["type"] == "message") ++sizes[{t["mailbox"], t["threadId"]}];
  auto it = std::find_if(sizes.begin(), sizes.end(), [](auto& kv) { return kv.second >= 3; });
  REQUIRE(it != sizes.end());
  auto [user, tid] = it->first;
  get_params g;
  g.format = msg_format::metadata;
  auto th = w->get_thread(user, tid, g);
  REQUIRE(th.ok());
  CHECK((*th)["id"] == tid);
  REQUIRE((*th)["messages"].size() == size_t(it->second));
  int64_t prev = 0;
  uint64_t max_h = 0;
  for (auto& m : (*th)["messages"]) {
    CHECK(m["threadId"] == tid);
    CHECK(m.contains("payload"));
    auto d = std::stoll(m["internalDate"].get<std::string>());
    CHECK(d >= prev);
    prev = d;
    max_h = std::max<uint64_t>(max_h, std::stoull(m["historyId"].get<std::string>()));
  }
  CHECK((*th)["historyId"] == std::to_string(max_h));
  g.format = msg_format::raw;
  CHECK(w->get_thread(user, tid, g).error().code == "invalid_argument");
  g.format = msg_format::minimal;
  CHECK(w->get_thread(user, "0000000000000001", g).error().code == "not_found");
}
