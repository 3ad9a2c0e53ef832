// BusReviewWorkers: the bus side of a reviewer agent. N threads pull tasks from the agent
// kind's durable consumer (shared by every replica), run the ReviewHandler, publish the
// ReviewResponse on conclave.result.<reviewer>.<change-id>, and only then ack the task. A task
// that is not a ReviewRequest is moved to the dead-letter stream and terminated; if it named a
// change, an error response tells the supervisor at once. If the result cannot be published,
// the task is nak'ed and comes back: nothing accepted is dropped.
// Threading: Start() spawns the workers; Stop() lets each finish its current task and joins.
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "common/bus/bus.h"
#include "common/metrics/metrics.h"
#include "common/runtime/review_handler.h"

namespace conclave::runtime {

class BusReviewWorkers {
 public:
  // Everything passed in must outlive the workers.
  // `chaos_delay` > 0 sleeps before each review, to let fault-injection tests kill a replica
  // while it holds an unacked task.
  BusReviewWorkers(const ReviewHandler* handler, bus::Bus* bus, bus::PullConsumer* consumer,
                   metrics::Registry* registry, int workers,
                   absl::Duration chaos_delay = absl::ZeroDuration());
  ~BusReviewWorkers();

  void Start();
  void Stop();

  // Handles one delivery; public for tests that drive a fake consumer directly.
  void Process(bus::Delivery& delivery);

 private:
  void WorkerLoop(int index);
  void RejectMalformed(bus::Delivery& delivery, const std::string& reason);
  absl::Status PublishResponse(const bus::Message& task,
                               const conclave::v1::ReviewResponse& response);

  const ReviewHandler* handler_;
  bus::Bus* bus_;
  bus::PullConsumer* consumer_;
  int worker_count_;
  absl::Duration chaos_delay_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
  metrics::Family<metrics::Counter>* malformed_;
  metrics::Family<metrics::Counter>* bus_errors_;
  metrics::Family<metrics::Gauge>* pending_;
  metrics::Family<metrics::Gauge>* inflight_;
};

}  // namespace conclave::runtime
