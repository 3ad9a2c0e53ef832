// RolloutController over the in-memory store with a FakeClock, a fake traffic client and a
// scripted judge: steps, holds, rollback on FAIL, pauses on missing data, environments, the
// kill switch, restarts, failing traffic moves, people's actions and watching.
#include "supervisor/rollout/rollout_controller.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/supervisor/rollout_fakes.h"

namespace conclave::supervisor {
namespace {

using conclave::v1::Rollout;
using conclave::v1::RolloutEvent;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr auto kPass = conclave::v1::CANARY_VERDICT_PASS;
constexpr auto kFail = conclave::v1::CANARY_VERDICT_FAIL;
constexpr auto kNoData = conclave::v1::CANARY_VERDICT_NO_DATA;
constexpr auto kInconclusive = conclave::v1::CANARY_VERDICT_INCONCLUSIVE;

// Shipped defaults: steps 10, 25, 50, 100; 10 s holds; a judgment every second.
constexpr char kPolicy[] = R"yaml(
version: "t"
environments:
  dev: {voters: {security: {weight: 1}}}
  staging: {voters: {security: {weight: 1}}}
  prod: {voters: {security: {weight: 1}}}
)yaml";

std::vector<std::string> Families() {
  std::vector<std::string> f = RolloutController::StoreFamilies();
  for (const std::string& a : AuditLog::StoreFamilies()) f.push_back(a);
  return f;
}

class RolloutControllerTest : public ::testing::Test {
 protected:
  RolloutControllerTest()
      : store_(store::NewInMemoryKvStore(Families())),
        audit_(*AuditLog::Open(store_.get(), &clock_)),
        policy_(*Policy::Parse(kPolicy)) {
    NewController();
  }

  // A fresh controller on the same store, as after a supervisor restart.
  void NewController() {
    controller_.reset();
    registry_ = std::make_unique<metrics::Registry>();
    controller_ = std::make_unique<RolloutController>(store_.get(), audit_.get(), &policy_,
                                                      &traffic_, &judge_, &clock_, registry_.get());
  }

  conclave::v1::ChangeRecord Approved(const std::string& environment, bool gate = true,
                                      const std::string& version = "v2",
                                      const std::string& base = "v1") {
    conclave::v1::ChangeRecord r;
    r.mutable_change()->set_id(absl::StrCat("chg_", ++changes_));
    r.mutable_change()->set_target_service("demo");
    r.mutable_change()->set_environment(environment);
    r.mutable_change()->set_version(version);
    r.mutable_change()->set_base_version(base);
    r.set_state(conclave::v1::CHANGE_STATE_DECIDED);
    r.mutable_decision()->set_outcome(conclave::v1::OUTCOME_APPROVED);
    r.mutable_decision()->set_auto_rollout(gate);
    r.mutable_decision()->set_confidence(gate ? 0.9 : 0.5);
    return r;
  }

  std::string StartRollout(const std::string& environment, bool gate = true) {
    absl::StatusOr<Rollout> r = controller_->Start(Approved(environment, gate));
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->id() : "";
  }

  // Advances the clock in 100 ms ticks, as the supervisor's rollout thread does.
  void RunFor(absl::Duration d) {
    for (absl::Duration t; t < d; t += absl::Milliseconds(100)) {
      clock_.Advance(absl::Milliseconds(100));
      controller_->Tick();
    }
  }

  Rollout Get(const std::string& id) {
    absl::StatusOr<Rollout> r = controller_->Get(id);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : Rollout();
  }

  std::vector<RolloutEvent> Events(const std::string& id) {
    RolloutEventQueue q;
    EXPECT_TRUE(controller_->Watch(id, &q).ok());
    std::vector<RolloutEvent> out;
    RolloutEvent e;
    while (q.Next(&e, absl::ZeroDuration())) out.push_back(e);
    controller_->Unwatch(id, &q);
    return out;
  }

