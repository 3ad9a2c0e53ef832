// KubernetesDriver: splits traffic in a Kubernetes cluster through its API server, in one of
// two ways per service (docs/DEVOPS.md):
//   httproute  the weights of the stable and canary backendRefs of a Gateway API HTTPRoute
//              (gateway.networking.k8s.io/v1), changed by a JSON merge patch of spec.rules
//              guarded by metadata.resourceVersion;
//   replicas   the replica ratio of the stable and canary Deployments, changed by merge
//              patches of their scale subresource (apps/v1), scaling up before scaling down.
// Every operation reads the objects first, patches only what differs, and reports what the
// server returns. Dry runs are sent with dryRun=All and report the objects unchanged.
// Thread-compatible; DevopsHandler serializes calls.
#pragma once

#include <memory>

#include "agents/devops/devops_config.h"
#include "agents/devops/kube_client.h"
#include "agents/devops/traffic_driver.h"

namespace conclave::devops {

class KubernetesDriver final : public TrafficDriver {
 public:
  static absl::StatusOr<std::unique_ptr<KubernetesDriver>> Create(const KubernetesConfig& config);

  std::string name() const override { return "kubernetes"; }
  absl::StatusOr<Observation> SetTrafficSplit(const SplitTarget& target) override;
  absl::StatusOr<Observation> ScaleReplicas(const ReplicaTarget& target) override;
  absl::StatusOr<Observation> ReadState(const ServiceVersions& versions) override;

 private:
  KubernetesDriver(KubernetesConfig config, std::unique_ptr<KubeApiClient> client)
      : config_(std::move(config)), client_(std::move(client)) {}

  struct Resolved {
    const KubernetesServiceConfig* service;
    std::string ns;
  };
  absl::StatusOr<Resolved> Resolve(const std::string& service) const;
  // The versions to report: the two named, or every version the service config maps.
  std::vector<std::string> VersionsOf(const ServiceVersions& v, const Resolved& r) const;

  absl::StatusOr<Observation> SplitByRoute(const SplitTarget& target, const Resolved& r);
  absl::StatusOr<Observation> Scale(const ServiceVersions& v, const Resolved& r,
                                    int stable_replicas, int canary_replicas, bool dry_run);
  absl::StatusOr<Observation> Observe(const std::vector<std::string>& versions,
                                      const std::string& service, const Resolved& r);
  // Fills replicas and ready_replicas of `out` from the version's Deployment scale.
  absl::Status ObserveScale(const std::string& service, const Resolved& r, VersionObservation* out);

  KubernetesConfig config_;
  std::unique_ptr<KubeApiClient> client_;
};

// Replicas for a replica-ratio split of `total`: the canary gets ceil(total * percent / 100),
// and a stable version that still takes traffic keeps at least one replica.
std::pair<int, int> ReplicaSplit(int total, int canary_percent);

}  // namespace conclave::devops
