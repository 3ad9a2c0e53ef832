// ChangeManager over the in-memory store and bus with a fake clock: what is persisted and
// dispatched on submit, how votes, errors, duplicates and deadlines lead to a decision, what
// watchers and the audit log see, and what a restart resumes. The same paths run against real
// nats-server, RocksDB and agent processes in tests/integration/system.
#include "supervisor/service/change_manager.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "common/bus/topology.h"
#include "common/clock/clock.h"
#include "common/store/kv_store.h"
#include "gtest/gtest.h"
#include "supervisor/core/audit_log.h"
#include "supervisor/core/policy.h"

namespace conclave::supervisor {
namespace {

using conclave::v1::ChangeEvent;
using conclave::v1::ChangeRecord;

constexpr char kPolicy[] = R"(
version: "test"
environments:
  dev:
    voters:
      security: {weight: 1.0, required: true}
      performance: {weight: 1.0, required: false}
      architecture: {weight: 1.0, required: false}
    approval_share: 0.6667
    reject_min_confidence: 0.8
    review_deadline: 30s
  staging:
    voters:
      security: {weight: 1.0, required: true}
      performance: {weight: 1.0, required: true}
      architecture: {weight: 1.0, required: true}
    review_deadline: 30s
  prod:
    voters:
      security: {weight: 1.0, required: true}
      performance: {weight: 1.0, required: true}
      architecture: {weight: 1.0, required: true}
    review_deadline: 60s
)";

const std::vector<std::string> kReviewers = {"architecture", "performance", "security"};

// A bus whose JetStream publishes can be made to fail, as when nats-server is down.
class FlakyBus : public bus::Bus {
 public:
  explicit FlakyBus(bus::Bus* inner) : inner_(inner) {}
  void set_down(bool down) {
    absl::MutexLock lock(&mu_);
    down_ = down;
  }
  absl::Status EnsureStream(const bus::StreamSpec& spec) override {
    return inner_->EnsureStream(spec);
  }
  absl::Status Publish(const bus::Message& msg, absl::Duration timeout) override {
    {
      absl::MutexLock lock(&mu_);
      if (down_) return absl::UnavailableError("nats: no server available");
    }
    return inner_->Publish(msg, timeout);
  }
  absl::Status PublishCore(const bus::Message& msg) override { return inner_->PublishCore(msg); }
  absl::StatusOr<std::unique_ptr<bus::PullConsumer>> CreatePullConsumer(
      const bus::ConsumerSpec& spec) override {
    return inner_->CreatePullConsumer(spec);
  }
  absl::StatusOr<std::unique_ptr<bus::Subscription>> Subscribe(
      const std::string& subject, std::function<void(bus::Message)> handler) override {
    return inner_->Subscribe(subject, std::move(handler));
  }
  absl::StatusOr<bus::Message> GetStreamMessage(const std::string& stream,
                                                uint64_t sequence) override {
    return inner_->GetStreamMessage(stream, sequence);
  }
  absl::Status DeleteStreamMessage(const std::string& stream, uint64_t sequence) override {
    return inner_->DeleteStreamMessage(stream, sequence);
  }
  bool Connected() const override { return inner_->Connected(); }

