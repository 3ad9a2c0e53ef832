// End-to-end tests of the review pipeline: real nats-server, real supervisor and reviewer
// processes, driven through the supervisor's gRPC API.
#include <httplib.h>

#include <set>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/bus/bus.h"
#include "common/bus/topology.h"
#include "tests/integration/system/conclave_system.h"

namespace conclave::testing {
namespace {

using conclave::v1::ChangeRecord;

constexpr absl::Duration kDecisionTimeout = absl::Seconds(60);

class SystemTest : public ::testing::Test {
 protected:
  void Start(absl::Duration deadline = absl::Seconds(60),
             const std::vector<std::string>& required = {"security", "performance",
                                                         "architecture"}) {
    auto sys = ConclaveSystem::Start(TestPolicy(deadline, required));
    ASSERT_TRUE(sys.ok()) << sys.status();
    sys_ = std::move(*sys);
  }

  ChangeRecord SubmitAndWait(const conclave::v1::Change& change) {
    auto id = sys_->Submit(change);
    EXPECT_TRUE(id.ok()) << id.status();
    if (!id.ok()) return {};
    auto record = sys_->WaitForDecision(*id, kDecisionTimeout);
    EXPECT_TRUE(record.ok()) << record.status() << "\n" << sys_->Logs();
    return record.ok() ? *record : ChangeRecord();
  }

  const conclave::v1::Vote* VoteOf(const ChangeRecord& r, const std::string& reviewer) {
    for (const auto& v : r.votes()) {
      if (v.reviewer() == reviewer) return &v;
    }
    return nullptr;
  }

  void TearDown() override {
    if (HasFailure() && sys_) std::cerr << sys_->Logs();
  }

  std::unique_ptr<ConclaveSystem> sys_;
};

TEST_F(SystemTest, ExamplesGetTheirDecisionsWithAnAuditTrail) {
  Start();
  ASSERT_TRUE(sys_->StartAllReviewers().ok());

  ChangeRecord rejected = SubmitAndWait(MakeChange(ExampleFiles("eval-request")));
  EXPECT_EQ(rejected.decision().outcome(), conclave::v1::OUTCOME_REJECTED)
      << rejected.decision().explanation();
  EXPECT_EQ(rejected.decision().vetoed_by(), "security");
  ASSERT_NE(VoteOf(rejected, "security"), nullptr);
  EXPECT_EQ(VoteOf(rejected, "security")->verdict(), conclave::v1::VERDICT_REJECT);

  ChangeRecord approved = SubmitAndWait(MakeChange(ExampleFiles("clean-change")));
  EXPECT_EQ(approved.decision().outcome(), conclave::v1::OUTCOME_APPROVED)
      << approved.decision().explanation();
  EXPECT_EQ(approved.votes_size(), 3);

  ChangeRecord changes = SubmitAndWait(MakeChange(ExampleFiles("long-function")));
  EXPECT_EQ(changes.decision().outcome(), conclave::v1::OUTCOME_CHANGES_REQUESTED)
      << changes.decision().explanation();
  ASSERT_NE(VoteOf(changes, "architecture"), nullptr);
  EXPECT_EQ(VoteOf(changes, "architecture")->verdict(), conclave::v1::VERDICT_REQUEST_CHANGES);

  // The trail of one change: submitted, dispatched, three votes, decided — and the chain holds.
  grpc::ClientContext ctx;
  conclave::v1::GetAuditTrailRequest req;
  req.set_change_id(approved.change().id());
  conclave::v1::GetAuditTrailResponse trail;
  ASSERT_TRUE(sys_->stub().GetAuditTrail(&ctx, req, &trail).ok());
  std::vector<std::string> actions;
  for (const auto& r : trail.records()) actions.push_back(r.action());
  ASSERT_EQ(actions.size(), 6u);
  EXPECT_EQ(actions.front(), "submitted");
  EXPECT_EQ(actions[1], "dispatched");
  EXPECT_EQ(actions.back(), "decided");
  grpc::ClientContext vctx;
  conclave::v1::VerifyAuditLogResponse verify;
  ASSERT_TRUE(sys_->stub().VerifyAuditLog(&vctx, {}, &verify).ok());
  EXPECT_TRUE(verify.ok()) << verify.message();
  EXPECT_GE(verify.records(), 18u);
}

TEST_F(SystemTest, WatchStreamsEveryEventUntilTheDecision) {
  Start();
  ASSERT_TRUE(sys_->StartAllReviewers().ok());
  auto id = sys_->Submit(MakeChange(ExampleFiles("clean-change")));
  ASSERT_TRUE(id.ok()) << id.status();
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + kDecisionTimeout));
  conclave::v1::WatchChangeRequest req;
  req.set_change_id(*id);
  auto reader = sys_->stub().WatchChange(&ctx, req);
  conclave::v1::ChangeEvent event;
  std::vector<conclave::v1::EventType> types;
  uint32_t last_seq = 0;
  while (reader->Read(&event)) {
    types.push_back(event.type());
    EXPECT_EQ(event.sequence(), last_seq + 1);
    last_seq = event.sequence();
  }
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(types.size(), 6u);
  EXPECT_EQ(types.front(), conclave::v1::EVENT_TYPE_SUBMITTED);
  EXPECT_EQ(types.back(), conclave::v1::EVENT_TYPE_DECIDED);
}

