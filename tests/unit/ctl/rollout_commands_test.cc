// The rollout and kill-switch commands of conclavectl against the fake supervisor over real
// loopback gRPC: the request fields each command sends, what it prints, and its exit status.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "supervisor/ctl/commands.h"
#include "tests/unit/ctl/fake_supervisor.h"

namespace conclave::ctl {
namespace {

namespace v1 = conclave::v1;

class RolloutCommandsTest : public testing_support::SupervisorFixture {
 protected:
  Options RolloutOptions(Command command, const std::string& id) {
    Options o;
    o.command = command;
    o.addr = address_;
    o.rollout_id = id;
    // A client that waits for the stream to end instead of the terminal event fails, not hangs.
    o.wait_timeout = absl::Seconds(20);
    return o;
  }

  bool Printed(const std::string& text) { return out_.str().find(text) != std::string::npos; }

  // Whether a table row reads `cells` once its column padding is collapsed to one space.
  bool PrintedRow(const std::string& cells) {
    std::string collapsed;
    for (char c : out_.str()) {
      if (c != ' ' || collapsed.empty() || collapsed.back() != ' ') collapsed.push_back(c);
    }
    return collapsed.find(cells) != std::string::npos;
  }
};

v1::MetricCheck ErrorRateCheck(const std::string& verdict, double canary) {
  v1::MetricCheck c;
  c.set_name("error_rate");
  c.set_verdict(verdict);
  c.set_canary_value(canary);
  c.set_stable_value(0.012);
  c.set_threshold(0.05);
  c.set_canary_samples(1200);
  c.set_stable_samples(4800);
  return c;
}

v1::Rollout MakeRollout(const std::string& id, const std::string& change_id, v1::RolloutState state,
                        int step_index) {
  v1::Rollout r;
  r.set_id(id);
  r.set_change_id(change_id);
  r.set_service("checkout");
  r.set_environment("prod");
  r.set_stable_version("v1");
  r.set_canary_version("v2");
  r.set_state(state);
  for (int weight : {10, 25, 50, 100}) r.add_steps(weight);
  r.set_step_index(step_index);
  r.set_canary_weight(r.steps(step_index));
  r.mutable_step_hold()->set_seconds(30);
  r.set_last_verdict("PASS");
  *r.add_last_checks() = ErrorRateCheck("PASS", 0.01);
  return r;
}

v1::RolloutEvent Event(v1::RolloutEventType type, v1::RolloutState state, int weight,
                       const std::string& reason) {
  v1::RolloutEvent e;
  e.set_type(type);
  e.set_state(state);
  e.set_canary_weight(weight);
  e.set_reason(reason);
  e.mutable_time()->set_seconds(1795000000);
  e.mutable_time()->set_nanos(250000000);
  return e;
}

v1::RolloutEvent Judged(const std::string& verdict, double canary, int weight) {
  v1::RolloutEvent e =
      Event(v1::ROLLOUT_EVENT_TYPE_JUDGED, v1::ROLLOUT_STATE_PROGRESSING, weight, "");
  e.set_verdict(verdict);
  *e.add_checks() = ErrorRateCheck(verdict, canary);
  return e;
}

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::istringstream lines(text);
  std::vector<nlohmann::json> docs;
  for (std::string line; std::getline(lines, line);) docs.push_back(nlohmann::json::parse(line));
  return docs;
}

TEST_F(RolloutCommandsTest, StatusByRolloutIdShowsTheRolloutAndItsLatestChecks) {
  fake_.set_rollouts({MakeRollout("ro_A", "chg_1", v1::ROLLOUT_STATE_PROGRESSING, 1)});
  EXPECT_EQ(Run(RolloutOptions(Command::kRolloutStatus, "ro_A")), 0) << err_.str();
  EXPECT_EQ(fake_.get_rollout_calls(), 1);
  EXPECT_TRUE(fake_.list_rollouts_requests().empty());
  EXPECT_TRUE(Printed("ro_A")) << out_.str();
  EXPECT_TRUE(Printed("v1 -> v2 (stable -> canary)")) << out_.str();
  EXPECT_TRUE(Printed("PROGRESSING")) << out_.str();
  EXPECT_TRUE(Printed("2 of 4 (10, 25, 50, 100 %)")) << out_.str();
  EXPECT_TRUE(
      Printed("\n  PASS          error_rate  canary 0.01  stable 0.012  threshold 0.05  "
              "samples 1200/4800\n"))
      << out_.str();
}

TEST_F(RolloutCommandsTest, StatusByChangeIdShowsTheChangesNewestRollout) {
  fake_.set_rollouts({MakeRollout("ro_B", "chg_1", v1::ROLLOUT_STATE_PAUSED, 2),
                      MakeRollout("ro_A", "chg_1", v1::ROLLOUT_STATE_ROLLED_BACK, 0),
                      MakeRollout("ro_C", "chg_2", v1::ROLLOUT_STATE_PROGRESSING, 0)});
  EXPECT_EQ(Run(RolloutOptions(Command::kRolloutStatus, "chg_1")), 0) << err_.str();
  EXPECT_TRUE(Printed("ro_B")) << out_.str();
  EXPECT_TRUE(Printed("PAUSED")) << out_.str();
  EXPECT_FALSE(Printed("ro_A")) << out_.str();
  ASSERT_EQ(fake_.list_rollouts_requests().size(), 1u);
  EXPECT_EQ(fake_.list_rollouts_requests()[0].limit(), 1000);
  EXPECT_EQ(fake_.list_rollouts_requests()[0].service(), "");
  EXPECT_EQ(fake_.get_rollout_calls(), 0);
}

TEST_F(RolloutCommandsTest, StatusWithoutIdListsOnlyUnfinishedRollouts) {
  fake_.set_rollouts({MakeRollout("ro_D", "chg_4", v1::ROLLOUT_STATE_AWAITING_APPROVAL, 0),
                      MakeRollout("ro_C", "chg_3", v1::ROLLOUT_STATE_SUCCEEDED, 3),
                      MakeRollout("ro_B", "chg_2", v1::ROLLOUT_STATE_PAUSED, 1),
                      MakeRollout("ro_A", "chg_1", v1::ROLLOUT_STATE_ROLLED_BACK, 0)});
  Options o = RolloutOptions(Command::kRolloutStatus, "");
  o.service = "checkout";
  EXPECT_EQ(Run(o), 0) << err_.str();
  EXPECT_TRUE(PrintedRow("\nro_D chg_4 checkout prod AWAITING_APPROVAL 10% 1/4 v1 -> v2 -\n"))
      << out_.str();
  EXPECT_TRUE(PrintedRow("\nro_B chg_2 checkout prod PAUSED 25% 2/4 v1 -> v2 -\n")) << out_.str();
  EXPECT_FALSE(Printed("ro_C")) << out_.str();
  EXPECT_FALSE(Printed("ro_A")) << out_.str();
  ASSERT_EQ(fake_.list_rollouts_requests().size(), 1u);
  EXPECT_EQ(fake_.list_rollouts_requests()[0].service(), "checkout");

  o.json = true;
  EXPECT_EQ(Run(o), 0) << err_.str();
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  ASSERT_EQ(doc["rollouts"].size(), 2u) << out_.str();
  EXPECT_EQ(doc["rollouts"][0]["state"], "ROLLOUT_STATE_AWAITING_APPROVAL");

  fake_.set_rollouts({MakeRollout("ro_C", "chg_3", v1::ROLLOUT_STATE_SUCCEEDED, 3)});
  o.json = false;
  EXPECT_EQ(Run(o), 0) << err_.str();
  EXPECT_EQ(out_.str(), "no active rollouts\n");
}

TEST_F(RolloutCommandsTest, StatusOfAnUnknownIdExitsTwoWithTheMessage) {
  fake_.set_rollouts({MakeRollout("ro_A", "chg_1", v1::ROLLOUT_STATE_PROGRESSING, 0)});
  EXPECT_EQ(Run(RolloutOptions(Command::kRolloutStatus, "ro_nope")), 2);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "conclavectl: NOT_FOUND: no rollout ro_nope\n");

