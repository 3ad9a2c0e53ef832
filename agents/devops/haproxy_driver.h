// HaproxyDriver: splits a service's traffic by setting the weights of two servers of its
// HAProxy backend through the runtime API, and reads the weights back with "show servers
// state". Weights are percentages (stable 100 - w, canary w), within HAProxy's 0..256. Runtime
// weights do not survive an HAProxy reload; the rollout controller re-applies its step.
// Thread-compatible; DevopsHandler serializes calls.
#pragma once

#include "agents/devops/devops_config.h"
#include "agents/devops/haproxy_runtime.h"
#include "agents/devops/traffic_driver.h"

namespace conclave::devops {

class HaproxyDriver final : public TrafficDriver {
 public:
  static absl::StatusOr<std::unique_ptr<HaproxyDriver>> Create(const HaproxyConfig& config);

  std::string name() const override { return "haproxy"; }
  absl::StatusOr<Observation> SetTrafficSplit(const SplitTarget& target) override;
  // UNIMPLEMENTED: HAProxy routes traffic; it does not own replicas.
  absl::StatusOr<Observation> ScaleReplicas(const ReplicaTarget& target) override;
  absl::StatusOr<Observation> ReadState(const ServiceVersions& versions) override;

 private:
  HaproxyDriver(HaproxyConfig config, HaproxyRuntimeApi api)
      : config_(std::move(config)), api_(std::move(api)) {}

  // The backend of `service`, NOT_FOUND when unmapped.
  absl::StatusOr<const HaproxyServiceRoute*> RouteOf(const std::string& service) const;
  // The server that runs `version`, NOT_FOUND when unmapped.
  absl::StatusOr<std::string> ServerOf(const std::string& service, const HaproxyServiceRoute& route,
                                       const std::string& version) const;
  // The (version, server) pairs to report for a request.
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Reported(
      const ServiceVersions& versions, const HaproxyServiceRoute& route) const;
  absl::StatusOr<Observation> Observe(const ServiceVersions& versions,
                                      const HaproxyServiceRoute& route) const;

  HaproxyConfig config_;
  HaproxyRuntimeApi api_;
};

}  // namespace conclave::devops
