#pragma once
// Helpers shared by the model_*_test.cpp files (simulator data model).
#include "core/encoding.hpp"
#include "sim/truth.hpp"
#include "sim/workspace.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace gc::sim::test {

inline std::unique_ptr<workspace> demo(uint64_t seed = 42, int messages = 400, int boxes = 5) {
  workspace_spec s;
  s.seed = seed;
  s.messages = messages;
  s.mailboxes = boxes;
  return workspace::generate(s);
}

// Every id of a mailbox through messages.list paging.
inline std::vector<json> list_all(const workspace& w, const std::string& user, list_params p,
                                  int* pages = nullptr) {
  std::vector<json> out;
  int n = 0;
  for (;;) {
    auto r = w.list_messages(user, p);
    REQUIRE(r.ok());
    ++n;
    if (r->contains("messages"))
      for (auto& m : (*r)["messages"]) out.push_back(m);
    if (!r->contains("nextPageToken")) break;
    p.page_token = (*r)["nextPageToken"].get<std::string>();
  }
  if (pages) *pages = n;
  return out;
}

inline std::string raw_of(const workspace& w, const std::string& user, const std::string& id) {
  get_params g;
  g.format = msg_format::raw;
  auto r = w.get_message(user, id, g);
  REQUIRE(r.ok());
  auto bytes = core::base64_decode((*r)["raw"].get<std::string>());
  REQUIRE(bytes);
  return *bytes;
}

inline json minimal(const workspace& w, const std::string& user, const std::string& id) {
  get_params g;
  g.format = msg_format::minimal;
  auto r = w.get_message(user, id, g);
  REQUIRE(r.ok());
  return *r;
}

inline std::vector<json> truth_of(const workspace& w) {
  std::stringstream ss;
  w.write_truth(ss);
  return read_truth(ss);
}

inline std::string b64(const json& j) {
  auto d = core::base64_decode(j.get<std::string>());
  REQUIRE(d);
  return *d;
}

} // namespace gc::sim::test
