#include "agents/metrics/metric_spec.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace conclave::metrics_agent {
namespace {

using conclave::v1::MetricKind;

// "latency_p95" -> 0.95, "latency_p999" -> 0.999; 0 when not a latency name.
double QuantileOfName(const std::string& name) {
  if (!absl::StartsWith(name, "latency_p")) return 0;
  const std::string digits = name.substr(9);
  int n = 0;
  if (digits.empty() || !absl::SimpleAtoi(digits, &n) || n <= 0) return 0;
  return static_cast<double>(n) / std::pow(10.0, static_cast<double>(digits.size()));
}

MetricKind KindOfName(const std::string& name) {
  if (name == "error_rate") return conclave::v1::METRIC_KIND_ERROR_RATE;
  if (QuantileOfName(name) > 0) return conclave::v1::METRIC_KIND_LATENCY_QUANTILE;
  return conclave::v1::METRIC_KIND_GAUGE;
}

void ApplyDefaultTolerance(ResolvedSpec* r) {
  switch (r->kind) {
    case conclave::v1::METRIC_KIND_ERROR_RATE:
      r->absolute_tolerance = 0.005;
      break;
    case conclave::v1::METRIC_KIND_LATENCY_QUANTILE:
      r->relative_tolerance = r->quantile >= 0.99 ? 0.10 : 0.05;
      // A sub-millisecond shift is scheduling noise, not a regression: on a busy host a fast
      // handler's p95 moves from 7 to 50 microseconds when a thread waits for a core.
      r->absolute_tolerance = 1.0;
      break;
    default:
      r->relative_tolerance = 0.10;
  }
}

}  // namespace

absl::StatusOr<ResolvedSpec> ResolveSpec(const conclave::v1::MetricSpec& spec) {
  if (spec.name().empty()) return absl::InvalidArgumentError("metric spec without a name");
  ResolvedSpec r;
  r.name = spec.name();
  r.kind =
      spec.kind() != conclave::v1::METRIC_KIND_UNSPECIFIED ? spec.kind() : KindOfName(spec.name());
  r.quantile = spec.quantile() > 0 ? spec.quantile() : QuantileOfName(spec.name());
  if (r.kind == conclave::v1::METRIC_KIND_LATENCY_QUANTILE && !(r.quantile > 0 && r.quantile < 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("metric ", spec.name(), ": latency quantile must be in (0, 1)"));
  }
  r.gauge = spec.gauge().empty() ? spec.name() : spec.gauge();
  if (spec.aggregation() != conclave::v1::AGGREGATION_UNSPECIFIED)
    r.aggregation = spec.aggregation();
  if (spec.has_absolute_max()) r.absolute_max = spec.absolute_max();
  if (spec.has_max_relative_increase() || spec.has_max_absolute_increase()) {
    r.relative_tolerance = spec.max_relative_increase();
    r.absolute_tolerance = spec.max_absolute_increase();
  } else {
    ApplyDefaultTolerance(&r);
  }
  const bool gauge = r.kind == conclave::v1::METRIC_KIND_GAUGE;
  r.min_samples = spec.min_samples() > 0 ? spec.min_samples() : (gauge ? 5 : 50);
  return r;
}

std::vector<conclave::v1::MetricSpec> DefaultJudgeSpecs() {
  std::vector<conclave::v1::MetricSpec> specs(3);
  specs[0].set_name("error_rate");
  specs[0].set_absolute_max(0.05);
  specs[1].set_name("latency_p95");
  specs[1].set_absolute_max(800);
  specs[2].set_name("latency_p99");
  return specs;
}

MetricValue ComputeMetric(const ResolvedSpec& spec, const Bucket& merged) {
  const double nan = std::nan("");
  switch (spec.kind) {
    case conclave::v1::METRIC_KIND_ERROR_RATE:
      if (merged.requests == 0) return {nan, 0};
      return {static_cast<double>(merged.errors) / static_cast<double>(merged.requests),
              merged.requests};
    case conclave::v1::METRIC_KIND_LATENCY_QUANTILE:
      return {merged.latency_ms.Quantile(spec.quantile), merged.latency_ms.count()};
    default:
      break;
  }
  auto it = merged.gauges.find(spec.gauge);
  if (it == merged.gauges.end() || it->second.count == 0) return {nan, 0};
  const GaugeSummary& g = it->second;
  switch (spec.aggregation) {
    case conclave::v1::AGGREGATION_MAX:
      return {g.max, g.count};
    case conclave::v1::AGGREGATION_LAST:
      return {g.last, g.count};
    case conclave::v1::AGGREGATION_SUM:
      return {g.sum, g.count};
    default:
      return {g.mean(), g.count};
  }
}

Bucket MergeBuckets(const std::vector<Bucket>& buckets, double accuracy) {
  Bucket merged(accuracy);
  for (const Bucket& b : buckets) merged.Merge(b);
  return merged;
}

}  // namespace conclave::metrics_agent