 private:
  bus::Bus* inner_;
  absl::Mutex mu_;
  bool down_ ABSL_GUARDED_BY(mu_) = false;
};

class ChangeManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto policy = Policy::Parse(kPolicy, "test-policy");
    ASSERT_TRUE(policy.ok()) << policy.status();
    policy_ = std::make_unique<Policy>(std::move(*policy));
    std::vector<std::string> families = ChangeManager::StoreFamilies();
    store_ = store::NewInMemoryKvStore(families);
    memory_bus_ = bus::NewInMemoryBus();
    bus_ = std::make_unique<FlakyBus>(memory_bus_.get());
    ASSERT_TRUE(bus::EnsureTopology(*bus_).ok());
    for (const std::string& r : kReviewers) {
      auto consumer = bus_->CreatePullConsumer(bus::TaskConsumerSpec(r, absl::Seconds(30), 5));
      ASSERT_TRUE(consumer.ok()) << consumer.status();
      consumers_[r] = std::move(*consumer);
    }
    StartManager();
  }

  // (Re)creates the manager over the same store and bus: a supervisor restart.
  void StartManager() {
    manager_.reset();
    audit_.reset();
    auto audit = AuditLog::Open(store_.get(), &clock_);
    ASSERT_TRUE(audit.ok()) << audit.status();
    audit_ = std::move(*audit);
    registry_ = std::make_unique<metrics::Registry>();
    manager_ = std::make_unique<ChangeManager>(store_.get(), audit_.get(), bus_.get(),
                                               policy_.get(), &clock_, registry_.get());
  }

  static conclave::v1::Change MakeChange(const std::string& env) {
    conclave::v1::Change change;
    change.set_title("add totals");
    change.set_target_service("orders");
    change.set_environment(env);
    auto* file = change.add_files();
    file->set_path("orders/totals.py");
    file->set_content("def total(items):\n    return sum(items)\n");
    return change;
  }

  // The tasks waiting for `reviewer`, acked.
  std::vector<bus::Message> TakeTasks(const std::string& reviewer) {
    std::vector<bus::Message> out;
    auto batch = consumers_[reviewer]->Fetch(10, absl::Milliseconds(50));
    EXPECT_TRUE(batch.ok()) << batch.status();
    if (!batch.ok()) return out;
    for (auto& d : *batch) {
      out.push_back(d->message());
      EXPECT_TRUE(d->Ack().ok());
    }
    return out;
  }

  static bus::Message Result(const std::string& change_id, const std::string& reviewer,
                             conclave::v1::Verdict verdict, double confidence) {
    conclave::v1::ReviewResponse response;
    response.set_change_id(change_id);
    response.set_reviewer(reviewer);
    response.mutable_vote()->set_verdict(verdict);
    response.mutable_vote()->set_confidence(confidence);
    bus::Message m;
    m.subject = bus::ResultSubject(reviewer, change_id);
    m.data = response.SerializeAsString();
    m.headers[bus::kChangeIdHeader] = change_id;
    return m;
  }

  static bus::Message ErrorResult(const std::string& change_id, const std::string& reviewer,
                                  const std::string& message) {
    conclave::v1::ReviewResponse response;
    response.set_change_id(change_id);
    response.set_reviewer(reviewer);
    response.set_error_code(3);
    response.set_error_message(message);
    bus::Message m;
    m.subject = bus::ResultSubject(reviewer, change_id);
    m.data = response.SerializeAsString();
    return m;
  }

  ChangeRecord Get(const std::string& id) {
    auto record = manager_->Get(id);
    EXPECT_TRUE(record.ok()) << record.status();
    return record.ok() ? *record : ChangeRecord();
  }

  FakeClock clock_;
  std::unique_ptr<Policy> policy_;
  std::unique_ptr<store::KvStore> store_;
  std::unique_ptr<bus::Bus> memory_bus_;
  std::unique_ptr<FlakyBus> bus_;
  std::map<std::string, std::unique_ptr<bus::PullConsumer>> consumers_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<metrics::Registry> registry_;
  std::unique_ptr<ChangeManager> manager_;
};

