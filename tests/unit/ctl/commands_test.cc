// The commands of conclavectl against a fake supervisor served over real gRPC on a loopback
// port the kernel picks: what is sent, what is printed, and the exit status.
#include "supervisor/ctl/commands.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/change/change_files.h"
#include "nlohmann/json.hpp"
#include "tests/unit/ctl/fake_supervisor.h"

namespace conclave::ctl {
namespace {

namespace fs = std::filesystem;
namespace v1 = conclave::v1;

using testing_support::FakeSupervisor;

class CommandsTest : public testing_support::SupervisorFixture {};

v1::ChangeEvent VoteEvent(v1::Verdict verdict) {
  v1::ChangeEvent e;
  e.set_type(v1::EVENT_TYPE_VOTE_RECEIVED);
  e.mutable_vote()->set_reviewer("security");
  e.mutable_vote()->set_verdict(verdict);
  e.mutable_vote()->set_confidence(0.9);
  return e;
}

v1::ChangeEvent DecidedEvent(v1::Outcome outcome) {
  v1::ChangeEvent e;
  e.set_type(v1::EVENT_TYPE_DECIDED);
  e.mutable_decision()->set_outcome(outcome);
  e.mutable_decision()->set_explanation("because");
  return e;
}

TEST_F(CommandsTest, SubmitSendsTheCollectedChangeAndPrintsItsId) {
  Options options = SubmitOptions();
  options.version = "v2";
  options.base_version = "v1";
  EXPECT_EQ(Run(options), 0) << err_.str();
  EXPECT_EQ(out_.str(), "chg_test1\n");
  const std::vector<v1::Change> sent = fake_.submitted();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].target_service(), "checkout");
  EXPECT_EQ(sent[0].environment(), "prod");
  EXPECT_EQ(sent[0].title(), "Say hi");
  EXPECT_EQ(sent[0].author(), "alice");
  EXPECT_EQ(sent[0].version(), "v2");
  EXPECT_EQ(sent[0].base_version(), "v1");
  ASSERT_EQ(sent[0].files_size(), 1);
  EXPECT_EQ(sent[0].files(0).path(), "app.py");
  EXPECT_EQ(sent[0].files(0).content(), "print('hi')\n");
  EXPECT_TRUE(fake_.watched().empty());
}

TEST_F(CommandsTest, SubmitWaitPrintsVotesAndExitsZeroWhenApproved) {
  fake_.set_events({VoteEvent(v1::VERDICT_APPROVE), DecidedEvent(v1::OUTCOME_APPROVED)});
  Options o = SubmitOptions();
  o.wait = true;
  EXPECT_EQ(Run(o), 0) << err_.str();
  EXPECT_EQ(fake_.watched(), std::vector<std::string>{"chg_test1"});
  EXPECT_NE(out_.str().find("vote  security  APPROVE  confidence 0.90"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("decision  APPROVED"), std::string::npos) << out_.str();
}

TEST_F(CommandsTest, SubmitWaitExitsOneForAnyOtherDecision) {
  for (v1::Outcome outcome :
       {v1::OUTCOME_REJECTED, v1::OUTCOME_CHANGES_REQUESTED, v1::OUTCOME_ESCALATED}) {
    fake_.set_events({VoteEvent(v1::VERDICT_REJECT), DecidedEvent(outcome)});
    Options o = SubmitOptions();
    o.wait = true;
    EXPECT_EQ(Run(o), 1) << v1::Outcome_Name(outcome) << " " << err_.str();
  }
}

TEST_F(CommandsTest, SubmitWaitJsonPrintsOneObjectPerLine) {
  fake_.set_events({VoteEvent(v1::VERDICT_APPROVE), DecidedEvent(v1::OUTCOME_APPROVED)});
  Options o = SubmitOptions();
  o.wait = true;
  o.json = true;
  EXPECT_EQ(Run(o), 0) << err_.str();
  std::istringstream lines(out_.str());
  std::vector<nlohmann::json> docs;
  for (std::string line; std::getline(lines, line);) docs.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(docs.size(), 3u) << out_.str();
  EXPECT_EQ(docs[0]["change_id"], "chg_test1");
  EXPECT_EQ(docs[1]["vote"]["verdict"], "VERDICT_APPROVE");
  EXPECT_EQ(docs[2]["decision"]["outcome"], "OUTCOME_APPROVED");
}

TEST_F(CommandsTest, ServerErrorIsPrintedWithItsCodeAndExitsTwo) {
  fake_.set_submit_status(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unknown environment \"qa\""));
  EXPECT_EQ(Run(SubmitOptions()), 2);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "conclavectl: INVALID_ARGUMENT: unknown environment \"qa\"\n");
}

