// Benchmark: Conclave's canary judge, asked every second, next to a Flagger-default rule
// (60 s interval, failure threshold 5, thresholds at the judge's default tolerances) on the
// same seeded simulated streams (tests/unit/agents/metrics/canary_sim.h). Prints, per
// scenario, how many canaries each rule rolled back and the median / p90 time to do so.
// Run counts: CONCLAVE_JUDGE_BENCH_HEALTHY (default 500), CONCLAVE_JUDGE_BENCH_REGRESSED
// (default 200); canary length CONCLAVE_JUDGE_BENCH_SECONDS (default 420).
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/unit/agents/metrics/canary_sim.h"

namespace conclave::metrics_agent {
namespace {

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && std::atoi(v) > 0 ? std::atoi(v) : fallback;
}

struct Summary {
  int runs = 0, conclave = 0, flagger = 0;
  std::vector<int> conclave_seconds, flagger_seconds;
};

Summary RunScenario(const sim::Scenario& s, int runs, uint64_t first_seed) {
  Summary out;
  out.runs = runs;
  std::mutex mu;
  std::atomic<int> next{0};
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < runs; i = next++) {
        const sim::RunResult r = sim::Simulate(s, first_seed + static_cast<uint64_t>(i));
        std::lock_guard<std::mutex> lock(mu);
        if (r.conclave.failed) out.conclave_seconds.push_back(r.conclave.second);
        if (r.flagger.failed) out.flagger_seconds.push_back(r.flagger.second);
      }
    });
  }
  for (auto& t : pool) t.join();
  out.conclave = static_cast<int>(out.conclave_seconds.size());
  out.flagger = static_cast<int>(out.flagger_seconds.size());
  return out;
}

std::string Quantile(std::vector<int> v, double q) {
  if (v.empty()) return "-";
  std::sort(v.begin(), v.end());
  return std::to_string(v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))]) + " s";
}

void PrintRow(const char* name, const Summary& s) {
  auto pct = [&](int n) { return 100.0 * n / s.runs; };
  std::printf("| %-28s | %4d | %5.1f %% | %7s | %7s | %5.1f %% | %7s | %7s |\n", name, s.runs,
              pct(s.conclave), Quantile(s.conclave_seconds, 0.5).c_str(),
              Quantile(s.conclave_seconds, 0.9).c_str(), pct(s.flagger),
              Quantile(s.flagger_seconds, 0.5).c_str(), Quantile(s.flagger_seconds, 0.9).c_str());
}

TEST(JudgeBench, FalseRollbacksAndDetectionAgainstFlaggerDefaults) {
  sim::Scenario base;
  base.canary_seconds = EnvInt("CONCLAVE_JUDGE_BENCH_SECONDS", 420);
  const int healthy_runs = EnvInt("CONCLAVE_JUDGE_BENCH_HEALTHY", 500);
  const int regressed_runs = EnvInt("CONCLAVE_JUDGE_BENCH_REGRESSED", 200);
  std::printf(
      "stable %.0f rps, canary %.0f rps, errors %.1f %%, latency log-normal median %.0f ms "
      "sigma %.2f (p95 %.0f ms); canary runs %d s after %d s of stable history; Conclave asked "
      "every %d s (alpha %.2f); Flagger rule every %d s, rollback after %d failed checks, "
      "error rate > %.1f %% or p95 > %.0f ms\n\n",
      base.stable_rps, base.canary_rps, 100 * base.stable_error, base.latency_median_ms,
      base.latency_sigma, sim::TrueP95(base), base.canary_seconds, base.warmup_seconds,
      base.check_every, base.alpha, base.flagger_interval, base.flagger_threshold,
      100 * base.flagger_max_error_rate, 1.05 * sim::TrueP95(base));
  std::printf("| %-28s | %4s | %7s | %7s | %7s | %7s | %7s | %7s |\n", "scenario", "runs",
              "Conclave", "median", "p90", "Flagger", "median", "p90");
  std::printf("|%s|\n", std::string(100, '-').c_str());

  const Summary healthy = RunScenario(base, healthy_runs, 100000);
  PrintRow("healthy (false rollbacks)", healthy);
  sim::Scenario errors = base;
  errors.canary_error = base.stable_error + 0.01;
  const Summary err = RunScenario(errors, regressed_runs, 200000);
  PrintRow("+1 point error rate", err);
  sim::Scenario slow = base;
  slow.canary_latency_scale = 1.10;
  const Summary lat = RunScenario(slow, regressed_runs, 300000);
  PrintRow("+10 % p95 latency", lat);

  EXPECT_LE(healthy.conclave * 100, healthy.runs) << "false rollbacks above 1 %";
  EXPECT_GE(err.conclave * 10, regressed_runs * 9);
  EXPECT_GE(lat.conclave * 10, regressed_runs * 9);
}

}  // namespace
}  // namespace conclave::metrics_agent
