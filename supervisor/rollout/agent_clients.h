// The rollout controller's two seams with the outside world: TrafficClient moves a service's
// traffic between its stable and canary versions (the devops agent), and CanaryJudge judges
// the canary against stable (the metrics agent). The bus implementations call the agents
// through AgentCalls; tests use fakes. Implementations must be thread-safe.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "conclave/v1/devops.pb.h"
#include "conclave/v1/metrics.pb.h"
#include "supervisor/rollout/agent_calls.h"

namespace conclave::supervisor {

class TrafficClient {
 public:
  virtual ~TrafficClient() = default;
  // Sets the split and returns the state read back. An error status (or a TrafficState whose
  // error_code is set, which implementations turn into a status) means nothing is known to
  // have changed; the caller retries with a new operation id.
  virtual absl::StatusOr<conclave::v1::TrafficState> SetTrafficSplit(
      const conclave::v1::SetTrafficSplitRequest& request, const std::string& traceparent,
      absl::Duration timeout) = 0;
  virtual absl::StatusOr<conclave::v1::TrafficState> GetTrafficState(
      const conclave::v1::GetTrafficStateRequest& request, const std::string& traceparent,
      absl::Duration timeout) = 0;
};

class CanaryJudge {
 public:
  virtual ~CanaryJudge() = default;
  // The metrics agent's judgment; an error status when it could not judge at all.
  virtual absl::StatusOr<conclave::v1::JudgeResponse> Judge(
      const conclave::v1::JudgeRequest& request, const std::string& traceparent,
      absl::Duration timeout) = 0;
};

// Over the bus: tasks conclave.task.devops.<Method>, results conclave.result.devops.<op-id>.
std::unique_ptr<TrafficClient> NewBusTrafficClient(AgentCalls* calls);
// Over the bus: tasks conclave.task.metrics.Judge, results conclave.result.metrics.<request-id>.
std::unique_ptr<CanaryJudge> NewBusCanaryJudge(AgentCalls* calls);

}  // namespace conclave::supervisor
