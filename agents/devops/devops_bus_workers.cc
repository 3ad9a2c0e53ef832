#include "agents/devops/devops_bus_workers.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/bus/topology.h"
#include "common/log/log.h"

namespace conclave::devops {
namespace {

using conclave::v1::TrafficState;

constexpr absl::Duration kFetchWait = absl::Milliseconds(500);
constexpr absl::Duration kRetryDelay = absl::Seconds(1);
constexpr absl::Duration kPendingEvery = absl::Seconds(2);

bool DeadlinePassed(const bus::Message& task) {
  int64_t deadline_ms = 0;
  const std::string v = task.Header(bus::kDeadlineHeader);
  return !v.empty() && absl::SimpleAtoi(v, &deadline_ms) && deadline_ms > 0 &&
         absl::ToUnixMillis(absl::Now()) > deadline_ms;
}

// The method a task subject names: "conclave.task.devops.SetTrafficSplit" -> "SetTrafficSplit".
std::string MethodOf(const std::string& subject) {
  const std::string prefix = bus::TaskSubject(kDevopsAgent, "");
  return absl::StartsWith(subject, prefix) ? subject.substr(prefix.size()) : "";
}

// The answer published for a failed operation.
TrafficState ErrorResult(const absl::Status& status, const std::string& driver) {
  TrafficState result;
  result.set_driver(driver);
  result.set_error_code(static_cast<int>(status.code()));
  result.set_error_message(std::string(status.message()));
  return result;
}

// A decoded task: its operation id, service and change id, and how to run it.
struct Task {
  std::string operation_id;
  std::string service;
  std::string change_id;
  std::function<absl::StatusOr<TrafficState>()> run;
};

template <typename Request>
absl::StatusOr<Request> Decode(const bus::Message& task, const char* type) {
  Request request;
  if (!request.ParseFromString(task.data)) {
    return absl::InvalidArgumentError(absl::StrCat("malformed task on ", task.subject, ": ",
                                                   task.data.size(), " bytes that are not a ",
                                                   type));
  }
  return request;
}

absl::StatusOr<Task> DecodeTask(const bus::Message& msg, DevopsHandler* handler) {
  const std::string method = MethodOf(msg.subject);
  if (method == "SetTrafficSplit") {
    auto r = Decode<conclave::v1::SetTrafficSplitRequest>(msg, "SetTrafficSplitRequest");
    if (!r.ok()) return r.status();
    return Task{r->operation_id(), r->service(), r->change_id(),
                [handler, r = *r] { return handler->SetTrafficSplit(r, "bus"); }};
  }
  if (method == "ScaleReplicas") {
    auto r = Decode<conclave::v1::ScaleReplicasRequest>(msg, "ScaleReplicasRequest");
    if (!r.ok()) return r.status();
    return Task{r->operation_id(), r->service(), r->change_id(),
                [handler, r = *r] { return handler->ScaleReplicas(r, "bus"); }};
  }
  if (method == "GetTrafficState") {
    auto r = Decode<conclave::v1::GetTrafficStateRequest>(msg, "GetTrafficStateRequest");
    if (!r.ok()) return r.status();
    return Task{r->operation_id(), r->service(), msg.Header(bus::kChangeIdHeader),
                [handler, r = *r] { return handler->GetTrafficState(r, "bus"); }};
  }
  return absl::InvalidArgumentError(absl::StrCat("task on ", msg.subject,
                                                 " names no DevopsAgent method"));
}

}  // namespace

DevopsBusWorkers::DevopsBusWorkers(DevopsHandler* handler, bus::Bus* bus,
                                   bus::PullConsumer* consumer, metrics::Registry* registry,
                                   int workers)
    : handler_(handler), bus_(bus), consumer_(consumer), worker_count_(std::max(1, workers)) {
  malformed_ = registry->AddCounter("conclave_bus_malformed_total",
                                    "Tasks that were not a valid request, dead-lettered.",
                                    {"agent"});
  bus_errors_ = registry->AddCounter("conclave_bus_errors_total",
                                     "Bus operations that failed (the task is retried).",
                                     {"agent", "op"});
  pending_ = registry->AddGauge("conclave_bus_pending_tasks",
                                "Tasks waiting in this agent kind's durable consumer.",
                                {"agent"});
}

DevopsBusWorkers::~DevopsBusWorkers() { Stop(); }

void DevopsBusWorkers::Start() {
  for (int i = 0; i < worker_count_; ++i) threads_.emplace_back([this, i] { WorkerLoop(i); });
}

void DevopsBusWorkers::Stop() {
  stopping_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void DevopsBusWorkers::WorkerLoop(int index) {
  absl::Time next_pending = absl::InfinitePast();
  while (!stopping_) {
    if (index == 0 && absl::Now() >= next_pending) {
      if (auto pending = consumer_->NumPending(); pending.ok()) {
        pending_->With({kDevopsAgent})->Set(static_cast<double>(*pending));
      }
      next_pending = absl::Now() + kPendingEvery;
    }
    auto batch = consumer_->Fetch(1, kFetchWait);
    if (!batch.ok()) {
      bus_errors_->With({kDevopsAgent, "fetch"})->Increment();
      spdlog::warn("fetching devops tasks failed: {}", batch.status().ToString());
      absl::SleepFor(kFetchWait);  // the bus is down; NATS.c reconnects meanwhile
      continue;
    }
    for (auto& delivery : *batch) Process(*delivery);
  }
}

void DevopsBusWorkers::Process(bus::Delivery& delivery) {
  const bus::Message& msg = delivery.message();
  log::ScopedLogContext context(msg.Header(bus::kChangeIdHeader),
                                log::TraceIdOf(msg.Header(bus::kTraceparentHeader)));
  auto task = DecodeTask(msg, handler_);
  if (task.ok() && !ValidOperationId(task->operation_id)) {
    task = absl::InvalidArgumentError(absl::StrCat(
        "task on ", msg.subject, " has operation_id '", task->operation_id,
        "'; the bus needs one (letters, digits, '-', '_') to name the result subject"));
  }
  if (!task.ok()) {
    RejectMalformed(delivery, std::string(task.status().message()));
    return;
  }
  absl::StatusOr<TrafficState> result =
      DeadlinePassed(msg)
          ? absl::DeadlineExceededError(absl::StrCat("operation ", task->operation_id,
                                                     ": task deadline passed; not applied"))
          : task->run();
  TrafficState out = result.ok() ? *result : ErrorResult(result.status(), handler_->driver_name());
  out.set_operation_id(task->operation_id);
  out.set_service(task->service);
  if (out.change_id().empty()) out.set_change_id(task->change_id);
  if (absl::Status s = PublishResult(delivery, out); !s.ok()) {
    bus_errors_->With({kDevopsAgent, "publish"})->Increment();
    spdlog::error("cannot publish the result of {}, the task will be redelivered: {}",
                  task->operation_id, s.ToString());
    (void)delivery.Nak(kRetryDelay);
    return;
  }
  if (absl::Status s = delivery.Ack(); !s.ok()) {
    // The result is out; a redelivery is answered from the handler's operation record.
    bus_errors_->With({kDevopsAgent, "ack"})->Increment();
    spdlog::warn("ack failed after publishing the result: {}", s.ToString());
  }
}

void DevopsBusWorkers::RejectMalformed(bus::Delivery& delivery, const std::string& reason) {
  malformed_->With({kDevopsAgent})->Increment();
  spdlog::error("{}; moving it to the dead-letter stream", reason);
  if (absl::Status s = bus::PublishDeadLetter(*bus_, kDevopsAgent, delivery.message(), reason);
      !s.ok()) {
    bus_errors_->With({kDevopsAgent, "dead_letter"})->Increment();
    spdlog::error("cannot dead-letter the malformed task, will retry: {}", s.ToString());
    (void)delivery.Nak(kRetryDelay);
    return;
  }
  (void)delivery.Term();
}

absl::Status DevopsBusWorkers::PublishResult(const bus::Delivery& delivery,
                                             const TrafficState& result) {
  const bus::Message& task = delivery.message();
  bus::Message out;
  out.subject = bus::ResultSubject(kDevopsAgent, result.operation_id());
  out.data = result.SerializeAsString();
  if (!result.change_id().empty()) out.headers[bus::kChangeIdHeader] = result.change_id();
  // One result per published task: a redelivery of the same task is de-duplicated, while a
  // new task with the same operation id (a retry after an error) gets its own answer.
  out.headers[bus::kMsgIdHeader] = absl::StrCat(result.operation_id(), ".devops.",
                                                delivery.stream_sequence());
  if (std::string tp = task.Header(bus::kTraceparentHeader); !tp.empty()) {
    out.headers[bus::kTraceparentHeader] = tp;
  }
  return bus_->Publish(out);
}

}  // namespace conclave::devops