  EXPECT_EQ(Run(RolloutOptions(Command::kRolloutStatus, "chg_nope")), 2);
  EXPECT_NE(err_.str().find("NOT_FOUND: no rollout with id or change id chg_nope"),
            std::string::npos)
      << err_.str();
}

TEST_F(RolloutCommandsTest, ListSendsLimitAndServiceAndPrintsATable) {
  v1::Rollout r = MakeRollout("ro_A", "chg_1", v1::ROLLOUT_STATE_PROGRESSING, 1);
  r.mutable_updated_at()->set_seconds(1795000000);
  fake_.set_rollouts({r, MakeRollout("ro_Z", "chg_9", v1::ROLLOUT_STATE_SUCCEEDED, 3)});
  Options o = RolloutOptions(Command::kRolloutList, "");
  o.limit = 7;
  o.service = "checkout";
  EXPECT_EQ(Run(o), 0) << err_.str();
  ASSERT_EQ(fake_.list_rollouts_requests().size(), 1u);
  EXPECT_EQ(fake_.list_rollouts_requests()[0].limit(), 7);
  EXPECT_EQ(fake_.list_rollouts_requests()[0].service(), "checkout");
  EXPECT_TRUE(PrintedRow("ID CHANGE SERVICE ENV STATE WEIGHT STEP VERSIONS UPDATED\n"))
      << out_.str();
  EXPECT_TRUE(
      PrintedRow("\nro_A chg_1 checkout prod PROGRESSING 25% 2/4 v1 -> v2 2026-11-18T11:06:40Z\n"))
      << out_.str();
  EXPECT_TRUE(PrintedRow("\nro_Z chg_9 checkout prod SUCCEEDED 100% 4/4 v1 -> v2 -\n"))
      << out_.str();
}

