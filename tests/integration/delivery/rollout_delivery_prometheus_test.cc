// The rollout judged through PromQL: a real Prometheus (Debian's prometheus) scrapes HAProxy's
// built-in exporter every second, and conclave-metrics judges the canary on the error rate of
// its HAProxy server. Slower than rollout_delivery_test: Prometheus needs a few scrapes inside
// the step's window before a value exists. A failing canary is rolled back; a healthy one is
// promoted (never paused for want of a PASS). Skipped only when prometheus is not installed.
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/delivery/delivery_system.h"

namespace conclave::testing {
namespace {

namespace v1 = conclave::v1;

std::string PrometheusBinary() {
  const char* env = std::getenv("CONCLAVE_PROMETHEUS");
  return env != nullptr && *env != '\0' ? env : "/usr/bin/prometheus";
}

TEST(RolloutDeliveryPrometheusTest, CanaryFailingInPrometheusIsRolledBack) {
  if (access(PrometheusBinary().c_str(), X_OK) != 0) {
    GTEST_SKIP() << PrometheusBinary() << " is not installed";
  }
  // Long holds: a step is judged on what Prometheus scraped since it began.
  auto sys = DeliverySystem::Start({.policy_yaml = DeliveryTestPolicy("[20, 50, 100]", "20s"),
                                    .canary_error_rate = 0.5,
                                    .prometheus = true});
  ASSERT_TRUE(sys.ok()) << sys.status();
  DeliverySystem& s = **sys;
  s.StartLoad(200);
  absl::SleepFor(absl::Seconds(3));  // stable's series exist before the canary starts
  auto change = s.SubmitCleanChange("v2", "v1");
  ASSERT_TRUE(change.ok()) << change.status();
  auto started = s.WaitForRolloutOf(*change, absl::Seconds(60));
  ASSERT_TRUE(started.ok()) << started.status() << s.Logs();
  auto done = s.WaitForRollout(
      started->id(),
      [](const v1::Rollout& r) {
        return (r.state() == v1::ROLLOUT_STATE_ROLLED_BACK && r.canary_weight() == 0) ||
               r.state() == v1::ROLLOUT_STATE_SUCCEEDED || r.state() == v1::ROLLOUT_STATE_PAUSED;
      },
      absl::Seconds(120));
  ASSERT_TRUE(done.ok()) << done.status() << s.Logs();
  ASSERT_EQ(done->state(), v1::ROLLOUT_STATE_ROLLED_BACK) << done->DebugString() << s.Logs();
  EXPECT_NE(done->reason().find("error_rate"), std::string::npos) << done->reason();
  ASSERT_GT(done->last_checks_size(), 0) << done->DebugString();
  EXPECT_NEAR(done->last_checks(0).canary_value(), 0.5, 0.2) << done->DebugString();
  EXPECT_EQ(s.HaproxyWeight("stable").value_or(-1), 100);
  EXPECT_EQ(s.HaproxyWeight("canary").value_or(-1), 0);
  const absl::Time since = absl::Now() + absl::Milliseconds(50);
  absl::SleepFor(absl::Milliseconds(1550));
  const auto after = s.load()->CountsSince(since);
  EXPECT_EQ(after.size(), 1u);
  EXPECT_GT(after.count("v1") ? after.at("v1") : 0, 100);
}

TEST(RolloutDeliveryPrometheusTest, HealthyCanaryInPrometheusIsPromoted) {
  if (access(PrometheusBinary().c_str(), X_OK) != 0) {
    GTEST_SKIP() << PrometheusBinary() << " is not installed";
  }
  // One step below 100 %, held long enough for a dozen scrapes of both servers.
  auto sys = DeliverySystem::Start(
      {.policy_yaml = DeliveryTestPolicy("[50, 100]", "15s"), .prometheus = true});
  ASSERT_TRUE(sys.ok()) << sys.status();
  DeliverySystem& s = **sys;
  s.StartLoad(200);
  absl::SleepFor(absl::Seconds(3));
  auto change = s.SubmitCleanChange("v2", "v1");
  ASSERT_TRUE(change.ok()) << change.status();
  auto started = s.WaitForRolloutOf(*change, absl::Seconds(60));
  ASSERT_TRUE(started.ok()) << started.status() << s.Logs();
  auto done = s.WaitForRollout(
      started->id(),
      [](const v1::Rollout& r) {
        return r.state() == v1::ROLLOUT_STATE_ROLLED_BACK ||
               r.state() == v1::ROLLOUT_STATE_SUCCEEDED || r.state() == v1::ROLLOUT_STATE_PAUSED;
      },
      absl::Seconds(120));
  ASSERT_TRUE(done.ok()) << done.status() << s.Logs();
  ASSERT_EQ(done->state(), v1::ROLLOUT_STATE_SUCCEEDED) << done->DebugString() << s.Logs();
  EXPECT_EQ(s.HaproxyWeight("canary").value_or(-1), 100);
  EXPECT_EQ(s.HaproxyWeight("stable").value_or(-1), 0);
}

}  // namespace
}  // namespace conclave::testing
