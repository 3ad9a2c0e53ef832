// TrafficDriver: the seam between the devops agent and the system that routes a service's
// traffic (HAProxy, the Kubernetes API, or operator-supplied hooks). A driver applies a split
// or a replica count and reads the resulting state back from that system; it never reports
// what it merely intended. Implementations are thread-compatible: DevopsHandler serializes
// the calls it makes.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace conclave::devops {

// The two versions of a service an operation is about.
struct ServiceVersions {
  std::string service;
  std::string stable_version;
  std::string canary_version;
};

// Send canary_percent (0..100) of the traffic to the canary, the rest to stable.
struct SplitTarget {
  ServiceVersions versions;
  int canary_percent = 0;
  // Validate and report, but change nothing (drivers that can, ask the system to validate).
  bool dry_run = false;
  // Identifies the operation to hooks and logs.
  std::string operation_id;
  std::string change_id;
};

// Run this many replicas of each version.
struct ReplicaTarget {
  ServiceVersions versions;
  int stable_replicas = 0;
  int canary_replicas = 0;
  bool dry_run = false;
  std::string operation_id;
  std::string change_id;
};

// One version as the routing system reports it. -1 means "not known to this driver".
struct VersionObservation {
  std::string version;
  // What the driver acts on ("demo/stable", "deployment/demo-v2").
  std::string target;
  int weight = -1;
  int replicas = -1;
  int ready_replicas = -1;
  std::string health;
};

struct Observation {
  std::vector<VersionObservation> versions;
  // The operation changed the system (false when it already was in the requested state).
  bool changed = false;
  // Read back from the system, as opposed to remembered from the last operation.
  bool verified = true;
};

class TrafficDriver {
 public:
  virtual ~TrafficDriver() = default;

  // "haproxy", "kubernetes" or "exec".
  virtual std::string name() const = 0;

  // Applies the split unless it is already in place, then reads it back. ABORTED when the
  // read-back disagrees with what was set. A dry run changes nothing and reports the state
  // as it is (changed = false).
  virtual absl::StatusOr<Observation> SetTrafficSplit(const SplitTarget& target) = 0;

  // Applies the replica counts unless already in place, then reads them back.
  virtual absl::StatusOr<Observation> ScaleReplicas(const ReplicaTarget& target) = 0;

  // Reads the state of the service's versions. With both versions empty, reports every
  // version configured for the service.
  virtual absl::StatusOr<Observation> ReadState(const ServiceVersions& versions) = 0;
};

}  // namespace conclave::devops
