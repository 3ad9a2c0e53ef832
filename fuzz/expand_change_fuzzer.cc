// Fuzz target: a change carrying an arbitrary unified diff through ValidateChange and
// ExpandChange (common/change/change_files.h), and every Python file the diff yields through
// AnalyzeFileWithPacks with all three packs, then each pack's change-level step (import
// cycles, fan-out, layering, duplicated blocks) over all of them — the path of a diff
// submitted to the reviewers.
#include <string>

#include "agents/analysis/change_analysis.h"
#include "agents/analysis/file_analysis.h"
#include "agents/analysis/review_policy.h"
#include "common/change/change_files.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  conclave::v1::Change change;
  change.set_target_service("checkout");
  change.set_environment("dev");
  change.set_unified_diff(std::string(reinterpret_cast<const char*>(data), size));
  if (!conclave::change::ValidateChange(change).ok()) return 0;
  absl::StatusOr<std::vector<conclave::change::ReviewFile>> files =
      conclave::change::ExpandChange(change);
  if (!files.ok()) {
    if (files.status().message().empty()) __builtin_trap();  // an error always says why
    return 0;
  }
  if (files->size() > static_cast<size_t>(conclave::change::kMaxFiles)) __builtin_trap();
  const auto packs = conclave::fuzz::AllPacks();
  std::vector<std::vector<conclave::analysis::ChangeFile>> change_files(packs.size());
  for (const conclave::change::ReviewFile& file : *files) {
    if (file.content.size() > static_cast<size_t>(conclave::change::kMaxFileBytes) + size) {
      __builtin_trap();
    }
    std::vector<conclave::analysis::FileAnalysis> results =
        conclave::analysis::AnalyzeFileWithPacks(packs, file);
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].change_file) change_files[i].push_back(std::move(*results[i].change_file));
    }
  }
  static const conclave::analysis::ReviewPolicy kNoPolicy;
  for (size_t i = 0; i < packs.size(); ++i) {
    std::vector<conclave::v1::Finding> findings, suppressed;
    conclave::analysis::RunChangeStep(*packs[i], kNoPolicy, std::move(change_files[i]), findings,
                                      suppressed);
  }
  return 0;
}
