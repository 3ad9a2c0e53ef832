// The usage texts of `conclavectl rollout ...` and `conclavectl kill-switch`, kept apart from
// options.cc so that each file stays readable. Pure functions; thread-safe.
#pragma once

#include <string>

namespace conclave::ctl::internal {

// The usage of "rollout", "rollout COMMAND" or "kill-switch" (also "kill-switch on|off|status");
// empty for any other topic.
std::string RolloutUsageText(const std::string& topic);

}  // namespace conclave::ctl::internal
