// PrometheusJudge: judges a canary against stable from metrics pulled out of Prometheus. Per
// metric, an instant query per version gives the values (and an optional samples query the
// sample counts); a range query per version over the window gives one point per step, and a
// one-sided Mann-Whitney U of the canary's points over stable's is the statistic. Prometheus
// holds aggregates, not requests, so this is a fixed-window test: valid for one look per
// window (docs/METRICS.md). Verdict rules are CanaryJudge's. Thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agents/metrics/metrics_config.h"
#include "agents/metrics/prometheus_client.h"
#include "conclave/v1/metrics.pb.h"

namespace conclave::metrics_agent {

class PrometheusJudge {
 public:
  // `client` must outlive the judge.
  PrometheusJudge(const PrometheusClient* client, absl::Duration step, JudgeOptions options);

  // The request's metrics name which of `service`'s metrics to judge (empty: all). A query that
  // fails or returns nothing gives NO_DATA for its metric; InvalidArgument for an unknown
  // metric name or a bad request.
  absl::StatusOr<conclave::v1::JudgeResponse> Judge(const conclave::v1::JudgeRequest& request,
                                                    const ServiceConfig& service,
                                                    absl::Time now) const;

 private:
  conclave::v1::MetricResult JudgeMetric(const PromMetric& metric,
                                         const conclave::v1::JudgeRequest& request,
                                         absl::Time start, absl::Time end, double alpha) const;

  const PrometheusClient* client_;
  absl::Duration step_;
  JudgeOptions options_;
};

}  // namespace conclave::metrics_agent
