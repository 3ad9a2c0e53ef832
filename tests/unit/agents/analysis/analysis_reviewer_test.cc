#include "agents/analysis/analysis_reviewer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "agents/analysis/file_analysis.h"
#include "common/flags/flags.h"
#include "tests/unit/agents/analysis/change_test_pack.h"
#include "tests/unit/agents/analysis/test_pack.h"

namespace conclave::analysis {
namespace {

conclave::v1::Change Change() {
  conclave::v1::Change c;
  c.set_target_service("checkout");
  c.set_environment("prod");
  return c;
}

void AddFile(conclave::v1::Change& c, const std::string& path, const std::string& content) {
  auto* f = c.add_files();
  f->set_path(path);
  f->set_content(content);
}

TEST(AnalysisReviewerTest, FilesWithADangerousCallAreRejectedWithEveryVoteField) {
  AnalysisReviewer reviewer(std::make_unique<TestPack>());
  conclave::v1::Change c = Change();
  AddFile(c, "b.py", "def f(x):\n    if x:\n        return danger()\n    return 1\n");
  AddFile(c, "a.py", "meh()\n");
  absl::StatusOr<conclave::v1::Vote> vote = reviewer.Review(c);
  ASSERT_TRUE(vote.ok()) << vote.status();
  EXPECT_EQ(vote->reviewer(), "security");
  EXPECT_EQ(vote->verdict(), conclave::v1::VERDICT_REJECT);
  EXPECT_DOUBLE_EQ(vote->confidence(), 0.9);
  EXPECT_DOUBLE_EQ(vote->risk(), 2.75);
  EXPECT_DOUBLE_EQ(vote->complexity(), 2.0 / 3);
  EXPECT_EQ(vote->reviewer_version(), "security/0.1.0");
  EXPECT_EQ(vote->files_analyzed(), 2);
  EXPECT_EQ(vote->lines_analyzed(), 5);
  EXPECT_GE(vote->analysis_micros(), 0);
  ASSERT_EQ(vote->findings_size(), 2);
  // Sorted by file then line.
  EXPECT_EQ(vote->findings(0).file(), "a.py");
  EXPECT_EQ(vote->findings(0).rule_id(), "TEST002");
  EXPECT_EQ(vote->findings(1).file(), "b.py");
  EXPECT_EQ(vote->findings(1).line(), 3);
  EXPECT_EQ(vote->findings(1).column(), 16);
  EXPECT_EQ(vote->findings(1).cwe(), 95);
}

TEST(AnalysisReviewerTest, CleanFilesAreApprovedAndUnknownLanguageLowersConfidence) {
  AnalysisReviewer reviewer(std::make_unique<TestPack>());
  conclave::v1::Change c = Change();
  AddFile(c, "a.py", "x = 1\ny = 2\nz = 3\n");
  AddFile(c, "notes.txt", "one\n");
  absl::StatusOr<conclave::v1::Vote> vote = reviewer.Review(c);
  ASSERT_TRUE(vote.ok()) << vote.status();
  EXPECT_EQ(vote->verdict(), conclave::v1::VERDICT_APPROVE);
  EXPECT_DOUBLE_EQ(vote->confidence(), 0.9 * 3 / 4);
  ASSERT_EQ(vote->findings_size(), 1);
  EXPECT_EQ(vote->findings(0).rule_id(), "INPUT002");
}

TEST(AnalysisReviewerTest, ADiffKeepsOnlyFindingsOnAddedLines) {
  AnalysisReviewer reviewer(std::make_unique<TestPack>());
  conclave::v1::Change c = Change();
  c.set_unified_diff(
      "--- a/app.py\n"
      "+++ b/app.py\n"
      "@@ -1,3 +1,4 @@\n"
      " danger()\n"
      " x = 1\n"
      "+meh()\n"
      " y = 2\n");
  absl::StatusOr<conclave::v1::Vote> vote = reviewer.Review(c);
  ASSERT_TRUE(vote.ok()) << vote.status();
  ASSERT_EQ(vote->findings_size(), 1) << vote->DebugString();
  EXPECT_EQ(vote->findings(0).rule_id(), "TEST002");
  EXPECT_EQ(vote->findings(0).line(), 3);
  EXPECT_EQ(vote->verdict(), conclave::v1::VERDICT_APPROVE);
  EXPECT_EQ(vote->lines_analyzed(), 1);
  EXPECT_DOUBLE_EQ(vote->confidence(), 0.9 - 0.02);
}

TEST(AnalysisReviewerTest, ADiffAddingADangerousLineIsRejected) {
  AnalysisReviewer reviewer(std::make_unique<TestPack>());
  conclave::v1::Change c = Change();
  c.set_unified_diff("--- /dev/null\n+++ b/new.py\n@@ -0,0 +1,2 @@\n+x = 1\n+danger()\n");
  absl::StatusOr<conclave::v1::Vote> vote = reviewer.Review(c);
  ASSERT_TRUE(vote.ok()) << vote.status();
  EXPECT_EQ(vote->verdict(), conclave::v1::VERDICT_REJECT);
}

TEST(AnalysisReviewerTest, ChangesWithNothingToReviewAreInvalid) {
  AnalysisReviewer reviewer(std::make_unique<TestPack>());
  EXPECT_EQ(reviewer.Review(Change()).status().code(), absl::StatusCode::kInvalidArgument);
  conclave::v1::Change deleted = Change();
  deleted.set_unified_diff("--- a/old.py\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x = 1\n");
  EXPECT_EQ(reviewer.Review(deleted).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(AnalysisReviewerTest, ListRulesHasTheInputRulesThenThePack) {
  AnalysisReviewer reviewer(std::make_unique<TestPack>());
  const conclave::v1::ListRulesResponse rules = reviewer.ListRules();
  EXPECT_EQ(rules.reviewer(), "security");
  EXPECT_EQ(rules.version(), "0.1.0");
  ASSERT_EQ(rules.rules_size(), 5);
  EXPECT_EQ(rules.rules(0).id(), "INPUT001");
  EXPECT_EQ(rules.rules(3).id(), "TEST001");
  EXPECT_EQ(rules.rules(3).cwe(), 95);
}

TEST(AnalysisReviewerTest, ConcurrentReviewsAgree) {
  AnalysisReviewer reviewer(std::make_unique<TestPack>());
  conclave::v1::Change c = Change();
  AddFile(c, "a.py", "def f():\n    return danger()\n");
  std::vector<std::thread> threads;
  std::vector<int> findings(8, -1);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 20; ++k) {
        auto vote = reviewer.Review(c);
        findings[i] = vote.ok() ? vote->findings_size() : -1;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int n : findings) EXPECT_EQ(n, 1);
}

// ---- the change-level step and the review policy ----

std::vector<std::string> Found(const conclave::v1::Vote& vote) {
  std::vector<std::string> out;
  for (const auto& f : vote.findings()) {
    out.push_back(f.rule_id() + ":" + f.file() + ":" + std::to_string(f.line()));
  }
  return out;
}

TEST(AnalysisReviewerChangeTest, ChangeFindingsKeepOnlyWhatTheDiffTouched) {
  AnalysisReviewer reviewer(std::make_unique<ChangeTestPack>());
  conclave::v1::Change c = Change();
  // a.py imported b before the change; b.py is new and imports a.
  c.set_unified_diff(
      "--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,3 @@\n import b\n x = 1\n+y = 2\n"
      "--- /dev/null\n+++ b/b.py\n@@ -0,0 +1,1 @@\n+import a\n");
  absl::StatusOr<conclave::v1::Vote> vote = reviewer.Review(c);
  ASSERT_TRUE(vote.ok()) << vote.status();
  EXPECT_EQ(Found(*vote), (std::vector<std::string>{"TEST003:b.py:1"}));
}

TEST(AnalysisReviewerChangeTest, SuppressedChangeFindingsAreNotInTheVote) {
  AnalysisReviewer reviewer(std::make_unique<ChangeTestPack>());
  conclave::v1::Change c = Change();
  AddFile(c, "a.py", "import b  # nosec TEST003\n");
  AddFile(c, "b.py", "import a  # nosec\n");
  absl::StatusOr<conclave::v1::Vote> vote = reviewer.Review(c);
  ASSERT_TRUE(vote.ok()) << vote.status();
  EXPECT_EQ(vote->findings_size(), 0) << vote->DebugString();
  EXPECT_EQ(vote->verdict(), conclave::v1::VERDICT_APPROVE);
}

TEST(AnalysisReviewerChangeTest, PolicyOverridesApplyBeforeTheVerdict) {
  absl::StatusOr<ReviewPolicy> policy =
      ReviewPolicy::Parse("review:\n  severity:\n    TEST001: low\n    TEST002: off\n",
                          "policy.yaml", AllRules(TestPack()));
  ASSERT_TRUE(policy.ok()) << policy.status();
  AnalysisReviewer reviewer(std::make_unique<TestPack>(), *policy);
  conclave::v1::Change c = Change();
  AddFile(c, "a.py", "danger()\nmeh()\n");
  absl::StatusOr<conclave::v1::Vote> vote = reviewer.Review(c);
  ASSERT_TRUE(vote.ok()) << vote.status();
  ASSERT_EQ(vote->findings_size(), 1) << "TEST002 is off";
  EXPECT_EQ(vote->findings(0).severity(), conclave::v1::SEVERITY_LOW);
  // HIGH would veto; LOW only lowers the approval's confidence.
  EXPECT_EQ(vote->verdict(), conclave::v1::VERDICT_APPROVE);
  EXPECT_DOUBLE_EQ(vote->risk(), 0.25);
}

class AnalysisReviewerPolicyFlagTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "conclave-review-policy-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Defines the reviewer's flags, parses --policy=PATH, and runs Prepare.
  absl::Status Start(AnalysisReviewer& reviewer, const std::string& yaml) {
    const std::string path = (dir_ / "policy.yaml").string();
    std::ofstream(path) << yaml;
    flags::FlagSet flags("conclave-test", "test");
    reviewer.DefineFlags(flags);
    std::string program = "conclave-test", flag = "--policy=" + path;
    std::vector<char*> argv = {program.data(), flag.data()};
    absl::StatusOr<std::vector<std::string>> rest =
        flags.Parse(static_cast<int>(argv.size()), argv.data());
    if (!rest.ok()) return rest.status();
    return reviewer.Prepare(nullptr);
  }

  std::filesystem::path dir_;
};

TEST_F(AnalysisReviewerPolicyFlagTest, PolicyFlagLoadsTheReviewSection) {
  AnalysisReviewer reviewer(std::make_unique<TestPack>());
  ASSERT_TRUE(
      Start(reviewer, "version: v\nenvironments: {}\nreview:\n  severity: {TEST001: off}\n").ok());
  conclave::v1::Change c = Change();
  AddFile(c, "a.py", "danger()\nmeh()\n");
  absl::StatusOr<conclave::v1::Vote> vote = reviewer.Review(c);
  ASSERT_TRUE(vote.ok()) << vote.status();
  EXPECT_EQ(Found(*vote), (std::vector<std::string>{"TEST002:a.py:2"}));
}

TEST_F(AnalysisReviewerPolicyFlagTest, UnknownRuleIdStopsTheReviewerNamingTheKey) {
  AnalysisReviewer reviewer(std::make_unique<TestPack>());
  const absl::Status s = Start(reviewer, "review:\n  severity:\n    TEST042: off\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("review.severity.TEST042: unknown rule id"), std::string::npos) << s;
  // Another reviewer's rule is that reviewer's to check.
  AnalysisReviewer other(std::make_unique<TestPack>());
  EXPECT_TRUE(Start(other, "review:\n  severity: {ARCH008: off, SEC001: low}\n").ok());
  AnalysisReviewer typo(std::make_unique<TestPack>());
  const absl::Status t = Start(typo, "review:\n  severity: {PREF002: low}\n");
  EXPECT_NE(t.message().find("review.severity.PREF002: unknown rule id 'PREF002'"),
            std::string::npos)
      << t;
}

}  // namespace
}  // namespace conclave::analysis
