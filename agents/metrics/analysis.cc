#include "agents/metrics/analysis.h"

#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "agents/metrics/metric_spec.h"

namespace conclave::metrics_agent {
namespace {

namespace v1 = conclave::v1;

struct MeanStd {
  double mean = 0;
  double stddev = 0;
};

MeanStd Summarize(const std::vector<double>& v, size_t n) {
  MeanStd m;
  if (n == 0) return m;
  m.mean =
      std::accumulate(v.begin(), v.begin() + static_cast<long>(n), 0.0) / static_cast<double>(n);
  double ss = 0;
  for (size_t i = 0; i < n; ++i) ss += (v[i] - m.mean) * (v[i] - m.mean);
  m.stddev = n > 1 ? std::sqrt(ss / static_cast<double>(n - 1)) : 0;
  return m;
}

v1::Trend TrendOf(double ewma, const MeanStd& base, bool higher_is_worse) {
  const double diff = ewma - base.mean;
  if (std::fabs(diff) <= base.stddev) return v1::TREND_STABLE;
  return (diff > 0) == higher_is_worse ? v1::TREND_DEGRADING : v1::TREND_IMPROVING;
}

v1::Gate MakeGate(const std::string& name, double max, v1::Aggregation aggregation) {
  v1::Gate g;
  g.mutable_metric()->set_name(name);
  g.mutable_metric()->set_aggregation(aggregation);
  g.set_max(max);
  return g;
}

v1::GateResult EvaluateGate(const ResolvedSpec& spec, double max, const Bucket& merged) {
  const MetricValue m = ComputeMetric(spec, merged);
  v1::GateResult r;
  r.set_name(spec.name);
  r.set_value(m.value);
  r.set_max(max);
  r.set_samples(m.samples);
  if (m.samples == 0 || std::isnan(m.value)) {
    r.set_verdict(v1::CANARY_VERDICT_NO_DATA);
    r.set_reason(absl::StrCat(spec.name, ": no data"));
  } else if (m.value > max) {
    r.set_verdict(v1::CANARY_VERDICT_FAIL);
    r.set_reason(
        absl::StrFormat("%s: %.6g > %.6g (%d samples)", spec.name, m.value, max, m.samples));
  } else {
    r.set_verdict(v1::CANARY_VERDICT_PASS);
    r.set_reason(absl::StrFormat("%s: %.6g <= %.6g", spec.name, m.value, max));
  }
  return r;
}

}  // namespace

absl::StatusOr<v1::DetectAnomaliesResponse> AnalyzeSeries(const std::vector<double>& raw,
                                                          const v1::DetectAnomaliesRequest& p) {
  const double sigmas = p.sigmas() > 0 ? p.sigmas() : 3.0;
  const double lambda = p.ewma_alpha() > 0 ? p.ewma_alpha() : 0.3;
  if (lambda > 1) return absl::InvalidArgumentError("ewma_alpha must be in (0, 1]");
  std::vector<double> values;
  for (double v : raw) {
    if (!std::isnan(v)) values.push_back(v);
  }
  const size_t base_n = p.baseline_points() > 0
                            ? std::min<size_t>(p.baseline_points(), values.size())
                            : values.size() / 2;
  const MeanStd base = Summarize(values, base_n);
  v1::DetectAnomaliesResponse out;
  out.set_baseline_mean(base.mean);
  out.set_baseline_stddev(base.stddev);
  out.set_points(static_cast<uint32_t>(values.size() - base_n));
  if (base_n == 0 || values.size() == base_n) {
    out.set_trend(v1::TREND_UNSPECIFIED);
    return out;
  }
  double ewma = base.mean;
  for (size_t i = base_n; i < values.size(); ++i) {
    const double x = values[i];
    if (std::fabs(x - base.mean) > sigmas * base.stddev && x != base.mean) {
      out.add_anomaly_indexes(static_cast<uint32_t>(i - base_n));
      out.add_anomaly_values(x);
    }
    ewma = lambda * x + (1 - lambda) * ewma;
  }
  out.set_ewma(ewma);
  out.set_ewma_change(base.mean != 0 ? (ewma - base.mean) / std::fabs(base.mean) : 0);
  out.set_trend(TrendOf(ewma, base, !p.has_higher_is_worse() || p.higher_is_worse()));
  return out;
}

absl::StatusOr<v1::DetectAnomaliesResponse> DetectAnomalies(const v1::DetectAnomaliesRequest& r,
                                                            const SampleStore& store,
                                                            absl::Time now) {
  if (!r.values().empty()) {
    return AnalyzeSeries(std::vector<double>(r.values().begin(), r.values().end()), r);
  }
  if (r.service().empty() || r.version().empty() || r.metric().name().empty()) {
    return absl::InvalidArgumentError(
        "detect anomalies: give values, or service, version and metric");
  }
  auto spec = ResolveSpec(r.metric());
  if (!spec.ok()) return spec.status();
  const absl::Duration d = r.has_duration() ? FromProtoDuration(r.duration()) : absl::Minutes(5);
  std::vector<double> series;
  for (const Bucket& b : store.Collect(r.service(), r.version(), now - d, now)) {
    series.push_back(ComputeMetric(*spec, b).value);
  }
  return AnalyzeSeries(series, r);
}

std::vector<v1::Gate> DefaultGates(double cost_budget) {
  std::vector<v1::Gate> gates = {MakeGate("latency_p95", 800, v1::AGGREGATION_UNSPECIFIED),
                                 MakeGate("error_rate", 0.05, v1::AGGREGATION_UNSPECIFIED)};
  if (cost_budget > 0) gates.push_back(MakeGate("cost", 0.8 * cost_budget, v1::AGGREGATION_LAST));
  gates.push_back(MakeGate("retries", 3, v1::AGGREGATION_MAX));
  return gates;
}

absl::StatusOr<v1::EvaluateGatesResponse> EvaluateGates(const v1::EvaluateGatesRequest& r,
                                                        const SampleStore& store, absl::Time now) {
  if (r.service().empty() || r.version().empty()) {
    return absl::InvalidArgumentError("evaluate gates: service and version are required");
  }
  const absl::Duration d =
      r.has_duration() && FromProtoDuration(r.duration()) > absl::ZeroDuration()
          ? FromProtoDuration(r.duration())
          : absl::Seconds(60);
  const Bucket merged = MergeBuckets(store.Collect(r.service(), r.version(), now - d, now),
                                     store.options().sketch_accuracy);
  const bool defaults = r.gates().empty();
  const auto gates = defaults ? DefaultGates(r.cost_budget())
                              : std::vector<v1::Gate>(r.gates().begin(), r.gates().end());
  v1::EvaluateGatesResponse out;
  int worst = 0;  // 0 pass, 1 no data, 2 fail
  for (const v1::Gate& gate : gates) {
    auto spec = ResolveSpec(gate.metric());
    if (!spec.ok()) return spec.status();
    // A default gauge gate applies only to services that report that gauge.
    if (defaults && spec->kind == v1::METRIC_KIND_GAUGE && !merged.gauges.count(spec->gauge)) {
      continue;
    }
    v1::GateResult result = EvaluateGate(*spec, gate.max(), merged);
    worst = std::max(worst, result.verdict() == v1::CANARY_VERDICT_FAIL      ? 2
                            : result.verdict() == v1::CANARY_VERDICT_NO_DATA ? 1
                                                                             : 0);
    *out.add_gates() = std::move(result);
  }
  out.set_verdict(worst == 2                          ? v1::CANARY_VERDICT_FAIL
                  : worst == 1 || out.gates().empty() ? v1::CANARY_VERDICT_NO_DATA
                                                      : v1::CANARY_VERDICT_PASS);
  return out;
}

}  // namespace conclave::metrics_agent