  int Count(const std::string& id, conclave::v1::RolloutEventType type) {
    int n = 0;
    for (const auto& e : Events(id)) n += e.type() == type;
    return n;
  }

  FakeClock clock_;
  std::unique_ptr<store::KvStore> store_;
  std::unique_ptr<AuditLog> audit_;
  Policy policy_;
  FakeTrafficClient traffic_;
  ScriptedJudge judge_;
  std::unique_ptr<metrics::Registry> registry_;
  std::unique_ptr<RolloutController> controller_;
  int changes_ = 0;
};

TEST_F(RolloutControllerTest, ProdPassesEveryStepAndRecordsTheNewVersion) {
  const std::string id = StartRollout("prod");
  EXPECT_EQ(Get(id).state(), conclave::v1::ROLLOUT_STATE_PROGRESSING);
  RunFor(absl::Seconds(10));
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10)) << "each step is held for 10 s";
  RunFor(absl::Seconds(25));
  const Rollout r = Get(id);
  EXPECT_EQ(r.state(), conclave::v1::ROLLOUT_STATE_SUCCEEDED) << r.reason();
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10, 25, 50, 100));
  EXPECT_EQ(r.canary_weight(), 100);
  EXPECT_EQ(r.last_verdict(), "PASS");
  EXPECT_GE(judge_.calls(), 27u) << "judged every second of three 10 s holds";
  EXPECT_EQ(controller_->CurrentVersion("demo", "prod"), "v2");
  EXPECT_EQ(Count(id, conclave::v1::ROLLOUT_EVENT_TYPE_STEP), 3);

  // The next change without a base version rolls out against v2.
  conclave::v1::ChangeRecord next = Approved("prod", true, "v3", "");
  absl::StatusOr<Rollout> second = controller_->Start(next);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->stable_version(), "v2");
  EXPECT_EQ(second->canary_version(), "v3");
}

TEST_F(RolloutControllerTest, JudgeRequestsCoverTheStepWindow) {
  const std::string id = StartRollout("prod");
  RunFor(absl::Seconds(3));
  ASSERT_GE(judge_.calls(), 1u);
  const conclave::v1::JudgeRequest req = judge_.requests().back();
  EXPECT_EQ(req.service(), "demo");
  EXPECT_EQ(req.canary_version(), "v2");
  EXPECT_EQ(req.stable_version(), "v1");
  EXPECT_EQ(req.change_id(), Get(id).change_id());
  EXPECT_EQ(req.start().seconds(), Get(id).step_started_at().seconds());
  EXPECT_GT(req.duration().seconds(), 0);
}

TEST_F(RolloutControllerTest, FailMidStepRollsBackAtOnceNamingTheMetric) {
  const std::string id = StartRollout("prod");
  RunFor(absl::Seconds(12));  // at 25 %
  ASSERT_EQ(traffic_.weight(), 25);
  judge_.Otherwise(kFail);
  const size_t calls_before = judge_.calls();
  RunFor(absl::Seconds(1));
  ASSERT_EQ(judge_.calls(), calls_before + 1) << "one judgment in the second";
  const Rollout r = Get(id);
  EXPECT_EQ(r.state(), conclave::v1::ROLLOUT_STATE_ROLLED_BACK);
  EXPECT_EQ(traffic_.weight(), 0) << "traffic back on stable in the tick that saw FAIL";
  EXPECT_EQ(r.canary_weight(), 0);
  EXPECT_THAT(r.reason(),
              AllOf(HasSubstr("FAIL at 25 %"), HasSubstr("error_rate"), HasSubstr("canary 0.2"),
                    HasSubstr("threshold 0.05"), HasSubstr("all traffic to v1")));
  EXPECT_EQ(r.last_verdict(), "FAIL");
  EXPECT_EQ(r.last_checks(0).name(), "error_rate");
  EXPECT_TRUE(r.has_finished_at());
  EXPECT_EQ(controller_->CurrentVersion("demo", "prod"), "");
  auto records = audit_->ForChange(r.change_id());
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->back().action(), "rollout_traffic_set");
  EXPECT_EQ((*records)[records->size() - 2].action(), "rollout_rolled_back");
  EXPECT_THAT((*records)[records->size() - 2].detail_json(), HasSubstr("error_rate"));
}

