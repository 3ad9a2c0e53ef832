#include "agents/analysis/analysis_reviewer.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "agents/analysis/file_analysis.h"
#include "agents/analysis/verdict.h"

namespace conclave::analysis {

AnalysisReviewer::AnalysisReviewer(std::unique_ptr<RulePack> pack) : pack_(std::move(pack)) {}

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
  int reviewable = 0;
  for (const change::ReviewFile& file : *files) {
    if (file.deleted) continue;
    ++reviewable;
    AddToTally(AnalyzeFile(*pack_, file), tally);
  }
  if (reviewable == 0) {
    return absl::InvalidArgumentError(
        "change has no file to review: every file in its diff is deleted");
  }
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
