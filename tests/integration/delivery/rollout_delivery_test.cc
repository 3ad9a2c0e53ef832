// Progressive delivery end to end: a change reviewed by the real reviewers, approved, and
// rolled out by the real supervisor through conclave-devops onto a real HAProxy, judged by
// conclave-metrics on the samples the real demo service reports, under real HTTP load. What
// is asserted is what a user would see: HAProxy's own weights and which version answers.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/delivery/delivery_system.h"

namespace conclave::testing {
namespace {

namespace v1 = conclave::v1;

constexpr absl::Duration kStepHold = absl::Seconds(4);

bool Finished(const v1::Rollout& r) {
  return r.state() == v1::ROLLOUT_STATE_SUCCEEDED || r.state() == v1::ROLLOUT_STATE_ROLLED_BACK;
}

// A rollback is recorded before its traffic move; it is settled once weight 0 is read back.
bool Settled(const v1::Rollout& r) {
  if (r.state() == v1::ROLLOUT_STATE_ROLLED_BACK) return r.canary_weight() == 0;
  return Finished(r) || r.state() == v1::ROLLOUT_STATE_PAUSED;
}

// HAProxy's canary weight as it changed over time.
struct WeightChange {
  absl::Time at;
  int weight;
};

class RolloutDeliveryTest : public ::testing::Test {
 protected:
  void StartSystem(const DeliveryOptions& options = {}) {
    auto sys = DeliverySystem::Start(options);
    ASSERT_TRUE(sys.ok()) << sys.status();
    sys_ = std::move(*sys);
  }

  // Load through HAProxy, and enough of it seen by the stable version that the judge has a
  // baseline before the canary gets traffic.
  void StartLoadAndWarmUp() {
    sys_->StartLoad(200);
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline && sys_->load()->CountsSince(absl::InfinitePast())["v1"] < 300) {
      absl::SleepFor(absl::Milliseconds(50));
    }
    ASSERT_GE(sys_->load()->CountsSince(absl::InfinitePast())["v1"], 300) << LogTail();
  }

  v1::Rollout SubmitAndFindRollout() {
    auto change = sys_->SubmitCleanChange("v2", "v1");
    EXPECT_TRUE(change.ok()) << change.status();
    if (!change.ok()) return {};
    auto rollout = sys_->WaitForRolloutOf(*change, absl::Seconds(60));
    EXPECT_TRUE(rollout.ok()) << rollout.status() << LogTail();
    return rollout.ok() ? *rollout : v1::Rollout();
  }

  // Waits for `done`, recording every change of HAProxy's canary weight meanwhile.
  v1::Rollout WaitRecordingWeights(const std::string& id,
                                   const std::function<bool(const v1::Rollout&)>& done,
                                   absl::Duration timeout) {
    auto rollout = sys_->WaitForRollout(id, done, timeout, [&](const v1::Rollout&) {
      auto w = sys_->HaproxyWeight("canary");
      if (w.ok() && (weights_.empty() || weights_.back().weight != *w)) {
        weights_.push_back({absl::Now(), *w});
      }
    });
    EXPECT_TRUE(rollout.ok()) << rollout.status() << LogTail();
    return rollout.ok() ? *rollout : v1::Rollout();
  }

  void ExpectHaproxyWeights(int stable, int canary) {
    EXPECT_EQ(sys_->HaproxyWeight("stable").value_or(-1), stable)
        << sys_->RuntimeCommand("show servers state demo").value_or("");
    EXPECT_EQ(sys_->HaproxyWeight("canary").value_or(-1), canary)
        << sys_->RuntimeCommand("show servers state demo").value_or("");
  }

  // The answers of the next 1.5 s of load, counted by version.
  std::map<std::string, int> TrafficFromNow() {
    const absl::Time since = absl::Now() + absl::Milliseconds(50);
    absl::SleepFor(absl::Milliseconds(1550));
    return sys_->load()->CountsSince(since);
  }

  std::string LogTail() const {
    if (!sys_) return "";
    const std::string logs = sys_->Logs();
    return "\n" + logs.substr(logs.size() > 30000 ? logs.size() - 30000 : 0);
  }