TEST_F(RolloutCommandsTest, WatchPrintsEachEventAndExitsZeroAtSucceeded) {
  v1::RolloutEvent after =
      Event(v1::ROLLOUT_EVENT_TYPE_STEP, v1::ROLLOUT_STATE_PROGRESSING, 10, "never read");
  fake_.set_rollout_events(
      {Event(v1::ROLLOUT_EVENT_TYPE_CREATED, v1::ROLLOUT_STATE_PROGRESSING, 0, "approved"),
       Event(v1::ROLLOUT_EVENT_TYPE_STEP, v1::ROLLOUT_STATE_PROGRESSING, 10, "step 1 of 4"),
       Judged("PASS", 0.01, 10),
       Event(v1::ROLLOUT_EVENT_TYPE_SUCCEEDED, v1::ROLLOUT_STATE_SUCCEEDED, 100, "all passed"),
       after});
  // The server keeps the stream open: the command must stop at the terminal event.
  fake_.set_hold_watch_open(true);
  EXPECT_EQ(Run(RolloutOptions(Command::kRolloutWatch, "ro_A")), 0) << err_.str();
  EXPECT_EQ(fake_.watched_rollouts(), std::vector<std::string>{"ro_A"});
  EXPECT_EQ(out_.str(),
            "2026-11-18T11:06:40.250Z  PROGRESSING           0%  CREATED        approved\n"
            "2026-11-18T11:06:40.250Z  PROGRESSING          10%  STEP           step 1 of 4\n"
            "2026-11-18T11:06:40.250Z  PROGRESSING          10%  JUDGED         PASS\n"
            "  PASS          error_rate  canary 0.01  stable 0.012  threshold 0.05  "
            "samples 1200/4800\n"
            "2026-11-18T11:06:40.250Z  SUCCEEDED           100%  SUCCEEDED      all passed\n");
}

TEST_F(RolloutCommandsTest, WatchExitsOneWhenTheRolloutIsRolledBack) {
  v1::RolloutEvent failed = Judged("FAIL", 0.09, 25);
  failed.mutable_checks(0)->set_reason("error rate 0.09 > 0.05");
  fake_.set_rollout_events(
      {Event(v1::ROLLOUT_EVENT_TYPE_STEP, v1::ROLLOUT_STATE_PROGRESSING, 25, ""), failed,
       Event(v1::ROLLOUT_EVENT_TYPE_ROLLED_BACK, v1::ROLLOUT_STATE_ROLLED_BACK, 0,
             "error_rate FAIL: canary 0.09 > threshold 0.05"),
       Event(v1::ROLLOUT_EVENT_TYPE_STEP, v1::ROLLOUT_STATE_PROGRESSING, 10, "never read")});
  fake_.set_hold_watch_open(true);
  EXPECT_EQ(Run(RolloutOptions(Command::kRolloutWatch, "ro_A")), 1) << err_.str();
  EXPECT_TRUE(
      Printed("  FAIL          error_rate  canary 0.09  stable 0.012  threshold 0.05  "
              "samples 1200/4800  error rate 0.09 > 0.05\n"))
      << out_.str();
  EXPECT_TRUE(Printed("ROLLED_BACK           0%  ROLLED_BACK    error_rate FAIL: canary 0.09"))
      << out_.str();
  EXPECT_FALSE(Printed("never read")) << out_.str();
  EXPECT_EQ(err_.str(), "");
}

