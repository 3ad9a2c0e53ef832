#include "agents/analysis/analysis_reviewer.h"

#include <gtest/gtest.h>

#include <thread>

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

}  // namespace
}  // namespace conclave::analysis
