// MetricsAgent: the transport-free core of conclave-metrics. It owns the sliding windows of
// pushed samples and the Prometheus client, and answers the five MetricsAgent calls; the gRPC
// service and the bus binding only translate. Judgments of a service configured with source
// prometheus go to PrometheusJudge, all others to CanaryJudge over the windows.
// Thread-safe: the store locks per series, the judges keep no state between calls.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "agents/metrics/judge.h"
#include "agents/metrics/metrics_config.h"
#include "agents/metrics/prometheus_client.h"
#include "agents/metrics/prometheus_judge.h"
#include "agents/metrics/window.h"
#include "common/clock/clock.h"
#include "common/metrics/metrics.h"
#include "conclave/v1/metrics.pb.h"

namespace conclave::metrics_agent {

class MetricsAgent {
 public:
  // `clock` and `registry` must outlive the agent.
  MetricsAgent(MetricsConfig config, Clock* clock, metrics::Registry* registry);

  conclave::v1::IngestResponse Ingest(const conclave::v1::SampleBatch& batch);
  absl::StatusOr<conclave::v1::JudgeResponse> Judge(const conclave::v1::JudgeRequest& request);
  absl::StatusOr<conclave::v1::DetectAnomaliesResponse> DetectAnomalies(
      const conclave::v1::DetectAnomaliesRequest& request);
  absl::StatusOr<conclave::v1::EvaluateGatesResponse> EvaluateGates(
      const conclave::v1::EvaluateGatesRequest& request);
  absl::StatusOr<conclave::v1::WindowStats> GetWindow(
      const conclave::v1::GetWindowRequest& request);

  const SampleStore& store() const { return store_; }

 private:
  const MetricsConfig config_;
  Clock* clock_;
  SampleStore store_;
  CanaryJudge judge_;
  std::unique_ptr<PrometheusClient> prometheus_;
  std::unique_ptr<PrometheusJudge> prometheus_judge_;
  metrics::Family<metrics::Counter>* samples_;
  metrics::Family<metrics::Counter>* dropped_by_reporters_;
  metrics::Family<metrics::Counter>* verdicts_;
  metrics::Family<metrics::Histogram>* judge_seconds_;
  metrics::Family<metrics::Gauge>* series_;
};

}  // namespace conclave::metrics_agent
