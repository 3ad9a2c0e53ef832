// DevopsHandler with a fake driver: validation, idempotency by operation id, read-back turned
// into TrafficState, and errors that name the service and driver.
#include "agents/devops/devops_handler.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace conclave::devops {
namespace {

using conclave::v1::SetTrafficSplitRequest;

// Keeps weights like a proxy would; counts the calls that reach it.
class FakeDriver final : public TrafficDriver {
 public:
  std::string name() const override { return "fake"; }
  absl::StatusOr<Observation> SetTrafficSplit(const SplitTarget& t) override {
    ++split_calls;
    if (!fail.ok()) return fail;
    Observation o;
    o.changed = !t.dry_run && canary != t.canary_percent;
    if (!t.dry_run) canary = t.canary_percent;
    o.versions = {{t.versions.stable_version, "be/stable", 100 - canary, -1, -1, "UP"},
                  {t.versions.canary_version, "be/canary", canary, -1, -1, "UP"}};
    return o;
  }
  absl::StatusOr<Observation> ScaleReplicas(const ReplicaTarget&) override {
    return absl::UnimplementedError("no replicas");
  }
  absl::StatusOr<Observation> ReadState(const ServiceVersions& v) override {
    Observation o;
    o.versions = {{v.stable_version, "be/stable", 100 - canary, -1, -1, "UP"},
                  {v.canary_version, "be/canary", canary, -1, -1, "UP"}};
    return o;
  }

  int canary = 0;
  int split_calls = 0;
  absl::Status fail;
};

SetTrafficSplitRequest Split(const std::string& op, int percent) {
  SetTrafficSplitRequest r;
  r.set_operation_id(op);
  r.set_change_id("chg-3");
  r.set_service("demo");
  r.set_stable_version("v1");
  r.set_canary_version("v2");
  r.set_canary_weight_percent(percent);
  return r;
}

class DevopsHandlerTest : public ::testing::Test {
 protected:
  FakeDriver driver_;
  metrics::Registry registry_;
  DevopsHandler handler_{&driver_, &registry_};
};

TEST_F(DevopsHandlerTest, SplitReportsTheReadBackWithRolesAndShares) {
  auto state = handler_.SetTrafficSplit(Split("op-1", 25), "grpc");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->operation_id(), "op-1");
  EXPECT_EQ(state->change_id(), "chg-3");
  EXPECT_EQ(state->driver(), "fake");
  EXPECT_EQ(state->canary_weight_percent(), 25);
  EXPECT_EQ(state->requested_canary_weight_percent(), 25);
  EXPECT_TRUE(state->changed());
  ASSERT_EQ(state->versions_size(), 2);
  EXPECT_EQ(state->versions(0).role(), conclave::v1::VERSION_ROLE_STABLE);
  EXPECT_EQ(state->versions(0).weight_percent(), 75);
  EXPECT_EQ(state->versions(1).role(), conclave::v1::VERSION_ROLE_CANARY);
  EXPECT_GT(state->observed_at().seconds(), 0);
}

TEST_F(DevopsHandlerTest, SameOperationIdIsAnsweredWithoutTouchingTheSystem) {
  ASSERT_TRUE(handler_.SetTrafficSplit(Split("op-1", 10), "bus").ok());
  driver_.canary = 99;  // someone moved traffic since; a replay must not undo or re-apply
  auto replay = handler_.SetTrafficSplit(Split("op-1", 10), "bus");
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->replayed());
  EXPECT_EQ(replay->canary_weight_percent(), 10) << "the first answer";
  EXPECT_EQ(driver_.split_calls, 1);
  EXPECT_EQ(driver_.canary, 99);
}

TEST_F(DevopsHandlerTest, OperationIdReusedForAnotherRequestIsRefused) {
  ASSERT_TRUE(handler_.SetTrafficSplit(Split("op-1", 10), "grpc").ok());
  auto other = handler_.SetTrafficSplit(Split("op-1", 50), "grpc");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(driver_.canary, 10);
}

TEST_F(DevopsHandlerTest, FailedOperationIsNotRememberedSoARetryRunsAgain) {
  driver_.fail = absl::UnavailableError("proxy unreachable");
  auto failed = handler_.SetTrafficSplit(Split("op-1", 10), "bus");
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(failed.status().message(), "demo via fake: proxy unreachable"))
      << failed.status();
  driver_.fail = absl::OkStatus();
  auto retried = handler_.SetTrafficSplit(Split("op-1", 10), "bus");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_FALSE(retried->replayed());
  EXPECT_EQ(driver_.canary, 10);
}

TEST_F(DevopsHandlerTest, InvalidRequestsNeverReachTheDriver) {
  EXPECT_EQ(handler_.SetTrafficSplit(Split("op-1", 101), "grpc").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(handler_.SetTrafficSplit(Split("op.1", 10), "grpc").status().code(),
            absl::StatusCode::kInvalidArgument)
      << "an operation id is a subject token";
  SetTrafficSplitRequest same = Split("op-2", 10);
  same.set_canary_version("v1");
  EXPECT_EQ(handler_.SetTrafficSplit(same, "grpc").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(driver_.split_calls, 0);
}

TEST_F(DevopsHandlerTest, DryRunReportsWithoutChanging) {
  SetTrafficSplitRequest r = Split("op-dry", 50);
  r.set_dry_run(true);
  auto state = handler_.SetTrafficSplit(r, "grpc");
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->dry_run());
  EXPECT_FALSE(state->changed());
  EXPECT_EQ(state->canary_weight_percent(), 0);
  EXPECT_EQ(driver_.canary, 0);
}

}  // namespace
}  // namespace conclave::devops