TEST_F(SystemTest, TwoReplicasOfAReviewerShareTheWork) {
  Start();
  auto a = sys_->StartReviewer("security", {"--workers", "1"});
  auto b = sys_->StartReviewer("security", {"--workers", "1"});
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(sys_->StartReviewer("performance").ok());
  ASSERT_TRUE(sys_->StartReviewer("architecture").ok());
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) {
    auto id = sys_->Submit(MakeChange(ExampleFiles("clean-change")));
    ASSERT_TRUE(id.ok()) << id.status();
    ids.push_back(*id);
  }
  std::set<std::string> replicas;
  for (const std::string& id : ids) {
    auto record = sys_->WaitForDecision(id, kDecisionTimeout);
    ASSERT_TRUE(record.ok()) << record.status();
    EXPECT_EQ(record->decision().outcome(), conclave::v1::OUTCOME_APPROVED);
    ASSERT_NE(VoteOf(*record, "security"), nullptr);
    replicas.insert(VoteOf(*record, "security")->replica());
  }
  EXPECT_EQ(replicas.size(), 2u) << "both security replicas should have reviewed";
}

// Returns the value of the first line of `metric` in the replica's /metrics, or -1: a metric
// name (its first series) or one series, name{labels}.
double ScrapeMetric(const std::string& http_addr, const std::string& metric) {
  httplib::Client client("http://" + http_addr);
  auto res = client.Get("/metrics");
  if (!res || res->status != 200) return -1;
  std::istringstream in(res->body);
  std::string line;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, metric + " ") || absl::StartsWith(line, metric + "{")) {
      return std::stod(line.substr(line.rfind(' ') + 1));
    }
  }
  return -1;
}

TEST_F(SystemTest, AResubmittedChangeIsReviewedFromTheCacheWithTheSameVote) {
  Start();
  auto security = sys_->StartReviewer("security");
  ASSERT_TRUE(security.ok()) << security.status();
  ASSERT_TRUE(sys_->StartReviewer("performance").ok());
  ASSERT_TRUE(sys_->StartReviewer("architecture").ok());
  const std::string http = sys_->HttpAddress(*security);
  const std::string hits =
      "conclave_review_cache_lookups_total{reviewer=\"security\",result=\"hit\"}";

  ChangeRecord first = SubmitAndWait(MakeChange(ExampleFiles("eval-request")));
  const double hits_before = ScrapeMetric(http, hits);
  ChangeRecord second = SubmitAndWait(MakeChange(ExampleFiles("eval-request")));
  EXPECT_EQ(second.decision().outcome(), conclave::v1::OUTCOME_REJECTED);
  ASSERT_NE(VoteOf(first, "security"), nullptr);
  ASSERT_NE(VoteOf(second, "security"), nullptr);
  const conclave::v1::Vote& a = *VoteOf(first, "security");
  const conclave::v1::Vote& b = *VoteOf(second, "security");
  EXPECT_EQ(a.verdict(), b.verdict());
  ASSERT_EQ(a.findings_size(), b.findings_size());
  for (int i = 0; i < a.findings_size(); ++i) {
    EXPECT_EQ(a.findings(i).SerializeAsString(), b.findings(i).SerializeAsString()) << i;
  }
  // Every file of the second change came from the cache.
  EXPECT_EQ(ScrapeMetric(http, hits) - hits_before,
            static_cast<double>(ExampleFiles("eval-request").size()));
}

