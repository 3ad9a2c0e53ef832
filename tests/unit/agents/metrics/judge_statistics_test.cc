// Statistical properties of the canary judge, measured over many seeded simulated canaries
// (tests/unit/agents/metrics/canary_sim.h): asked every second, the judge must almost never
// fail a healthy canary, and must catch a +1 point error rate and a +10 % p95 latency.
#include <cstdio>

#include "gtest/gtest.h"
#include "tests/unit/agents/metrics/canary_sim.h"

namespace conclave::metrics_agent {
namespace {

struct Tally {
  int runs = 0, detected = 0;
  std::vector<int> seconds;
};

Tally RunMany(const sim::Scenario& s, int runs, uint64_t first_seed) {
  Tally t;
  for (int i = 0; i < runs; ++i) {
    const sim::RunResult r = sim::Simulate(s, first_seed + static_cast<uint64_t>(i));
    ++t.runs;
    if (r.conclave.failed) {
      ++t.detected;
      t.seconds.push_back(r.conclave.second);
      std::printf("seed %llu: failed at %d s on %s\n",
                  static_cast<unsigned long long>(first_seed + static_cast<uint64_t>(i)),
                  r.conclave.second, r.conclave.metric.c_str());
    }
  }
  std::printf("seeds %llu..%llu: %d of %d runs failed\n",
              static_cast<unsigned long long>(first_seed),
              static_cast<unsigned long long>(first_seed + runs - 1), t.detected, t.runs);
  return t;
}

TEST(JudgeStatisticsTest, ContinuousCheckingRarelyFailsAHealthyCanary) {
  sim::Scenario s;
  s.canary_seconds = 120;  // 120 looks each
  const Tally t = RunMany(s, 500, 1000);
  EXPECT_LE(t.detected, 5) << "false-FAIL rate above 1 % over 500 healthy canaries";
}

TEST(JudgeStatisticsTest, DetectsOnePointMoreErrors) {
  sim::Scenario s;
  s.canary_seconds = 180;
  s.canary_error = 0.02;
  const Tally t = RunMany(s, 40, 5000);
  EXPECT_GE(t.detected, 36) << "detected fewer than 90 % of +1 point error-rate canaries";
}

TEST(JudgeStatisticsTest, DetectsTenPercentSlowerP95) {
  sim::Scenario s;
  s.canary_seconds = 180;
  s.canary_latency_scale = 1.10;
  const Tally t = RunMany(s, 40, 9000);
  EXPECT_GE(t.detected, 36) << "detected fewer than 90 % of +10 % p95 canaries";
}

}  // namespace
}  // namespace conclave::metrics_agent
