#include "agents/devops/traffic_drivers.h"

#include "agents/devops/exec_driver.h"
#include "agents/devops/haproxy_driver.h"
#include "agents/devops/kubernetes_driver.h"

namespace conclave::devops {

absl::StatusOr<std::unique_ptr<TrafficDriver>> NewTrafficDriver(const DevopsConfig& config) {
  if (absl::Status s = ValidateDevopsConfig(config); !s.ok()) return s;
  if (config.driver == "haproxy") {
    auto driver = HaproxyDriver::Create(config.haproxy);
    if (!driver.ok()) return driver.status();
    return std::unique_ptr<TrafficDriver>(std::move(*driver));
  }
  if (config.driver == "kubernetes") {
    auto driver = KubernetesDriver::Create(config.kubernetes);
    if (!driver.ok()) return driver.status();
    return std::unique_ptr<TrafficDriver>(std::move(*driver));
  }
  return std::unique_ptr<TrafficDriver>(std::make_unique<ExecDriver>(config.exec));
}

}  // namespace conclave::devops
