// AnalysisReviewer: a runtime::Reviewer made of a RulePack. It expands a change (files or a
// unified diff), analyzes each file once (file_analysis.h), runs the pack's change-level rules
// over the summaries of all files (change_analysis.h), applies the review policy's severity
// overrides (review_policy.h, from --policy), then the verdict rule with the pack's reject
// policy, and returns the vote. Owns its pack and policy; holds no per-review state, so
// Review() may be called from several threads at once (after Prepare, which loads --policy).
// Per-file analyses go through a ReviewCache (review_cache.h) when one is enabled: a file
// resubmitted unchanged, at the same path and diff lines, is not parsed again. The policy
// applies after the per-file step, so it is not part of the cache key.
#pragma once

#include <memory>
#include <string>

#include "agents/analysis/review_cache.h"
#include "agents/analysis/review_policy.h"
#include "agents/analysis/rule_pack.h"
#include "common/runtime/reviewer.h"

namespace conclave::analysis {

class AnalysisReviewer final : public runtime::Reviewer {
 public:
  explicit AnalysisReviewer(std::unique_ptr<RulePack> pack, ReviewPolicy policy = {});

  std::string name() const override;
  std::string version() const override;
  conclave::v1::ListRulesResponse ListRules() const override;
  // InvalidArgument for a change that fails validation or has no file to review (a diff that
  // only deletes files). Per-file problems are input-rule findings.
  absl::StatusOr<conclave::v1::Vote> Review(const conclave::v1::Change& change) const override;

  // --policy FILE (CONCLAVE_POLICY): the policy file whose `review:` section applies;
  // --review_cache_entries/_mb/_ttl: the review cache's bounds (0 entries: no cache).
  void DefineFlags(flags::FlagSet& flags) override;
  // Loads --policy when given; an error (unreadable file, unknown rule id or layer) names the
  // key and stops the reviewer at start. Makes the review cache and exports its metrics.
  absl::Status Prepare(metrics::Registry* registry) override;

  // Uses a review cache with these bounds from now on (Prepare does this from the flags).
  // Not thread-safe: call before the first Review().
  void EnableCache(ReviewCacheOptions options, metrics::Registry* registry = nullptr);
  // The cache, or null when disabled.
  const ReviewCache* cache() const { return cache_.get(); }

  const RulePack& pack() const { return *pack_; }
  const ReviewPolicy& policy() const { return policy_; }

 private:
  std::unique_ptr<RulePack> pack_;
  ReviewPolicy policy_;
  std::string policy_path_;
  int cache_entries_ = 4096;
  int cache_mb_ = 64;
  absl::Duration cache_ttl_ = absl::Hours(1);
  std::unique_ptr<ReviewCache> cache_;
};

}  // namespace conclave::analysis
