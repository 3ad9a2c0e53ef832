// Policy parsing: the shipped default, defaults for omitted keys, the content-hashed version,
// and that every malformed value is reported with its file, key path and expectation.
#include "supervisor/core/policy.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace conclave::supervisor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

constexpr char kBase[] = R"yaml(
version: "t1"
environments:
  dev:
    voters:
      security: {weight: 1, required: true}
  staging:
    voters:
      security: {weight: 1, required: true}
    review_deadline: 45s
  prod:
    voters:
      security: {weight: 1, required: true}
      performance: {weight: 2}
    approval_share: 0.7
)yaml";

// kBase with one piece of text replaced.
std::string Edited(std::string_view from, std::string_view to) {
  std::string yaml = kBase;
  EXPECT_NE(yaml.find(std::string(from)), std::string::npos) << from;
  return absl::StrReplaceAll(yaml, {{std::string(from), std::string(to)}});
}

TEST(PolicyTest, ShippedDefaultPolicyLoads) {
  absl::StatusOr<Policy> policy =
      Policy::LoadFile(std::string(CONCLAVE_TEST_SOURCE_DIR) + "/deploy/local/policy.yaml");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_THAT(policy->version(), MatchesRegex("2026-11-23\\.1\\+[0-9a-f]{8}"));
  for (const std::string& name : Policy::EnvironmentNames()) {
    const EnvironmentPolicy* env = policy->Find(name);
    ASSERT_NE(env, nullptr) << name;
    EXPECT_THAT(policy->Reviewers(name), ElementsAre("architecture", "performance", "security"));
    EXPECT_TRUE(env->voters.at("security").required) << name;
    EXPECT_DOUBLE_EQ(env->approval_share, 0.6667);
    EXPECT_DOUBLE_EQ(env->reject_min_confidence, 0.8);
    EXPECT_DOUBLE_EQ(env->auto_rollout.min_confidence, 0.85);
    EXPECT_DOUBLE_EQ(env->auto_rollout.max_risk, 5);
    EXPECT_DOUBLE_EQ(env->auto_rollout.max_complexity, 8);
    EXPECT_THAT(env->rollout.steps, ElementsAre(10, 25, 50, 100)) << name;
    EXPECT_EQ(env->rollout.step_hold, absl::Seconds(10)) << name;
    EXPECT_EQ(env->rollout.judge_interval, absl::Seconds(1)) << name;
    const bool all_required = name != "dev";
    EXPECT_EQ(env->voters.at("performance").required, all_required) << name;
    EXPECT_EQ(env->voters.at("architecture").required, all_required) << name;
  }
  EXPECT_EQ(policy->Find("dev")->review_deadline, absl::Seconds(30));
  EXPECT_EQ(policy->Find("staging")->review_deadline, absl::Seconds(30));
  EXPECT_EQ(policy->Find("prod")->review_deadline, absl::Seconds(60));
}

