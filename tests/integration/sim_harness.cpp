#include "sim_harness.hpp"

#include "store/db.hpp"

#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

namespace gc::test {

sim_process::sim_process(const temp_dir& dir, const std::string& workspace, std::vector<std::string> extra) {
  key_path = dir.file("sa.json");
  std::vector<std::string> argv{GC_BINARY, "sim", "--listen", "127.0.0.1:0", "--workspace", workspace,
                                "--sa-key-out", key_path};
  argv.insert(argv.end(), extra.begin(), extra.end());
  proc = std::make_unique<child_process>(argv, std::map<std::string, std::string>{});
  auto ready = proc->wait_for_stdout_line("listening on");
  INFO(proc->err());
  REQUIRE(ready);
  std::smatch m;
  std::regex re{R"((http://127\.0\.0\.1:(\d+)))"};
  REQUIRE(std::regex_search(*ready, m, re));
  url = m[1];
  port = static_cast<uint16_t>(std::stoi(m[2]));
  auto lines = truth();
  auto seed = get("/__sim/crm-seed");
  domain = seed["fund"].value("domain", std::string{});
  std::vector<std::string> seen;
  for (const auto& t : lines)
    if (std::find(seen.begin(), seen.end(), t["mailbox"].get<std::string>()) == seen.end())
      seen.push_back(t["mailbox"]);
  mailboxes = seen;
  REQUIRE(!domain.empty());
}

json sim_process::get(const std::string& target) const {
  auto r = http_call("127.0.0.1", port, "GET", target);
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

json sim_process::post(const std::string& target, const json& body) const {
  auto r = http_call("127.0.0.1", port, "POST", target, {.body = body.dump()});
  INFO(target << " -> " << r.body);
  REQUIRE(r.status == 200);
  return r.body.empty() ? json::object() : json::parse(r.body);
}

std::vector<json> sim_process::truth() const {
  auto r = http_call("127.0.0.1", port, "GET", "/__sim/truth");
  REQUIRE(r.status == 200);
  std::vector<json> out;
  auto collect = [&](const json& j) {
    if (j.is_object() && j.value("type", "") == "message") out.push_back(j);
  };
  auto whole = json::parse(r.body, nullptr, false);
  if (!whole.is_discarded()) {
    if (whole.is_array()) for (const auto& j : whole) collect(j);
    else if (whole.contains("messages")) for (const auto& j : whole["messages"]) collect(j);
    else collect(whole);
    return out;
  }
  std::istringstream in{r.body};
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) collect(json::parse(line));
  return out;
}

std::map<std::string, std::string> service_env(const temp_dir& dir, const sim_process& sim) {
  return {{"CRM_DB_PATH", dir.file("crm.db")},
          {"CRM_DATA_DIR", dir.file("data")},
          {"CRM_HTTP_ADDR", "127.0.0.1:0"},
          {"CRM_GMAIL_INTEGRATION_ENABLED", "true"},
          {"CRM_GMAIL_AUTH_METHOD", "dwd"},
          {"CRM_GMAIL_SA_KEY_PATH", sim.key_path},
          {"CRM_GMAIL_WORKSPACE_DOMAIN", sim.domain},
          {"CRM_GMAIL_API_BASE", sim.url},
          {"CRM_GMAIL_TOKEN_URI", sim.url + "/token"},
          {"CRM_GMAIL_QUOTA_COSTS", "legacy"},
          {"CRM_GMAIL_RATE_UNITS_SEC", "100000"},
          {"CRM_GMAIL_PROJECT_UNITS_SEC", "1000000"},
          {"CRM_LOG_LEVEL", "warn"}};
}

run_result gc_run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                  const std::string& stdin_text) {
  std::vector<std::string> argv{GC_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, env, stdin_text, std::chrono::minutes(5));
}

void seed_crm(const std::string& db_path, const json& seed) {
  store::connection c{db_path};
  auto text_or_null = [](store::statement& st, int i, const json& v) {
    if (v.is_string()) st.bind(i, v.get<std::string>());
    else st.bind_null(i);
  };
  for (const auto& inv : seed.value("investors", json::array())) {
    auto st = c.prepare("INSERT INTO investors (name, domain) VALUES (?1, ?2)");
    st.bind(1, inv.value("name", std::string{}));
    text_or_null(st, 2, inv.value("domain", json{}));
    st.run();
    auto investor_id = c.last_insert_id();
    for (const auto& k : inv.value("contacts", json::array()))
      for (const char* field : {"email", "personal_email"}) {
        if (!k.contains(field)) continue;
        auto ins = c.prepare("INSERT INTO contacts (investor_id, name, email) VALUES (?1, ?2, ?3)");
        ins.bind(1, investor_id).bind(2, k.value("name", std::string{}));
        text_or_null(ins, 3, k[field]);
        ins.run();
      }
  }
  for (const auto& k : seed.value("contacts", json::array())) {
    auto st = c.prepare("INSERT INTO contacts (name, email) VALUES (?1, ?2)");
    st.bind(1, k.value("name", std::string{}));
    text_or_null(st, 2, k.value("email", json{}));
    st.run();
  }
}

} // namespace gc::test
