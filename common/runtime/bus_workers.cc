#include "common/runtime/bus_workers.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/bus/topology.h"
#include "common/log/log.h"

namespace conclave::runtime {
namespace {

constexpr absl::Duration kFetchWait = absl::Milliseconds(500);
constexpr absl::Duration kRetryDelay = absl::Seconds(1);
constexpr absl::Duration kPendingEvery = absl::Seconds(2);

bool DeadlinePassed(const bus::Message& task) {
  int64_t deadline_ms = 0;
  const std::string v = task.Header(bus::kDeadlineHeader);
  return !v.empty() && absl::SimpleAtoi(v, &deadline_ms) && deadline_ms > 0 &&
         absl::ToUnixMillis(absl::Now()) > deadline_ms;
}

}  // namespace

BusReviewWorkers::BusReviewWorkers(const ReviewHandler* handler, bus::Bus* bus,
                                   bus::PullConsumer* consumer, metrics::Registry* registry,
                                   int workers, absl::Duration chaos_delay)
    : handler_(handler),
      bus_(bus),
      consumer_(consumer),
      worker_count_(std::max(1, workers)),
      chaos_delay_(chaos_delay) {
  malformed_ = registry->AddCounter("conclave_bus_malformed_total",
                                    "Tasks that were not a valid request, dead-lettered.",
                                    {"reviewer"});
  bus_errors_ = registry->AddCounter("conclave_bus_errors_total",
                                     "Bus operations that failed (the task is retried).",
                                     {"reviewer", "op"});
  pending_ = registry->AddGauge("conclave_bus_pending_tasks",
                                "Tasks waiting in this agent kind's durable consumer.",
                                {"reviewer"});
  inflight_ = registry->AddGauge("conclave_bus_inflight_tasks",
                                 "Tasks this replica is working on.", {"reviewer"});
}

BusReviewWorkers::~BusReviewWorkers() { Stop(); }

void BusReviewWorkers::Start() {
  for (int i = 0; i < worker_count_; ++i) threads_.emplace_back([this, i] { WorkerLoop(i); });
}

void BusReviewWorkers::Stop() {
  stopping_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void BusReviewWorkers::WorkerLoop(int index) {
  const std::string& name = handler_->reviewer().name();
  absl::Time next_pending = absl::InfinitePast();
  while (!stopping_) {
    if (index == 0 && absl::Now() >= next_pending) {
      if (auto pending = consumer_->NumPending(); pending.ok()) {
        pending_->With({name})->Set(static_cast<double>(*pending));
      }
      next_pending = absl::Now() + kPendingEvery;
    }
    auto batch = consumer_->Fetch(1, kFetchWait);
    if (!batch.ok()) {
      bus_errors_->With({name, "fetch"})->Increment();
      spdlog::warn("fetch from {} failed: {}", name, batch.status().ToString());
      absl::SleepFor(kFetchWait);  // the bus is down; NATS.c reconnects meanwhile
      continue;
    }
    for (auto& delivery : *batch) {
      inflight_->With({name})->Add(1);
      Process(*delivery);
      inflight_->With({name})->Add(-1);
    }
  }
}

void BusReviewWorkers::Process(bus::Delivery& delivery) {
  const bus::Message& task = delivery.message();
  const std::string header_id = task.Header(bus::kChangeIdHeader);
  log::ScopedLogContext context(header_id, log::TraceIdOf(task.Header(bus::kTraceparentHeader)));
  conclave::v1::ReviewRequest request;
  if (!request.ParseFromString(task.data) || !request.has_change()) {
    RejectMalformed(delivery, absl::StrCat("malformed task on ", task.subject, ": ",
                                           task.data.size(),
                                           " bytes that are not a ReviewRequest"));
    return;
  }
  if (request.change().id().empty()) request.mutable_change()->set_id(header_id);
  if (request.change().id().empty()) {
    RejectMalformed(delivery, absl::StrCat("task on ", task.subject,
                                           " names no change (no id, no ",
                                           bus::kChangeIdHeader, " header)"));
    return;
  }
  conclave::v1::ReviewResponse response;
  if (DeadlinePassed(task)) {
    response.set_change_id(request.change().id());
    response.set_reviewer(handler_->reviewer().name());
    response.set_error_code(static_cast<int>(absl::StatusCode::kDeadlineExceeded));
    response.set_error_message(
        absl::StrCat("change ", request.change().id(), ": task deadline passed before review"));
  } else {
    if (chaos_delay_ > absl::ZeroDuration()) absl::SleepFor(chaos_delay_);
    response = handler_->Handle(request, "bus");
  }
  if (absl::Status s = PublishResponse(task, response); !s.ok()) {
    bus_errors_->With({handler_->reviewer().name(), "publish"})->Increment();
    spdlog::error("cannot publish result, task will be redelivered: {}", s.ToString());
    (void)delivery.Nak(kRetryDelay);
    return;
  }
  if (absl::Status s = delivery.Ack(); !s.ok()) {
    // The result is out; a redelivery produces a duplicate vote the supervisor ignores.
    bus_errors_->With({handler_->reviewer().name(), "ack"})->Increment();
    spdlog::warn("ack failed after publishing the result: {}", s.ToString());
  }
}

void BusReviewWorkers::RejectMalformed(bus::Delivery& delivery, const std::string& reason) {
  const bus::Message& task = delivery.message();
  const std::string& name = handler_->reviewer().name();
  malformed_->With({name})->Increment();
  spdlog::error("{}; moving it to the dead-letter stream", reason);
  if (absl::Status s = bus::PublishDeadLetter(*bus_, name, task, reason); !s.ok()) {
    bus_errors_->With({name, "dead_letter"})->Increment();
    spdlog::error("cannot dead-letter the malformed task, will retry: {}", s.ToString());
    (void)delivery.Nak(kRetryDelay);
    return;
  }
  const std::string change_id = task.Header(bus::kChangeIdHeader);
  if (!change_id.empty()) {
    conclave::v1::ReviewResponse response;
    response.set_change_id(change_id);
    response.set_reviewer(name);
    response.set_error_code(static_cast<int>(absl::StatusCode::kInvalidArgument));
    response.set_error_message(absl::StrCat("change ", change_id, ": ", reason));
    if (absl::Status s = PublishResponse(task, response); !s.ok()) {
      spdlog::error("cannot report the malformed task to the supervisor: {}", s.ToString());
    }
  }
  (void)delivery.Term();
}

absl::Status BusReviewWorkers::PublishResponse(const bus::Message& task,
                                               const conclave::v1::ReviewResponse& response) {
  bus::Message out;
  out.subject = bus::ResultSubject(handler_->reviewer().name(), response.change_id());
  out.data = response.SerializeAsString();
  out.headers[bus::kChangeIdHeader] = response.change_id();
  out.headers[bus::kMsgIdHeader] =
      absl::StrCat(response.change_id(), ".", handler_->reviewer().name(),
                   response.error_code() == 0 ? ".result" : ".error");
  if (std::string tp = task.Header(bus::kTraceparentHeader); !tp.empty()) {
    out.headers[bus::kTraceparentHeader] = tp;
  }
  return bus_->Publish(out);
}

}  // namespace conclave::runtime