TEST_F(ChangeManagerTest, SubmitPersistsAndDispatchesOneTaskPerReviewer) {
  auto record = manager_->Submit(MakeChange("prod"),
                                 "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01");
  ASSERT_TRUE(record.ok()) << record.status();
  const std::string id = record->change().id();
  EXPECT_TRUE(absl::StartsWith(id, "chg_")) << id;
  EXPECT_EQ(record->state(), conclave::v1::CHANGE_STATE_REVIEWING);
  EXPECT_EQ(record->policy_version().substr(0, 5), "test+");
  EXPECT_EQ(std::vector<std::string>(record->reviewers().begin(), record->reviewers().end()),
            kReviewers);
  for (const std::string& r : kReviewers) {
    std::vector<bus::Message> tasks = TakeTasks(r);
    ASSERT_EQ(tasks.size(), 1u) << r;
    EXPECT_EQ(tasks[0].subject, bus::TaskSubject(r, "Review"));
    EXPECT_EQ(tasks[0].Header(bus::kMsgIdHeader), id + "." + r);
    EXPECT_EQ(tasks[0].Header(bus::kChangeIdHeader), id);
    EXPECT_FALSE(tasks[0].Header(bus::kDeadlineHeader).empty());
    EXPECT_FALSE(tasks[0].Header(bus::kTraceparentHeader).empty());
    conclave::v1::ReviewRequest request;
    ASSERT_TRUE(request.ParseFromString(tasks[0].data));
    EXPECT_EQ(request.change().id(), id);
  }
  // Readable back from the store, as a new manager would see it.
  EXPECT_EQ(Get(id).change().title(), "add totals");
}

TEST_F(ChangeManagerTest, InvalidChangesAreRefusedWithAClearError) {
  conclave::v1::Change empty = MakeChange("prod");
  empty.clear_files();
  auto r = manager_->Submit(empty, "");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  r = manager_->Submit(MakeChange("qa"), "");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "unknown environment 'qa'")) << r.status();
  auto listed = manager_->List(10, conclave::v1::CHANGE_STATE_UNSPECIFIED);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

TEST_F(ChangeManagerTest, ThreeApprovalsDecideAndWatchersSeeEveryStep) {
  auto record = manager_->Submit(MakeChange("prod"), "");
  ASSERT_TRUE(record.ok());
  const std::string id = record->change().id();
  EventQueue queue;
  ASSERT_TRUE(manager_->Watch(id, &queue).ok());
  for (const std::string& r : kReviewers) {
    ASSERT_TRUE(manager_->HandleResult(Result(id, r, conclave::v1::VERDICT_APPROVE, 0.9)).ok());
  }
  // A redelivered result after the decision changes nothing.
  ASSERT_TRUE(
      manager_->HandleResult(Result(id, "security", conclave::v1::VERDICT_REJECT, 1.0)).ok());
  std::vector<conclave::v1::EventType> types;
  ChangeEvent event;
  while (queue.Next(&event, absl::Milliseconds(100))) types.push_back(event.type());
  manager_->Unwatch(id, &queue);
  EXPECT_EQ(types,
            (std::vector<conclave::v1::EventType>{
                conclave::v1::EVENT_TYPE_SUBMITTED, conclave::v1::EVENT_TYPE_DISPATCHED,
                conclave::v1::EVENT_TYPE_VOTE_RECEIVED, conclave::v1::EVENT_TYPE_VOTE_RECEIVED,
                conclave::v1::EVENT_TYPE_VOTE_RECEIVED, conclave::v1::EVENT_TYPE_DECIDED}));
  EXPECT_TRUE(queue.done());
  const ChangeRecord decided = Get(id);
  EXPECT_EQ(decided.state(), conclave::v1::CHANGE_STATE_DECIDED);
  EXPECT_EQ(decided.decision().outcome(), conclave::v1::OUTCOME_APPROVED);
  EXPECT_EQ(decided.votes_size(), 3);

  auto trail = audit_->ForChange(id);
  ASSERT_TRUE(trail.ok());
  std::vector<std::string> actions;
  for (const auto& rec : *trail) actions.push_back(rec.action());
  EXPECT_EQ(actions, (std::vector<std::string>{"submitted", "dispatched", "vote", "vote", "vote",
                                               "decided"}));
  auto verified = audit_->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok()) << verified->message();
}

TEST_F(ChangeManagerTest, DuplicateVoteFromOneReviewerCountsOnce) {
  auto record = manager_->Submit(MakeChange("prod"), "");
  ASSERT_TRUE(record.ok());
  const std::string id = record->change().id();
  ASSERT_TRUE(
      manager_->HandleResult(Result(id, "security", conclave::v1::VERDICT_APPROVE, 0.9)).ok());
  ASSERT_TRUE(
      manager_->HandleResult(Result(id, "security", conclave::v1::VERDICT_APPROVE, 0.9)).ok());
  const ChangeRecord r = Get(id);
  EXPECT_EQ(r.votes_size(), 1);
  EXPECT_EQ(r.state(), conclave::v1::CHANGE_STATE_REVIEWING);
}

