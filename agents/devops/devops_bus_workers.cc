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
  return absl::InvalidArgumentError(
      absl::StrCat("task on ", msg.subject, " names no DevopsAgent method"));
}

}  // namespace

DevopsBusWorkers::DevopsBusWorkers(DevopsHandler* handler, bus::Bus* bus,
                                   bus::PullConsumer* consumer, metrics::Registry* registry,
                                   int workers)
    : handler_(handler),
      workers_(
          kDevopsAgent, [this](const bus::Delivery& d) { return Handle(d); }, bus, consumer,
          registry, workers) {}

absl::StatusOr<runtime::TaskReply> DevopsBusWorkers::Handle(const bus::Delivery& delivery) {
  const bus::Message& msg = delivery.message();
  auto task = DecodeTask(msg, handler_);
  if (!task.ok()) return task.status();
  if (!ValidOperationId(task->operation_id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "task on ", msg.subject, " has operation_id '", task->operation_id,
        "'; the bus needs one (letters, digits, '-', '_') to name the result subject"));
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
  runtime::TaskReply reply;
  reply.subject = bus::ResultSubject(kDevopsAgent, out.operation_id());
  reply.data = out.SerializeAsString();
  reply.change_id = out.change_id();
  // One result per published task: a redelivery of the same task is de-duplicated, while a
  // new task with the same operation id (a retry after an error) gets its own answer.
  reply.msg_id = absl::StrCat(out.operation_id(), ".devops.", delivery.stream_sequence());
  return reply;
}

}  // namespace conclave::devops
