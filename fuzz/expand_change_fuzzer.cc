// Fuzz target: a change carrying an arbitrary unified diff through ValidateChange and
// ExpandChange (common/change/change_files.h), and every Python file the diff yields through
// AnalyzeFileWithPacks with all three packs — the path of a diff submitted to the reviewers.
#include <string>

#include "agents/analysis/file_analysis.h"
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
  for (const conclave::change::ReviewFile& file : *files) {
    if (file.content.size() > static_cast<size_t>(conclave::change::kMaxFileBytes) + size) {
      __builtin_trap();
    }
    (void)conclave::analysis::AnalyzeFileWithPacks(conclave::fuzz::AllPacks(), file);
  }
  return 0;
}
