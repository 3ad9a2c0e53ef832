// A fake Supervisor for the commands of conclavectl, served over real gRPC on a loopback port
// the kernel picks, and the fixture that starts it. The fake answers from canned values and
// records what it was asked; calls arrive on gRPC threads, so its state sits behind a mutex.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "conclave/v1/supervisor.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "supervisor/ctl/commands.h"

namespace conclave::ctl::testing_support {

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

  // Rollouts: `rollouts_` (newest first) answer GetRollout and ListRollouts; actions answer
  // with the named rollout moved to the state the action leads to.
  grpc::Status GetRollout(grpc::ServerContext*, const v1::GetRolloutRequest* request,
                          v1::Rollout* rollout) override {
    absl::MutexLock lock(&mu_);
    ++get_rollout_calls_;
    for (const v1::Rollout& r : rollouts_) {
      if (r.id() == request->rollout_id()) {
        *rollout = r;
        return grpc::Status::OK;
      }
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no rollout " + request->rollout_id());
  }

  grpc::Status ListRollouts(grpc::ServerContext*, const v1::ListRolloutsRequest* request,
                            v1::ListRolloutsResponse* response) override {
    absl::MutexLock lock(&mu_);
    list_rollouts_requests_.push_back(*request);
    for (const v1::Rollout& r : rollouts_) {
      if (response->rollouts_size() >= request->limit()) break;
      if (request->service().empty() || r.service() == request->service()) {
        *response->add_rollouts() = r;
      }
    }
    return grpc::Status::OK;
  }

  // Writes `rollout_events_`, then returns `watch_status_`, or with hold_watch_open, keeps the
  // stream open until ReleaseWatches (so a client that waits for the end hangs).
  grpc::Status WatchRollout(grpc::ServerContext*, const v1::WatchRolloutRequest* request,
                            grpc::ServerWriter<v1::RolloutEvent>* writer) override {
    std::vector<v1::RolloutEvent> events;
    grpc::Status status;
    bool hold = false;
    {
      absl::MutexLock lock(&mu_);
      watched_rollouts_.push_back(request->rollout_id());
      events = rollout_events_;
      status = watch_status_;
      hold = hold_watch_open_;
    }
    for (v1::RolloutEvent event : events) {
      event.set_rollout_id(request->rollout_id());
      writer->Write(event);
    }
    if (hold) release_watches_.WaitForNotificationWithTimeout(absl::Seconds(60));
    return status;
  }

  grpc::Status ApproveRollout(grpc::ServerContext*, const v1::RolloutActionRequest* request,
                              v1::Rollout* rollout) override {
    return Act("ApproveRollout", *request, v1::ROLLOUT_STATE_PROGRESSING, rollout);
  }
  grpc::Status PromoteRollout(grpc::ServerContext*, const v1::RolloutActionRequest* request,
                              v1::Rollout* rollout) override {
    return Act("PromoteRollout", *request, v1::ROLLOUT_STATE_SUCCEEDED, rollout);
  }
  grpc::Status PauseRollout(grpc::ServerContext*, const v1::RolloutActionRequest* request,
                            v1::Rollout* rollout) override {
    return Act("PauseRollout", *request, v1::ROLLOUT_STATE_PAUSED, rollout);
  }
  grpc::Status ResumeRollout(grpc::ServerContext*, const v1::RolloutActionRequest* request,
                             v1::Rollout* rollout) override {
    return Act("ResumeRollout", *request, v1::ROLLOUT_STATE_PROGRESSING, rollout);
  }
  grpc::Status AbortRollout(grpc::ServerContext*, const v1::RolloutActionRequest* request,
                            v1::Rollout* rollout) override {
    return Act("AbortRollout", *request, v1::ROLLOUT_STATE_ROLLED_BACK, rollout);
  }
  grpc::Status RollbackRollout(grpc::ServerContext*, const v1::RolloutActionRequest* request,
                               v1::Rollout* rollout) override {
    return Act("RollbackRollout", *request, v1::ROLLOUT_STATE_ROLLED_BACK, rollout);
  }

  grpc::Status SetKillSwitch(grpc::ServerContext*, const v1::SetKillSwitchRequest* request,
                             v1::KillSwitch* kill_switch) override {
    absl::MutexLock lock(&mu_);
    kill_switch_requests_.push_back(*request);
    if (!kill_switch_status_.ok()) return kill_switch_status_;
    kill_switch_.set_engaged(request->engaged());
    kill_switch_.set_actor(request->actor());
    kill_switch_.set_reason(request->reason());
    kill_switch_.mutable_changed_at()->set_seconds(1795000000);
    *kill_switch = kill_switch_;
    return grpc::Status::OK;
  }

  grpc::Status GetKillSwitch(grpc::ServerContext*, const v1::GetKillSwitchRequest*,
                             v1::KillSwitch* kill_switch) override {
    absl::MutexLock lock(&mu_);
    if (!kill_switch_status_.ok()) return kill_switch_status_;
    *kill_switch = kill_switch_;
    return grpc::Status::OK;
  }

  struct Action {
    std::string method;
    v1::RolloutActionRequest request;
  };

  void set_rollouts(std::vector<v1::Rollout> rollouts) {
    absl::MutexLock lock(&mu_);
    rollouts_ = std::move(rollouts);
  }
  void set_rollout_events(std::vector<v1::RolloutEvent> events) {
    absl::MutexLock lock(&mu_);
    rollout_events_ = std::move(events);
  }
  void set_watch_status(grpc::Status status) {
    absl::MutexLock lock(&mu_);
    watch_status_ = std::move(status);
  }
  void set_hold_watch_open(bool hold) {
    absl::MutexLock lock(&mu_);
    hold_watch_open_ = hold;
  }
  // Ends every held watch; called before the server shuts down.
  void ReleaseWatches() {
    if (!release_watches_.HasBeenNotified()) release_watches_.Notify();
  }
  void set_action_status(grpc::Status status) {
    absl::MutexLock lock(&mu_);
    action_status_ = std::move(status);
  }
  void set_kill_switch_status(grpc::Status status) {
    absl::MutexLock lock(&mu_);
    kill_switch_status_ = std::move(status);
  }
  std::vector<Action> actions() {
    absl::MutexLock lock(&mu_);
    return actions_;
  }
  std::vector<std::string> watched_rollouts() {
    absl::MutexLock lock(&mu_);
    return watched_rollouts_;
  }
  std::vector<v1::ListRolloutsRequest> list_rollouts_requests() {
    absl::MutexLock lock(&mu_);
    return list_rollouts_requests_;
  }
  int get_rollout_calls() {
    absl::MutexLock lock(&mu_);
    return get_rollout_calls_;
  }
  std::vector<v1::SetKillSwitchRequest> kill_switch_requests() {
    absl::MutexLock lock(&mu_);
    return kill_switch_requests_;
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

  grpc::Status Act(const std::string& method, const v1::RolloutActionRequest& request,
                   v1::RolloutState next, v1::Rollout* rollout) {
    absl::MutexLock lock(&mu_);
    actions_.push_back({method, request});
    if (!action_status_.ok()) return action_status_;
    for (const v1::Rollout& r : rollouts_) {
      if (r.id() != request.rollout_id()) continue;
      *rollout = r;
      rollout->set_state(next);
      rollout->set_reason(method + " by " + request.actor() + ": " + request.reason());
      return grpc::Status::OK;
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no rollout " + request.rollout_id());
  }

  absl::Notification release_watches_;
  std::vector<v1::Rollout> rollouts_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::RolloutEvent> rollout_events_ ABSL_GUARDED_BY(mu_);
  grpc::Status watch_status_ ABSL_GUARDED_BY(mu_);
  bool hold_watch_open_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status action_status_ ABSL_GUARDED_BY(mu_);
  grpc::Status kill_switch_status_ ABSL_GUARDED_BY(mu_);
  v1::KillSwitch kill_switch_ ABSL_GUARDED_BY(mu_);
  std::vector<Action> actions_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> watched_rollouts_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::ListRolloutsRequest> list_rollouts_requests_ ABSL_GUARDED_BY(mu_);
  int get_rollout_calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<v1::SetKillSwitchRequest> kill_switch_requests_ ABSL_GUARDED_BY(mu_);
};

class SupervisorFixture : public ::testing::Test {
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
    stub_ = conclave::v1::Supervisor::NewStub(
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));

    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("ctl_commands_" + std::to_string(::getpid()) + "_" + test->test_suite_name() + "_" +
            test->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "src");
    std::ofstream(dir_ / "src" / "app.py") << "print('hi')\n";
  }

  void TearDown() override {
    fake_.ReleaseWatches();
    if (server_) server_->Shutdown();
    std::filesystem::remove_all(dir_);
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
  std::unique_ptr<conclave::v1::Supervisor::Stub> stub_;
  std::filesystem::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

}  // namespace conclave::ctl::testing_support
