// The supervisor's wiring of rollouts: ChangeManager's approved-change hook starts a rollout
// in RolloutController exactly for changes decided APPROVED that carry a version, and a
// decision below the auto-rollout gate waits for a person. In-memory store and bus, fake clock.
#include <memory>

#include "common/bus/topology.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "supervisor/rollout/rollout_controller.h"
#include "supervisor/service/change_manager.h"
#include "tests/unit/supervisor/rollout_fakes.h"

namespace conclave::supervisor {
namespace {

constexpr char kPolicy[] = R"yaml(
version: "t"
environments:
  dev: {voters: {security: {weight: 1, required: true}}}
  staging: {voters: {security: {weight: 1, required: true}}}
  prod: {voters: {security: {weight: 1, required: true}}}
)yaml";

std::vector<std::string> Families() {
  std::vector<std::string> f = ChangeManager::StoreFamilies();
  for (const std::string& r : RolloutController::StoreFamilies()) f.push_back(r);
  return f;
}

class RolloutWiringTest : public ::testing::Test {
 protected:
  RolloutWiringTest()
      : store_(store::NewInMemoryKvStore(Families())),
        bus_(bus::NewInMemoryBus()),
        audit_(*AuditLog::Open(store_.get(), &clock_)),
        policy_(*Policy::Parse(kPolicy)),
        rollouts_(store_.get(), audit_.get(), &policy_, &traffic_, &judge_, &clock_, &registry_),
        manager_(store_.get(), audit_.get(), bus_.get(), &policy_, &clock_, &registry_) {
    EXPECT_TRUE(bus::EnsureTopology(*bus_).ok());
    manager_.SetApprovedChangeHook(
        [this](const conclave::v1::ChangeRecord& change) { (void)rollouts_.Start(change); });
  }

  // Submits a prod change of "orders" and has security vote APPROVE with `confidence`.
  std::string Approve(const std::string& version, double confidence) {
    conclave::v1::Change change;
    change.set_target_service("orders");
    change.set_environment("prod");
    change.set_version(version);
    change.set_base_version("v1");
    auto* file = change.add_files();
    file->set_path("orders/totals.py");
    file->set_content("def total(items):\n    return sum(items)\n");
    auto record = manager_.Submit(change, "");
    EXPECT_TRUE(record.ok()) << record.status();
    conclave::v1::ReviewResponse response;
    response.set_change_id(record->change().id());
    response.set_reviewer("security");
    response.mutable_vote()->set_verdict(conclave::v1::VERDICT_APPROVE);
    response.mutable_vote()->set_confidence(confidence);
    bus::Message m;
    m.subject = bus::ResultSubject("security", record->change().id());
    m.data = response.SerializeAsString();
    EXPECT_TRUE(manager_.HandleResult(m).ok());
    return record->change().id();
  }

  FakeClock clock_;
  metrics::Registry registry_;
  std::unique_ptr<store::KvStore> store_;
  std::unique_ptr<bus::Bus> bus_;
  std::unique_ptr<AuditLog> audit_;
  Policy policy_;
  FakeTrafficClient traffic_;
  ScriptedJudge judge_;
  RolloutController rollouts_;
  ChangeManager manager_;
};

TEST_F(RolloutWiringTest, ApprovedChangeWithAVersionStartsARollout) {
  const std::string id = Approve("v2", 0.95);
  EXPECT_EQ(manager_.Get(id)->decision().outcome(), conclave::v1::OUTCOME_APPROVED);
  auto list = rollouts_.List(0, "orders");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].change_id(), id);
  EXPECT_EQ((*list)[0].state(), conclave::v1::ROLLOUT_STATE_PROGRESSING);
  EXPECT_EQ((*list)[0].stable_version(), "v1");
  EXPECT_EQ((*list)[0].canary_version(), "v2");
  rollouts_.Tick();
  EXPECT_EQ(traffic_.weight(), 10);
}

TEST_F(RolloutWiringTest, ChangeWithoutAVersionIsReviewedOnly) {
  Approve("", 0.95);
  EXPECT_TRUE(rollouts_.List(0, "")->empty());
}

TEST_F(RolloutWiringTest, DecisionBelowTheGateWaitsForApproval) {
  Approve("v2", 0.6);
  auto list = rollouts_.List(0, "orders");
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].state(), conclave::v1::ROLLOUT_STATE_AWAITING_APPROVAL);
  rollouts_.Tick();
  EXPECT_TRUE(traffic_.Weights().empty());
}

}  // namespace
}  // namespace conclave::supervisor
