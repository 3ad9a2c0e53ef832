// The bus side of the metrics agent. SampleIngestion subscribes to conclave.metrics.> (core
// NATS: samples are best-effort telemetry, a lost batch costs a second of data) and feeds
// every SampleBatch to MetricsAgent::Ingest on the bus's delivery thread (a short lock per
// series; it does not block). MetricsTaskHandler answers tasks on
// conclave.task.metrics.<Method> with a result on conclave.result.metrics.<request_id>, run by
// runtime::TaskWorkers. Both are thread-safe.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "agents/metrics/metrics_agent.h"
#include "common/bus/bus.h"
#include "common/runtime/task_workers.h"

namespace conclave::metrics_agent {

inline constexpr char kMetricsAgent[] = "metrics";
// Where reporters publish: conclave.metrics.<service>.
inline constexpr char kSampleSubjects[] = "conclave.metrics.>";

// Subscribes `agent` to every service's samples; unsubscribes when the result is destroyed.
absl::StatusOr<std::unique_ptr<bus::Subscription>> SubscribeSamples(bus::Bus& bus,
                                                                    MetricsAgent* agent);

// A task's reply. A task that is not a MetricsAgent request, or has no request_id to name the
// result subject, is InvalidArgument (dead-lettered). A Judge the agent refuses
// (InvalidArgument) is answered with error_code/error_message so the asker is not left waiting.
absl::StatusOr<runtime::TaskReply> HandleMetricsTask(MetricsAgent* agent,
                                                     const bus::Delivery& delivery);

}  // namespace conclave::metrics_agent
