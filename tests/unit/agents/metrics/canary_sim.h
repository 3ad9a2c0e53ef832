// A seeded simulation of a canary next to its stable version, shared by the judge's
// statistical tests and the judge benchmark (tests/bench/judge). Each simulated second, each
// version serves Poisson(rps) requests with Bernoulli errors and log-normal latencies; the
// same stream (same seed) is judged by Conclave's CanaryJudge, asked every check_every seconds
// over the window since the canary started, and by a Flagger-default rule: every 60 s the
// canary's error rate and p95 over the last 60 s against fixed thresholds, rollback after 5
// failed checks. Header-only; not thread-safe (one simulation per thread).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "agents/metrics/judge.h"
#include "agents/metrics/window.h"
#include "common/clock/clock.h"
#include "conclave/v1/metrics.pb.h"

namespace conclave::metrics_agent::sim {

struct Scenario {
  double stable_rps = 450;
  double canary_rps = 50;
  double stable_error = 0.01;
  double canary_error = 0.01;
  double latency_median_ms = 100;
  double latency_sigma = 0.5;
  // Multiplies every canary latency: 1.1 is +10 % on every quantile, p95 included.
  double canary_latency_scale = 1.0;
  // Stable-only traffic before the canary starts (the judge's latency calibration).
  int warmup_seconds = 60;
  // How long the canary runs (the analysis), and how often Conclave's judge is asked.
  int canary_seconds = 600;
  int check_every = 1;
  double alpha = 0.01;
  // The Flagger-default rule: interval, failure threshold, and its metric thresholds, set to
  // the same tolerances as the judge's defaults on the known stable values.
  int flagger_interval = 60;
  int flagger_threshold = 5;
  double flagger_max_error_rate = 0.015;
  double flagger_max_p95_ms = 0;  // 0: 1.05 x stable's true p95
};

// When a rule first failed the canary; failed = false when it never did.
struct Detection {
  bool failed = false;
  int second = -1;  // seconds since the canary started
  std::string metric;
};

struct RunResult {
  Detection conclave;
  Detection flagger;
};

inline double TrueP95(const Scenario& s) {
  return s.latency_median_ms * std::exp(1.6448536269514722 * s.latency_sigma);
}

class CanaryRun {
 public:
  CanaryRun(const Scenario& s, uint64_t seed)
      : s_(s),
        rng_(seed),
        store_(WindowOptions{absl::Seconds(1),
                             absl::Seconds(s.warmup_seconds + s.canary_seconds + 120), 0.01}),
        judge_(&store_, &clock_) {}

  RunResult Run() {
    const absl::Time begin = clock_.Now();
    for (int t = 0; t < s_.warmup_seconds; ++t) Second(false);
    canary_start_ = clock_.Now();
    (void)begin;
    RunResult result;
    for (int t = 1; t <= s_.canary_seconds; ++t) {
      Second(true);
      if (!result.conclave.failed && t % s_.check_every == 0) CheckConclave(t, &result.conclave);
      if (!result.flagger.failed && t % s_.flagger_interval == 0) CheckFlagger(t, &result.flagger);
      if (result.conclave.failed && result.flagger.failed) break;
    }
    return result;
  }

 private:
  // One simulated second of traffic; the clock ends at its end.
  void Second(bool with_canary) {
    const absl::Time start = clock_.Now();
    Serve("v1", s_.stable_rps, s_.stable_error, 1.0, start, nullptr);
    if (with_canary) {
      Serve("v2", s_.canary_rps, s_.canary_error, s_.canary_latency_scale, start, &flagger_);
    }
    clock_.Advance(absl::Seconds(1));
  }

