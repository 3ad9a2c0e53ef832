// The haproxy driver against a real HAProxy (deploy/local/haproxy.cfg.in) in front of two real
// demo-service versions: a split is seen in HAProxy's own state and in the traffic, rollback
// puts all traffic on stable, repeats are idempotent, and a stopped HAProxy is a clear error.
#include <algorithm>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agents/devops/devops_handler.h"
#include "agents/devops/haproxy_driver.h"
#include "gtest/gtest.h"
#include "tests/integration/devops/delivery_stack.h"

namespace conclave::devops {
namespace {

using conclave::v1::SetTrafficSplitRequest;
using conclave::v1::TrafficState;
using testing::DeliveryStack;

class HaproxyDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stack = DeliveryStack::Start();
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = std::move(*stack);
    HaproxyConfig config;
    config.runtime_api = stack_->runtime_api();
    config.services["demo"] = {"demo", {{"v1", "stable"}, {"v2", "canary"}}};
    auto driver = HaproxyDriver::Create(config);
    ASSERT_TRUE(driver.ok()) << driver.status();
    driver_ = std::move(*driver);
    handler_ = std::make_unique<DevopsHandler>(driver_.get(), &registry_);
  }

  absl::StatusOr<TrafficState> Split(int canary_percent, const std::string& operation_id) {
    SetTrafficSplitRequest request;
    request.set_operation_id(operation_id);
    request.set_change_id("chg-1");
    request.set_service("demo");
    request.set_stable_version("v1");
    request.set_canary_version("v2");
    request.set_canary_weight_percent(canary_percent);
    return handler_->SetTrafficSplit(request, "grpc");
  }

  // HAProxy's own answer to "get weight demo/<server>": "<current> (initial <configured>)".
  std::string WeightOf(const std::string& server) {
    auto answer = stack_->RuntimeCommand("get weight demo/" + server);
    return answer.ok() ? std::string(absl::StripAsciiWhitespace(*answer))
                       : answer.status().ToString();
  }

  std::unique_ptr<DeliveryStack> stack_;
  metrics::Registry registry_;
  std::unique_ptr<HaproxyDriver> driver_;
  std::unique_ptr<DevopsHandler> handler_;
};

TEST_F(HaproxyDeliveryTest, SplitIsReadBackFromHaproxyAndTrafficFollowsIt) {
  auto before = stack_->SendRequests(100);
  EXPECT_EQ(before["v1"], 100) << "the configuration starts with all traffic on stable";

  const absl::Time start = absl::Now();
  auto state = Split(10, "chg-1-step-1");
  const absl::Duration set_time = absl::Now() - start;
  ASSERT_TRUE(state.ok()) << state.status();
  std::cout << "SetTrafficSplit 90/10 through the runtime API (show, 2x set weight, show): "
            << absl::FormatDuration(set_time) << "\n";
  EXPECT_TRUE(state->changed());
  EXPECT_TRUE(state->verified());
  EXPECT_EQ(state->canary_weight_percent(), 10);
  ASSERT_EQ(state->versions_size(), 2);
  EXPECT_EQ(state->versions(0).target(), "demo/stable");
  EXPECT_EQ(state->versions(0).weight(), 90);
  EXPECT_EQ(state->versions(0).health(), "UP");
  EXPECT_EQ(state->versions(1).target(), "demo/canary");
  EXPECT_EQ(state->versions(1).weight(), 10);
  EXPECT_EQ(WeightOf("stable"), "90 (initial 100)");
  EXPECT_EQ(WeightOf("canary"), "10 (initial 0)");

  // The very next requests follow the new weights: round robin spreads 90:10 exactly per
  // cycle of 100, so 1000 requests give 900:100 up to the cycle's phase.
  auto split = stack_->SendRequests(1000);
  std::cout << "after 90/10: v1=" << split["v1"] << " v2=" << split["v2"]
            << " errors=" << split["error"] << "\n";
  EXPECT_EQ(split["error"], 0);
  EXPECT_NEAR(split["v2"], 100, 20);
  EXPECT_NEAR(split["v1"], 900, 20);

  auto rollback = Split(0, "chg-1-rollback");
  ASSERT_TRUE(rollback.ok()) << rollback.status();
  EXPECT_EQ(rollback->canary_weight_percent(), 0);
  EXPECT_EQ(WeightOf("stable"), "100 (initial 100)");
  EXPECT_EQ(WeightOf("canary"), "0 (initial 0)");
  auto after = stack_->SendRequests(300);
  EXPECT_EQ(after["v1"], 300) << "after rollback every request is served by stable";
  EXPECT_EQ(after["v2"], 0);
}

