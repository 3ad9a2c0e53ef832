// How conclavectl prints rollouts, watch events, metric checks and the kill switch.
#include "supervisor/ctl/rollout_format.h"

#include <gtest/gtest.h>

#include "supervisor/ctl/exit_codes.h"

namespace conclave::ctl {
namespace {

namespace v1 = conclave::v1;

v1::MetricCheck LatencyFail() {
  v1::MetricCheck c;
  c.set_name("p95_latency_ms");
  c.set_verdict("FAIL");
  c.set_canary_value(912.345);
  c.set_stable_value(410);
  c.set_threshold(800);
  c.set_statistic("e_value");
  c.set_statistic_value(31.25);
  c.set_statistic_threshold(20);
  c.set_canary_samples(1200);
  c.set_stable_samples(4800);
  c.set_reason("canary p95 912.345 ms > 800 ms");
  return c;
}

v1::Rollout Staging() {
  v1::Rollout r;
  r.set_id("ro_01JD8Z6Q3V4X9K2M7T5N0P1R8S");
  r.set_change_id("chg_01JD8Z6Q3V4X9K2M7T5N0P1R8S");
  r.set_service("checkout");
  r.set_environment("staging");
  r.set_manual_promotion(true);
  r.set_stable_version("v1");
  r.set_canary_version("v2");
  r.set_state(v1::ROLLOUT_STATE_ROLLED_BACK);
  for (int w : {10, 25, 50, 100}) r.add_steps(w);
  r.set_step_index(1);
  r.set_canary_weight(0);
  r.mutable_step_hold()->set_seconds(30);
  r.mutable_step_started_at()->set_seconds(1795000000);
  r.mutable_created_at()->set_seconds(1794999900);
  r.mutable_updated_at()->set_seconds(1795000012);
  r.mutable_finished_at()->set_seconds(1795000012);
  r.set_reason("p95_latency_ms FAIL: canary 912.345 > threshold 800");
  r.set_last_verdict("FAIL");
  r.mutable_last_judged_at()->set_seconds(1795000011);
  r.mutable_last_judged_at()->set_nanos(500000000);
  *r.add_last_checks() = LatencyFail();
  return r;
}

TEST(RolloutLabelsTest, EnumsWithoutPrefix) {
  EXPECT_EQ(RolloutStateLabel(v1::ROLLOUT_STATE_AWAITING_PROMOTION), "AWAITING_PROMOTION");
  EXPECT_EQ(RolloutEventLabel(v1::ROLLOUT_EVENT_TYPE_ACTION_FAILED), "ACTION_FAILED");
  EXPECT_TRUE(RolloutFinished(v1::ROLLOUT_STATE_SUCCEEDED));
  EXPECT_TRUE(RolloutFinished(v1::ROLLOUT_STATE_ROLLED_BACK));
  EXPECT_FALSE(RolloutFinished(v1::ROLLOUT_STATE_PAUSED));
  EXPECT_FALSE(RolloutFinished(v1::ROLLOUT_STATE_AWAITING_PROMOTION));
}

TEST(RolloutExitCodeTest, SucceededIsZeroRolledBackIsOne) {
  EXPECT_EQ(ExitCodeForRolloutState(v1::ROLLOUT_STATE_SUCCEEDED), 0);
  EXPECT_EQ(ExitCodeForRolloutState(v1::ROLLOUT_STATE_ROLLED_BACK), 1);
}

TEST(FormatMetricCheckTest, VerdictValuesThresholdStatisticSamplesReason) {
  EXPECT_EQ(FormatMetricCheck(LatencyFail()),
            "  FAIL          p95_latency_ms  canary 912.345  stable 410  threshold 800  "
            "e_value 31.25/20  samples 1200/4800  canary p95 912.345 ms > 800 ms\n");
  v1::MetricCheck no_data;
  no_data.set_name("error_rate");
  no_data.set_verdict("NO_DATA");
  EXPECT_EQ(FormatMetricCheck(no_data),
            "  NO_DATA       error_rate  canary 0  stable 0  threshold 0  samples 0/0\n");
}

TEST(FormatRolloutEventTest, OneLineThenOneLinePerCheck) {
  v1::RolloutEvent e;
  e.set_type(v1::ROLLOUT_EVENT_TYPE_JUDGED);
  e.set_state(v1::ROLLOUT_STATE_PROGRESSING);
  e.set_canary_weight(25);
  e.mutable_time()->set_seconds(1795000011);
  e.mutable_time()->set_nanos(500000000);
  e.set_verdict("FAIL");
  *e.add_checks() = LatencyFail();
  EXPECT_EQ(FormatRolloutEvent(e),
            "2026-11-18T11:06:51.500Z  PROGRESSING          25%  JUDGED         FAIL\n" +
                FormatMetricCheck(LatencyFail()));

  v1::RolloutEvent paused;
  paused.set_type(v1::ROLLOUT_EVENT_TYPE_AWAITING_PROMOTION);
  paused.set_state(v1::ROLLOUT_STATE_AWAITING_PROMOTION);
  paused.set_canary_weight(50);
  EXPECT_EQ(FormatRolloutEvent(paused), "-  AWAITING_PROMOTION   50%  AWAITING_PROMOTION\n");
}

TEST(FormatRolloutTest, EveryFieldThenTheLatestChecks) {
  EXPECT_EQ(FormatRollout(Staging()),
            "rollout    ro_01JD8Z6Q3V4X9K2M7T5N0P1R8S\n"
            "change     chg_01JD8Z6Q3V4X9K2M7T5N0P1R8S\n"
            "service    checkout\n"
            "env        staging, a person approves full promotion\n"
            "versions   v1 -> v2 (stable -> canary)\n"
            "state      ROLLED_BACK\n"
            "weight     0%\n"
            "step       2 of 4 (10, 25, 50, 100 %)\n"
            "step hold  30s, step started 2026-11-18T11:06:40.000Z\n"
            "reason     p95_latency_ms FAIL: canary 912.345 > threshold 800\n"
            "judged     FAIL at 2026-11-18T11:06:51.500Z\n"
            "created    2026-11-18T11:05:00.000Z\n"
            "updated    2026-11-18T11:06:52.000Z\n"
            "finished   2026-11-18T11:06:52.000Z\n" +
                FormatMetricCheck(LatencyFail()));
}

TEST(FormatRolloutTest, DryRunIsShownAndUnfinishedHasNoFinishedLine) {
  v1::Rollout r = Staging();
  r.set_environment("dev");
  r.set_manual_promotion(false);
  r.set_dry_run(true);
  r.set_state(v1::ROLLOUT_STATE_PROGRESSING);
  const std::string text = FormatRollout(r);
  EXPECT_NE(text.find("env        dev, dry run (actions recorded, not applied)\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("finished"), std::string::npos) << text;
}

TEST(FormatRolloutSummaryTest, IdStateWeightStepReason) {
  EXPECT_EQ(FormatRolloutSummary(Staging()),
            "ro_01JD8Z6Q3V4X9K2M7T5N0P1R8S  ROLLED_BACK  0%  step 2/4  "
            "p95_latency_ms FAIL: canary 912.345 > threshold 800\n");
}

TEST(FormatRolloutTableTest, HeaderAndOneRowPerRollout) {
  v1::ListRolloutsResponse response;
  EXPECT_EQ(FormatRolloutTable(response),
            "ID  CHANGE  SERVICE  ENV  STATE  WEIGHT  STEP  VERSIONS  UPDATED\n");
  *response.add_rollouts() = Staging();
  EXPECT_EQ(FormatRolloutTable(response),
            "ID                             CHANGE                          SERVICE   ENV      "
            "STATE        WEIGHT  STEP  VERSIONS  UPDATED\n"
            "ro_01JD8Z6Q3V4X9K2M7T5N0P1R8S  chg_01JD8Z6Q3V4X9K2M7T5N0P1R8S  checkout  staging  "
            "ROLLED_BACK  0%      2/4   v1 -> v2  2026-11-18T11:06:52Z\n");
}

TEST(FormatKillSwitchTest, StateSinceActorReason) {
  v1::KillSwitch k;
  EXPECT_EQ(FormatKillSwitch(k), "kill switch off\n");
  k.set_engaged(true);
  k.mutable_changed_at()->set_seconds(1795000000);
  k.set_actor("carol");
  k.set_reason("incident 4711");
  EXPECT_EQ(FormatKillSwitch(k),
            "kill switch on  since 2026-11-18T11:06:40Z  by carol: incident 4711\n");
  k.clear_actor();
  EXPECT_EQ(FormatKillSwitch(k), "kill switch on  since 2026-11-18T11:06:40Z  incident 4711\n");
}

}  // namespace
}  // namespace conclave::ctl
