#pragma once
// Runs `gmail-capture sim` as a child process and a service environment pointed at it.
#include "core/json.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gc::test {

struct sim_process {
  // `workspace` e.g. "mailboxes=3,messages=120,seed=7"; extra flags appended.
  sim_process(const temp_dir& dir, const std::string& workspace, std::vector<std::string> extra = {});
  std::string url;        // http://127.0.0.1:PORT
  uint16_t port = 0;
  std::string domain;
  std::vector<std::string> mailboxes;
  std::string key_path;
  std::unique_ptr<child_process> proc;

  json get(const std::string& target) const;                  // GET, JSON body
  json post(const std::string& target, const json& body = json::object()) const;
  // Message entries of the ground truth ("type":"message"), fetched live.
  std::vector<json> truth() const;
};

// CRM_* variables for a service using `dir` and pointed at `sim`.
std::map<std::string, std::string> service_env(const temp_dir& dir, const sim_process& sim);

// Runs `gmail-capture <args>` with `env`; returns the process result.
run_result gc_run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                  const std::string& stdin_text = "");

// Loads investors and contacts of the simulator's CRM seed into the database.
void seed_crm(const std::string& db_path, const json& crm_seed);

} // namespace gc::test
