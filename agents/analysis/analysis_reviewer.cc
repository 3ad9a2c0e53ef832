#include "agents/analysis/analysis_reviewer.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "agents/analysis/file_analysis.h"
#include "agents/analysis/verdict.h"

namespace conclave::analysis {

AnalysisReviewer::AnalysisReviewer(std::unique_ptr<RulePack> pack, ReviewPolicy policy)
    : pack_(std::move(pack)), policy_(std::move(policy)) {}

void AnalysisReviewer::DefineFlags(flags::FlagSet& flags) {
  flags.String("policy", &policy_path_, "CONCLAVE_POLICY",
               "Policy file whose `review:` section (severity overrides, layers) applies to "
               "every review (docs/POLICY.md). Empty: none.");
  flags.Int("review_cache_entries", &cache_entries_, "CONCLAVE_REVIEW_CACHE_ENTRIES",
            "Files whose analysis the review cache keeps (least recently used evicted first); "
            "0 disables the cache.");
  flags.Int("review_cache_mb", &cache_mb_, "CONCLAVE_REVIEW_CACHE_MB",
            "Bound on the review cache's estimated size in MiB.");
  flags.Duration("review_cache_ttl", &cache_ttl_, "CONCLAVE_REVIEW_CACHE_TTL",
                 "How long a cached file analysis is reused.");
}

absl::Status AnalysisReviewer::Prepare(metrics::Registry* registry) {
  if (cache_entries_ < 0 || cache_mb_ < 0 || cache_ttl_ < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "--review_cache_entries, --review_cache_mb and --review_cache_ttl must not be negative");
  }
  if (cache_entries_ > 0 && cache_mb_ > 0 && cache_ttl_ > absl::ZeroDuration()) {
    EnableCache({.max_entries = static_cast<size_t>(cache_entries_),
                 .max_bytes = static_cast<size_t>(cache_mb_) << 20,
                 .ttl = cache_ttl_},
                registry);
  }
  if (policy_path_.empty()) return absl::OkStatus();
  absl::StatusOr<ReviewPolicy> policy = ReviewPolicy::LoadFile(policy_path_, AllRules(*pack_));
  if (!policy.ok()) return policy.status();
  policy_ = std::move(*policy);
  return absl::OkStatus();
}

void AnalysisReviewer::EnableCache(ReviewCacheOptions options, metrics::Registry* registry) {
  cache_ = std::make_unique<ReviewCache>(options);
  if (registry != nullptr) cache_->ExportMetrics(registry, name());
}

std::string AnalysisReviewer::name() const { return std::string(pack_->reviewer()); }

std::string AnalysisReviewer::version() const { return std::string(pack_->version()); }

conclave::v1::ListRulesResponse AnalysisReviewer::ListRules() const {
  conclave::v1::ListRulesResponse response;
  response.set_reviewer(name());
  response.set_version(version());
  for (const RuleSpec& rule : AllRules(*pack_)) *response.add_rules() = ToRuleInfo(rule);
  return response;
}

absl::StatusOr<conclave::v1::Vote> AnalysisReviewer::Review(
    const conclave::v1::Change& change) const {
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<change::ReviewFile>> files = change::ExpandChange(change);
  if (!files.ok()) return files.status();
  ReviewTally tally;
  std::vector<ChangeFile> change_files;
  int reviewable = 0;
  for (const change::ReviewFile& file : *files) {
    if (file.deleted) continue;
    ++reviewable;
    FileAnalysis analysis =
        cache_ == nullptr
            ? AnalyzeFile(*pack_, file)
            : FileAnalysis(*cache_->GetOrAnalyze(
                  ReviewCache::KeyOf(pack_->reviewer(), pack_->version(), "", file),
                  [&] { return AnalyzeFile(*pack_, file); }));
    if (analysis.change_file) change_files.push_back(std::move(*analysis.change_file));
    AddToTally(std::move(analysis), tally);
  }
  if (reviewable == 0) {
    return absl::InvalidArgumentError(
        "change has no file to review: every file in its diff is deleted");
  }
  std::vector<conclave::v1::Finding> suppressed;  // not part of the vote
  RunChangeStep(*pack_, policy_, std::move(change_files), tally.findings, suppressed);
  policy_.ApplyOverrides(tally.findings);
  SortFindings(tally.findings);
  const VerdictOutcome outcome = DecideVerdict(tally, pack_->reject_policy());

  conclave::v1::Vote vote;
  vote.set_reviewer(name());
  vote.set_verdict(outcome.verdict);
  vote.set_confidence(outcome.confidence);
  vote.set_risk(outcome.risk);
  vote.set_complexity(outcome.complexity);
  vote.set_reviewer_version(name() + "/" + version());
  vote.set_files_analyzed(tally.files_analyzed);
  vote.set_lines_analyzed(tally.lines_covered);
  for (conclave::v1::Finding& f : tally.findings) *vote.add_findings() = std::move(f);
  vote.set_analysis_micros(absl::ToInt64Microseconds(absl::Now() - start));
  return vote;
}

}  // namespace conclave::analysis
