// The commands of conclavectl against a fake supervisor served over real gRPC on a loopback
// port the kernel picks: what is sent, what is printed, and the exit status.
#include "supervisor/ctl/commands.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/synchronization/mutex.h"
#include "common/change/change_files.h"
#include "nlohmann/json.hpp"

namespace conclave::ctl {
namespace {

namespace fs = std::filesystem;
namespace v1 = conclave::v1;

// Answers from canned values and records what it was asked. Calls arrive on gRPC threads.
class FakeSupervisor final : public v1::Supervisor::Service {
 public:
  grpc::Status SubmitChange(grpc::ServerContext*, const v1::SubmitChangeRequest* request,
                            v1::SubmitChangeResponse* response) override {
    absl::MutexLock lock(&mu_);
    submitted_.push_back(request->change());
    if (!submit_status_.ok()) return submit_status_;
    response->set_change_id("chg_test1");
    response->set_state(v1::CHANGE_STATE_ACCEPTED);
    return grpc::Status::OK;
  }

  grpc::Status GetChange(grpc::ServerContext*, const v1::GetChangeRequest* request,
                         v1::ChangeRecord* record) override {
    if (request->change_id() != "chg_test1") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no change " + request->change_id());
    }
    record->mutable_change()->set_id("chg_test1");
    record->mutable_change()->set_target_service("checkout");
    record->set_state(v1::CHANGE_STATE_REVIEWING);
    return grpc::Status::OK;
  }

  grpc::Status ListChanges(grpc::ServerContext*, const v1::ListChangesRequest* request,
                           v1::ListChangesResponse* response) override {
    absl::MutexLock lock(&mu_);
    list_request_ = *request;
    auto* record = response->add_changes();
    record->mutable_change()->set_id("chg_test1");
    record->mutable_change()->set_target_service("checkout");
    record->mutable_change()->set_environment("prod");
    record->set_state(v1::CHANGE_STATE_DECIDED);
    record->mutable_decision()->set_outcome(v1::OUTCOME_REJECTED);
    return grpc::Status::OK;
  }

  grpc::Status WatchChange(grpc::ServerContext*, const v1::WatchChangeRequest* request,
                           grpc::ServerWriter<v1::ChangeEvent>* writer) override {
    absl::MutexLock lock(&mu_);
    watched_.push_back(request->change_id());
    for (v1::ChangeEvent event : events_) {
      event.set_change_id(request->change_id());
      writer->Write(event);
    }
    return grpc::Status::OK;
  }

  grpc::Status GetAuditTrail(grpc::ServerContext*, const v1::GetAuditTrailRequest* request,
                             v1::GetAuditTrailResponse* response) override {
    if (request->change_id() != "chg_test1" && !request->change_id().empty()) {
      return grpc::Status::OK;
    }
    auto* record = response->add_records();
    record->set_sequence(3);
    record->set_change_id("chg_test1");
    record->set_action("submitted");
    record->set_actor("alice");
    record->set_hash("0123456789abcdef");
    return grpc::Status::OK;
  }

  grpc::Status VerifyAuditLog(grpc::ServerContext*, const v1::VerifyAuditLogRequest*,
                              v1::VerifyAuditLogResponse* response) override {
    absl::MutexLock lock(&mu_);
    *response = verify_;
    return grpc::Status::OK;
  }

  void set_events(std::vector<v1::ChangeEvent> events) {
    absl::MutexLock lock(&mu_);
    events_ = std::move(events);
  }
  void set_submit_status(grpc::Status status) {
    absl::MutexLock lock(&mu_);
    submit_status_ = std::move(status);
  }
  void set_verify(v1::VerifyAuditLogResponse verify) {
    absl::MutexLock lock(&mu_);
    verify_ = std::move(verify);
  }
  std::vector<v1::Change> submitted() {
    absl::MutexLock lock(&mu_);
    return submitted_;
  }
  std::vector<std::string> watched() {
    absl::MutexLock lock(&mu_);
    return watched_;
  }
  v1::ListChangesRequest list_request() {
    absl::MutexLock lock(&mu_);
    return list_request_;
  }

 private:
  absl::Mutex mu_;
  std::vector<v1::ChangeEvent> events_ ABSL_GUARDED_BY(mu_);
  grpc::Status submit_status_ ABSL_GUARDED_BY(mu_);
  v1::VerifyAuditLogResponse verify_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::Change> submitted_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> watched_ ABSL_GUARDED_BY(mu_);
  v1::ListChangesRequest list_request_ ABSL_GUARDED_BY(mu_);
};

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

class CommandsTest : public testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&fake_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port, 0);
    address_ = "127.0.0.1:" + std::to_string(port);
    stub_ =
        v1::Supervisor::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));

    dir_ = fs::path(testing::TempDir()) /
           ("ctl_commands_" + std::to_string(::getpid()) + "_" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "src");
    std::ofstream(dir_ / "src" / "app.py") << "print('hi')\n";
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
    fs::remove_all(dir_);
  }

  Options SubmitOptions() {
    Options o;
    o.command = Command::kSubmit;
    o.addr = address_;
    o.service = "checkout";
    o.environment = "prod";
    o.title = "Say hi";
    o.author = "alice";
    o.paths = {(dir_ / "src").string()};
    return o;
  }

  int Run(const Options& options) {
    out_.str("");
    err_.str("");
    Commands commands(stub_.get(), &out_, &err_);
    return commands.Run(options);
  }

  FakeSupervisor fake_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  std::unique_ptr<v1::Supervisor::Stub> stub_;
  fs::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CommandsTest, SubmitSendsTheCollectedChangeAndPrintsItsId) {
  EXPECT_EQ(Run(SubmitOptions()), 0) << err_.str();
  EXPECT_EQ(out_.str(), "chg_test1\n");
  const std::vector<v1::Change> sent = fake_.submitted();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].target_service(), "checkout");
  EXPECT_EQ(sent[0].environment(), "prod");
  EXPECT_EQ(sent[0].title(), "Say hi");
  EXPECT_EQ(sent[0].author(), "alice");
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
