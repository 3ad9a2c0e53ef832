// Anomaly detection on a series (3-sigma outliers against a baseline, EWMA trend) and the
// quality gates of policy on one version's window. Pure functions over a SampleStore;
// thread-safe. Formulas in docs/METRICS.md.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agents/metrics/window.h"
#include "conclave/v1/metrics.pb.h"

namespace conclave::metrics_agent {

// On an inline series (request.values) or, when none is given, on the per-bucket values of a
// service's metric over the last duration up to `now`. InvalidArgument for bad parameters.
absl::StatusOr<conclave::v1::DetectAnomaliesResponse> DetectAnomalies(
    const conclave::v1::DetectAnomaliesRequest& request, const SampleStore& store, absl::Time now);

// The anomaly analysis of a plain series; exposed for tests.
absl::StatusOr<conclave::v1::DetectAnomaliesResponse> AnalyzeSeries(
    const std::vector<double>& values, const conclave::v1::DetectAnomaliesRequest& params);

// The gates of request (or the default gates of policy) on (service, version) over the last
// duration up to `now`.
absl::StatusOr<conclave::v1::EvaluateGatesResponse> EvaluateGates(
    const conclave::v1::EvaluateGatesRequest& request, const SampleStore& store, absl::Time now);

// latency_p95 > 800 ms, error_rate > 0.05, cost (LAST) > 0.8 * cost_budget when the budget
// is positive, retries (MAX) > 3.
std::vector<conclave::v1::Gate> DefaultGates(double cost_budget);

}  // namespace conclave::metrics_agent
