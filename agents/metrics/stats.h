// The statistical tests of the canary judge (formulas in docs/METRICS.md).
//
// RatioEProcess is anytime-valid: an e-process for "events (errors, or requests slower than a
// fixed threshold) are no more frequent in the canary than in the stable version". Given an
// event in a time bucket where the canary served a share rho of the requests, under the null
// it came from the canary with probability rho; under the alternative "canary events are r
// times as frequent" with probability rho*r / (rho*r + 1 - rho). The likelihood ratio over a
// fixed prior on r > 1 is a nonnegative supermartingale of mean <= 1 under the null, so by
// Ville's inequality P(ever >= 1/alpha) <= alpha, however often it is looked at.
//
// The fixed-window tests (Mann-Whitney U, two-proportion z, Welch) are valid for one look.
// All are value objects or pure functions; not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "agents/metrics/ddsketch.h"

namespace conclave::metrics_agent {

class RatioEProcess {
 public:
  // Mixture over the default grid of event-rate ratios r (1.05 .. 10), uniform weights.
  RatioEProcess();
  explicit RatioEProcess(std::vector<double> ratios);

  // Adds one time bucket: requests and events of each version.
  void Update(uint64_t canary_requests, uint64_t canary_events, uint64_t stable_requests,
              uint64_t stable_events);

  // log of the e-value now, and the running maximum since the start.
  double log_e() const;
  double max_log_e() const { return max_log_e_; }

 private:
  std::vector<double> log_ratios_;
  // Log likelihood ratio so far, per ratio in the grid.
  std::vector<double> log_lr_;
  double max_log_e_ = 0;
};

// log e-value against "events happen in at most a share p0 of trials", after `events` in `n`:
// the likelihood ratio of p1 = r * p0 to p0, mixed uniformly over a grid of r > 1. Its value
// after every trial is a nonnegative supermartingale under the null, so by Ville's inequality
// it ever reaches 1/alpha with probability <= alpha: anytime-valid, like RatioEProcess.
double ShareExceedsLogE(uint64_t events, uint64_t n, double p0);

// One-sided tests that the canary is larger (worse) than stable.
struct TestResult {
  double statistic = 0;  // U, z or t
  double p_value = 1;
};

// Mann-Whitney U of canary over stable, from sketch bins (values in one bin are ties), with
// the tie-corrected normal approximation and continuity correction. p = 1 when either is empty.
TestResult MannWhitneyGreater(const DDSketch& canary, const DDSketch& stable);
// The same on raw values (exact ranks with mid-ranks for ties).
TestResult MannWhitneyGreater(const std::vector<double>& canary, const std::vector<double>& stable);
// Pooled two-proportion z-test that canary_events/canary_n > stable_events/stable_n.
TestResult TwoProportionGreater(uint64_t canary_events, uint64_t canary_n, uint64_t stable_events,
                                uint64_t stable_n);
// Welch's test of means, normal approximation (p = 1 when a side has fewer than 2 values).
TestResult WelchGreater(double canary_mean, double canary_variance, uint64_t canary_n,
                        double stable_mean, double stable_variance, uint64_t stable_n);

// P(Z > z) for a standard normal Z.
double NormalUpperTail(double z);

}  // namespace conclave::metrics_agent
