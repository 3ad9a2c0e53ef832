// AgentCalls: request-reply over the bus for the supervisor's own calls to agents (devops,
// metrics). Call() publishes a task on conclave.task.<agent>.<Method> and waits for the result
// the agent publishes on conclave.result.<agent>.<operation_id>; the supervisor's result loop
// hands every such result to Deliver(), which wakes the waiting caller. Results nobody waits
// for (late, or answers to a call made before a restart) are dropped and counted.
//
// Thread-safe: any number of threads may Call() at once; Deliver() does not block.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/bus/bus.h"
#include "common/metrics/metrics.h"

namespace conclave::supervisor {

// The agents whose results go to AgentCalls rather than to ChangeManager's reviewer logic.
inline constexpr char kDevopsAgentName[] = "devops";
inline constexpr char kMetricsAgentName[] = "metrics";

class AgentCalls {
 public:
  // `bus` and `registry` must outlive the object.
  AgentCalls(bus::Bus* bus, metrics::Registry* registry);

  // True for a result subject of an agent this class serves (conclave.result.devops.* and
  // conclave.result.metrics.*).
  static bool IsAgentResult(const std::string& subject);

  // Publishes `request` (a serialized proto) as a task of agent.method with Nats-Msg-Id
  // "<operation_id>.task", Conclave-Deadline now + timeout, the change id and `traceparent`,
  // and waits for the result. `operation_id` must be unique per call in flight and name the
  // result subject (letters, digits, '-', '_'). DeadlineExceeded when no result arrives in
  // time; the bus's own error when the publish fails.
  absl::StatusOr<bus::Message> Call(const std::string& agent, const std::string& method,
                                    const std::string& request, const std::string& operation_id,
                                    const std::string& change_id, const std::string& traceparent,
                                    absl::Duration timeout);

  // Hands a result to its waiting caller. Returns false when nobody waits for it (it is then
  // dropped: the caller timed out or was never in this process); the message may be acked
  // either way.
  bool Deliver(const bus::Message& result);

 private:
  struct Waiter {
    std::optional<bus::Message> result;
  };

  bus::Bus* bus_;
  absl::Mutex mu_;
  // Result subject -> the caller waiting on it.
  std::map<std::string, Waiter*> waiters_ ABSL_GUARDED_BY(mu_);
  metrics::Family<metrics::Counter>* calls_;
  metrics::Family<metrics::Histogram>* call_seconds_;
  metrics::Family<metrics::Counter>* unclaimed_;
};

}  // namespace conclave::supervisor