// How long from asking for a split until HAProxy routes by it: the operation (read, set,
// read back) plus the next request. Flips 0 <-> 100 so every request shows which weights
// it met.
TEST_F(HaproxyDeliveryTest, WeightChangeTakesEffectOnTheNextRequest) {
  constexpr int kFlips = 20;
  std::vector<absl::Duration> took;
  for (int i = 0; i < kFlips; ++i) {
    const int canary = i % 2 == 0 ? 100 : 0;
    const absl::Time start = absl::Now();
    ASSERT_TRUE(Split(canary, absl::StrCat("flip-", i)).ok());
    auto next = stack_->SendRequests(1);
    took.push_back(absl::Now() - start);
    EXPECT_EQ(next[canary == 100 ? "v2" : "v1"], 1) << "flip " << i;
  }
  std::sort(took.begin(), took.end());
  std::cout << "split requested -> next request served by the new weights, over " << kFlips
            << " flips: median " << absl::FormatDuration(took[kFlips / 2]) << ", max "
            << absl::FormatDuration(took.back()) << "\n";
  EXPECT_LT(took.back(), absl::Seconds(1));
}

TEST_F(HaproxyDeliveryTest, FullPromotionSendsEverythingToTheCanary) {
  auto state = Split(100, "chg-1-step-4");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->versions(0).weight(), 0);
  EXPECT_EQ(state->versions(1).weight(), 100);
  auto traffic = stack_->SendRequests(200);
  EXPECT_EQ(traffic["v2"], 200);
}

TEST_F(HaproxyDeliveryTest, RepeatsAreIdempotent) {
  auto first = Split(25, "op-a");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->changed());

  auto replay = Split(25, "op-a");
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_TRUE(replay->replayed()) << "same operation id: answered from the record";
  EXPECT_EQ(replay->canary_weight_percent(), 25);

  // Another operation asking for the split already in place reads it back and sets nothing.
  ASSERT_TRUE(stack_->RuntimeCommand("clear counters all").ok());
  auto again = Split(25, "op-b");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->changed());
  EXPECT_FALSE(again->replayed());
  EXPECT_EQ(again->canary_weight_percent(), 25);
  EXPECT_EQ(WeightOf("canary"), "25 (initial 0)");

  auto reused = Split(50, "op-a");
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kAlreadyExists)
      << "an operation id names one request";
}

TEST_F(HaproxyDeliveryTest, WeightsChangedBehindTheAgentsBackAreSeenAndRepaired) {
  ASSERT_TRUE(Split(10, "op-1").ok());
  ASSERT_TRUE(stack_->RuntimeCommand("set weight demo/canary 77").ok());
  conclave::v1::GetTrafficStateRequest get;
  get.set_service("demo");
  get.set_stable_version("v1");
  get.set_canary_version("v2");
  auto observed = handler_->GetTrafficState(get, "grpc");
  ASSERT_TRUE(observed.ok()) << observed.status();
  EXPECT_EQ(observed->versions(1).weight(), 77) << "state is read from HAProxy, not remembered";

  auto repaired = Split(10, "op-2");
  ASSERT_TRUE(repaired.ok()) << repaired.status();
  EXPECT_TRUE(repaired->changed());
  EXPECT_EQ(WeightOf("canary"), "10 (initial 0)");
}

TEST_F(HaproxyDeliveryTest, HaproxyDownIsAPreciseError) {
  stack_->KillHaproxy();
  auto state = Split(10, "op-down");
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.status().code(), absl::StatusCode::kUnavailable) << state.status();
  EXPECT_TRUE(absl::StrContains(state.status().message(), stack_->socket_path())) << state.status();
  EXPECT_TRUE(absl::StrContains(state.status().message(), "is haproxy running?")) << state.status();
  EXPECT_TRUE(absl::StrContains(state.status().message(), "demo via haproxy")) << state.status();
}

TEST_F(HaproxyDeliveryTest, UnknownServerIsNotFound) {
  HaproxyConfig config;
  config.runtime_api = stack_->runtime_api();
  config.services["demo"] = {"demo", {{"v1", "stable"}, {"v3", "nosuch"}}};
  auto driver = HaproxyDriver::Create(config);
  ASSERT_TRUE(driver.ok());
  SplitTarget target{{"demo", "v1", "v3"}, 10};
  auto state = (*driver)->SetTrafficSplit(target);
  EXPECT_EQ(state.status().code(), absl::StatusCode::kNotFound) << state.status();
  EXPECT_TRUE(absl::StrContains(state.status().message(), "nosuch")) << state.status();
  EXPECT_EQ(WeightOf("stable"), "100 (initial 100)") << "nothing was changed";
}

}  // namespace
}  // namespace conclave::devops