TEST_F(RolloutControllerTest, NoDataAtTheEndOfAHoldPausesThenResumeAndAbort) {
  judge_.Otherwise(kNoData);
  const std::string id = StartRollout("prod");
  RunFor(absl::Seconds(9));
  EXPECT_EQ(Get(id).state(), conclave::v1::ROLLOUT_STATE_PROGRESSING)
      << "NO_DATA during the hold is not an end";
  RunFor(absl::Seconds(2));
  Rollout r = Get(id);
  EXPECT_EQ(r.state(), conclave::v1::ROLLOUT_STATE_PAUSED);
  EXPECT_THAT(r.reason(), AllOf(HasSubstr("NO_DATA at 10 %"), HasSubstr("never promoted")));
  RunFor(absl::Seconds(30));
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10)) << "a paused rollout holds its weight";

  judge_.Otherwise(kInconclusive);
  absl::StatusOr<Rollout> resumed = controller_->ResumeRollout(id, "alice", "more traffic now");
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ(resumed->state(), conclave::v1::ROLLOUT_STATE_PROGRESSING);
  RunFor(absl::Seconds(11));
  r = Get(id);
  EXPECT_EQ(r.state(), conclave::v1::ROLLOUT_STATE_PAUSED);
  EXPECT_THAT(r.reason(), HasSubstr("INCONCLUSIVE"));

  absl::StatusOr<Rollout> aborted = controller_->Abort(id, "alice", "giving up");
  ASSERT_TRUE(aborted.ok()) << aborted.status();
  EXPECT_EQ(aborted->state(), conclave::v1::ROLLOUT_STATE_ROLLED_BACK);
  EXPECT_EQ(aborted->canary_weight(), 0) << "moved before the call returns";
  EXPECT_THAT(aborted->reason(), AllOf(HasSubstr("aborted by a person"), HasSubstr("giving up")));
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10, 0));
}

TEST_F(RolloutControllerTest, StagingWaitsForAPersonBeforeFullPromotion) {
  const std::string id = StartRollout("staging");
  RunFor(absl::Seconds(40));
  Rollout r = Get(id);
  EXPECT_EQ(r.state(), conclave::v1::ROLLOUT_STATE_AWAITING_PROMOTION);
  EXPECT_TRUE(r.manual_promotion());
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10, 25, 50));
  RunFor(absl::Seconds(60));
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10, 25, 50)) << "no promotion without a person";
  absl::StatusOr<Rollout> approved = controller_->Approve(id, "bob", "");
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), conclave::v1::ROLLOUT_STATE_SUCCEEDED);
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10, 25, 50, 100));
  EXPECT_EQ(controller_->CurrentVersion("demo", "staging"), "v2");
}

TEST_F(RolloutControllerTest, CanaryWaitingForPromotionIsStillJudgedAndRolledBackOnFail) {
  const std::string id = StartRollout("staging");
  RunFor(absl::Seconds(40));
  ASSERT_EQ(Get(id).state(), conclave::v1::ROLLOUT_STATE_AWAITING_PROMOTION);
  const size_t judged = judge_.calls();
  RunFor(absl::Seconds(3));
  EXPECT_GE(judge_.calls(), judged + 2);
  EXPECT_EQ(Get(id).state(), conclave::v1::ROLLOUT_STATE_AWAITING_PROMOTION);
  judge_.Otherwise(kFail);
  RunFor(absl::Seconds(1));
  EXPECT_EQ(Get(id).state(), conclave::v1::ROLLOUT_STATE_ROLLED_BACK);
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10, 25, 50, 0));
}