  void Serve(const char* version, double rps, double error, double scale, absl::Time start,
             std::vector<std::vector<double>>* flagger) {
    const int n = std::poisson_distribution<int>(rps)(rng_);
    std::bernoulli_distribution is_error(error);
    std::lognormal_distribution<double> latency(std::log(s_.latency_median_ms), s_.latency_sigma);
    conclave::v1::Sample sample;
    sample.set_service("sim");
    sample.set_version(version);
    std::vector<double> errors_and_latencies;
    int errors = 0;
    for (int i = 0; i < n; ++i) {
      const bool err = is_error(rng_);
      const double ms = latency(rng_) * scale;
      errors += err;
      sample.set_outcome(err ? conclave::v1::REQUEST_OUTCOME_ERROR
                             : conclave::v1::REQUEST_OUTCOME_OK);
      const int64_t ns = static_cast<int64_t>(ms * 1e6);
      sample.mutable_latency()->set_seconds(ns / 1000000000);
      sample.mutable_latency()->set_nanos(static_cast<int32_t>(ns % 1000000000));
      ToProtoTime(start + absl::Milliseconds(1000.0 * (i + 0.5) / n), sample.mutable_timestamp());
      (void)store_.Add(sample, start);
      errors_and_latencies.push_back(ms);
    }
    if (flagger != nullptr) {
      flagger_errors_.push_back(errors);
      flagger->push_back(std::move(errors_and_latencies));
    }
  }

  void CheckConclave(int t, Detection* d) {
    conclave::v1::JudgeRequest request;
    request.set_service("sim");
    request.set_canary_version("v2");
    request.set_stable_version("v1");
    request.set_alpha(s_.alpha);
    ToProtoTime(canary_start_, request.mutable_start());
    ToProtoDuration(absl::Seconds(s_.canary_seconds), request.mutable_duration());
    auto response = judge_.Judge(request);
    if (!response.ok() || response->verdict() != conclave::v1::CANARY_VERDICT_FAIL) return;
    d->failed = true;
    d->second = t;
    for (const auto& m : response->metrics()) {
      if (m.verdict() == conclave::v1::CANARY_VERDICT_FAIL) d->metric = m.name();
    }
  }

  void CheckFlagger(int t, Detection* d) {
    // The last interval's requests of the canary.
    std::vector<double> latencies;
    int requests = 0, errors = 0;
    for (int i = t - s_.flagger_interval; i < t; ++i) {
      errors += flagger_errors_[static_cast<size_t>(i)];
      requests += static_cast<int>(flagger_[static_cast<size_t>(i)].size());
      latencies.insert(latencies.end(), flagger_[static_cast<size_t>(i)].begin(),
                       flagger_[static_cast<size_t>(i)].end());
    }
    const double max_p95 = s_.flagger_max_p95_ms > 0 ? s_.flagger_max_p95_ms : 1.05 * TrueP95(s_);
    bool failed = requests == 0;  // Flagger fails a check whose query returns no data
    std::string metric = failed ? "no data" : "";
    if (!failed && static_cast<double>(errors) / requests > s_.flagger_max_error_rate) {
      failed = true;
      metric = "error_rate";
    }
    if (!failed) {
      const size_t k =
          static_cast<size_t>(std::floor(0.95 * static_cast<double>(latencies.size() - 1)));
      std::nth_element(latencies.begin(), latencies.begin() + static_cast<long>(k),
                       latencies.end());
      if (latencies[k] > max_p95) {
        failed = true;
        metric = "latency_p95";
      }
    }
    if (failed && ++flagger_failed_checks_ >= s_.flagger_threshold) {
      d->failed = true;
      d->second = t;
      d->metric = metric;
    }
  }

  Scenario s_;
  std::mt19937_64 rng_;
  FakeClock clock_;
  SampleStore store_;
  CanaryJudge judge_;
  absl::Time canary_start_;
  std::vector<std::vector<double>> flagger_;
  std::vector<int> flagger_errors_;
  int flagger_failed_checks_ = 0;
};

inline RunResult Simulate(const Scenario& s, uint64_t seed) { return CanaryRun(s, seed).Run(); }

}  // namespace conclave::metrics_agent::sim
