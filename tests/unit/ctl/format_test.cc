#include "supervisor/ctl/format.h"

#include <gtest/gtest.h>

#include "nlohmann/json.hpp"
#include "supervisor/ctl/exit_codes.h"

namespace conclave::ctl {
namespace {

using conclave::v1::Decision;
using conclave::v1::Vote;

Vote SecurityReject() {
  Vote vote;
  vote.set_reviewer("security");
  vote.set_verdict(conclave::v1::VERDICT_REJECT);
  vote.set_confidence(0.92);
  vote.set_risk(8);
  vote.set_complexity(2.5);
  auto* f = vote.add_findings();
  f->set_severity(conclave::v1::SEVERITY_CRITICAL);
  f->set_rule_id("SEC001");
  f->set_file("app/views.py");
  f->set_line(12);
  f->set_message("eval() of request data");
  f = vote.add_findings();
  f->set_severity(conclave::v1::SEVERITY_LOW);
  f->set_rule_id("SEC020");
  f->set_file("app/settings.py");
  f->set_message("file has no license header");
  return vote;
}

Decision Rejected() {
  Decision d;
  d.set_outcome(conclave::v1::OUTCOME_REJECTED);
  d.set_approval_share(0.4);
  d.set_confidence(0.92);
  d.set_vetoed_by("security");
  d.set_explanation("security rejected with confidence 0.92 >= 0.80\nSEC001 at app/views.py:12");
  return d;
}

TEST(FormatVoteTest, VoteLineThenOneLinePerFinding) {
  EXPECT_EQ(FormatVote(SecurityReject()),
            "vote  security  REJECT  confidence 0.92  risk 8.0  complexity 2.5  2 findings\n"
            "  CRITICAL SEC001 app/views.py:12 eval() of request data\n"
            "  LOW SEC020 app/settings.py file has no license header\n");
}

TEST(FormatVoteTest, SingleFindingIsSingular) {
  Vote vote = SecurityReject();
  vote.mutable_findings()->RemoveLast();
  EXPECT_NE(FormatVote(vote).find(" 1 finding\n"), std::string::npos) << FormatVote(vote);
}

TEST(FormatDecisionTest, OutcomeShareConfidenceGateAndExplanation) {
  EXPECT_EQ(FormatDecision(Rejected()),
            "decision  REJECTED  approval 0.40  confidence 0.92  auto_rollout no\n"
            "  vetoed by security\n"
            "  security rejected with confidence 0.92 >= 0.80\n"
            "  SEC001 at app/views.py:12\n");
}

TEST(FormatDecisionTest, EscalationNamesMissingVoters) {
  Decision d;
  d.set_outcome(conclave::v1::OUTCOME_ESCALATED);
  d.add_missing_voters("performance");
  d.add_missing_voters("architecture");
  EXPECT_NE(FormatDecision(d).find("missing voters: performance, architecture"), std::string::npos);
}

TEST(FormatDecisionTest, AutoRolloutIsShown) {
  Decision d;
  d.set_outcome(conclave::v1::OUTCOME_APPROVED);
  d.set_approval_share(1);
  d.set_auto_rollout(true);
  EXPECT_EQ(FormatDecision(d),
            "decision  APPROVED  approval 1.00  confidence 0.00  auto_rollout yes\n");
}

TEST(FormatEventTest, EachKindOfEvent) {
  conclave::v1::ChangeEvent e;
  e.set_change_id("chg_1");
  e.set_type(conclave::v1::EVENT_TYPE_SUBMITTED);
  EXPECT_EQ(FormatEvent(e), "submitted  chg_1\n");
  e.set_type(conclave::v1::EVENT_TYPE_DISPATCHED);
  e.set_detail("security");
  EXPECT_EQ(FormatEvent(e), "dispatched  security\n");
  e.set_type(conclave::v1::EVENT_TYPE_REVIEWER_FAILED);
  e.set_detail("performance: parse error");
  EXPECT_EQ(FormatEvent(e), "reviewer failed  performance: parse error\n");
  e.set_type(conclave::v1::EVENT_TYPE_VOTE_RECEIVED);
  *e.mutable_vote() = SecurityReject();
  EXPECT_EQ(FormatEvent(e), FormatVote(SecurityReject()));
  e.set_type(conclave::v1::EVENT_TYPE_DECIDED);
  *e.mutable_decision() = Rejected();
  EXPECT_EQ(FormatEvent(e), FormatDecision(Rejected()));
}

TEST(FormatChangeTableTest, ColumnsAlignAndUndecidedHasNoOutcome) {
  conclave::v1::ListChangesResponse response;
  auto* r = response.add_changes();
  r->mutable_change()->set_id("chg_long_identifier");
  r->mutable_change()->set_target_service("checkout");
  r->mutable_change()->set_environment("prod");
  r->mutable_change()->set_title("Fix login\nwith details below");
  r->set_state(conclave::v1::CHANGE_STATE_DECIDED);
  r->mutable_decision()->set_outcome(conclave::v1::OUTCOME_APPROVED);
  r = response.add_changes();
  r->mutable_change()->set_id("chg_2");
  r->mutable_change()->set_target_service("cart");
  r->mutable_change()->set_environment("dev");
  r->set_state(conclave::v1::CHANGE_STATE_REVIEWING);
  EXPECT_EQ(FormatChangeTable(response),
            "ID                   STATE      OUTCOME   SERVICE   ENV   TITLE\n"
            "chg_long_identifier  DECIDED    APPROVED  checkout  prod  Fix login\n"
            "chg_2                REVIEWING  -         cart      dev\n");
}

TEST(FormatAuditTrailTest, ShortHashAndTime) {
  conclave::v1::GetAuditTrailResponse response;
  auto* rec = response.add_records();
  rec->set_sequence(7);
  rec->mutable_time()->set_seconds(1714564800);  // 2024-05-01T12:00:00Z
  rec->set_action("decided");
  rec->set_actor("supervisor");
  rec->set_detail_json(R"({"outcome":"APPROVED"})");
  rec->set_hash(std::string(64, 'a'));
  EXPECT_EQ(FormatAuditTrail(response),
            "SEQ  TIME                  ACTION   ACTOR       HASH          DETAIL\n"
            "7    2024-05-01T12:00:00Z  decided  supervisor  aaaaaaaaaaaa  "
            "{\"outcome\":\"APPROVED\"}\n");
}

TEST(FormatVerifyResultTest, OkOrFirstBadSequence) {
  conclave::v1::VerifyAuditLogResponse r;
  r.set_ok(true);
  r.set_records(42);
  EXPECT_EQ(FormatVerifyResult(r), "ok: 42 records verified\n");
  r.set_ok(false);
  r.set_first_bad_sequence(17);
  r.set_message("hash mismatch");
  EXPECT_EQ(FormatVerifyResult(r), "broken at sequence 17: hash mismatch\n");
}

TEST(FormatTimestampTest, UnsetIsDash) {
  EXPECT_EQ(FormatTimestamp(google::protobuf::Timestamp()), "-");
}

TEST(ToJsonTest, ProtoNamesEnumNamesAndDefaults) {
  conclave::v1::ChangeEvent e;
  e.set_change_id("chg_1");
  e.set_type(conclave::v1::EVENT_TYPE_DECIDED);
  e.mutable_decision()->set_outcome(conclave::v1::OUTCOME_APPROVED);
  const std::string line = ToJson(e, /*pretty=*/false);
  ASSERT_EQ(line.find('\n'), line.size() - 1) << line;
  const nlohmann::json doc = nlohmann::json::parse(line);
  EXPECT_EQ(doc["change_id"], "chg_1");
  EXPECT_EQ(doc["type"], "EVENT_TYPE_DECIDED");
  EXPECT_EQ(doc["decision"]["outcome"], "OUTCOME_APPROVED");
  EXPECT_EQ(doc["decision"]["auto_rollout"], false);
}

TEST(ExitCodeTest, OnlyApprovedPasses) {
  EXPECT_EQ(ExitCodeForOutcome(conclave::v1::OUTCOME_APPROVED), 0);
  EXPECT_EQ(ExitCodeForOutcome(conclave::v1::OUTCOME_CHANGES_REQUESTED), 1);
  EXPECT_EQ(ExitCodeForOutcome(conclave::v1::OUTCOME_REJECTED), 1);
  EXPECT_EQ(ExitCodeForOutcome(conclave::v1::OUTCOME_ESCALATED), 1);
  EXPECT_EQ(ExitCodeForOutcome(conclave::v1::OUTCOME_UNSPECIFIED), 1);
}

TEST(ExitCodeTest, VerifyAndErrors) {
  conclave::v1::VerifyAuditLogResponse r;
  r.set_ok(true);
  EXPECT_EQ(ExitCodeForVerify(r), 0);
  r.set_ok(false);
  EXPECT_EQ(ExitCodeForVerify(r), 1);
  EXPECT_EQ(ExitCodeForStatus(absl::OkStatus()), 0);
  EXPECT_EQ(ExitCodeForStatus(absl::UnavailableError("refused")), 2);
  EXPECT_EQ(ExitCodeForStatus(absl::InvalidArgumentError("bad")), 2);
}

}  // namespace
}  // namespace conclave::ctl
