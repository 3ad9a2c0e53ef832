// DevopsBusWorkers: the bus side of the devops agent. Worker threads pull tasks from the
// durable consumer "devops" (filter conclave.task.devops.>, shared by every replica), run
// the method the subject names (SetTrafficSplit, ScaleReplicas, GetTrafficState) through
// DevopsHandler, publish the TrafficState on conclave.result.devops.<operation-id> (with
// error_code set when the operation failed), and only then ack. A task past its
// Conclave-Deadline is answered DEADLINE_EXCEEDED without touching the system, so a stale
// redelivery never moves traffic. A task that cannot be decoded, or names no operation id,
// is dead-lettered and terminated. When the result cannot be published the task is nak'ed
// and comes back.
// Threading: Start() spawns the workers; Stop() lets each finish its current task and joins.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "agents/devops/devops_handler.h"
#include "common/bus/bus.h"
#include "common/metrics/metrics.h"

namespace conclave::devops {

inline constexpr char kDevopsAgent[] = "devops";

class DevopsBusWorkers {
 public:
  // Everything passed in must outlive the workers.
  DevopsBusWorkers(DevopsHandler* handler, bus::Bus* bus, bus::PullConsumer* consumer,
                   metrics::Registry* registry, int workers);
  ~DevopsBusWorkers();

  void Start();
  void Stop();

  // Handles one delivery; public for tests that drive a consumer directly.
  void Process(bus::Delivery& delivery);

 private:
  void WorkerLoop(int index);
  // Decodes and runs the task; the result to publish, or a reason it is malformed.
  absl::StatusOr<conclave::v1::TrafficState> Run(const bus::Message& task);
  void RejectMalformed(bus::Delivery& delivery, const std::string& reason);
  absl::Status PublishResult(const bus::Delivery& delivery,
                             const conclave::v1::TrafficState& result);

  DevopsHandler* handler_;
  bus::Bus* bus_;
  bus::PullConsumer* consumer_;
  int worker_count_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
  metrics::Family<metrics::Counter>* malformed_;
  metrics::Family<metrics::Counter>* bus_errors_;
  metrics::Family<metrics::Gauge>* pending_;
};

}  // namespace conclave::devops
