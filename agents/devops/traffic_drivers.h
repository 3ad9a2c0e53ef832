// NewTrafficDriver: builds the driver a DevopsConfig selects (haproxy, kubernetes or exec).
// The caller owns the driver.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "agents/devops/devops_config.h"
#include "agents/devops/traffic_driver.h"

namespace conclave::devops {

// InvalidArgument when the configuration does not pass ValidateDevopsConfig().
absl::StatusOr<std::unique_ptr<TrafficDriver>> NewTrafficDriver(const DevopsConfig& config);

}  // namespace conclave::devops