TEST_F(RolloutControllerTest, PausedRolloutIsNotJudged) {
  const std::string id = StartRollout("prod");
  RunFor(absl::Seconds(1));
  ASSERT_TRUE(controller_->Pause(id, "gina", "looking at dashboards").ok());
  const size_t judged = judge_.calls();
  judge_.Otherwise(kFail);
  RunFor(absl::Seconds(5));
  EXPECT_EQ(judge_.calls(), judged);
  EXPECT_EQ(Get(id).state(), conclave::v1::ROLLOUT_STATE_PAUSED);
  EXPECT_EQ(traffic_.weight(), 10);
}

TEST_F(RolloutControllerTest, DevDryRunRecordsEveryStepButNeverMovesTraffic) {
  const std::string id = StartRollout("dev");
  RunFor(absl::Seconds(40));
  const Rollout r = Get(id);
  EXPECT_TRUE(r.dry_run());
  EXPECT_EQ(r.state(), conclave::v1::ROLLOUT_STATE_SUCCEEDED) << r.reason();
  EXPECT_TRUE(traffic_.Weights().empty());
  EXPECT_THAT(r.reason(), HasSubstr("dry run"));
  EXPECT_EQ(Count(id, conclave::v1::ROLLOUT_EVENT_TYPE_STEP), 3);
  EXPECT_EQ(controller_->CurrentVersion("demo", "dev"), "") << "nothing was deployed";
  auto records = audit_->ForChange(r.change_id());
  ASSERT_TRUE(records.ok());
  int recorded = 0;
  for (const auto& rec : *records) {
    if (rec.action() == "rollout_traffic_set") {
      ++recorded;
      EXPECT_THAT(rec.detail_json(), HasSubstr("dry run: recorded, not applied"));
    }
  }
  EXPECT_EQ(recorded, 3) << "10, 25 and 50 %; 100 % is recorded with the success";
  EXPECT_EQ(records->back().action(), "rollout_succeeded");
  EXPECT_THAT(records->back().detail_json(), HasSubstr("dry run: nothing was moved"));
}

TEST_F(RolloutControllerTest, KillSwitchHaltsPromotionAndRollbackButPeopleStillAct) {
  const std::string id = StartRollout("prod");
  RunFor(absl::Seconds(1));
  ASSERT_EQ(traffic_.weight(), 10);
  ASSERT_TRUE(controller_->SetKillSwitch(true, "carol", "incident 42").ok());
  RunFor(absl::Seconds(20));
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10)) << "no promotion under the kill switch";
  judge_.Otherwise(kFail);
  RunFor(absl::Seconds(3));
  EXPECT_EQ(Get(id).state(), conclave::v1::ROLLOUT_STATE_PROGRESSING);
  EXPECT_EQ(Get(id).last_verdict(), "FAIL");
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10)) << "no automatic rollback either";
  EXPECT_TRUE(controller_->GetKillSwitch().engaged());
  EXPECT_EQ(controller_->GetKillSwitch().actor(), "carol");

  absl::StatusOr<Rollout> aborted = controller_->Abort(id, "carol", "by hand");
  ASSERT_TRUE(aborted.ok()) << aborted.status();
  EXPECT_EQ(aborted->state(), conclave::v1::ROLLOUT_STATE_ROLLED_BACK);
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10, 0));

  NewController();  // persisted
  EXPECT_TRUE(controller_->GetKillSwitch().engaged());
  ASSERT_TRUE(controller_->SetKillSwitch(false, "carol", "over").ok());
  EXPECT_FALSE(controller_->GetKillSwitch().engaged());
}

TEST_F(RolloutControllerTest, KillSwitchReleasedLetsTheHeldRollbackHappen) {
  const std::string id = StartRollout("prod");
  RunFor(absl::Seconds(1));
  ASSERT_TRUE(controller_->SetKillSwitch(true, "carol", "").ok());
  judge_.Otherwise(kFail);
  RunFor(absl::Seconds(2));
  EXPECT_EQ(traffic_.weight(), 10);
  ASSERT_TRUE(controller_->SetKillSwitch(false, "carol", "").ok());
  RunFor(absl::Seconds(1));
  EXPECT_EQ(Get(id).state(), conclave::v1::ROLLOUT_STATE_ROLLED_BACK);
  EXPECT_EQ(traffic_.weight(), 0);
}

