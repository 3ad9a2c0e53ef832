// TaskWorkers: the bus side of any agent whose tasks become one reply each. N threads pull
// tasks from the agent kind's durable consumer (shared by every replica), run the handler with
// the task's change id and trace id as log context, publish the reply it returns (with its
// Nats-Msg-Id, the change id and the task's traceparent), and only then ack the task. A task
// the handler calls malformed (InvalidArgument) is moved to the dead-letter stream and
// terminated; any other handler error, or a failed publish, naks the task so it comes back.
// Threading: Start() spawns the workers; Stop() lets each finish its current task and joins.
// The handler is called concurrently from every worker and must be thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/bus/bus.h"
#include "common/metrics/metrics.h"

namespace conclave::runtime {

// What a task produced: the message to publish as its result.
struct TaskReply {
  std::string subject;
  std::string data;
  // Nats-Msg-Id of the reply; empty publishes without one (no de-duplication).
  std::string msg_id;
  // Conclave-Change-Id header of the reply; empty falls back to the task's own.
  std::string change_id;
};

// Returns the reply to publish, or InvalidArgument for a malformed task (dead-lettered and
// terminated). Any other error naks the task for a later retry.
using TaskHandler = std::function<absl::StatusOr<TaskReply>(const bus::Delivery&)>;

class TaskWorkers {
 public:
  // `agent` names the agent kind (dead-letter subject, metric label). Everything passed by
  // pointer must outlive the workers.
  TaskWorkers(std::string agent, TaskHandler handler, bus::Bus* bus, bus::PullConsumer* consumer,
              metrics::Registry* registry, int workers);
  ~TaskWorkers();

  void Start();
  void Stop();

  // Handles one delivery; public for tests that drive a consumer directly.
  void Process(bus::Delivery& delivery);

 private:
  void WorkerLoop(int index);
  void RejectMalformed(bus::Delivery& delivery, const std::string& reason);
  absl::Status PublishReply(const bus::Message& task, const TaskReply& reply);

  const std::string agent_;
  const TaskHandler handler_;
  bus::Bus* bus_;
  bus::PullConsumer* consumer_;
  int worker_count_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
  metrics::Family<metrics::Counter>* malformed_;
  metrics::Family<metrics::Counter>* bus_errors_;
  metrics::Family<metrics::Gauge>* pending_;
};

}  // namespace conclave::runtime