TEST_F(CommandsTest, OversizedFileFailsLocallyWithoutCallingTheServer) {
  std::ofstream(dir_ / "src" / "huge.bin") << std::string(change::kMaxFileBytes + 1, 'x');
  EXPECT_EQ(Run(SubmitOptions()), 2);
  EXPECT_NE(err_.str().find("RESOURCE_EXHAUSTED"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("huge.bin"), std::string::npos) << err_.str();
  EXPECT_TRUE(fake_.submitted().empty());
}

TEST_F(CommandsTest, ConnectionRefusedExitsTwoNamingTheAddress) {
  server_->Shutdown();
  server_.reset();
  Options o = SubmitOptions();
  o.timeout = absl::Seconds(10);
  EXPECT_EQ(Run(o), 2);
  EXPECT_NE(err_.str().find("UNAVAILABLE"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find(address_), std::string::npos) << err_.str();
}

TEST_F(CommandsTest, WatchEndingWithoutDecisionIsAnError) {
  fake_.set_events({VoteEvent(v1::VERDICT_APPROVE)});
  Options o;
  o.command = Command::kWatch;
  o.change_id = "chg_test1";
  EXPECT_EQ(Run(o), 2);
  EXPECT_NE(err_.str().find("ended before a decision"), std::string::npos) << err_.str();
  EXPECT_NE(out_.str().find("vote  security"), std::string::npos) << out_.str();
}

TEST_F(CommandsTest, GetUnknownChangeIsNotFound) {
  Options o;
  o.command = Command::kGet;
  o.change_id = "chg_nope";
  EXPECT_EQ(Run(o), 2);
  EXPECT_EQ(err_.str(), "conclavectl: NOT_FOUND: no change chg_nope\n");

  o.change_id = "chg_test1";
  EXPECT_EQ(Run(o), 0) << err_.str();
  EXPECT_NE(out_.str().find("REVIEWING"), std::string::npos) << out_.str();
}

TEST_F(CommandsTest, ListSendsStateAndLimitAndPrintsATable) {
  Options o;
  o.command = Command::kList;
  o.state = v1::CHANGE_STATE_DECIDED;
  o.limit = 5;
  EXPECT_EQ(Run(o), 0) << err_.str();
  EXPECT_EQ(fake_.list_request().state(), v1::CHANGE_STATE_DECIDED);
  EXPECT_EQ(fake_.list_request().limit(), 5);
  EXPECT_NE(out_.str().find("chg_test1  DECIDED  REJECTED  checkout  prod"), std::string::npos)
      << out_.str();
}

TEST_F(CommandsTest, AuditPrintsTheTrailAndUnknownChangeIsNotFound) {
  Options o;
  o.command = Command::kAudit;
  o.change_id = "chg_test1";
  EXPECT_EQ(Run(o), 0) << err_.str();
  EXPECT_NE(out_.str().find("submitted  alice  0123456789ab"), std::string::npos) << out_.str();
  o.change_id = "chg_other";
  EXPECT_EQ(Run(o), 2);
  EXPECT_NE(err_.str().find("NOT_FOUND"), std::string::npos) << err_.str();
}

TEST_F(CommandsTest, AuditVerifyExitsOneWhenTheChainIsBroken) {
  Options o;
  o.command = Command::kAuditVerify;
  v1::VerifyAuditLogResponse verify;
  verify.set_ok(true);
  verify.set_records(12);
  fake_.set_verify(verify);
  EXPECT_EQ(Run(o), 0);
  EXPECT_EQ(out_.str(), "ok: 12 records verified\n");

  verify.set_ok(false);
  verify.set_first_bad_sequence(5);
  fake_.set_verify(verify);
  EXPECT_EQ(Run(o), 1);
  EXPECT_EQ(out_.str(), "broken at sequence 5\n");
}

}  // namespace
}  // namespace conclave::ctl
