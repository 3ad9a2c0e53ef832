// AnalysisReviewer: a runtime::Reviewer made of a RulePack. It expands a change (files or a
// unified diff), analyzes each file once (file_analysis.h), applies the verdict rule with the
// pack's reject policy, and returns the vote. Owns its pack; holds no per-review state, so
// Review() may be called from several threads at once.
#pragma once

#include <memory>
#include <string>

#include "agents/analysis/rule_pack.h"
#include "common/runtime/reviewer.h"

namespace conclave::analysis {

class AnalysisReviewer final : public runtime::Reviewer {
 public:
  explicit AnalysisReviewer(std::unique_ptr<RulePack> pack);

  std::string name() const override;
  std::string version() const override;
  conclave::v1::ListRulesResponse ListRules() const override;
  // InvalidArgument for a change that fails validation or has no file to review (a diff that
  // only deletes files). Per-file problems are input-rule findings.
  absl::StatusOr<conclave::v1::Vote> Review(const conclave::v1::Change& change) const override;

  const RulePack& pack() const { return *pack_; }

 private:
  std::unique_ptr<RulePack> pack_;
};

}  // namespace conclave::analysis
