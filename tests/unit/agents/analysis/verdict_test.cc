#include "agents/analysis/verdict.h"

#include <gtest/gtest.h>

namespace conclave::analysis {
namespace {

using conclave::v1::Severity;

conclave::v1::Finding MakeFinding(Severity severity, double confidence) {
  conclave::v1::Finding f;
  f.set_rule_id("T001");
  f.set_severity(severity);
  f.set_confidence(confidence);
  return f;
}

ReviewTally Tally(std::vector<conclave::v1::Finding> findings, int64_t in_scope = 100,
                  int64_t covered = 100, int complexity = 1) {
  ReviewTally t;
  t.findings = std::move(findings);
  t.lines_in_scope = in_scope;
  t.lines_covered = covered;
  t.max_complexity = complexity;
  return t;
}

TEST(VerdictTest, MayRejectRejectsAtHighWithTheMostConfidentSevereFinding) {
  const VerdictOutcome v = DecideVerdict(Tally({MakeFinding(conclave::v1::SEVERITY_HIGH, 0.85),
                                                MakeFinding(conclave::v1::SEVERITY_CRITICAL, 0.9),
                                                MakeFinding(conclave::v1::SEVERITY_MEDIUM, 0.99)}),
                                         RejectPolicy::kMayReject);
  EXPECT_EQ(v.verdict, conclave::v1::VERDICT_REJECT);
  EXPECT_DOUBLE_EQ(v.confidence, 0.9);  // MEDIUM's 0.99 does not count toward a REJECT
  EXPECT_DOUBLE_EQ(v.risk, 2.5 + 4 + 1);
}

TEST(VerdictTest, NeverRejectRequestsChangesForAHighFinding) {
  const VerdictOutcome v = DecideVerdict(Tally({MakeFinding(conclave::v1::SEVERITY_HIGH, 0.8)}),
                                         RejectPolicy::kNeverReject);
  EXPECT_EQ(v.verdict, conclave::v1::VERDICT_REQUEST_CHANGES);
  EXPECT_DOUBLE_EQ(v.confidence, 0.8);
}

TEST(VerdictTest, MediumRequestsChangesUnderBothPolicies) {
  for (RejectPolicy policy : {RejectPolicy::kMayReject, RejectPolicy::kNeverReject}) {
    const VerdictOutcome v = DecideVerdict(Tally({MakeFinding(conclave::v1::SEVERITY_MEDIUM, 0.7),
                                                  MakeFinding(conclave::v1::SEVERITY_LOW, 0.99)}),
                                           policy);
    EXPECT_EQ(v.verdict, conclave::v1::VERDICT_REQUEST_CHANGES);
    EXPECT_DOUBLE_EQ(v.confidence, 0.7);
    EXPECT_DOUBLE_EQ(v.risk, 1.25);
  }
}

TEST(VerdictTest, ApproveConfidenceIsCoverageTimesPointNineLessLowFindings) {
  const VerdictOutcome clean = DecideVerdict(Tally({}), RejectPolicy::kMayReject);
  EXPECT_EQ(clean.verdict, conclave::v1::VERDICT_APPROVE);
  EXPECT_DOUBLE_EQ(clean.confidence, 0.9);
  EXPECT_DOUBLE_EQ(clean.risk, 0);

  const VerdictOutcome lows = DecideVerdict(
      Tally({MakeFinding(conclave::v1::SEVERITY_LOW, 1), MakeFinding(conclave::v1::SEVERITY_LOW, 1),
             MakeFinding(conclave::v1::SEVERITY_INFO, 1)},
            100, 80),
      RejectPolicy::kMayReject);
  EXPECT_EQ(lows.verdict, conclave::v1::VERDICT_APPROVE);
  EXPECT_DOUBLE_EQ(lows.confidence, 0.9 * 0.8 - 0.04);  // INFO costs nothing
  EXPECT_DOUBLE_EQ(lows.risk, 0.5);
}

TEST(VerdictTest, ApproveConfidenceHasAFloorOfOneHalf) {
  const VerdictOutcome v = DecideVerdict(Tally({}, 100, 10), RejectPolicy::kNeverReject);
  EXPECT_EQ(v.verdict, conclave::v1::VERDICT_APPROVE);
  EXPECT_DOUBLE_EQ(v.confidence, 0.5);
}

TEST(VerdictTest, CoverageIsOneWhenNothingIsInScopeAndClamped) {
  EXPECT_DOUBLE_EQ(Coverage(Tally({}, 0, 0)), 1.0);
  EXPECT_DOUBLE_EQ(Coverage(Tally({}, 10, 5)), 0.5);
  EXPECT_DOUBLE_EQ(Coverage(Tally({}, 10, 50)), 1.0);
}

TEST(VerdictTest, RiskAndComplexityAreCappedAtTen) {
  std::vector<conclave::v1::Finding> many(5, MakeFinding(conclave::v1::SEVERITY_CRITICAL, 0.9));
  const VerdictOutcome v = DecideVerdict(Tally(many, 100, 100, 45), RejectPolicy::kMayReject);
  EXPECT_DOUBLE_EQ(v.risk, 10);
  EXPECT_DOUBLE_EQ(v.complexity, 10);
  EXPECT_DOUBLE_EQ(DecideVerdict(Tally({}, 1, 1, 12), RejectPolicy::kMayReject).complexity, 4);
}

TEST(VerdictTest, SeverityPoints) {
  EXPECT_DOUBLE_EQ(SeverityPoints(conclave::v1::SEVERITY_CRITICAL), 4);
  EXPECT_DOUBLE_EQ(SeverityPoints(conclave::v1::SEVERITY_HIGH), 2.5);
  EXPECT_DOUBLE_EQ(SeverityPoints(conclave::v1::SEVERITY_MEDIUM), 1);
  EXPECT_DOUBLE_EQ(SeverityPoints(conclave::v1::SEVERITY_LOW), 0.25);
  EXPECT_DOUBLE_EQ(SeverityPoints(conclave::v1::SEVERITY_INFO), 0);
}

}  // namespace
}  // namespace conclave::analysis