TEST_F(SystemTest, KilledReviewerTaskIsRedeliveredToAnotherReplica) {
  Start();
  // Replica A takes the task and stalls; it is killed with the task unacked.
  auto a = sys_->StartReviewer("security", {"--chaos_delay", "120s", "--ack_wait", "2s"});
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(sys_->StartReviewer("performance").ok());
  ASSERT_TRUE(sys_->StartReviewer("architecture").ok());
  auto id = sys_->Submit(MakeChange(ExampleFiles("clean-change")));
  ASSERT_TRUE(id.ok());
  const std::string a_http = sys_->HttpAddress(*a);
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (ScrapeMetric(a_http, "conclave_bus_inflight_tasks") < 1 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_GE(ScrapeMetric(a_http, "conclave_bus_inflight_tasks"), 1) << "replica A never took it";
  const pid_t a_pid = (*a)->pid();
  (*a)->Kill();
  auto b = sys_->StartReviewer("security", {"--ack_wait", "2s"});
  ASSERT_TRUE(b.ok());
  auto record = sys_->WaitForDecision(*id, kDecisionTimeout);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->decision().outcome(), conclave::v1::OUTCOME_APPROVED);
  const auto* vote = VoteOf(*record, "security");
  ASSERT_NE(vote, nullptr);
  EXPECT_TRUE(absl::EndsWith(vote->replica(), absl::StrCat(":", (*b)->pid())))
      << vote->replica() << " (A was " << a_pid << ")";
}

TEST_F(SystemTest, SupervisorRestartMidReviewStillDecides) {
  Start();
  auto security = sys_->StartReviewer("security");
  ASSERT_TRUE(security.ok());
  ASSERT_TRUE(sys_->StartReviewer("performance").ok());
  ASSERT_TRUE(sys_->StartReviewer("architecture").ok());
  ChangeRecord before = SubmitAndWait(MakeChange(ExampleFiles("clean-change")));
  ASSERT_EQ(before.state(), conclave::v1::CHANGE_STATE_DECIDED);

  (*security)->Terminate();  // the security vote of the next change cannot arrive yet
  auto id = sys_->Submit(MakeChange(ExampleFiles("eval-request")));
  ASSERT_TRUE(id.ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    auto r = sys_->Get(*id);
    if (r.ok() && r->votes_size() == 2) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_TRUE(sys_->RestartSupervisor(/*hard=*/true).ok());
  ASSERT_TRUE(sys_->StartReviewer("security").ok());
  auto record = sys_->WaitForDecision(*id, kDecisionTimeout);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->decision().outcome(), conclave::v1::OUTCOME_REJECTED);
  EXPECT_EQ(record->dispatch_count(), 2);
  auto old = sys_->Get(before.change().id());
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->decision().outcome(), before.decision().outcome());
}

TEST_F(SystemTest, MissingRequiredReviewerEscalatesAfterTheDeadline) {
  Start(absl::Seconds(2));
  ASSERT_TRUE(sys_->StartReviewer("security").ok());
  ASSERT_TRUE(sys_->StartReviewer("performance").ok());
  ChangeRecord r = SubmitAndWait(MakeChange(ExampleFiles("clean-change")));
  EXPECT_EQ(r.decision().outcome(), conclave::v1::OUTCOME_ESCALATED);
  ASSERT_EQ(r.decision().missing_voters_size(), 1);
  EXPECT_EQ(r.decision().missing_voters(0), "architecture");
  EXPECT_TRUE(absl::StrContains(r.decision().explanation(), "architecture"));
}

