// rollback_bench: time from regression onset to traffic back on stable, on the real delivery
// stack (tests/integration/delivery/delivery_system.h: supervisor, reviewers, conclave-metrics,
// conclave-devops, HAProxy, demo v1 and v2) with the shipped prod rollout settings
// (deploy/local/policy.yaml: steps 10/25/50/100, 10 s holds judged every second) and the
// judge's built-in defaults (conclave-metrics without --config).
//
// For each scenario (a canary failing a share of its requests, a canary with added latency)
// one stack is started and a change v1 -> v2 is rolled out `runs` times under 200 rps of load
// through HAProxy. Each run measures, on the load generator's own clock:
//   onset    = the first bad answer from the canary (a 500 from v2, or a v2 answer slower
//              than half the injected latency);
//   restored = the last answer from the canary after onset; from then on all traffic is v1.
// It also prints the supervisor's own conclave_rollout_restore_seconds (FAIL verdict -> weight
// 0 read back) and, as the reference, the Flagger-default rule: analysis every 60 s, rollback
// after 5 failed checks, which cannot act before 5 x 60 s = 300 s after onset.
//
//   flock /tmp/conclave-build.lock ninja -C build rollback_bench && build/bench/rollback_bench
//   CONCLAVE_ROLLBACK_BENCH_RUNS=5 (default)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/integration/delivery/delivery_system.h"

