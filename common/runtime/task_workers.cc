#include "common/runtime/task_workers.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/bus/topology.h"
#include "common/log/log.h"

namespace conclave::runtime {
namespace {

constexpr absl::Duration kFetchWait = absl::Milliseconds(500);
constexpr absl::Duration kRetryDelay = absl::Seconds(1);
constexpr absl::Duration kPendingEvery = absl::Seconds(2);

}  // namespace

TaskWorkers::TaskWorkers(std::string agent, TaskHandler handler, bus::Bus* bus,
                         bus::PullConsumer* consumer, metrics::Registry* registry, int workers)
    : agent_(std::move(agent)),
      handler_(std::move(handler)),
      bus_(bus),
      consumer_(consumer),
      worker_count_(std::max(1, workers)) {
  malformed_ =
      registry->AddCounter("conclave_bus_malformed_total",
                           "Tasks that were not a valid request, dead-lettered.", {"agent"});
  bus_errors_ =
      registry->AddCounter("conclave_bus_errors_total",
                           "Bus operations that failed (the task is retried).", {"agent", "op"});
  pending_ = registry->AddGauge("conclave_bus_pending_tasks",
                                "Tasks waiting in this agent kind's durable consumer.", {"agent"});
}

TaskWorkers::~TaskWorkers() { Stop(); }

void TaskWorkers::Start() {
  stopping_ = false;
  for (int i = 0; i < worker_count_; ++i) threads_.emplace_back([this, i] { WorkerLoop(i); });
}

void TaskWorkers::Stop() {
  stopping_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void TaskWorkers::WorkerLoop(int index) {
  absl::Time next_pending = absl::InfinitePast();
  while (!stopping_) {
    if (index == 0 && absl::Now() >= next_pending) {
      if (auto pending = consumer_->NumPending(); pending.ok()) {
        pending_->With({agent_})->Set(static_cast<double>(*pending));
      }
      next_pending = absl::Now() + kPendingEvery;
    }
    auto batch = consumer_->Fetch(1, kFetchWait);
    if (!batch.ok()) {
      bus_errors_->With({agent_, "fetch"})->Increment();
      spdlog::warn("fetching {} tasks failed: {}", agent_, batch.status().ToString());
      absl::SleepFor(kFetchWait);  // the bus is down; NATS.c reconnects meanwhile
      continue;
    }
    for (auto& delivery : *batch) Process(*delivery);
  }
}

void TaskWorkers::Process(bus::Delivery& delivery) {
  const bus::Message& task = delivery.message();
  log::ScopedLogContext context(task.Header(bus::kChangeIdHeader),
                                log::TraceIdOf(task.Header(bus::kTraceparentHeader)));
  absl::StatusOr<TaskReply> reply = handler_(delivery);
  if (!reply.ok() && reply.status().code() == absl::StatusCode::kInvalidArgument) {
    RejectMalformed(delivery, std::string(reply.status().message()));
    return;
  }
  if (!reply.ok()) {
    bus_errors_->With({agent_, "handle"})->Increment();
    spdlog::error("{} task on {} failed, it will be redelivered: {}", agent_, task.subject,
                  reply.status().ToString());
    (void)delivery.Nak(kRetryDelay);
    return;
  }
  if (absl::Status s = PublishReply(task, *reply); !s.ok()) {
    bus_errors_->With({agent_, "publish"})->Increment();
    spdlog::error("cannot publish the result on {}, the task will be redelivered: {}",
                  reply->subject, s.ToString());
    (void)delivery.Nak(kRetryDelay);
    return;
  }
  if (absl::Status s = delivery.Ack(); !s.ok()) {
    // The result is out; a redelivery publishes it again under the same Nats-Msg-Id.
    bus_errors_->With({agent_, "ack"})->Increment();
    spdlog::warn("ack failed after publishing the result: {}", s.ToString());
  }
}

void TaskWorkers::RejectMalformed(bus::Delivery& delivery, const std::string& reason) {
  malformed_->With({agent_})->Increment();
  spdlog::error("{}; moving it to the dead-letter stream", reason);
  if (absl::Status s = bus::PublishDeadLetter(*bus_, agent_, delivery.message(), reason); !s.ok()) {
    bus_errors_->With({agent_, "dead_letter"})->Increment();
    spdlog::error("cannot dead-letter the malformed task, will retry: {}", s.ToString());
    (void)delivery.Nak(kRetryDelay);
    return;
  }
  (void)delivery.Term();
}

absl::Status TaskWorkers::PublishReply(const bus::Message& task, const TaskReply& reply) {
  bus::Message out;
  out.subject = reply.subject;
  out.data = reply.data;
  const std::string change_id =
      reply.change_id.empty() ? task.Header(bus::kChangeIdHeader) : reply.change_id;
  if (!change_id.empty()) out.headers[bus::kChangeIdHeader] = change_id;
  if (!reply.msg_id.empty()) out.headers[bus::kMsgIdHeader] = reply.msg_id;
  if (std::string tp = task.Header(bus::kTraceparentHeader); !tp.empty()) {
    out.headers[bus::kTraceparentHeader] = tp;
  }
  return bus_->Publish(out);
}

}  // namespace conclave::runtime
