#pragma once
// nlohmann::json is the project's JSON type (ergonomic; responses are small). Large Gmail
// payloads are parsed with the same library; see docs/benchmarks.md for the measured cost.
#include <nlohmann/json.hpp>

namespace gc {
using json = nlohmann::json;
}
