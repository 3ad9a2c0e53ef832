// ReviewCache: the analysis of a file, remembered by what determines it, so that a change
// resubmitted with unchanged files costs no parsing or rule evaluation. The key is a SHA-256 of
// the reviewer, its rule-pack version, a fingerprint of its configuration (the review policy),
// the file's path, its content and the lines its diff added; equal keys give equal analyses
// because the packs are pure functions of exactly those inputs.
// Bounded three ways: entries expire `ttl` after they were stored, and the least recently used
// are evicted past `max_entries` or past `max_bytes` (the cached findings' estimated size).
// Thread-safe: reviews on several worker threads share one cache; a miss analyzes outside the
// lock, so two threads missing on the same key both analyze and the second store wins.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agents/analysis/file_analysis.h"
#include "common/change/change_files.h"
#include "common/metrics/metrics.h"

namespace conclave::analysis {

struct ReviewCacheOptions {
  size_t max_entries = 4096;
  size_t max_bytes = 64 << 20;
  absl::Duration ttl = absl::Hours(1);
};

// Lookups, stores and evictions since the cache was made.
struct ReviewCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t expired = 0;  // entries found past their TTL (counted as misses too)
  uint64_t evicted = 0;  // entries dropped for the entry or byte bound
  size_t entries = 0;
  size_t bytes = 0;
};

class ReviewCache {
 public:
  using Key = std::array<uint8_t, 32>;
  using Clock = std::function<absl::Time()>;

  explicit ReviewCache(ReviewCacheOptions options, Clock clock = absl::Now);

  // The key of `file` reviewed by `reviewer` at `version` with configuration `config`.
  static Key KeyOf(std::string_view reviewer, std::string_view version, std::string_view config,
                   const change::ReviewFile& file);

  // The cached analysis for `key`, or null (a miss) when absent or expired.
  std::shared_ptr<const FileAnalysis> Lookup(const Key& key);
  // Stores `analysis` under `key`, replacing any entry, then evicts to the bounds. An analysis
  // larger than max_bytes on its own is not stored.
  void Store(const Key& key, std::shared_ptr<const FileAnalysis> analysis);

  // Lookup, or on a miss `analyze()` then Store. Returns the analysis either way.
  std::shared_ptr<const FileAnalysis> GetOrAnalyze(const Key& key,
                                                   const std::function<FileAnalysis()>& analyze);

  // Counts hits, misses, evictions and the current size in `registry` as
  // conclave_review_cache_{lookups_total{result},evictions_total{reason},entries,bytes}
  // labelled with `reviewer`. `registry` must outlive the cache.
  void ExportMetrics(metrics::Registry* registry, const std::string& reviewer);

  ReviewCacheStats stats() const;
  const ReviewCacheOptions& options() const { return options_; }

  // Estimated bytes an analysis holds (findings' strings and the vectors around them).
  static size_t EstimateBytes(const FileAnalysis& analysis);

 private:
  struct KeyHash {
    size_t operator()(const Key& key) const;
  };
  struct Entry {
    Key key;
    std::shared_ptr<const FileAnalysis> analysis;
    size_t bytes = 0;
    absl::Time stored;
  };
  using Lru = std::list<Entry>;  // most recently used first

  void EraseLocked(Lru::iterator it) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void PublishSizeLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const ReviewCacheOptions options_;
  const Clock clock_;
  mutable absl::Mutex mu_;
  Lru lru_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<Key, Lru::iterator, KeyHash> index_ ABSL_GUARDED_BY(mu_);
  ReviewCacheStats stats_ ABSL_GUARDED_BY(mu_);

  // Set by ExportMetrics; null until then.
  metrics::Counter* hits_ = nullptr;
  metrics::Counter* misses_ = nullptr;
  metrics::Counter* evicted_lru_ = nullptr;
  metrics::Counter* evicted_ttl_ = nullptr;
  metrics::Gauge* entries_ = nullptr;
  metrics::Gauge* bytes_ = nullptr;
};

}  // namespace conclave::analysis