bool HasFindingWithPrefix(const ChangeRecord& r, const std::string& prefix) {
  for (const auto& v : r.votes()) {
    for (const auto& f : v.findings()) {
      if (absl::StartsWith(f.rule_id(), prefix)) return true;
    }
  }
  return false;
}

TEST_F(SystemTest, BadInputGetsAClearErrorOrAFindingAndNothingIsLost) {
  Start();
  ASSERT_TRUE(sys_->StartAllReviewers().ok());

  auto empty = sys_->Submit(MakeChange({}));
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(empty.status().message(), "empty")) << empty.status();

  auto unknown_env = sys_->Submit(MakeChange({{"a.py", "x = 1\n"}}, "qa"));
  EXPECT_EQ(unknown_env.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(unknown_env.status().message(), "qa"));

  auto too_big = sys_->Submit(MakeChange({{"big.py", std::string((1 << 20) + 1, '#')}}));
  EXPECT_EQ(too_big.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(absl::StrContains(too_big.status().message(), "1048576")) << too_big.status();

  ChangeRecord latin1 = SubmitAndWait(MakeChange({{"latin1.py", "name = 'caf\xe9'\n"}}));
  EXPECT_TRUE(HasFindingWithPrefix(latin1, "INPUT")) << latin1.DebugString();

  ChangeRecord ruby = SubmitAndWait(MakeChange({{"app.rb", "puts 'hi'\n"}}));
  EXPECT_TRUE(HasFindingWithPrefix(ruby, "INPUT")) << ruby.DebugString();

  std::string deep = "x = " + std::string(500, '(') + "1" + std::string(500, ')') + "\n";
  std::string blocks;
  for (int i = 0; i < 500; ++i) absl::StrAppend(&blocks, std::string(i, ' '), "if x:\n");
  absl::StrAppend(&blocks, std::string(500, ' '), "pass\n");
  ChangeRecord nested = SubmitAndWait(MakeChange({{"deep.py", deep}, {"blocks.py", blocks}}));
  EXPECT_EQ(nested.state(), conclave::v1::CHANGE_STATE_DECIDED);

  // Garbage on a task subject goes to the dead-letter stream; the reviewer lives on.
  auto bus = bus::ConnectNats({.url = sys_->nats().url(), .name = "test"});
  ASSERT_TRUE(bus.ok()) << bus.status();
  ASSERT_TRUE((*bus)->Publish({bus::TaskSubject("security", "Review"), "\xff\x00garbage", {}}).ok());
  auto dlq = (*bus)->CreatePullConsumer(
      {.stream = bus::kDeadLetterStream, .durable = "test-dlq",
       .filter_subject = bus::DeadLetterSubject("security")});
  ASSERT_TRUE(dlq.ok()) << dlq.status();
  auto dead = (*dlq)->Fetch(1, absl::Seconds(20));
  ASSERT_TRUE(dead.ok()) << dead.status();
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_TRUE(absl::StrContains((*dead)[0]->message().Header(bus::kErrorHeader), "malformed"));

  ChangeRecord after = SubmitAndWait(MakeChange(ExampleFiles("clean-change")));
  EXPECT_EQ(after.decision().outcome(), conclave::v1::OUTCOME_APPROVED);

  // Every accepted change was decided.
  grpc::ClientContext ctx;
  conclave::v1::ListChangesRequest req;
  conclave::v1::ListChangesResponse list;
  ASSERT_TRUE(sys_->stub().ListChanges(&ctx, req, &list).ok());
  EXPECT_EQ(list.changes_size(), 4);
  for (const auto& c : list.changes()) {
    EXPECT_EQ(c.state(), conclave::v1::CHANGE_STATE_DECIDED) << c.change().id();
  }
}

}  // namespace
}  // namespace conclave::testing