TEST_F(ChangeManagerTest, ConfidentRejectVetoes) {
  auto record = manager_->Submit(MakeChange("prod"), "");
  ASSERT_TRUE(record.ok());
  const std::string id = record->change().id();
  ASSERT_TRUE(
      manager_->HandleResult(Result(id, "security", conclave::v1::VERDICT_REJECT, 0.95)).ok());
  ASSERT_TRUE(
      manager_->HandleResult(Result(id, "performance", conclave::v1::VERDICT_APPROVE, 0.9)).ok());
  ASSERT_TRUE(
      manager_->HandleResult(Result(id, "architecture", conclave::v1::VERDICT_APPROVE, 0.9)).ok());
  EXPECT_EQ(Get(id).decision().outcome(), conclave::v1::OUTCOME_REJECTED);
}

TEST_F(ChangeManagerTest, MissingRequiredVoterEscalatesOnlyAfterTheDeadline) {
  auto record = manager_->Submit(MakeChange("prod"), "");
  ASSERT_TRUE(record.ok());
  const std::string id = record->change().id();
  ASSERT_TRUE(
      manager_->HandleResult(Result(id, "security", conclave::v1::VERDICT_APPROVE, 0.9)).ok());
  ASSERT_TRUE(
      manager_->HandleResult(Result(id, "performance", conclave::v1::VERDICT_APPROVE, 0.9)).ok());
  clock_.Advance(absl::Seconds(59));
  manager_->Tick();
  EXPECT_EQ(Get(id).state(), conclave::v1::CHANGE_STATE_REVIEWING);
  clock_.Advance(absl::Seconds(2));
  manager_->Tick();
  const ChangeRecord r = Get(id);
  EXPECT_EQ(r.state(), conclave::v1::CHANGE_STATE_DECIDED);
  EXPECT_EQ(r.decision().outcome(), conclave::v1::OUTCOME_ESCALATED);
  EXPECT_TRUE(absl::StrContains(r.decision().explanation(), "architecture"))
      << r.decision().explanation();
}

TEST_F(ChangeManagerTest, OptionalVoterSilenceDoesNotBlockInDev) {
  auto record = manager_->Submit(MakeChange("dev"), "");
  ASSERT_TRUE(record.ok());
  const std::string id = record->change().id();
  ASSERT_TRUE(
      manager_->HandleResult(Result(id, "security", conclave::v1::VERDICT_APPROVE, 0.9)).ok());
  clock_.Advance(absl::Seconds(31));
  manager_->Tick();
  EXPECT_EQ(Get(id).decision().outcome(), conclave::v1::OUTCOME_APPROVED);
}

TEST_F(ChangeManagerTest, FailedRequiredReviewerEscalatesWithItsError) {
  auto record = manager_->Submit(MakeChange("prod"), "");
  ASSERT_TRUE(record.ok());
  const std::string id = record->change().id();
  ASSERT_TRUE(
      manager_->HandleResult(ErrorResult(id, "security", "change has no reviewable files")).ok());
  ASSERT_TRUE(
      manager_->HandleResult(Result(id, "performance", conclave::v1::VERDICT_APPROVE, 0.9)).ok());
  ASSERT_TRUE(
      manager_->HandleResult(Result(id, "architecture", conclave::v1::VERDICT_APPROVE, 0.9)).ok());
  const ChangeRecord r = Get(id);
  EXPECT_EQ(r.decision().outcome(), conclave::v1::OUTCOME_ESCALATED);
  ASSERT_EQ(r.reviewer_errors_size(), 1);
  EXPECT_EQ(r.reviewer_errors(0), "security: change has no reviewable files");
}

