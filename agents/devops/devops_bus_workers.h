// DevopsBusWorkers: the bus side of the devops agent. Worker threads pull tasks from the
// durable consumer "devops" (filter conclave.task.devops.>, shared by every replica), run
// the method the subject names (SetTrafficSplit, ScaleReplicas, GetTrafficState) through
// DevopsHandler, publish the TrafficState on conclave.result.devops.<operation-id> (with
// error_code set when the operation failed), and only then ack. A task past its
// Conclave-Deadline is answered DEADLINE_EXCEEDED without touching the system, so a stale
// redelivery never moves traffic. A task that cannot be decoded, or names no operation id,
// is dead-lettered and terminated. When the result cannot be published the task is nak'ed
// and comes back.
// The pull/publish/ack loop is runtime::TaskWorkers; this class decodes and runs the task.
// Threading: Start() spawns the workers; Stop() lets each finish its current task and joins.
#pragma once

#include "absl/status/statusor.h"
#include "agents/devops/devops_handler.h"
#include "common/bus/bus.h"
#include "common/metrics/metrics.h"
#include "common/runtime/task_workers.h"

namespace conclave::devops {

inline constexpr char kDevopsAgent[] = "devops";

class DevopsBusWorkers {
 public:
  // Everything passed in must outlive the workers.
  DevopsBusWorkers(DevopsHandler* handler, bus::Bus* bus, bus::PullConsumer* consumer,
                   metrics::Registry* registry, int workers);

  void Start() { workers_.Start(); }
  void Stop() { workers_.Stop(); }

  // Handles one delivery; public for tests that drive a consumer directly.
  void Process(bus::Delivery& delivery) { workers_.Process(delivery); }

  // Decodes and runs one task: the TrafficState reply to publish, or InvalidArgument when
  // the task is malformed.
  absl::StatusOr<runtime::TaskReply> Handle(const bus::Delivery& delivery);

 private:
  DevopsHandler* handler_;
  runtime::TaskWorkers workers_;
};

}  // namespace conclave::devops
