#pragma once
// The simulator charges Google's cost tables; they live in core (shared with the client side).
#include "core/quota_costs.hpp"

namespace gc::sim {
using core::gmail_method;
using core::method_name;
using core::parse_quota_table;
using core::quota_cost;
} // namespace gc::sim
