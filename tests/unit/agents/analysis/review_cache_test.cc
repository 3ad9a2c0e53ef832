#include "agents/analysis/review_cache.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace conclave::analysis {
namespace {

change::ReviewFile File(std::string path, std::string content) {
  change::ReviewFile file;
  file.path = std::move(path);
  file.content = std::move(content);
  file.language = "python";
  return file;
}

FileAnalysis AnalysisWith(std::string message) {
  FileAnalysis analysis;
  conclave::v1::Finding& f = analysis.findings.emplace_back();
  f.set_rule_id("SEC001");
  f.set_message(std::move(message));
  analysis.lines_in_scope = 3;
  analysis.analyzed = true;
  return analysis;
}

class FakeClock {
 public:
  absl::Time Now() const { return now_; }
  void Advance(absl::Duration d) { now_ += d; }
  ReviewCache::Clock AsClock() {
    return [this] { return Now(); };
  }

 private:
  absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
};

TEST(ReviewCacheKeyTest, DependsOnEverythingThatDeterminesTheAnalysis) {
  const change::ReviewFile base = File("app.py", "x = 1\n");
  const ReviewCache::Key key = ReviewCache::KeyOf("security", "1.0.0", "", base);
  EXPECT_EQ(key, ReviewCache::KeyOf("security", "1.0.0", "", base));

  EXPECT_NE(key, ReviewCache::KeyOf("performance", "1.0.0", "", base));
  EXPECT_NE(key, ReviewCache::KeyOf("security", "1.0.1", "", base));
  EXPECT_NE(key, ReviewCache::KeyOf("security", "1.0.0", "severity: {SEC001: LOW}", base));
  EXPECT_NE(key, ReviewCache::KeyOf("security", "1.0.0", "", File("other.py", "x = 1\n")));
  EXPECT_NE(key, ReviewCache::KeyOf("security", "1.0.0", "", File("app.py", "x = 2\n")));

  change::ReviewFile scoped = base;
  scoped.changed_lines = {1};
  EXPECT_NE(key, ReviewCache::KeyOf("security", "1.0.0", "", scoped));
  change::ReviewFile partial = base;
  partial.partial = true;
  EXPECT_NE(key, ReviewCache::KeyOf("security", "1.0.0", "", partial));
  // Field boundaries count: moving a byte from one field to the next changes the key.
  EXPECT_NE(ReviewCache::KeyOf("ab", "c", "", base), ReviewCache::KeyOf("a", "bc", "", base));
}

TEST(ReviewCacheKeyTest, ChangedLinesAreASetWhateverTheirOrder) {
  change::ReviewFile a = File("app.py", "x = 1\ny = 2\nz = 3\n");
  change::ReviewFile b = a;
  for (int line : {1, 2, 3}) a.changed_lines.insert(line);
  for (int line : {3, 1, 2}) b.changed_lines.insert(line);
  EXPECT_EQ(ReviewCache::KeyOf("s", "v", "", a), ReviewCache::KeyOf("s", "v", "", b));
}

TEST(ReviewCacheTest, SecondLookupOfAStoredFileIsAHitWithTheSameAnalysis) {
  ReviewCache cache({});
  const ReviewCache::Key key = ReviewCache::KeyOf("security", "1", "", File("a.py", "eval(x)"));
  int analyses = 0;
  auto analyze = [&] {
    ++analyses;
    return AnalysisWith("eval runs x");
  };
  std::shared_ptr<const FileAnalysis> first = cache.GetOrAnalyze(key, analyze);
  std::shared_ptr<const FileAnalysis> second = cache.GetOrAnalyze(key, analyze);
  EXPECT_EQ(analyses, 1);
  ASSERT_EQ(second->findings.size(), 1u);
  EXPECT_EQ(second->findings[0].message(), "eval runs x");
  EXPECT_EQ(first.get(), second.get());
  const ReviewCacheStats stats = cache.stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_GT(stats.bytes, 0u);
}

TEST(ReviewCacheTest, EntriesExpireAfterTheirTtl) {
  FakeClock clock;
  ReviewCache cache({.ttl = absl::Minutes(10)}, clock.AsClock());
  const ReviewCache::Key key = ReviewCache::KeyOf("s", "v", "", File("a.py", "1"));
  cache.Store(key, std::make_shared<const FileAnalysis>(AnalysisWith("m")));
  clock.Advance(absl::Minutes(9));
  EXPECT_NE(cache.Lookup(key), nullptr);
  clock.Advance(absl::Minutes(1));
  EXPECT_EQ(cache.Lookup(key), nullptr);
  const ReviewCacheStats stats = cache.stats();
  EXPECT_EQ(stats.expired, 1u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.entries, 0u);
  EXPECT_EQ(stats.bytes, 0u);
}

TEST(ReviewCacheTest, EvictsTheLeastRecentlyUsedPastTheEntryBound) {
  ReviewCache cache({.max_entries = 2});
  auto key = [](std::string content) {
    return ReviewCache::KeyOf("s", "v", "", File("a.py", std::move(content)));
  };
  cache.Store(key("1"), std::make_shared<const FileAnalysis>(AnalysisWith("one")));
  cache.Store(key("2"), std::make_shared<const FileAnalysis>(AnalysisWith("two")));
  ASSERT_NE(cache.Lookup(key("1")), nullptr);  // "1" is now the most recently used
  cache.Store(key("3"), std::make_shared<const FileAnalysis>(AnalysisWith("three")));
  EXPECT_NE(cache.Lookup(key("1")), nullptr);
  EXPECT_EQ(cache.Lookup(key("2")), nullptr);
  EXPECT_NE(cache.Lookup(key("3")), nullptr);
  EXPECT_EQ(cache.stats().evicted, 1u);
  EXPECT_EQ(cache.stats().entries, 2u);
}

TEST(ReviewCacheTest, EvictsPastTheByteBoundAndSkipsAnalysesLargerThanIt) {
  const size_t one = ReviewCache::EstimateBytes(AnalysisWith(std::string(1000, 'm')));
  ReviewCache cache({.max_bytes = 2 * one + one / 2});
  for (char c : std::string("abc")) {
    cache.Store(ReviewCache::KeyOf("s", "v", "", File("a.py", std::string(1, c))),
                std::make_shared<const FileAnalysis>(AnalysisWith(std::string(1000, 'm'))));
  }
  EXPECT_EQ(cache.stats().entries, 2u);
  EXPECT_LE(cache.stats().bytes, 2 * one + one / 2);

  const ReviewCache::Key huge = ReviewCache::KeyOf("s", "v", "", File("huge.py", "h"));
  cache.Store(huge, std::make_shared<const FileAnalysis>(AnalysisWith(std::string(10000, 'm'))));
  EXPECT_EQ(cache.Lookup(huge), nullptr);
  EXPECT_EQ(cache.stats().entries, 2u);
}

TEST(ReviewCacheTest, ReplacingAKeyKeepsTheAccountingExact) {
  ReviewCache cache({});
  const ReviewCache::Key key = ReviewCache::KeyOf("s", "v", "", File("a.py", "1"));
  cache.Store(key, std::make_shared<const FileAnalysis>(AnalysisWith("short")));
  cache.Store(key, std::make_shared<const FileAnalysis>(AnalysisWith(std::string(500, 'x'))));
  EXPECT_EQ(cache.stats().entries, 1u);
  EXPECT_EQ(cache.stats().bytes, ReviewCache::EstimateBytes(AnalysisWith(std::string(500, 'x'))));
  EXPECT_EQ(cache.Lookup(key)->findings[0].message().size(), 500u);
}

TEST(ReviewCacheTest, ExportsHitsMissesAndSizeAsPrometheusMetrics) {
  metrics::Registry registry;
  ReviewCache cache({});
  cache.ExportMetrics(&registry, "security");
  const ReviewCache::Key key = ReviewCache::KeyOf("s", "v", "", File("a.py", "1"));
  cache.GetOrAnalyze(key, [] { return AnalysisWith("m"); });
  cache.GetOrAnalyze(key, [] { return AnalysisWith("m"); });
  cache.GetOrAnalyze(key, [] { return AnalysisWith("m"); });
  const std::string text = registry.Render();
  EXPECT_NE(text.find("conclave_review_cache_lookups_total{reviewer=\"security\",result=\"hit\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("conclave_review_cache_lookups_total{reviewer=\"security\",result=\"miss\"} 1"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("conclave_review_cache_entries{reviewer=\"security\"} 1"), std::string::npos)
      << text;
}

TEST(ReviewCacheTest, ConcurrentReviewsShareOneCacheSafely) {
  ReviewCache cache({.max_entries = 64});
  std::atomic<int> analyses{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string content = std::to_string((i * 7 + t) % 100);
        auto analysis =
            cache.GetOrAnalyze(ReviewCache::KeyOf("s", "v", "", File("a.py", content)), [&] {
              ++analyses;
              return AnalysisWith(content);
            });
        ASSERT_EQ(analysis->findings[0].message(), content);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const ReviewCacheStats stats = cache.stats();
  EXPECT_EQ(stats.hits + stats.misses, 8000u);
  EXPECT_LE(stats.entries, 64u);
  EXPECT_GE(analyses.load(), 100);
}

}  // namespace
}  // namespace conclave::analysis