TEST_F(RolloutControllerTest, RestartMidRolloutContinuesWithAFreshWindow) {
  const std::string id = StartRollout("prod");
  RunFor(absl::Seconds(15));  // at 25 %, 5 s into its hold
  ASSERT_EQ(traffic_.weight(), 25);
  NewController();
  ASSERT_TRUE(controller_->Resume().ok());
  const Rollout resumed = Get(id);
  EXPECT_EQ(resumed.state(), conclave::v1::ROLLOUT_STATE_PROGRESSING);
  EXPECT_THAT(Events(id).back().reason(),
              AllOf(HasSubstr("supervisor restarted"), HasSubstr("starts again")));
  RunFor(absl::Seconds(9));
  EXPECT_EQ(traffic_.weight(), 25) << "the step's window restarted: a full hold again";
  RunFor(absl::Seconds(25));
  EXPECT_EQ(Get(id).state(), conclave::v1::ROLLOUT_STATE_SUCCEEDED);
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10, 25, 50, 100));
}

TEST_F(RolloutControllerTest, RestartReappliesAPendingRollback) {
  const std::string id = StartRollout("prod");
  RunFor(absl::Seconds(1));
  traffic_.FailNext(1000);
  judge_.Otherwise(kFail);
  RunFor(absl::Seconds(3));
  EXPECT_EQ(Get(id).state(), conclave::v1::ROLLOUT_STATE_ROLLED_BACK);
  EXPECT_EQ(traffic_.weight(), 10) << "the rollback could not be applied yet";
  EXPECT_GE(Count(id, conclave::v1::ROLLOUT_EVENT_TYPE_ACTION_FAILED), 2);

  traffic_.FailNext(0);
  NewController();
  ASSERT_TRUE(controller_->Resume().ok());
  EXPECT_THAT(Events(id).back().reason(), HasSubstr("re-applying 0 %"));
  RunFor(absl::Milliseconds(100));
  EXPECT_EQ(traffic_.weight(), 0) << "traffic is never left split without an owner";
  EXPECT_EQ(Get(id).canary_weight(), 0);
  const size_t calls = traffic_.Weights().size();
  NewController();
  ASSERT_TRUE(controller_->Resume().ok());
  RunFor(absl::Seconds(2));
  EXPECT_EQ(traffic_.Weights().size(), calls) << "a finished rollout is not resumed";
}

TEST_F(RolloutControllerTest, TrafficFailuresAreRetriedAndNeverPassSilently) {
  traffic_.FailNext(2);
  const std::string id = StartRollout("prod");
  RunFor(absl::Milliseconds(100));
  EXPECT_EQ(Get(id).state(), conclave::v1::ROLLOUT_STATE_PROGRESSING);
  EXPECT_EQ(judge_.calls(), 0u) << "never judged before the step's weight is in place";
  RunFor(absl::Seconds(3));
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10, 10, 10));
  EXPECT_EQ(traffic_.weight(), 10);
  EXPECT_EQ(Count(id, conclave::v1::ROLLOUT_EVENT_TYPE_ACTION_FAILED), 2);
  for (const auto& e : Events(id)) {
    if (e.type() == conclave::v1::ROLLOUT_EVENT_TYPE_ACTION_FAILED) {
      EXPECT_THAT(e.reason(), HasSubstr("haproxy runtime API unreachable"));
    }
  }
  const auto ops = traffic_.requests();
  EXPECT_NE(ops[0].operation_id(), ops[1].operation_id()) << "each attempt is its own operation";

  // A move that keeps failing pauses the rollout for a person instead of passing.
  traffic_.FailNext(1000);
  RunFor(absl::Seconds(16));
  const Rollout r = Get(id);
  EXPECT_EQ(r.state(), conclave::v1::ROLLOUT_STATE_PAUSED);
  EXPECT_THAT(r.reason(), AllOf(HasSubstr("to 25 % failed"), HasSubstr("5 failed attempts")));
  EXPECT_EQ(traffic_.weight(), 10);
  const size_t judged = judge_.calls();
  RunFor(absl::Seconds(5));
  EXPECT_EQ(judge_.calls(), judged);
  traffic_.FailNext(0);
  ASSERT_TRUE(controller_->ResumeRollout(id, "dave", "").ok());
  EXPECT_EQ(traffic_.weight(), 25);
}