TEST_F(ChangeManagerTest, DeadLetteredTaskCountsAsTheReviewersFailure) {
  auto record = manager_->Submit(MakeChange("prod"), "");
  ASSERT_TRUE(record.ok());
  const std::string id = record->change().id();
  bus::DeadLetter dead;
  dead.change_id = id;
  dead.agent = "security";
  dead.deliveries = 5;
  manager_->HandleDeadLetter(dead);
  manager_->Tick();
  const ChangeRecord r = Get(id);
  ASSERT_EQ(r.reviewer_errors_size(), 1);
  EXPECT_TRUE(absl::StrContains(r.reviewer_errors(0), "dead-lettered after 5 deliveries"));
}

TEST_F(ChangeManagerTest, MalformedResultIsDroppedNotRetried) {
  bus::Message garbage;
  garbage.subject = bus::ResultSubject("security", "chg_x");
  garbage.data = "\xff\xfe not a proto";
  EXPECT_TRUE(manager_->HandleResult(garbage).ok());
}

TEST_F(ChangeManagerTest, BusDownKeepsTheChangeAcceptedAndTickDispatchesLater) {
  bus_->set_down(true);
  auto record = manager_->Submit(MakeChange("prod"), "");
  ASSERT_TRUE(record.ok()) << record.status();
  const std::string id = record->change().id();
  EXPECT_EQ(record->state(), conclave::v1::CHANGE_STATE_ACCEPTED);
  manager_->Tick();
  EXPECT_EQ(Get(id).state(), conclave::v1::CHANGE_STATE_ACCEPTED);
  bus_->set_down(false);
  manager_->Tick();
  EXPECT_EQ(Get(id).state(), conclave::v1::CHANGE_STATE_REVIEWING);
  for (const std::string& r : kReviewers) EXPECT_EQ(TakeTasks(r).size(), 1u) << r;
}

TEST_F(ChangeManagerTest, RestartRedispatchesPendingReviewersAndKeepsDecidedChanges) {
  auto decided = manager_->Submit(MakeChange("prod"), "");
  ASSERT_TRUE(decided.ok());
  const std::string decided_id = decided->change().id();
  for (const std::string& r : kReviewers) {
    ASSERT_EQ(TakeTasks(r).size(), 1u);
    ASSERT_TRUE(
        manager_->HandleResult(Result(decided_id, r, conclave::v1::VERDICT_APPROVE, 0.9)).ok());
  }
  auto pending = manager_->Submit(MakeChange("prod"), "");
  ASSERT_TRUE(pending.ok());
  const std::string pending_id = pending->change().id();
  ASSERT_EQ(TakeTasks("security").size(), 1u);
  ASSERT_TRUE(
      manager_->HandleResult(Result(pending_id, "security", conclave::v1::VERDICT_APPROVE, 0.9))
          .ok());

  StartManager();  // the supervisor restarts
  ASSERT_TRUE(manager_->Resume().ok());
  EXPECT_EQ(Get(decided_id).decision().outcome(), conclave::v1::OUTCOME_APPROVED);
  // Only reviewers that had not voted are dispatched again, under the same Nats-Msg-Id: the
  // tasks still queued are not duplicated, so each reviewer has exactly one.
  EXPECT_TRUE(TakeTasks("security").empty());
  EXPECT_EQ(TakeTasks("performance").size(), 1u);
  EXPECT_EQ(TakeTasks("architecture").size(), 1u);
  ChangeRecord r = Get(pending_id);
  EXPECT_EQ(r.dispatch_count(), 2);
  EXPECT_EQ(r.votes_size(), 1);
  ASSERT_TRUE(
      manager_->HandleResult(Result(pending_id, "performance", conclave::v1::VERDICT_APPROVE, 0.9))
          .ok());
  ASSERT_TRUE(
      manager_->HandleResult(Result(pending_id, "architecture", conclave::v1::VERDICT_APPROVE, 0.9))
          .ok());
  EXPECT_EQ(Get(pending_id).decision().outcome(), conclave::v1::OUTCOME_APPROVED);
  auto verified = audit_->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok()) << verified->message();
}

}  // namespace
}  // namespace conclave::supervisor
