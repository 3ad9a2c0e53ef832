// CanaryJudge: judges the canary version of a service against its stable version over a
// window of a SampleStore: threshold gates plus a statistical comparison per metric, combined
// into PASS / FAIL / INCONCLUSIVE / NO_DATA (rules and formulas in docs/METRICS.md). Free of
// transport: the gRPC service and the bus worker both call Judge(). Thread-safe (reads the
// store under its locks; keeps no state between calls).
#pragma once

#include <limits>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agents/metrics/metric_spec.h"
#include "agents/metrics/window.h"
#include "common/clock/clock.h"
#include "conclave/v1/metrics.pb.h"

namespace conclave::metrics_agent {

struct JudgeOptions {
  // Buckets younger than this are left out of the sequential tests: samples may still arrive
  // for them (reporters flush every 250 ms), and a test must only see settled history.
  absl::Duration settle = absl::Seconds(1);
  // The latency tests compare against stable's quantile measured in this span before the
  // window (or, lacking min_calibration stable requests there, at the window's start).
  absl::Duration calibration = absl::Seconds(60);
  uint64_t min_calibration = 100;
  double default_alpha = 0.01;
  absl::Duration default_duration = absl::Seconds(60);
};

// What one metric's comparison found: each version's value and sample count, and the
// statistical test with its statistic, the bound it is compared against, and the outcome.
struct MetricEvidence {
  MetricValue canary{std::numeric_limits<double>::quiet_NaN(), 0};
  MetricValue stable{std::numeric_limits<double>::quiet_NaN(), 0};
  std::string statistic = "none";
  double statistic_value = 0;
  double statistic_threshold = 0;
  bool significant = false;
  // Whether the absolute gate's breach is itself significant (an anytime-valid e-value of the
  // error or slow-request share over what the gate allows, at 1/alpha). Without counts behind
  // the value (gauges, Prometheus) a breach with min_samples is enough.
  bool gate_significant = true;
  // Whether `significant` and `gate_significant` come from e-processes. Their error control
  // holds at every sample size (and they keep their running maximum, so waiting for
  // min_samples would only delay a FAIL already earned), so a significant degradation fails
  // before min_samples; min_samples still guards PASS.
  bool anytime_valid = false;
  bool gate_anytime_valid = false;
};

// The verdict of one metric from its evidence (rules in docs/METRICS.md, in order): no canary
// data -> NO_DATA; canary over the absolute max -> FAIL; no stable data -> NO_DATA; too few
// samples -> INCONCLUSIVE; over stable + tolerance and significant -> FAIL; over it but not
// significant -> INCONCLUSIVE; else PASS.
conclave::v1::MetricResult DecideMetric(const ResolvedSpec& spec, const MetricEvidence& evidence);
// The overall verdict: FAIL beats NO_DATA beats INCONCLUSIVE beats PASS; no metrics: NO_DATA.
void CombineVerdicts(conclave::v1::JudgeResponse* response);
// Checks the request's service, versions and alpha.
absl::Status ValidateJudgeRequest(const conclave::v1::JudgeRequest& request);

class CanaryJudge {
 public:
  // `store` and `clock` must outlive the judge.
  CanaryJudge(const SampleStore* store, Clock* clock, JudgeOptions options = {});

  // InvalidArgument for a request without service or versions, or with a bad metric spec.
  absl::StatusOr<conclave::v1::JudgeResponse> Judge(
      const conclave::v1::JudgeRequest& request) const;

 private:
  const SampleStore* store_;
  Clock* clock_;
  JudgeOptions options_;
};

}  // namespace conclave::metrics_agent
