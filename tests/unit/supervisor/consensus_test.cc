// Consensus: every branch of the decision rule in a table, the auto-rollout gate one value at a
// time, the words of the explanation, and replay (the same votes give the same decision).
#include "supervisor/core/consensus.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace conclave::supervisor {
namespace {

using conclave::v1::Decision;
using conclave::v1::Finding;
using conclave::v1::Outcome;
using conclave::v1::Verdict;
using conclave::v1::Vote;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr auto kApprove = conclave::v1::VERDICT_APPROVE;
constexpr auto kChanges = conclave::v1::VERDICT_REQUEST_CHANGES;
constexpr auto kReject = conclave::v1::VERDICT_REJECT;

Vote V(std::string reviewer, Verdict verdict, double confidence, double risk = 1,
       double complexity = 1) {
  Vote v;
  v.set_reviewer(std::move(reviewer));
  v.set_verdict(verdict);
  v.set_confidence(confidence);
  v.set_risk(risk);
  v.set_complexity(complexity);
  return v;
}

Vote WithFinding(Vote v, std::string rule, conclave::v1::Severity severity, std::string file,
                 int line, std::string message) {
  Finding* f = v.add_findings();
  f->set_rule_id(std::move(rule));
  f->set_severity(severity);
  f->set_file(std::move(file));
  f->set_line(line);
  f->set_message(std::move(message));
  f->set_confidence(0.9);
  return v;
}

// Three equal voters, as shipped: all required (prod) or only security (dev).
EnvironmentPolicy ThreeVoters(bool all_required) {
  EnvironmentPolicy p;
  p.voters["security"] = {1.0, true};
  p.voters["performance"] = {1.0, all_required};
  p.voters["architecture"] = {1.0, all_required};
  p.approval_share = 0.6667;
  p.reject_min_confidence = 0.8;
  return p;
}

EnvironmentPolicy Prod() { return ThreeVoters(true); }
EnvironmentPolicy Dev() { return ThreeVoters(false); }

EnvironmentPolicy Weighted() {
  EnvironmentPolicy p = Prod();
  p.voters["security"].weight = 2;
  return p;
}

EnvironmentPolicy ExactTwoThirds() {
  EnvironmentPolicy p = Prod();
  p.approval_share = 2.0 / 3.0;
  return p;
}

EnvironmentPolicy NoneRequired() {
  EnvironmentPolicy p = Dev();
  p.voters["security"].required = false;
  return p;
}

Decision DecideFor(const EnvironmentPolicy& p, const std::vector<Vote>& votes,
                   const std::vector<std::string>& failed = {}) {
  return Decide(p, "prod", "test+00000000", votes, failed);
}

struct Case {
  std::string name;
  EnvironmentPolicy policy;
  std::vector<Vote> votes;
  std::vector<std::string> failed;
  Outcome outcome;
  double share;
  double confidence;
  std::string vetoed_by;
  std::vector<std::string> missing;
};

class DecideTest : public ::testing::TestWithParam<Case> {};

TEST_P(DecideTest, OutcomeShareConfidenceAndVoters) {
  const Case& c = GetParam();
  Decision d = DecideFor(c.policy, c.votes, c.failed);
  EXPECT_EQ(d.outcome(), c.outcome) << d.explanation();
  EXPECT_NEAR(d.approval_share(), c.share, 1e-4) << d.explanation();
  EXPECT_NEAR(d.confidence(), c.confidence, 1e-9) << d.explanation();
  EXPECT_EQ(d.vetoed_by(), c.vetoed_by);
  EXPECT_THAT(d.missing_voters(), ElementsAreArray(c.missing));
  EXPECT_EQ(d.environment(), "prod");
  EXPECT_EQ(d.policy_version(), "test+00000000");
}

const auto kApproved = conclave::v1::OUTCOME_APPROVED;
const auto kChangesRequested = conclave::v1::OUTCOME_CHANGES_REQUESTED;
const auto kRejected = conclave::v1::OUTCOME_REJECTED;
const auto kEscalated = conclave::v1::OUTCOME_ESCALATED;

INSTANTIATE_TEST_SUITE_P(
    Branches, DecideTest,
    ::testing::Values(
        Case{"AllApprove",
             Prod(),
             {V("security", kApprove, .9), V("performance", kApprove, .8),
              V("architecture", kApprove, .7)},
             {},
             kApproved,
             1.0,
             0.8,
             "",
             {}},
        // The demo: 1.8 / 2.75 = 0.6545 < 0.6667.
        Case{"DemoSplitRequestsChanges",
             Prod(),
             {V("security", kApprove, .9), V("performance", kApprove, .9),
              V("architecture", kChanges, .95)},
             {},
             kChangesRequested,
             0.6545,
             0.95,
             "",
             {}},
        Case{"ConfidentRejectVetoes",
             Prod(),
             {V("security", kReject, .9), V("performance", kApprove, .99),
              V("architecture", kApprove, .99)},
             {},
             kRejected,
             0.6875,
             0.9,
             "security",
             {}},
        Case{"RejectExactlyAtTheThresholdVetoes",
             Prod(),
             {V("security", kReject, .8), V("performance", kApprove, .9),
              V("architecture", kApprove, .9)},
             {},
             kRejected,
             0.6923,
             0.8,
             "security",
             {}},
        // Below the threshold a REJECT only weighs against: 1.8 / 2.59 = 0.695.
        Case{"RejectBelowTheThresholdCountsAgainst",
             Prod(),
             {V("security", kReject, .79), V("performance", kApprove, .9),
              V("architecture", kApprove, .9)},
             {},
             kApproved,
             0.6950,
             0.9,
             "",
             {}},
        // 0.5 / 1.7: the weak REJECT and the REQUEST_CHANGES share the outcome's confidence.
        Case{"WeakRejectJoinsTheObjectors",
             Prod(),
             {V("security", kReject, .7), V("performance", kApprove, .5),
              V("architecture", kChanges, .5)},
             {},
             kChangesRequested,
             0.2941,
             0.6,
             "",
             {}},
        Case{"MostConfidentOfTwoVetoesIsNamed",
             Prod(),
             {V("security", kReject, .85), V("performance", kApprove, .9),
              V("architecture", kReject, .95)},
             {},
             kRejected,
             0.3333,
             0.95,
             "architecture",
             {}},
        Case{"VetoStandsWhileRequiredVotersAreMissing",
             Prod(),
             {V("security", kReject, .9)},
             {},
             kRejected,
             0.0,
             0.9,
             "security",
             {"architecture", "performance"}},
        Case{"MissingRequiredEscalates",
             Prod(),
             {V("security", kApprove, .9), V("performance", kApprove, .9)},
             {},
             kEscalated,
             1.0,
             0.0,
             "",
             {"architecture"}},
        Case{"FailedRequiredEscalates",
             Prod(),
             {V("security", kApprove, .9), V("performance", kApprove, .9)},
             {"architecture"},
             kEscalated,
             1.0,
             0.0,
             "",
             {"architecture"}},
        Case{"MissingOptionalIsLeftOut",
             Dev(),
             {V("security", kApprove, .9), V("performance", kChanges, .3)},
             {},
             kApproved,
             0.75,
             0.9,
             "",
             {}},
        Case{"FailedOptionalIsLeftOut",
             Dev(),
             {V("security", kApprove, .9)},
             {"performance"},
             kApproved,
             1.0,
             0.9,
             "",
             {}},
        Case{"UnknownVoterIsIgnored",
             Prod(),
             {V("security", kApprove, .9), V("performance", kApprove, .9),
              V("architecture", kApprove, .9), V("style", kReject, .99)},
             {},
             kApproved,
             1.0,
             0.9,
             "",
             {}},
        Case{"SecondVoteOfAReviewerIsIgnored",
             Prod(),
             {V("security", kApprove, .9), V("performance", kApprove, .9),
              V("architecture", kApprove, .9), V("security", kReject, .99)},
             {},
             kApproved,
             1.0,
             0.9,
             "",
             {}},
        Case{"VoteWithoutVerdictIsNoVote",
             Prod(),
             {V("security", conclave::v1::VERDICT_UNSPECIFIED, .9), V("performance", kApprove, .9),
              V("architecture", kApprove, .9)},
             {},
             kEscalated,
             1.0,
             0.0,
             "",
             {"security"}},
        // 1.2 / 1.8 == 2/3 exactly, up to rounding: reaching the threshold approves.
        Case{"ShareExactlyAtTheThresholdApproves",
             ExactTwoThirds(),
             {V("security", kApprove, .6), V("performance", kApprove, .6),
              V("architecture", kChanges, .6)},
             {},
             kApproved,
             0.6667,
             0.6,
             "",
             {}},
        // The same votes under the shipped 0.6667: 0.66667 is just below.
        Case{"ShareJustBelowTheThresholdRequestsChanges",
             Prod(),
             {V("security", kApprove, .6), V("performance", kApprove, .6),
              V("architecture", kChanges, .6)},
             {},
             kChangesRequested,
             0.6667,
             0.6,
             "",
             {}},
        Case{"NoWeightAtAllEscalates", NoneRequired(), {}, {}, kEscalated, 0.0, 0.0, "", {}},
        Case{"OnlyZeroConfidenceVotesEscalate",
             Dev(),
             {V("security", kApprove, 0), V("performance", kChanges, 0)},
             {},
             kEscalated,
             0.0,
             0.0,
             "",
             {}},
        // Weights: security 2. Share (1.8 + .6) / 2.7; confidence (2*.9 + .6) / 3.
        Case{"WeightsScaleVotesAndConfidence",
             Weighted(),
             {V("security", kApprove, .9), V("performance", kApprove, .6),
              V("architecture", kChanges, .3)},
             {},
             kApproved,
             0.8889,
             0.8,
             "",
             {}},
        Case{"OutOfRangeConfidenceIsClamped",
             Prod(),
             {V("security", kApprove, 1.5), V("performance", kApprove, -3),
              V("architecture", kApprove, std::nan(""))},
             {},
             kApproved,
             1.0,
             1.0 / 3,
             "",
             {}}),
    [](const auto& info) { return info.param.name; });

TEST(DecideTest, RiskAndComplexityAreTheMaximaOverVotes) {
  Decision d =
      DecideFor(Prod(), {V("security", kApprove, .9, 2, 7), V("performance", kApprove, .9, 4, 1),
                         V("architecture", kChanges, .1, 3, 2)});
  EXPECT_DOUBLE_EQ(d.risk(), 4);
  EXPECT_DOUBLE_EQ(d.complexity(), 7);
}

TEST(DecideTest, UnknownRiskCountsAsTheWorst) {
  Decision d = DecideFor(Prod(), {V("security", kApprove, .9, std::nan(""), 1),
                                  V("performance", kApprove, .9), V("architecture", kApprove, .9)});
  EXPECT_DOUBLE_EQ(d.risk(), 10);
  EXPECT_FALSE(d.auto_rollout());
}

std::vector<Vote> ApproveAll(double confidence, double risk, double complexity) {
  return {V("security", kApprove, confidence, risk, complexity),
          V("performance", kApprove, confidence, 0, 0),
          V("architecture", kApprove, confidence, 0, 0)};
}

struct GateCase {
  std::string name;
  double confidence, risk, complexity;
  bool auto_rollout;
  std::string says;
};

class AutoRolloutTest : public ::testing::TestWithParam<GateCase> {};

TEST_P(AutoRolloutTest, EachGateValueBlocksOnItsOwn) {
  const GateCase& c = GetParam();
  Decision d = DecideFor(Prod(), ApproveAll(c.confidence, c.risk, c.complexity));
  ASSERT_EQ(d.outcome(), kApproved);
  EXPECT_EQ(d.auto_rollout(), c.auto_rollout) << d.explanation();
  EXPECT_THAT(d.explanation(), HasSubstr(c.says));
}

INSTANTIATE_TEST_SUITE_P(
    Gates, AutoRolloutTest,
    ::testing::Values(
        GateCase{"AllPass", .9, 2, 3, true,
                 "Auto-rollout: yes (confidence 0.90 >= 0.85, risk 2.0 < 5.0, complexity 3.0 < "
                 "8.0)"},
        GateCase{"ConfidenceAtTheGatePasses", .85, 2, 3, true, "Auto-rollout: yes"},
        GateCase{"LowConfidenceBlocks", .84, 2, 3, false,
                 "Auto-rollout: no, a person approves the rollout: confidence 0.84 is below "
                 "min_confidence 0.85."},
        GateCase{"RiskAtTheGateBlocks", .9, 5, 3, false, "risk 5.0 is not below max_risk 5.0"},
        GateCase{"ComplexityAtTheGateBlocks", .9, 2, 8, false,
                 "complexity 8.0 is not below max_complexity 8.0"},
        GateCase{"NearlyAtTheGateShowsTheDifference", .849, 2, 3, false,
                 "confidence 0.849 is below min_confidence 0.850"},
        GateCase{"EveryBlockIsNamed", .5, 9, 9, false,
                 "confidence 0.50 is below min_confidence 0.85; risk 9.0 is not below max_risk "
                 "5.0; complexity 9.0 is not below max_complexity 8.0."}),
    [](const auto& info) { return info.param.name; });

TEST(DecideTest, OnlyApprovedChangesRollOutAutomatically) {
  Decision d = DecideFor(Prod(), {V("security", kApprove, .9), V("performance", kApprove, .9),
                                  V("architecture", kChanges, .95)});
  EXPECT_FALSE(d.auto_rollout());
  EXPECT_THAT(d.explanation(), HasSubstr("Auto-rollout: no (only an APPROVED change"));
}

TEST(ExplanationTest, DemoSplitSaysWhoObjectedWhyAndByHowMuch) {
  Decision d = DecideFor(
      Prod(), {WithFinding(V("security", kApprove, .9), "SEC009", conclave::v1::SEVERITY_LOW,
                           "app/util.py", 3, "md5 used for a cache key"),
               V("performance", kApprove, .9),
               WithFinding(V("architecture", kChanges, .95), "ARC002", conclave::v1::SEVERITY_HIGH,
                           "app/views.py", 42, "function 'checkout' is 140 lines long")});
  const std::string& e = d.explanation();
  EXPECT_THAT(e, HasSubstr("CHANGES_REQUESTED: approval share 0.6545 is below the threshold "
                           "0.6667"));
  EXPECT_THAT(e, HasSubstr("Policy test+00000000 for prod."));
  EXPECT_THAT(e, HasSubstr("architecture: REQUEST_CHANGES, confidence 0.95, weight 1.00"));
  EXPECT_THAT(e, HasSubstr("security: APPROVE, confidence 0.90, weight 1.00"));
  EXPECT_THAT(e, HasSubstr("architecture ARC002 HIGH app/views.py:42: function 'checkout' is 140 "
                           "lines long"));
  EXPECT_THAT(e, Not(HasSubstr("SEC009"))) << "an approver's finding did not decide this";
}

TEST(ExplanationTest, ShareAndThresholdThatRoundAlikeArePrintedApart) {
  Decision d = DecideFor(Prod(), {V("security", kApprove, .6), V("performance", kApprove, .6),
                                  V("architecture", kChanges, .6)});
  EXPECT_THAT(d.explanation(), HasSubstr("approval share 0.66667 is below the threshold 0.66670"));
}

TEST(ExplanationTest, VetoNamesTheVoterThresholdAndFinding) {
  Decision d = DecideFor(
      Prod(), {WithFinding(V("security", kReject, .92), "SEC001", conclave::v1::SEVERITY_CRITICAL,
                           "app/views.py", 12, "eval() of request data"),
               V("performance", kApprove, .9), V("architecture", kApprove, .9)});
  EXPECT_THAT(d.explanation(),
              HasSubstr("REJECTED: security voted REJECT with confidence 0.92 (weight 1.00), at or "
                        "above the veto threshold reject_min_confidence 0.80."));
  EXPECT_THAT(d.explanation(),
              HasSubstr("security SEC001 CRITICAL app/views.py:12: eval() of request data"));
}

TEST(ExplanationTest, EscalationNamesTheSilentAndTheFailed) {
  Decision d = DecideFor(Prod(), {V("security", kApprove, .9)}, {"architecture"});
  EXPECT_THAT(d.explanation(),
              HasSubstr("ESCALATED: required voters architecture, performance did not vote; a "
                        "person decides."));
  EXPECT_THAT(d.explanation(), HasSubstr("architecture (review failed)"));
  EXPECT_THAT(d.explanation(), HasSubstr("performance (no vote)"));
}

TEST(ExplanationTest, IgnoredVotesAreNamed) {
  Decision d = DecideFor(Prod(), {V("security", kApprove, .9), V("performance", kApprove, .9),
                                  V("architecture", kApprove, .9), V("style", kReject, .99)});
  EXPECT_THAT(d.explanation(), HasSubstr("Ignored: style (not a voter of this environment)."));
}

TEST(ExplanationTest, FindingsAreCappedMostSevereFirst) {
  Vote v = V("architecture", kChanges, .9);
  for (int i = 1; i <= 7; ++i) {
    v = WithFinding(v, "ARC00" + std::to_string(i),
                    i == 7 ? conclave::v1::SEVERITY_CRITICAL : conclave::v1::SEVERITY_LOW, "a.py",
                    i, "m");
  }
  Decision d = DecideFor(Prod(), {V("security", kApprove, .5), V("performance", kApprove, .5), v});
  const std::string& e = d.explanation();
  EXPECT_LT(e.find("ARC007 CRITICAL"), e.find("ARC001 LOW"));
  EXPECT_THAT(e, HasSubstr("(2 more)"));
  EXPECT_THAT(e, Not(HasSubstr("ARC006")));
}

TEST(ReadyToDecideTest, WaitsForEveryVoterOrTheDeadline) {
  const EnvironmentPolicy dev = Dev();
  const std::vector<Vote> two = {V("security", kApprove, .9), V("performance", kApprove, .9)};
  EXPECT_FALSE(ReadyToDecide(dev, two, {}, false)) << "optional voters are waited for too";
  EXPECT_TRUE(ReadyToDecide(dev, two, {}, true));
  EXPECT_TRUE(ReadyToDecide(dev, two, {"architecture"}, false));
  std::vector<Vote> all = two;
  all.push_back(V("architecture", kChanges, .5));
  EXPECT_TRUE(ReadyToDecide(dev, all, {}, false));
  EXPECT_FALSE(ReadyToDecide(dev, {}, {}, false));
  EXPECT_TRUE(ReadyToDecide(dev, {}, {"security", "performance", "architecture"}, false));
}

TEST(ReadyToDecideTest, VotesFromOutsideThePolicyDoNotCount) {
  std::vector<Vote> votes = {V("security", kApprove, .9), V("performance", kApprove, .9),
                             V("style", kApprove, .9)};
  EXPECT_FALSE(ReadyToDecide(Prod(), votes, {}, false));
}

// Replay: a decision is a function of the votes and policy only, not of arrival order or of
// anything else in the process.
TEST(ReplayTest, DecideIsDeterministicAndIgnoresVoteOrder) {
  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  std::uniform_real_distribution<double> unit(0, 1), score(0, 10);
  const std::vector<Verdict> verdicts = {kApprove, kChanges, kReject};
  const std::vector<std::string> names = {"security", "performance", "architecture", "style"};
  for (int round = 0; round < 300; ++round) {
    std::vector<Vote> votes;
    for (const std::string& name : names) {
      if (unit(rng) < 0.2) continue;
      votes.push_back(WithFinding(V(name, verdicts[rng() % 3], unit(rng), score(rng), score(rng)),
                                  "R1", conclave::v1::SEVERITY_MEDIUM, "f.py", rng() % 100, "m"));
    }
    std::vector<std::string> failed;
    if (unit(rng) < 0.2) failed.push_back(names[rng() % 3]);
    const EnvironmentPolicy policy = round % 2 ? Prod() : Weighted();
    const std::string first = DecideFor(policy, votes, failed).SerializeAsString();
    EXPECT_EQ(DecideFor(policy, votes, failed).SerializeAsString(), first);
    std::shuffle(votes.begin(), votes.end(), rng);
    EXPECT_EQ(DecideFor(policy, votes, failed).SerializeAsString(), first) << "round " << round;
  }
}

}  // namespace
}  // namespace conclave::supervisor
