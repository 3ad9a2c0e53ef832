// Metric specs resolved to what the judge computes: the built-in names (error_rate,
// latency_pNN) and gauges, their default gates and tolerances, and the value of a metric over
// merged window buckets. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agents/metrics/window.h"
#include "conclave/v1/metrics.pb.h"

namespace conclave::metrics_agent {

struct ResolvedSpec {
  std::string name;
  conclave::v1::MetricKind kind = conclave::v1::METRIC_KIND_UNSPECIFIED;
  double quantile = 0;
  std::string gauge;
  conclave::v1::Aggregation aggregation = conclave::v1::AGGREGATION_MEAN;
  std::optional<double> absolute_max;
  // The tolerated degradation: max(relative * stable, absolute).
  double relative_tolerance = 0;
  double absolute_tolerance = 0;
  uint64_t min_samples = 0;
};

// Resolves names and defaults. InvalidArgument for an empty name or a quantile outside (0, 1).
absl::StatusOr<ResolvedSpec> ResolveSpec(const conclave::v1::MetricSpec& spec);
// error_rate (max 5 %, +0.5 point tolerated), latency_p95 (max 800 ms, +5 %), latency_p99
// (+10 %).
std::vector<conclave::v1::MetricSpec> DefaultJudgeSpecs();

// A metric over a window: its value (NaN without data) and the samples behind it.
struct MetricValue {
  double value;
  uint64_t samples;
};
MetricValue ComputeMetric(const ResolvedSpec& spec, const Bucket& merged);

// Merges buckets into one (an empty bucket for none).
Bucket MergeBuckets(const std::vector<Bucket>& buckets, double accuracy);

}  // namespace conclave::metrics_agent
