// DevopsHandler: the one place the devops agent's work is done, whatever the transport. The
// gRPC service and the bus workers both call it. It validates requests, runs them through the
// TrafficDriver one at a time (a split reads and writes two weights, which must not interleave
// with another operation), turns the driver's read-back into a TrafficState, and keeps the
// answers of recent operations by operation id so that a repeated request (a redelivered bus
// task, a client retry) is answered without touching the system again. Thread-safe.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agents/devops/traffic_driver.h"
#include "common/metrics/metrics.h"
#include "conclave/v1/devops.pb.h"

namespace conclave::devops {

class DevopsHandler {
 public:
  // `driver` and `registry` must outlive the handler. Answers of the last
  // `remembered_operations` successful operations are kept for replay.
  DevopsHandler(TrafficDriver* driver, metrics::Registry* registry,
                size_t remembered_operations = 4096);

  // `transport` is "grpc" or "bus" (a metrics label).
  absl::StatusOr<conclave::v1::TrafficState> SetTrafficSplit(
      const conclave::v1::SetTrafficSplitRequest& request, const std::string& transport);
  absl::StatusOr<conclave::v1::TrafficState> ScaleReplicas(
      const conclave::v1::ScaleReplicasRequest& request, const std::string& transport);
  absl::StatusOr<conclave::v1::TrafficState> GetTrafficState(
      const conclave::v1::GetTrafficStateRequest& request, const std::string& transport);

  const std::string& driver_name() const { return driver_name_; }

 private:
  struct Remembered {
    std::string fingerprint;
    conclave::v1::TrafficState state;
  };

  // The remembered answer for `operation_id`: nullopt when unknown, ALREADY_EXISTS when the
  // id was used for a different request.
  absl::StatusOr<std::optional<conclave::v1::TrafficState>> Replay(const std::string& operation_id,
                                                                   const std::string& fingerprint)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Remember(const std::string& operation_id, const std::string& fingerprint,
                const conclave::v1::TrafficState& state) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Record(const char* operation, const std::string& transport, const std::string& outcome,
              absl::Duration elapsed, const conclave::v1::TrafficState* state);

  TrafficDriver* const driver_;
  const std::string driver_name_;
  const size_t remembered_limit_;
  absl::Mutex mu_;
  std::map<std::string, Remembered> remembered_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> remembered_order_ ABSL_GUARDED_BY(mu_);
  metrics::Family<metrics::Counter>* operations_;
  metrics::Family<metrics::Histogram>* seconds_;
  metrics::Family<metrics::Gauge>* weight_percent_;
};

// Turns a driver's observation into the contract's TrafficState: roles from the named
// versions, each version's share of the weights read back, the canary's share.
conclave::v1::TrafficState ToTrafficState(const Observation& observation, const std::string& driver,
                                          const ServiceVersions& versions);

// Whether `id` can be a bus subject token: 1..128 of letters, digits, '-' and '_'.
bool ValidOperationId(const std::string& id);

}  // namespace conclave::devops
