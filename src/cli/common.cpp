#include "cli/common.hpp"

#include "cli/commands.hpp"
#include "store/migrations.hpp"

#include <cstdio>
#include <filesystem>

namespace gc::cli {

std::optional<core::config> load_config_or_report() {
  auto cfg = core::load_config(core::process_env());
  if (!cfg) {
    std::fprintf(stderr, "gmail-capture: %s\n", cfg.error().message.c_str());
    return std::nullopt;
  }
  return *cfg;
}

std::unique_ptr<store::connection> open_migrated(const core::config& cfg, bool verbose) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(cfg.data_dir, ec);
  if (ec) {
    std::fprintf(stderr, "gmail-capture: CRM_DATA_DIR: cannot create '%s': %s\n", cfg.data_dir.c_str(),
                 ec.message().c_str());
    return nullptr;
  }
  auto parent = fs::path(cfg.db_path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  try {
    auto conn = std::make_unique<store::connection>(cfg.db_path);
    auto report = store::migrate(*conn);
    if (!report) {
      std::fprintf(stderr, "gmail-capture: migration failed: %s\n", report.error().message.c_str());
      return nullptr;
    }
    if (verbose) {
      for (int v : report->applied) std::printf("applied migration %04d\n", v);
      if (report->applied.empty()) std::printf("database is up to date\n");
    }
    return conn;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gmail-capture: CRM_DB_PATH: cannot open '%s': %s\n", cfg.db_path.c_str(), e.what());
    return nullptr;
  }
}

std::optional<std::string> flag_value(const std::vector<std::string>& a, const std::string& name, bool& bad) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == name) {
      if (i + 1 >= a.size() || a[i + 1].rfind("--", 0) == 0) {
        bad = true;
        return std::nullopt;
      }
      return a[i + 1];
    }
    if (a[i].rfind(name + "=", 0) == 0) return a[i].substr(name.size() + 1);
  }
  return std::nullopt;
}

} // namespace gc::cli
