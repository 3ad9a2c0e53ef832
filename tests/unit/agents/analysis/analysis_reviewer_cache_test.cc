// The review cache inside AnalysisReviewer: a resubmitted change costs no analysis and gives
// the same vote; what changes the analysis (content, diff lines, another file) misses.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "agents/analysis/analysis_reviewer.h"
#include "common/flags/flags.h"
#include "gtest/gtest.h"
#include "tests/unit/agents/analysis/change_test_pack.h"
#include "tests/unit/agents/analysis/test_pack.h"

namespace conclave::analysis {
namespace {

// TestPack that counts how many modules it checked.
class CountingPack final : public RulePack {
 public:
  explicit CountingPack(std::atomic<int>* checks) : checks_(checks) {}
  std::string_view reviewer() const override { return inner_.reviewer(); }
  std::string_view version() const override { return inner_.version(); }
  const std::vector<RuleSpec>& rules() const override { return inner_.rules(); }
  RejectPolicy reject_policy() const override { return inner_.reject_policy(); }
  void Check(const ParsedModule& m, FindingCollector& out) const override {
    ++*checks_;
    inner_.Check(m, out);
  }

 private:
  TestPack inner_;
  std::atomic<int>* checks_;
};

conclave::v1::Change ChangeOf(std::vector<std::pair<std::string, std::string>> files) {
  conclave::v1::Change c;
  c.set_target_service("checkout");
  c.set_environment("prod");
  for (auto& [path, content] : files) {
    auto* f = c.add_files();
    f->set_path(path);
    f->set_content(content);
  }
  return c;
}

// The vote without its timing, which differs between two reviews of the same change.
std::string Comparable(conclave::v1::Vote vote) {
  vote.clear_analysis_micros();
  return vote.SerializeAsString();
}

TEST(AnalysisReviewerCacheTest, AResubmittedChangeIsNotAnalyzedAgainAndVotesTheSame) {
  std::atomic<int> checks{0};
  AnalysisReviewer reviewer(std::make_unique<CountingPack>(&checks));
  metrics::Registry registry;
  reviewer.EnableCache({}, &registry);
  const conclave::v1::Change c =
      ChangeOf({{"a.py", "danger()\n"}, {"b.py", "def f():\n    meh()\n"}});
  absl::StatusOr<conclave::v1::Vote> first = reviewer.Review(c);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(checks.load(), 2);
  absl::StatusOr<conclave::v1::Vote> second = reviewer.Review(c);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(checks.load(), 2) << "both files came from the cache";
  EXPECT_EQ(Comparable(*first), Comparable(*second));
  EXPECT_EQ(second->findings_size(), 2);
  EXPECT_EQ(second->verdict(), conclave::v1::VERDICT_REJECT);

  ASSERT_NE(reviewer.cache(), nullptr);
  EXPECT_EQ(reviewer.cache()->stats().hits, 2u);
  EXPECT_EQ(reviewer.cache()->stats().misses, 2u);
  EXPECT_NE(registry.Render().find(
                "conclave_review_cache_lookups_total{reviewer=\"security\",result=\"hit\"} 2"),
            std::string::npos);
}

TEST(AnalysisReviewerCacheTest, OnlyTheChangedFileIsAnalyzedAgain) {
  std::atomic<int> checks{0};
  AnalysisReviewer reviewer(std::make_unique<CountingPack>(&checks));
  reviewer.EnableCache({});
  ASSERT_TRUE(reviewer.Review(ChangeOf({{"a.py", "x = 1\n"}, {"b.py", "y = 2\n"}})).ok());
  absl::StatusOr<conclave::v1::Vote> vote =
      reviewer.Review(ChangeOf({{"a.py", "x = 1\n"}, {"b.py", "y = 2\ndanger()\n"}}));
  ASSERT_TRUE(vote.ok()) << vote.status();
  EXPECT_EQ(checks.load(), 3);
  ASSERT_EQ(vote->findings_size(), 1);
  EXPECT_EQ(vote->findings(0).file(), "b.py");
  EXPECT_EQ(vote->findings(0).line(), 2);
  // The same content under another path is another file: its findings name that path.
  absl::StatusOr<conclave::v1::Vote> moved = reviewer.Review(ChangeOf({{"c.py", "danger()\n"}}));
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(checks.load(), 4);
  EXPECT_EQ(moved->findings(0).file(), "c.py");
}

TEST(AnalysisReviewerCacheTest, TheSameFileUnderAnotherDiffIsScopedToThatDiff) {
  std::atomic<int> checks{0};
  AnalysisReviewer reviewer(std::make_unique<CountingPack>(&checks));
  reviewer.EnableCache({});
  conclave::v1::Change adds_meh = ChangeOf({});
  adds_meh.set_unified_diff(
      "--- a/a.py\n+++ b/a.py\n@@ -1,1 +1,2 @@\n danger()\n+meh()\n");
  conclave::v1::Change adds_danger = ChangeOf({});
  adds_danger.set_unified_diff(
      "--- a/a.py\n+++ b/a.py\n@@ -1,1 +1,2 @@\n+danger()\n meh()\n");
  absl::StatusOr<conclave::v1::Vote> first = reviewer.Review(adds_meh);
  absl::StatusOr<conclave::v1::Vote> second = reviewer.Review(adds_danger);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(checks.load(), 2) << "same text, other added lines: another key";
  ASSERT_EQ(first->findings_size(), 1);
  EXPECT_EQ(first->findings(0).rule_id(), "TEST002");
  ASSERT_EQ(second->findings_size(), 1);
  EXPECT_EQ(second->findings(0).rule_id(), "TEST001");
}

TEST(AnalysisReviewerCacheTest, ChangeLevelRulesSeeCachedFilesLikeFreshOnes) {
  AnalysisReviewer cached(std::make_unique<ChangeTestPack>());
  cached.EnableCache({});
  AnalysisReviewer fresh(std::make_unique<ChangeTestPack>());
  const conclave::v1::Change c = ChangeOf({{"a.py", "import b\n"}, {"b.py", "import a\n"}});
  ASSERT_TRUE(cached.Review(c).ok());
  absl::StatusOr<conclave::v1::Vote> from_cache = cached.Review(c);
  absl::StatusOr<conclave::v1::Vote> expected = fresh.Review(c);
  ASSERT_TRUE(from_cache.ok() && expected.ok());
  EXPECT_EQ(cached.cache()->stats().hits, 2u);
  EXPECT_GT(expected->findings_size(), 0);
  EXPECT_EQ(Comparable(*from_cache), Comparable(*expected));
}

absl::Status StartWith(AnalysisReviewer& reviewer, std::vector<std::string> args,
                       metrics::Registry* registry) {
  flags::FlagSet flags("conclave-test", "test");
  reviewer.DefineFlags(flags);
  args.insert(args.begin(), "conclave-test");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  absl::StatusOr<std::vector<std::string>> rest =
      flags.Parse(static_cast<int>(argv.size()), argv.data());
  if (!rest.ok()) return rest.status();
  return reviewer.Prepare(registry);
}

TEST(AnalysisReviewerCacheTest, FlagsSetTheBoundsAndZeroEntriesDisablesTheCache) {
  metrics::Registry registry;
  AnalysisReviewer bounded(std::make_unique<TestPack>());
  ASSERT_TRUE(StartWith(bounded,
                        {"--review_cache_entries=10", "--review_cache_mb=2",
                         "--review_cache_ttl=5m"},
                        &registry)
                  .ok());
  ASSERT_NE(bounded.cache(), nullptr);
  EXPECT_EQ(bounded.cache()->options().max_entries, 10u);
  EXPECT_EQ(bounded.cache()->options().max_bytes, 2u << 20);
  EXPECT_EQ(bounded.cache()->options().ttl, absl::Minutes(5));
  EXPECT_NE(registry.Render().find("conclave_review_cache_entries{reviewer=\"security\"} 0"),
            std::string::npos);

  AnalysisReviewer by_default(std::make_unique<TestPack>());
  ASSERT_TRUE(StartWith(by_default, {}, nullptr).ok());
  EXPECT_NE(by_default.cache(), nullptr) << "the cache is on by default";

  AnalysisReviewer off(std::make_unique<TestPack>());
  ASSERT_TRUE(StartWith(off, {"--review_cache_entries=0"}, nullptr).ok());
  EXPECT_EQ(off.cache(), nullptr);

  AnalysisReviewer negative(std::make_unique<TestPack>());
  const absl::Status s = StartWith(negative, {"--review_cache_mb=-1"}, nullptr);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("must not be negative"), std::string::npos) << s;
}

}  // namespace
}  // namespace conclave::analysis
