#pragma once
// Helpers shared by the subcommands.
#include "core/config.hpp"
#include "store/db.hpp"

#include <memory>
#include <optional>
#include <string>

namespace gc::cli {

// Loads the configuration; on error prints "gmail-capture: <VAR>: expected ..." to stderr.
std::optional<core::config> load_config_or_report();

// Creates CRM_DATA_DIR and the database's directory, opens the database and applies pending
// migrations. Prints the reason and returns nullptr on failure.
std::unique_ptr<store::connection> open_migrated(const core::config& cfg, bool verbose = false);

// The value after `--name` in `a`, if any; sets `bad` if the flag has no value.
std::optional<std::string> flag_value(const std::vector<std::string>& a, const std::string& name, bool& bad);

} // namespace gc::cli