  std::unique_ptr<DeliverySystem> sys_;
  std::vector<WeightChange> weights_;
};

// "v2/all" per 250 ms in [from, to), for failure messages.
std::string SplitTimeline(const std::vector<LoadSample>& samples, absl::Time from, absl::Time to) {
  std::string out;
  for (absl::Time t = from; t < to; t += absl::Milliseconds(250)) {
    int n = 0, c = 0;
    for (const LoadSample& s : samples) {
      if (s.sent < t || s.sent >= t + absl::Milliseconds(250)) continue;
      ++n;
      c += s.version == "v2";
    }
    absl::StrAppend(&out, c, "/", n, " ");
  }
  return out;
}

std::string Describe(const std::map<std::string, int>& counts) {
  return absl::StrJoin(counts, ", ", absl::PairFormatter("="));
}

TEST_F(RolloutDeliveryTest, GoodChangeMovesTrafficThroughEveryStepToTheCanary) {
  StartSystem();
  StartLoadAndWarmUp();
  const v1::Rollout started = SubmitAndFindRollout();
  ASSERT_FALSE(started.id().empty());
  const v1::Rollout done = WaitRecordingWeights(started.id(), Settled, absl::Seconds(120));
  ASSERT_EQ(done.state(), v1::ROLLOUT_STATE_SUCCEEDED) << done.DebugString() << LogTail();
  EXPECT_EQ(done.canary_weight(), 100);

  // HAProxy's canary weight went 20 -> 50 -> 100, nothing skipped, nothing else.
  std::vector<int> seen;
  for (const WeightChange& c : weights_) {
    if (c.weight != 0 || !seen.empty()) seen.push_back(c.weight);
  }
  EXPECT_EQ(seen, (std::vector<int>{20, 50, 100}));
  // While each step was held, the traffic split followed its weight (round robin is exact).
  // The window is the first 2 s after the weight was seen, well inside the 4 s hold even when
  // the next weight is seen late on a busy machine.
  const std::vector<LoadSample> samples = sys_->load()->Samples();
  for (size_t i = 0; i + 1 < weights_.size(); ++i) {
    const int weight = weights_[i].weight;
    if (weight != 20 && weight != 50) continue;
    const absl::Time from = weights_[i].at + absl::Milliseconds(200);
    const absl::Time to = std::min(weights_[i].at + absl::Seconds(2), weights_[i + 1].at);
    int total = 0, canary = 0;
    for (const LoadSample& s : samples) {
      if (s.sent < from || s.received > to || s.status == 0) continue;
      ++total;
      canary += s.version == "v2";
    }
    ASSERT_GT(total, 100) << "step " << weight;
    EXPECT_NEAR(static_cast<double>(canary) / total, weight / 100.0, 0.05)
        << "step " << weight << ": " << canary << "/" << total << "; per 250 ms from 1 s before: "
        << SplitTimeline(samples, weights_[i].at - absl::Seconds(1), weights_[i + 1].at);
  }
  ExpectHaproxyWeights(0, 100);
  const auto after = TrafficFromNow();
  EXPECT_GT(after.count("v2") ? after.at("v2") : 0, 100) << Describe(after);
  EXPECT_EQ(after.size(), 1u) << "traffic after success: " << Describe(after);
}

TEST_F(RolloutDeliveryTest, FailingCanaryIsRolledBackAndTrafficReturnsToStable) {
  StartSystem({.canary_error_rate = 0.5});
  StartLoadAndWarmUp();
  const v1::Rollout started = SubmitAndFindRollout();
  ASSERT_FALSE(started.id().empty());
  const v1::Rollout done = WaitRecordingWeights(started.id(), Settled, absl::Seconds(90));
  ASSERT_EQ(done.state(), v1::ROLLOUT_STATE_ROLLED_BACK) << done.DebugString() << LogTail();
  EXPECT_EQ(done.last_verdict(), "FAIL") << done.DebugString();
  EXPECT_NE(done.reason().find("error_rate"), std::string::npos) << done.reason();
  EXPECT_EQ(done.canary_weight(), 0);
  // It failed at the first step: the canary never got more than 20 %.
  for (const WeightChange& c : weights_) EXPECT_LE(c.weight, 20);
  ExpectHaproxyWeights(100, 0);
  const auto after = TrafficFromNow();
  EXPECT_GT(after.count("v1") ? after.at("v1") : 0, 100) << Describe(after);
  EXPECT_EQ(after.size(), 1u) << "traffic after rollback: " << Describe(after);
}

TEST_F(RolloutDeliveryTest, RolloutInFlightWhenTheSupervisorIsKilledIsFinishedAfterRestart) {
  StartSystem();
  StartLoadAndWarmUp();
  const v1::Rollout started = SubmitAndFindRollout();
  ASSERT_FALSE(started.id().empty());
  // Killed while the canary holds half the traffic.
  const v1::Rollout split = WaitRecordingWeights(
      started.id(), [](const v1::Rollout& r) { return r.canary_weight() == 50 || Settled(r); },
      absl::Seconds(90));
  ASSERT_EQ(split.state(), v1::ROLLOUT_STATE_PROGRESSING) << split.DebugString() << LogTail();
  ASSERT_TRUE(sys_->RestartSupervisor(/*hard=*/true).ok()) << LogTail();
  EXPECT_EQ(sys_->HaproxyWeight("canary").value_or(-1), 50);

  const v1::Rollout done = WaitRecordingWeights(started.id(), Settled, absl::Seconds(90));
  // A healthy canary continues to 100 %; either way it is not left split.
  ASSERT_EQ(done.state(), v1::ROLLOUT_STATE_SUCCEEDED) << done.DebugString() << LogTail();
  ExpectHaproxyWeights(0, 100);
  const auto after = TrafficFromNow();
  EXPECT_EQ(after.size(), 1u) << Describe(after);
  EXPECT_GT(after.count("v2") ? after.at("v2") : 0, 100) << Describe(after);
}

TEST_F(RolloutDeliveryTest, KillSwitchHoldsTheSplitUntilReleased) {
  StartSystem();
  StartLoadAndWarmUp();
  const v1::Rollout started = SubmitAndFindRollout();
  ASSERT_FALSE(started.id().empty());
  const v1::Rollout first = WaitRecordingWeights(
      started.id(), [](const v1::Rollout& r) { return r.canary_weight() == 20 || Settled(r); },
      absl::Seconds(90));
  ASSERT_EQ(first.state(), v1::ROLLOUT_STATE_PROGRESSING) << first.DebugString() << LogTail();
  ASSERT_TRUE(sys_->SetKillSwitch(true).ok());
  // A move already sent when the switch was engaged may still land; after that, nothing.
  absl::SleepFor(absl::Milliseconds(500));
  auto held = sys_->GetRollout(started.id());
  ASSERT_TRUE(held.ok()) << held.status();
  const int held_weight = sys_->HaproxyWeight("canary").value_or(-1);
  ASSERT_LT(held_weight, 100) << held->DebugString();
  // Two full holds: without the switch the rollout would have stepped at least once. This
  // waits for something that must not happen, so it can only be a fixed wait.
  absl::SleepFor(2 * kStepHold + absl::Seconds(1));
  auto still = sys_->GetRollout(started.id());
  ASSERT_TRUE(still.ok()) << still.status();
  EXPECT_EQ(still->state(), v1::ROLLOUT_STATE_PROGRESSING) << still->DebugString();
  EXPECT_EQ(still->step_index(), held->step_index()) << still->DebugString();
  EXPECT_EQ(sys_->HaproxyWeight("canary").value_or(-1), held_weight);

  ASSERT_TRUE(sys_->SetKillSwitch(false).ok());
  const v1::Rollout done = WaitRecordingWeights(started.id(), Settled, absl::Seconds(90));
  ASSERT_EQ(done.state(), v1::ROLLOUT_STATE_SUCCEEDED) << done.DebugString() << LogTail();
  ExpectHaproxyWeights(0, 100);
}

TEST_F(RolloutDeliveryTest, NoTrafficPausesTheRolloutForAPerson) {
  StartSystem();
  const v1::Rollout started = SubmitAndFindRollout();
  ASSERT_FALSE(started.id().empty());
  const v1::Rollout done = WaitRecordingWeights(started.id(), Settled, absl::Seconds(90));
  ASSERT_EQ(done.state(), v1::ROLLOUT_STATE_PAUSED) << done.DebugString() << LogTail();
  EXPECT_EQ(done.last_verdict(), "NO_DATA") << done.DebugString();
  const std::string reason = absl::AsciiStrToLower(done.reason());
  EXPECT_TRUE(reason.find("no_data") != std::string::npos ||
              reason.find("no data") != std::string::npos)
      << done.reason();
  // Held where it was, never promoted.
  EXPECT_EQ(done.step_index(), 0);
  ExpectHaproxyWeights(80, 20);
}

}  // namespace
}  // namespace conclave::testing