TEST(PolicyTest, OmittedKeysTakeTheirDefaults) {
  absl::StatusOr<Policy> policy = Policy::Parse(kBase);
  ASSERT_TRUE(policy.ok()) << policy.status();
  const EnvironmentPolicy& dev = *policy->Find("dev");
  EXPECT_DOUBLE_EQ(dev.approval_share, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(dev.reject_min_confidence, 0.8);
  EXPECT_EQ(dev.review_deadline, absl::Seconds(30));
  EXPECT_DOUBLE_EQ(dev.auto_rollout.min_confidence, 0.85);
  EXPECT_DOUBLE_EQ(dev.auto_rollout.max_risk, 5);
  EXPECT_DOUBLE_EQ(dev.auto_rollout.max_complexity, 8);
  const EnvironmentPolicy& prod = *policy->Find("prod");
  EXPECT_FALSE(prod.voters.at("performance").required);
  EXPECT_DOUBLE_EQ(prod.voters.at("performance").weight, 2);
  EXPECT_DOUBLE_EQ(prod.approval_share, 0.7);
  EXPECT_EQ(policy->Find("staging")->review_deadline, absl::Seconds(45));
}

TEST(PolicyTest, DurationsAndFractionsParse) {
  absl::StatusOr<Policy> policy = Policy::Parse(
      Edited("    review_deadline: 45s", "    review_deadline: 500ms\n    approval_share: 2/3"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->Find("staging")->review_deadline, absl::Milliseconds(500));
  EXPECT_DOUBLE_EQ(policy->Find("staging")->approval_share, 2.0 / 3.0);
  policy = Policy::Parse(Edited("45s", "2m"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->Find("staging")->review_deadline, absl::Minutes(2));
}

TEST(PolicyTest, UnknownEnvironmentIsNullAndHasNoReviewers) {
  absl::StatusOr<Policy> policy = Policy::Parse(kBase);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->Find("qa"), nullptr);
  EXPECT_TRUE(policy->Reviewers("qa").empty());
  EXPECT_THAT(policy->Reviewers("prod"), ElementsAre("performance", "security"));
}

TEST(PolicyTest, VersionIgnoresFormattingButNotValues) {
  const std::string version = Policy::Parse(kBase)->version();
  EXPECT_THAT(version, MatchesRegex("t1\\+[0-9a-f]{8}"));
  std::string reformatted = Edited("approval_share: 0.7", "approval_share: 0.70  # a comment");
  EXPECT_EQ(Policy::Parse(reformatted)->version(), version);
  EXPECT_NE(Policy::Parse(Edited("approval_share: 0.7", "approval_share: 0.71"))->version(),
            version);
  EXPECT_NE(Policy::Parse(Edited("{weight: 2}", "{weight: 2, required: true}"))->version(),
            version);
  EXPECT_NE(Policy::Parse(Edited("45s", "46s"))->version(), version);
  EXPECT_NE(Policy::Parse(Edited("\"t1\"", "\"t2\""))->version().substr(3), version.substr(3))
      << "the hash covers the version string too";
}

struct ErrorCase {
  std::string name;
  std::string from;
  std::string to;
  std::string message;  // expected substring of the error
};

class PolicyErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(PolicyErrorTest, IsInvalidArgumentNamingFileKeyAndExpectation) {
  const ErrorCase& c = GetParam();
  absl::StatusOr<Policy> policy = Policy::Parse(Edited(c.from, c.to), "policy.yaml");
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(policy.status().message()), StartsWith("policy.yaml"));
  EXPECT_THAT(std::string(policy.status().message()), HasSubstr(c.message));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PolicyErrorTest,
    ::testing::Values(
        ErrorCase{"NegativeWeight", "performance: {weight: 2}", "performance: {weight: -1}",
                  "policy.yaml: environments.prod.voters.performance.weight: expected a positive "
                  "number, got -1"},
        ErrorCase{"ZeroWeight", "performance: {weight: 2}", "performance: {weight: 0}",
                  "weight: expected a positive number, got 0"},
        ErrorCase{"MissingWeight", "performance: {weight: 2}", "performance: {required: true}",
                  "environments.prod.voters.performance.weight: missing"},
        ErrorCase{"RequiredNotABool", "performance: {weight: 2}",
                  "performance: {weight: 2, required: maybe}",
                  "voters.performance.required: expected true or false, got maybe"},
        ErrorCase{"MissingEnvironment", "  prod:", "  qa:",
                  "environments.qa: expected one of dev, "
                  "staging, prod, got qa"},
        ErrorCase{"MisspeltKey", "approval_share: 0.7", "aproval_share: 0.7",
                  "environments.prod.aproval_share: expected one of voters, approval_share"},
        ErrorCase{"ShareAboveOne", "approval_share: 0.7", "approval_share: 1.5",
                  "environments.prod.approval_share: expected a number in (0, 1], got 1.5"},
        ErrorCase{"ShareZero", "approval_share: 0.7", "approval_share: 0", "got 0"},
        ErrorCase{"ShareNotANumber", "approval_share: 0.7", "approval_share: most",
                  "approval_share: expected a number in (0, 1], got most"},
        ErrorCase{"RejectConfidenceAList", "approval_share: 0.7", "reject_min_confidence: [1]",
                  "reject_min_confidence: expected a number in (0, 1], got a list"},
        ErrorCase{"DeadlineWithoutUnit", "45s", "45",
                  "environments.staging.review_deadline: expected a positive duration such as "
                  "30s, 2m or 500ms, got 45"},
        ErrorCase{"NegativeDeadline", "45s", "-5s", "review_deadline: expected a positive"},
        ErrorCase{"RiskAboveTen", "approval_share: 0.7",
                  "auto_rollout: {min_confidence: 0.9, max_risk: 11}",
                  "environments.prod.auto_rollout.max_risk: expected a number in (0, 10], got 11"},
        ErrorCase{"GateConfidenceAboveOne", "approval_share: 0.7",
                  "auto_rollout: {min_confidence: 1.2}",
                  "auto_rollout.min_confidence: expected a number in [0, 1], got 1.2"},
        ErrorCase{"GateUnknownKey", "approval_share: 0.7", "auto_rollout: {max_rsik: 3}",
                  "environments.prod.auto_rollout.max_rsik: expected one of min_confidence"},
        ErrorCase{"NoVoters",
                  "    voters:\n      security: {weight: 1, required: true}\n    review_deadline",
                  "    voters: {}\n    review_deadline",
                  "environments.staging.voters: expected a map of at least one reviewer"},
        ErrorCase{"BadReviewerName", "performance: {weight: 2}", "perf.ormance: {weight: 2}",
                  "voters: expected reviewer names of letters, digits, '-' or '_', got "
                  "perf.ormance"},
        ErrorCase{"MissingVersion", "version: \"t1\"", "", "policy.yaml: version: missing"},
        ErrorCase{"VersionAMap", "version: \"t1\"", "version: {a: 1}",
                  "version: expected a one-line version string"},
        ErrorCase{"UnknownTopLevelKey", "version: \"t1\"", "version: t1\nowner: me",
                  "owner: expected one of version, environments"},
        ErrorCase{"BrokenYaml", "approval_share: 0.7", "approval_share: [0.7", "not valid YAML"},
        ErrorCase{"RolloutNotAMap", "approval_share: 0.7", "rollout: fast",
                  "environments.prod.rollout: expected a map with steps, step_hold"},
        ErrorCase{"RolloutUnknownKey", "approval_share: 0.7", "rollout: {stpes: [100]}",
                  "environments.prod.rollout.stpes: expected one of mode, steps, step_hold"},
        ErrorCase{"RolloutBadMode", "approval_share: 0.7", "rollout: {mode: yolo}",
                  "environments.prod.rollout.mode: expected one of dry_run, manual_promotion, "
                  "automatic, got yolo"},
        ErrorCase{"StepsEmpty", "approval_share: 0.7", "rollout: {steps: []}",
                  "environments.prod.rollout.steps: expected a list of increasing percentages "
                  "ending at 100"},
        ErrorCase{"StepAbove100", "approval_share: 0.7", "rollout: {steps: [10, 150]}",
                  "environments.prod.rollout.steps[1]: expected a whole percentage in 1..100, "
                  "got 150"},
        ErrorCase{"StepNotANumber", "approval_share: 0.7", "rollout: {steps: [10, half, 100]}",
                  "rollout.steps[1]: expected a whole percentage in 1..100, got half"},
        ErrorCase{"StepsNotIncreasing", "approval_share: 0.7", "rollout: {steps: [10, 10, 100]}",
                  "rollout.steps[1]: expected a percentage above the previous step (10), got 10"},
        ErrorCase{"StepsNotEndingAt100", "approval_share: 0.7", "rollout: {steps: [10, 50]}",
                  "rollout.steps[1]: expected 100 as the last step (full promotion), got 50"},
        ErrorCase{"StepHoldWithoutUnit", "approval_share: 0.7", "rollout: {step_hold: 10}",
                  "environments.prod.rollout.step_hold: expected a positive duration such as 30s, "
                  "2m or 500ms, got 10"},
        ErrorCase{"JudgeIntervalZero", "approval_share: 0.7", "rollout: {judge_interval: 0s}",
                  "rollout.judge_interval: expected a positive duration"},
        ErrorCase{"JudgeIntervalLongerThanHold", "approval_share: 0.7",
                  "rollout: {step_hold: 5s, judge_interval: 6s}",
                  "rollout.judge_interval: expected a duration no longer than step_hold (5s), "
                  "got 6s"},
        ErrorCase{"AgentTimeoutNegative", "approval_share: 0.7", "rollout: {agent_timeout: -1s}",
                  "rollout.agent_timeout: expected a positive duration"},
        ErrorCase{"AttemptsZero", "approval_share: 0.7", "rollout: {max_action_attempts: 0}",
                  "rollout.max_action_attempts: expected a whole number in 1..1000, got 0"}),
    [](const auto& info) { return info.param.name; });

TEST(PolicyTest, RolloutDefaultsDependOnTheEnvironment) {
  absl::StatusOr<Policy> policy = Policy::Parse(kBase);
  ASSERT_TRUE(policy.ok()) << policy.status();
  for (const std::string& name : Policy::EnvironmentNames()) {
    const RolloutPolicy& r = policy->Find(name)->rollout;
    EXPECT_THAT(r.steps, ElementsAre(10, 25, 50, 100)) << name;
    EXPECT_EQ(r.step_hold, absl::Seconds(10)) << name;
    EXPECT_EQ(r.judge_interval, absl::Seconds(1)) << name;
    EXPECT_EQ(r.agent_timeout, absl::Seconds(5)) << name;
    EXPECT_EQ(r.max_action_attempts, 5) << name;
  }
  EXPECT_EQ(policy->Find("dev")->rollout.mode, RolloutPolicy::Mode::kDryRun);
  EXPECT_EQ(policy->Find("staging")->rollout.mode, RolloutPolicy::Mode::kManualPromotion);
  EXPECT_EQ(policy->Find("prod")->rollout.mode, RolloutPolicy::Mode::kAutomatic);
}

TEST(PolicyTest, RolloutKeysParseAndChangeTheVersion) {
  const std::string yaml = Edited(
      "approval_share: 0.7",
      "approval_share: 0.7\n    rollout: {mode: manual_promotion, steps: [5, 100], step_hold: 30s, "
      "judge_interval: 500ms, agent_timeout: 2s, max_action_attempts: 3}");
  absl::StatusOr<Policy> policy = Policy::Parse(yaml);
  ASSERT_TRUE(policy.ok()) << policy.status();
  const RolloutPolicy& r = policy->Find("prod")->rollout;
  EXPECT_EQ(r.mode, RolloutPolicy::Mode::kManualPromotion);
  EXPECT_THAT(r.steps, ElementsAre(5, 100));
  EXPECT_EQ(r.step_hold, absl::Seconds(30));
  EXPECT_EQ(r.judge_interval, absl::Milliseconds(500));
  EXPECT_EQ(r.agent_timeout, absl::Seconds(2));
  EXPECT_EQ(r.max_action_attempts, 3);
  EXPECT_NE(policy->version(), Policy::Parse(kBase)->version());
  const std::string hold_31 = absl::StrReplaceAll(yaml, {{"step_hold: 30s", "step_hold: 31s"}});
  EXPECT_NE(Policy::Parse(hold_31)->version(), policy->version());
}

TEST(PolicyTest, DocumentThatIsNotAMapIsRejected) {
  absl::StatusOr<Policy> policy = Policy::Parse("- a\n- b\n", "p.yaml");
  EXPECT_THAT(std::string(policy.status().message()),
              HasSubstr("p.yaml: document: expected a map with keys version and environments, "
                        "got a list"));
  EXPECT_FALSE(Policy::Parse("", "p.yaml").ok());
}

TEST(PolicyTest, SyntaxErrorsGiveLineAndColumn) {
  absl::StatusOr<Policy> policy = Policy::Parse("version: t1\nenvironments: {dev: [\n", "p.yaml");
  EXPECT_THAT(std::string(policy.status().message()),
              MatchesRegex("p\\.yaml:[0-9]+:[0-9]+: not valid YAML.*"));
}

TEST(PolicyTest, LoadFileNamesTheFileInErrors) {
  const std::string dir = ::testing::TempDir();
  absl::StatusOr<Policy> missing = Policy::LoadFile(dir + "/no-such-policy.yaml");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("no-such-policy.yaml"));

  const std::string path = dir + "/policy_test_bad.yaml";
  std::ofstream(path) << Edited("approval_share: 0.7", "approval_share: 7");
  absl::StatusOr<Policy> bad = Policy::LoadFile(path);
  EXPECT_THAT(std::string(bad.status().message()),
              StartsWith(path + ": environments.prod.approval_share"));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace conclave::supervisor