TEST_F(RolloutCommandsTest, WatchJsonPrintsOneEventPerLine) {
  fake_.set_rollout_events(
      {Judged("PASS", 0.01, 50),
       Event(v1::ROLLOUT_EVENT_TYPE_ROLLED_BACK, v1::ROLLOUT_STATE_ROLLED_BACK, 0, "aborted")});
  Options o = RolloutOptions(Command::kRolloutWatch, "ro_A");
  o.json = true;
  EXPECT_EQ(Run(o), 1) << err_.str();
  const std::vector<nlohmann::json> docs = JsonLines(out_.str());
  ASSERT_EQ(docs.size(), 2u) << out_.str();
  EXPECT_EQ(docs[0]["type"], "ROLLOUT_EVENT_TYPE_JUDGED");
  EXPECT_EQ(docs[0]["checks"][0]["canary_samples"], "1200");
  EXPECT_EQ(docs[1]["state"], "ROLLOUT_STATE_ROLLED_BACK");
  EXPECT_EQ(docs[1]["rollout_id"], "ro_A");
}

TEST_F(RolloutCommandsTest, WatchByChangeIdWatchesThatChangesRollout) {
  fake_.set_rollouts({MakeRollout("ro_B", "chg_1", v1::ROLLOUT_STATE_PROGRESSING, 0)});
  fake_.set_rollout_events(
      {Event(v1::ROLLOUT_EVENT_TYPE_SUCCEEDED, v1::ROLLOUT_STATE_SUCCEEDED, 100, "")});
  EXPECT_EQ(Run(RolloutOptions(Command::kRolloutWatch, "chg_1")), 0) << err_.str();
  EXPECT_EQ(fake_.watched_rollouts(), std::vector<std::string>{"ro_B"});
}

TEST_F(RolloutCommandsTest, WatchErrorsExitTwo) {
  fake_.set_rollout_events({Judged("PASS", 0.01, 10)});
  fake_.set_watch_status(grpc::Status(grpc::StatusCode::NOT_FOUND, "no rollout ro_X"));
  EXPECT_EQ(Run(RolloutOptions(Command::kRolloutWatch, "ro_X")), 2);
  EXPECT_EQ(err_.str(), "conclavectl: NOT_FOUND: no rollout ro_X\n");

  fake_.set_watch_status(grpc::Status::OK);
  EXPECT_EQ(Run(RolloutOptions(Command::kRolloutWatch, "ro_X")), 2);
  EXPECT_EQ(err_.str(),
            "conclavectl: ABORTED: the event stream of ro_X ended before the rollout finished\n");
  EXPECT_TRUE(Printed("JUDGED         PASS")) << out_.str();
}

TEST_F(RolloutCommandsTest, EachActionCallsItsRpcWithIdActorAndReason) {
  struct Case {
    Command command;
    std::string method;
    std::string state;
  };
  const Case cases[] = {
      {Command::kRolloutApprove, "ApproveRollout", "PROGRESSING"},
      {Command::kRolloutPromote, "PromoteRollout", "SUCCEEDED"},
      {Command::kRolloutPause, "PauseRollout", "PAUSED"},
      {Command::kRolloutResume, "ResumeRollout", "PROGRESSING"},
      {Command::kRolloutAbort, "AbortRollout", "ROLLED_BACK"},
      {Command::kRolloutRollback, "RollbackRollout", "ROLLED_BACK"},
  };
  fake_.set_rollouts({MakeRollout("ro_A", "chg_1", v1::ROLLOUT_STATE_PROGRESSING, 1)});
  for (const Case& c : cases) {
    Options o = RolloutOptions(c.command, "ro_A");
    o.actor = "alice";
    o.reason = "p99 looks wrong";
    EXPECT_EQ(Run(o), 0) << c.method << " " << err_.str();
    ASSERT_FALSE(fake_.actions().empty());
    const testing_support::FakeSupervisor::Action action = fake_.actions().back();
    EXPECT_EQ(action.method, c.method);
    EXPECT_EQ(action.request.rollout_id(), "ro_A");
    EXPECT_EQ(action.request.actor(), "alice");
    EXPECT_EQ(action.request.reason(), "p99 looks wrong");
    EXPECT_EQ(out_.str(),
              "ro_A  " + c.state + "  25%  step 2/4  " + c.method + " by alice: p99 looks wrong\n");
  }
  EXPECT_EQ(fake_.actions().size(), 6u);
  // Rollout ids go straight to the action; no lookup first.
  EXPECT_TRUE(fake_.list_rollouts_requests().empty());
}