TEST_F(RolloutControllerTest, FailedGateWaitsForApproval) {
  const std::string id = StartRollout("prod", /*gate=*/false);
  Rollout r = Get(id);
  EXPECT_EQ(r.state(), conclave::v1::ROLLOUT_STATE_AWAITING_APPROVAL);
  EXPECT_THAT(r.reason(), HasSubstr("auto-rollout gate was not passed"));
  RunFor(absl::Seconds(30));
  EXPECT_TRUE(traffic_.Weights().empty());
  EXPECT_EQ(judge_.calls(), 0u);
  absl::StatusOr<Rollout> approved = controller_->Approve(id, "erin", "reviewed by hand");
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), conclave::v1::ROLLOUT_STATE_PROGRESSING);
  EXPECT_EQ(traffic_.weight(), 10);
}

TEST_F(RolloutControllerTest, ActionsInTheWrongStateFailAndUnknownIdsAreNotFound) {
  const std::string id = StartRollout("prod");
  RunFor(absl::Seconds(1));
  auto code = [](const absl::StatusOr<Rollout>& r) { return r.status().code(); };
  EXPECT_EQ(code(controller_->ResumeRollout(id, "x", "")), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(code(controller_->Approve(id, "x", "")), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(code(controller_->Rollback(id, "x", "")), absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<Rollout> wrong = controller_->ResumeRollout(id, "x", "");
  EXPECT_THAT(std::string(wrong.status().message()),
              HasSubstr("cannot resume rollout " + id + " in state ROLLOUT_STATE_PROGRESSING"));
  ASSERT_TRUE(controller_->Pause(id, "x", "").ok());
  EXPECT_EQ(code(controller_->Pause(id, "x", "")), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(controller_->Abort(id, "x", "").ok());
  EXPECT_EQ(code(controller_->Abort(id, "x", "")), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(code(controller_->Promote(id, "x", "")), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(code(controller_->Abort("ro_nope", "x", "")), absl::StatusCode::kNotFound);
  EXPECT_EQ(code(controller_->Get("ro_nope")), absl::StatusCode::kNotFound);
  RolloutEventQueue q;
  EXPECT_EQ(controller_->Watch("ro_nope", &q).code(), absl::StatusCode::kNotFound);
}

TEST_F(RolloutControllerTest, PromoteSkipsStepsAndRollbackTakesASucceededRolloutBack) {
  const std::string id = StartRollout("prod");
  RunFor(absl::Seconds(1));
  absl::StatusOr<Rollout> promoted = controller_->Promote(id, "frank", "hotfix");
  ASSERT_TRUE(promoted.ok()) << promoted.status();
  EXPECT_EQ(promoted->state(), conclave::v1::ROLLOUT_STATE_SUCCEEDED);
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10, 100));
  EXPECT_EQ(controller_->CurrentVersion("demo", "prod"), "v2");
  absl::StatusOr<Rollout> back = controller_->Rollback(id, "frank", "bad after all");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->state(), conclave::v1::ROLLOUT_STATE_ROLLED_BACK);
  EXPECT_THAT(traffic_.Weights(), ElementsAre(10, 100, 0));
  EXPECT_EQ(controller_->CurrentVersion("demo", "prod"), "v1");
}

TEST_F(RolloutControllerTest, StartNeedsAnApprovedChangeWithVersionsAndIsIdempotent) {
  conclave::v1::ChangeRecord rejected = Approved("prod");
  rejected.mutable_decision()->set_outcome(conclave::v1::OUTCOME_REJECTED);
  EXPECT_EQ(controller_->Start(rejected).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(controller_->Start(Approved("prod", true, "")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<Rollout> no_base = controller_->Start(Approved("prod", true, "v2", ""));
  EXPECT_THAT(std::string(no_base.status().message()), HasSubstr("base_version"));
  EXPECT_EQ(controller_->Start(Approved("prod", true, "v1", "v1")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  const conclave::v1::ChangeRecord change = Approved("prod");
  absl::StatusOr<Rollout> first = controller_->Start(change);
  absl::StatusOr<Rollout> again = controller_->Start(change);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->id(), again->id());
  auto all = controller_->List(0, "demo");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
  EXPECT_TRUE(controller_->List(0, "other")->empty());
}

TEST_F(RolloutControllerTest, WatchGivesPastEventsThenLiveOnesAndEndsWhenFinished) {
  const std::string id = StartRollout("prod");
  RunFor(absl::Seconds(2));
  RolloutEventQueue q;
  ASSERT_TRUE(controller_->Watch(id, &q).ok());
  RolloutEvent e;
  ASSERT_TRUE(q.Next(&e, absl::ZeroDuration()));
  EXPECT_EQ(e.type(), conclave::v1::ROLLOUT_EVENT_TYPE_CREATED);
  EXPECT_EQ(e.sequence(), 1u);
  EXPECT_FALSE(q.Next(&e, absl::ZeroDuration())) << "past JUDGED events are not stored";
  RunFor(absl::Seconds(1));
  ASSERT_TRUE(q.Next(&e, absl::ZeroDuration()));
  EXPECT_EQ(e.type(), conclave::v1::ROLLOUT_EVENT_TYPE_JUDGED);
  EXPECT_EQ(e.sequence(), 0u);
  EXPECT_EQ(e.canary_weight(), 10);
  EXPECT_EQ(e.checks(0).name(), "error_rate");
  EXPECT_EQ(e.checks(0).verdict(), "PASS");
  RunFor(absl::Seconds(40));
  std::vector<conclave::v1::RolloutEventType> transitions;
  while (q.Next(&e, absl::ZeroDuration())) {
    if (e.type() != conclave::v1::ROLLOUT_EVENT_TYPE_JUDGED) transitions.push_back(e.type());
  }
  EXPECT_THAT(transitions, ElementsAre(conclave::v1::ROLLOUT_EVENT_TYPE_STEP,
                                       conclave::v1::ROLLOUT_EVENT_TYPE_STEP,
                                       conclave::v1::ROLLOUT_EVENT_TYPE_STEP,
                                       conclave::v1::ROLLOUT_EVENT_TYPE_SUCCEEDED));
  EXPECT_TRUE(q.done());
  controller_->Unwatch(id, &q);
}

TEST_F(RolloutControllerTest, MetricsCountStatesVerdictsAndTimeToRestore) {
  const std::string id = StartRollout("prod");
  RunFor(absl::Seconds(2));
  judge_.Otherwise(kFail);
  RunFor(absl::Seconds(1));
  const std::string text = registry_->Render();
  EXPECT_THAT(text, HasSubstr("conclave_rollout_judgments_total{verdict=\"FAIL\"} 1"));
  EXPECT_THAT(text, HasSubstr("conclave_rollout_judgments_total{verdict=\"PASS\"}"));
  EXPECT_THAT(text, HasSubstr("conclave_rollout_transitions_total{environment=\"prod\",state="
                              "\"ROLLOUT_STATE_ROLLED_BACK\"} 1"));
  EXPECT_THAT(text, HasSubstr("conclave_rollout_restore_seconds_count{environment=\"prod\"} 1"));
  EXPECT_THAT(text, HasSubstr("conclave_rollouts{state=\"ROLLOUT_STATE_PROGRESSING\"} 0"));
}

}  // namespace
}  // namespace conclave::supervisor
