#include "agents/metrics/judge.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "agents/metrics/metric_spec.h"
#include "agents/metrics/stats.h"

namespace conclave::metrics_agent {
namespace {

namespace v1 = conclave::v1;

// The data of one judgment, read from the store once.
struct Window {
  absl::Time start, end;
  // Last bucket the sequential tests may use.
  int64_t settled_last = 0;
  std::vector<Bucket> canary, stable, calibration;
  Bucket canary_total{0.01}, stable_total{0.01};
};

using Evidence = MetricEvidence;

struct BucketPair {
  const Bucket* canary;
  const Bucket* stable;
};

// Pairs the buckets of both versions by index, up to `last`; a side without a bucket gets
// `empty`.
std::vector<BucketPair> Align(const std::vector<Bucket>& c, const std::vector<Bucket>& s,
                              int64_t last, const Bucket* empty) {
  std::vector<BucketPair> pairs;
  size_t a = 0, b = 0;
  while (a < c.size() || b < s.size()) {
    const int64_t index =
        std::min(a < c.size() ? c[a].index : INT64_MAX, b < s.size() ? s[b].index : INT64_MAX);
    if (index > last) break;
    const Bucket* cb = (a < c.size() && c[a].index == index) ? &c[a++] : empty;
    const Bucket* sb = (b < s.size() && s[b].index == index) ? &s[b++] : empty;
    pairs.push_back({cb, sb});
  }
  return pairs;
}

double ExpCapped(double x) { return std::exp(std::min(x, 700.0)); }

void SetEValue(const RatioEProcess& e, double alpha, Evidence* ev) {
  ev->statistic = "e_value";
  ev->statistic_value = ExpCapped(e.max_log_e());
  ev->statistic_threshold = 1 / alpha;
  ev->significant = e.max_log_e() >= std::log(1 / alpha);
  ev->anytime_valid = true;
}

void SetPValue(const std::string& name, const TestResult& t, double alpha, Evidence* ev) {
  ev->statistic = name;
  ev->statistic_value = t.p_value;
  ev->statistic_threshold = alpha;
  ev->significant = t.p_value < alpha;
}

void ErrorRateTest(const Window& w, v1::TestMode mode, double alpha, const Bucket* empty,
                   Evidence* ev) {
  if (mode == v1::TEST_MODE_FIXED_WINDOW) {
    SetPValue("z_test_p",
              TwoProportionGreater(w.canary_total.errors, w.canary_total.requests,
                                   w.stable_total.errors, w.stable_total.requests),
              alpha, ev);
    return;
  }
  RatioEProcess e;
  for (const BucketPair& p : Align(w.canary, w.stable, w.settled_last, empty)) {
    e.Update(p.canary->requests, p.canary->errors, p.stable->requests, p.stable->errors);
  }
  SetEValue(e, alpha, ev);
}

// Runs the slow-request e-process over `pairs` with "slow" = a bin above `threshold_index`.
RatioEProcess SlowRequestEProcess(const std::vector<BucketPair>& pairs, size_t first,
                                  int threshold_index) {
  RatioEProcess e;
  for (size_t i = first; i < pairs.size(); ++i) {
    const DDSketch& c = pairs[i].canary->latency_ms;
    const DDSketch& s = pairs[i].stable->latency_ms;
    e.Update(c.count(), c.CountAbove(threshold_index), s.count(), s.CountAbove(threshold_index));
  }
  return e;
}

void LatencyTest(const ResolvedSpec& spec, const Window& w, const JudgeOptions& o,
                 v1::TestMode mode, double alpha, const Bucket* empty, Evidence* ev) {
  if (mode == v1::TEST_MODE_FIXED_WINDOW) {
    SetPValue("mann_whitney_p",
              MannWhitneyGreater(w.canary_total.latency_ms, w.stable_total.latency_ms), alpha, ev);
    return;
  }
  const std::vector<BucketPair> pairs = Align(w.canary, w.stable, w.settled_last, empty);
  DDSketch reference(w.canary_total.latency_ms.relative_accuracy());
  for (const Bucket& b : w.calibration) reference.Merge(b.latency_ms);
  size_t first = 0;
  // Without enough history before the window, stable's first requests in it set the
  // threshold, and the test starts after them: the threshold never depends on tested data.
  while (reference.count() < o.min_calibration && first < pairs.size()) {
    reference.Merge(pairs[first++].stable->latency_ms);
  }
  if (reference.count() < o.min_calibration) {
    ev->statistic = "e_value";
    ev->statistic_threshold = 1 / alpha;
    return;
  }
  SetEValue(SlowRequestEProcess(pairs, first, reference.QuantileIndex(spec.quantile)), alpha, ev);
}

void GaugeTest(const ResolvedSpec& spec, const Window& w, double alpha, Evidence* ev) {
  auto c = w.canary_total.gauges.find(spec.gauge);
  auto s = w.stable_total.gauges.find(spec.gauge);
  if (c == w.canary_total.gauges.end() || s == w.stable_total.gauges.end()) {
    ev->statistic = "welch_p";
    ev->statistic_value = 1;
    ev->statistic_threshold = alpha;
    return;
  }
  SetPValue("welch_p",
            WelchGreater(c->second.mean(), c->second.variance(), c->second.count, s->second.mean(),
                         s->second.variance(), s->second.count),
            alpha, ev);
}

double DegradationThreshold(const ResolvedSpec& spec, double stable) {
  return stable + std::max(spec.relative_tolerance * std::fabs(stable), spec.absolute_tolerance);
}

std::string Fmt(double v) { return absl::StrFormat("%.6g", v); }

void SetVerdict(v1::CanaryVerdict verdict, std::string reason, v1::MetricResult* r) {
  r->set_verdict(verdict);
  r->set_reason(std::move(reason));
}

// A breach of the absolute gate counts only when the share of errors (or of requests slower
// than the gate) is significantly above what the gate allows, so that a handful of requests
// cannot fail a canary by chance.
void GateEvidence(const ResolvedSpec& spec, const Window& w, double alpha, Evidence* ev) {
  if (!spec.absolute_max) return;
  const Bucket& c = w.canary_total;
  double log_e = 0;
  if (spec.kind == v1::METRIC_KIND_ERROR_RATE) {
    log_e = ShareExceedsLogE(c.errors, c.requests, *spec.absolute_max);
  } else if (spec.kind == v1::METRIC_KIND_LATENCY_QUANTILE) {
    const DDSketch& l = c.latency_ms;
    log_e =
        ShareExceedsLogE(l.CountAbove(l.IndexOf(*spec.absolute_max)), l.count(), 1 - spec.quantile);
  } else {
    return;
  }
  ev->gate_significant = log_e >= std::log(1 / alpha);
  ev->gate_anytime_valid = true;
}

// FAIL beats NO_DATA beats INCONCLUSIVE beats PASS.
int Severity(v1::CanaryVerdict v) {
  switch (v) {
    case v1::CANARY_VERDICT_FAIL:
      return 3;
    case v1::CANARY_VERDICT_NO_DATA:
      return 2;
    case v1::CANARY_VERDICT_INCONCLUSIVE:
      return 1;
    default:
      return 0;
  }
}

// The verdict rules of docs/METRICS.md, in order.
void DecideInto(const ResolvedSpec& spec, const Evidence& ev, v1::MetricResult* r) {
  const double c = ev.canary.value, s = ev.stable.value;
  const uint64_t nc = ev.canary.samples, ns = ev.stable.samples;
  if (nc == 0 || std::isnan(c)) {
    return SetVerdict(v1::CANARY_VERDICT_NO_DATA, absl::StrCat(spec.name, ": no canary data"), r);
  }
  if (spec.absolute_max && (nc >= spec.min_samples || ev.gate_anytime_valid) &&
      c > *spec.absolute_max && ev.gate_significant) {
    r->set_threshold(*spec.absolute_max);
    return SetVerdict(v1::CANARY_VERDICT_FAIL,
                      absl::StrCat(spec.name, ": canary ", Fmt(c), " > absolute max ",
                                   Fmt(*spec.absolute_max), " (", nc, " samples)"),
                      r);
  }
  if (ns == 0 || std::isnan(s)) {
    return SetVerdict(v1::CANARY_VERDICT_NO_DATA, absl::StrCat(spec.name, ": no stable data"), r);
  }
  const double threshold = DegradationThreshold(spec, s);
  r->set_threshold(threshold);
  const std::string versus =
      absl::StrCat(spec.name, ": canary ", Fmt(c), " vs stable ", Fmt(s), " (threshold ",
                   Fmt(threshold), ", ", ev.statistic, " ", Fmt(ev.statistic_value), ")");
  if (c > threshold && ev.significant && ev.anytime_valid) {
    return SetVerdict(v1::CANARY_VERDICT_FAIL, absl::StrCat(versus, ": significant degradation"),
                      r);
  }
  if (nc < spec.min_samples || ns < spec.min_samples) {
    return SetVerdict(v1::CANARY_VERDICT_INCONCLUSIVE,
                      absl::StrCat(spec.name, ": ", nc, " canary and ", ns, " stable samples, ",
                                   spec.min_samples, " needed on each side"),
                      r);
  }
  if (c > threshold && ev.significant) {
    return SetVerdict(v1::CANARY_VERDICT_FAIL, absl::StrCat(versus, ": significant degradation"),
                      r);
  }
  if (c > threshold) {
    return SetVerdict(v1::CANARY_VERDICT_INCONCLUSIVE,
                      absl::StrCat(versus, ": above threshold, not yet significant"), r);
  }
  SetVerdict(v1::CANARY_VERDICT_PASS, versus, r);
}

v1::MetricResult JudgeMetric(const ResolvedSpec& spec, const Window& w, const JudgeOptions& o,
                             v1::TestMode mode, double alpha, const Bucket* empty) {
  Evidence ev;
  ev.canary = ComputeMetric(spec, w.canary_total);
  ev.stable = ComputeMetric(spec, w.stable_total);
  switch (spec.kind) {
    case v1::METRIC_KIND_ERROR_RATE:
      ErrorRateTest(w, mode, alpha, empty, &ev);
      break;
    case v1::METRIC_KIND_LATENCY_QUANTILE:
      LatencyTest(spec, w, o, mode, alpha, empty, &ev);
      break;
    default:
      GaugeTest(spec, w, alpha, &ev);
  }
  GateEvidence(spec, w, alpha, &ev);
  return DecideMetric(spec, ev);
}

}  // namespace

void CombineVerdicts(v1::JudgeResponse* response) {
  v1::CanaryVerdict verdict = v1::CANARY_VERDICT_PASS;
  std::string reason;
  for (const v1::MetricResult& m : response->metrics()) {
    if (Severity(m.verdict()) > Severity(verdict)) {
      verdict = m.verdict();
      reason = m.reason();
    }
  }
  if (response->metrics().empty()) {
    verdict = v1::CANARY_VERDICT_NO_DATA;
    reason = "no metrics";
  }
  response->set_verdict(verdict);
  response->set_reason(verdict == v1::CANARY_VERDICT_PASS ? "every metric passed" : reason);
}

absl::Status ValidateJudgeRequest(const v1::JudgeRequest& r) {
  if (r.service().empty() || r.canary_version().empty() || r.stable_version().empty()) {
    return absl::InvalidArgumentError(
        "judge: service, canary_version and stable_version are required");
  }
  if (r.canary_version() == r.stable_version()) {
    return absl::InvalidArgumentError("judge: canary and stable versions are the same");
  }
  if (r.alpha() < 0 || r.alpha() >= 1)
    return absl::InvalidArgumentError("judge: alpha not in (0, 1)");
  return absl::OkStatus();
}

v1::MetricResult DecideMetric(const ResolvedSpec& spec, const MetricEvidence& ev) {
  v1::MetricResult result;
  v1::MetricResult* r = &result;
  r->set_name(spec.name);
  r->set_canary_value(ev.canary.value);
  r->set_stable_value(ev.stable.value);
  r->set_statistic(ev.statistic);
  r->set_statistic_value(ev.statistic_value);
  r->set_statistic_threshold(ev.statistic_threshold);
  r->set_canary_samples(ev.canary.samples);
  r->set_stable_samples(ev.stable.samples);
  DecideInto(spec, ev, r);
  return result;
}

CanaryJudge::CanaryJudge(const SampleStore* store, Clock* clock, JudgeOptions options)
    : store_(store), clock_(clock), options_(options) {}

absl::StatusOr<v1::JudgeResponse> CanaryJudge::Judge(const v1::JudgeRequest& request) const {
  const absl::Time started = absl::Now();
  if (absl::Status s = ValidateJudgeRequest(request); !s.ok()) return s;
  std::vector<ResolvedSpec> specs;
  const auto given =
      request.metrics().empty()
          ? DefaultJudgeSpecs()
          : std::vector<v1::MetricSpec>(request.metrics().begin(), request.metrics().end());
  for (const v1::MetricSpec& spec : given) {
    auto resolved = ResolveSpec(spec);
    if (!resolved.ok()) return resolved.status();
    specs.push_back(*resolved);
  }
  const absl::Time now = clock_->Now();
  const absl::Duration duration =
      request.has_duration() && FromProtoDuration(request.duration()) > absl::ZeroDuration()
          ? FromProtoDuration(request.duration())
          : options_.default_duration;
  const double accuracy = store_->options().sketch_accuracy;
  Window w;
  w.start = request.has_start() ? FromProtoTime(request.start()) : now - duration;
  w.end = std::min(w.start + duration, now);
  w.settled_last = std::min(store_->BucketIndex(now - options_.settle) - 1,
                            store_->BucketIndex(w.end - absl::Nanoseconds(1)));
  w.canary = store_->Collect(request.service(), request.canary_version(), w.start, w.end);
  w.stable = store_->Collect(request.service(), request.stable_version(), w.start, w.end);
  w.calibration = store_->Collect(request.service(), request.stable_version(),
                                  w.start - options_.calibration, w.start);
  w.canary_total = MergeBuckets(w.canary, accuracy);
  w.stable_total = MergeBuckets(w.stable, accuracy);

  const double alpha = request.alpha() > 0 ? request.alpha() : options_.default_alpha;
  // Bonferroni: the tests share alpha so that the whole judgment's false-alarm rate is <= alpha.
  const double alpha_each = alpha / static_cast<double>(specs.size());
  const Bucket empty(accuracy);
  v1::JudgeResponse response;
  response.set_request_id(request.request_id());
  for (const ResolvedSpec& spec : specs) {
    *response.add_metrics() = JudgeMetric(spec, w, options_, request.mode(), alpha_each, &empty);
  }
  CombineVerdicts(&response);
  ToProtoTime(w.start, response.mutable_window_start());
  ToProtoTime(std::max(w.start, w.end), response.mutable_window_end());
  ToProtoDuration(absl::Now() - started, response.mutable_elapsed());
  return response;
}

}  // namespace conclave::metrics_agent