TEST_F(RolloutCommandsTest, ActionByChangeIdActsOnThatChangesNewestRollout) {
  fake_.set_rollouts({MakeRollout("ro_B", "chg_1", v1::ROLLOUT_STATE_PAUSED, 1),
                      MakeRollout("ro_A", "chg_1", v1::ROLLOUT_STATE_ROLLED_BACK, 0)});
  Options o = RolloutOptions(Command::kRolloutAbort, "chg_1");
  o.actor = "bob";
  EXPECT_EQ(Run(o), 0) << err_.str();
  ASSERT_EQ(fake_.actions().size(), 1u);
  EXPECT_EQ(fake_.actions()[0].request.rollout_id(), "ro_B");

  o.rollout_id = "chg_unknown";
  EXPECT_EQ(Run(o), 2);
  EXPECT_NE(err_.str().find("NOT_FOUND"), std::string::npos) << err_.str();
  EXPECT_EQ(fake_.actions().size(), 1u);
}

TEST_F(RolloutCommandsTest, ActionRefusedByTheServerExitsTwoWithItsMessage) {
  fake_.set_rollouts({MakeRollout("ro_A", "chg_1", v1::ROLLOUT_STATE_PROGRESSING, 1)});
  fake_.set_action_status(
      grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "rollout ro_A is not PAUSED"));
  EXPECT_EQ(Run(RolloutOptions(Command::kRolloutResume, "ro_A")), 2);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "conclavectl: FAILED_PRECONDITION: rollout ro_A is not PAUSED\n");
}

TEST_F(RolloutCommandsTest, ActionJsonPrintsTheRolloutAfterTheAction) {
  fake_.set_rollouts({MakeRollout("ro_A", "chg_1", v1::ROLLOUT_STATE_PROGRESSING, 1)});
  Options o = RolloutOptions(Command::kRolloutPause, "ro_A");
  o.json = true;
  EXPECT_EQ(Run(o), 0) << err_.str();
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  EXPECT_EQ(doc["id"], "ro_A");
  EXPECT_EQ(doc["state"], "ROLLOUT_STATE_PAUSED");
  EXPECT_EQ(doc["canary_weight"], 25);
}

TEST_F(RolloutCommandsTest, KillSwitchOnOffAndStatus) {
  Options o;
  o.command = Command::kKillSwitchSet;
  o.engaged = true;
  o.actor = "carol";
  o.reason = "incident 4711";
  EXPECT_EQ(Run(o), 0) << err_.str();
  ASSERT_EQ(fake_.kill_switch_requests().size(), 1u);
  EXPECT_TRUE(fake_.kill_switch_requests()[0].engaged());
  EXPECT_EQ(fake_.kill_switch_requests()[0].actor(), "carol");
  EXPECT_EQ(fake_.kill_switch_requests()[0].reason(), "incident 4711");
  EXPECT_EQ(out_.str(), "kill switch on  since 2026-11-18T11:06:40Z  by carol: incident 4711\n");

  Options status;
  status.command = Command::kKillSwitchStatus;
  EXPECT_EQ(Run(status), 0) << err_.str();
  EXPECT_EQ(out_.str(), "kill switch on  since 2026-11-18T11:06:40Z  by carol: incident 4711\n");

  o.engaged = false;
  o.reason = "";
  EXPECT_EQ(Run(o), 0) << err_.str();
  EXPECT_FALSE(fake_.kill_switch_requests().back().engaged());
  status.json = true;
  EXPECT_EQ(Run(status), 0) << err_.str();
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  EXPECT_EQ(doc["engaged"], false);
  EXPECT_EQ(doc["actor"], "carol");
}

TEST_F(RolloutCommandsTest, KillSwitchErrorExitsTwo) {
  fake_.set_kill_switch_status(
      grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "kill switch needs an actor"));
  Options o;
  o.command = Command::kKillSwitchSet;
  o.engaged = true;
  EXPECT_EQ(Run(o), 2);
  EXPECT_EQ(err_.str(), "conclavectl: PERMISSION_DENIED: kill switch needs an actor\n");
  o.command = Command::kKillSwitchStatus;
  EXPECT_EQ(Run(o), 2);
}

}  // namespace
}  // namespace conclave::ctl