namespace conclave::testing {
namespace {

namespace v1 = conclave::v1;

constexpr int kRps = 200;
constexpr double kErrorRate = 0.1;
constexpr int kLatencyMs = 100;
// The Flagger defaults the issue compares against: interval 60 s, threshold 5.
constexpr double kFlaggerSeconds = 60.0 * 5;

struct Scenario {
  const char* name;
  double error_rate;
  int latency_ms;
};

struct RunResult {
  bool ok = false;
  std::string failure;
  double onset_to_restored_s = 0;   // load generator: first bad v2 answer -> last v2 answer
  double onset_to_recorded_s = 0;   // first bad v2 answer -> ROLLED_BACK recorded
  double supervisor_restore_s = 0;  // conclave_rollout_restore_seconds (this run's share)
  int canary_answers = 0;
  std::string reason;
};

// The sum and count of conclave_rollout_restore_seconds in the supervisor's /metrics.
std::pair<double, double> RestoreHistogram(DeliverySystem& sys) {
  double sum = 0, count = 0;
  auto text = sys.SupervisorMetrics();
  if (!text.ok()) return {0, 0};
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    if (space == absl::string_view::npos) continue;
    double value = 0;
    if (!absl::SimpleAtod(line.substr(space + 1), &value)) continue;
    if (absl::StartsWith(line, "conclave_rollout_restore_seconds_sum")) sum += value;
    if (absl::StartsWith(line, "conclave_rollout_restore_seconds_count")) count += value;
  }
  return {sum, count};
}

bool BadCanaryAnswer(const LoadSample& s, const Scenario& scenario) {
  if (s.version != "v2") return false;
  if (scenario.error_rate > 0) return s.status >= 500;
  return s.received - s.sent >= absl::Milliseconds(scenario.latency_ms / 2);
}

RunResult RunOnce(DeliverySystem& sys, const Scenario& scenario) {
  RunResult r;
  const auto [sum_before, count_before] = RestoreHistogram(sys);
  const absl::Time submitted = absl::Now();
  auto change = sys.SubmitCleanChange("v2", "v1");
  if (!change.ok()) return {.failure = change.status().ToString()};
  auto started = sys.WaitForRolloutOf(*change, absl::Seconds(60));
  if (!started.ok()) return {.failure = started.status().ToString()};
  auto done = sys.WaitForRollout(
      started->id(),
      [](const v1::Rollout& x) {
        return (x.state() == v1::ROLLOUT_STATE_ROLLED_BACK && x.canary_weight() == 0) ||
               x.state() == v1::ROLLOUT_STATE_SUCCEEDED || x.state() == v1::ROLLOUT_STATE_PAUSED;
      },
      absl::Seconds(120));
  if (!done.ok()) return {.failure = done.status().ToString()};
  if (done->state() != v1::ROLLOUT_STATE_ROLLED_BACK) {
    return {.failure = absl::StrCat("not rolled back: ", done->reason())};
  }
  // Let answers already in flight come back before reading the stream.
  absl::SleepFor(absl::Seconds(1) + absl::Milliseconds(scenario.latency_ms));
  absl::Time onset = absl::InfiniteFuture(), last_canary = absl::InfinitePast();
  for (const LoadSample& s : sys.load()->Samples()) {
    if (s.sent < submitted) continue;
    if (BadCanaryAnswer(s, scenario)) onset = std::min(onset, s.received);
    if (s.version == "v2") {
      last_canary = std::max(last_canary, s.received);
      ++r.canary_answers;
    }
  }
  if (onset == absl::InfiniteFuture()) return {.failure = "no bad canary answer seen"};
  const absl::Time recorded = absl::FromUnixSeconds(done->finished_at().seconds()) +
                              absl::Nanoseconds(done->finished_at().nanos());
  const auto [sum_after, count_after] = RestoreHistogram(sys);
  r.ok = true;
  r.onset_to_restored_s = absl::ToDoubleSeconds(last_canary - onset);
  r.onset_to_recorded_s = absl::ToDoubleSeconds(recorded - onset);
  r.supervisor_restore_s = count_after > count_before ? sum_after - sum_before : -1;
  r.reason = done->reason().substr(0, 110);
  return r;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool RunScenario(const Scenario& scenario, int runs) {
  DeliveryOptions options;
  options.policy_yaml = ShippedPolicy();
  options.judge_defaults = true;
  options.canary_error_rate = scenario.error_rate;
  options.canary_latency_ms = scenario.latency_ms;
  auto sys = DeliverySystem::Start(options);
  if (!sys.ok()) {
    std::printf("%s: the stack did not start: %s\n", scenario.name,
                std::string(sys.status().message()).c_str());
    return false;
  }
  (*sys)->StartLoad(kRps, 16);
  // A baseline on stable before the first canary (the judge calibrates latency on it).
  absl::SleepFor(absl::Seconds(5));
  std::printf("\n%s (canary v2: error rate %.2f, +%d ms), %d rps through HAProxy\n", scenario.name,
              scenario.error_rate, scenario.latency_ms, kRps);
  std::printf("%4s %14s %14s %14s %9s  %s\n", "run", "onset->stable", "onset->record", "supervisor",
              "v2 answ.", "reason");
  std::vector<double> restored, recorded, supervisor;
  bool all_ok = true;
  for (int i = 1; i <= runs; ++i) {
    const RunResult r = RunOnce(**sys, scenario);
    if (!r.ok) {
      std::printf("%4d FAILED: %s\n", i, r.failure.c_str());
      all_ok = false;
      continue;
    }
    restored.push_back(r.onset_to_restored_s);
    recorded.push_back(r.onset_to_recorded_s);
    if (r.supervisor_restore_s >= 0) supervisor.push_back(r.supervisor_restore_s);
    std::printf("%4d %13.3fs %13.3fs %13.3fs %9d  %s\n", i, r.onset_to_restored_s,
                r.onset_to_recorded_s, r.supervisor_restore_s, r.canary_answers, r.reason.c_str());
    std::fflush(stdout);
    absl::SleepFor(absl::Seconds(3));  // stable-only traffic again before the next canary
  }
  std::printf("median %11.3fs %13.3fs %13.3fs   (max onset->stable %.3fs)\n", Median(restored),
              Median(recorded), Median(supervisor),
              restored.empty() ? 0.0 : *std::max_element(restored.begin(), restored.end()));
  std::printf(
      "Flagger-default rule (interval 60 s, threshold 5), reference, not measured: >= %.0f s "
      "-> Conclave %.0fx sooner; target <= 5 s: %s\n",
      kFlaggerSeconds, Median(restored) > 0 ? kFlaggerSeconds / Median(restored) : 0.0,
      !restored.empty() && Median(restored) <= 5.0 ? "met" : "NOT met");
  return all_ok;
}

}  // namespace
}  // namespace conclave::testing

int main() {
  int runs = 5;
  if (const char* env = std::getenv("CONCLAVE_ROLLBACK_BENCH_RUNS"))
    (void)absl::SimpleAtoi(env, &runs);
  std::printf(
      "rollback_bench: regression onset -> traffic back on stable, shipped prod rollout settings "
      "(deploy/local/policy.yaml), the judge's defaults, %d runs per scenario\n"
      "onset->stable: first bad v2 answer -> last v2 answer seen by the load generator\n"
      "onset->record: first bad v2 answer -> ROLLED_BACK recorded by the supervisor\n"
      "supervisor: conclave_rollout_restore_seconds (FAIL verdict -> weight 0 read back)\n",
      runs);
  const conclave::testing::Scenario scenarios[] = {
      {"errors", conclave::testing::kErrorRate, 0},
      {"latency", 0, conclave::testing::kLatencyMs},
  };
  bool ok = true;
  for (const auto& s : scenarios) ok = conclave::testing::RunScenario(s, runs) && ok;
  return ok ? 0 : 1;
}
