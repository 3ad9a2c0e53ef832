// Change-level analysis: rules that need every file of a change at once (import cycles across
// files, duplicated blocks). A whole tree is too big to keep parsed, so each file leaves a small
// FileSummary behind during its per-file analysis (RulePack::Summarize: its imports and the
// fingerprints of its statement windows), and the pack's change-level step
// (RulePack::CheckChange) runs once over the summaries of all files. The reviewer runs it over
// the files of one change and `scan` over every file it scans, so both report the same
// findings; RunChangeStep applies diff scoping and inline suppressions as for per-file rules.
// Summaries are plain values; a ChangeFindingCollector belongs to one thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "agents/analysis/rule.h"
#include "agents/analysis/suppressions.h"
#include "conclave/v1/change.pb.h"

namespace conclave::analysis {

class ReviewPolicy;
class RulePack;

// One `import` or `from ... import` of a module.
struct ModuleImport {
  // The dotted module name as written after the leading dots: "os.path" for `import os.path`,
  // "pkg.mod" for `from pkg.mod import x`, "" for `from . import x`.
  std::string module;
  // For `from M import a, b`: the names imported (each may be a submodule of M). Empty for
  // `import M`, and for a star import.
  std::vector<std::string> names;
  int level = 0;  // leading dots of a relative import; 0 for an absolute one
  int line = 0;
  int column = 0;
  // Executed when the module is imported: not inside a function body, not under
  // `if TYPE_CHECKING:`, `if __name__ == "__main__":` or `if False:`. Only these can make an
  // import cycle fail at run time.
  bool at_import_time = true;
};

// The fingerprint of a window of consecutive statement lines (see the architecture pack).
struct BlockWindow {
  uint64_t hash = 0;
  int first_line = 0;
  int last_line = 0;
  int column = 0;  // of the first line's first token
};

// What a pack keeps of one file for its change-level rules.
struct FileSummary {
  std::vector<ModuleImport> imports;
  std::vector<BlockWindow> windows;
};

// A file of the change as the change-level step sees it.
struct ChangeFile {
  std::string path;
  FileSummary summary;
  // For the runtime: lines a diff added (empty: the whole file is in scope) and the file's
  // inline suppressions.
  absl::flat_hash_set<int> changed_lines;
  InlineSuppressions suppressions;

  // Whether any line of first..last is in scope (always true for a whole file).
  bool SpanInScope(int first, int last) const;
};

// What CheckChange reads: every analyzed file of the change, in path order, and the review
// policy (layers) the reviewer runs under.
struct ChangeContext {
  std::span<const ChangeFile> files;
  const ReviewPolicy& policy;
};

// Builds the findings of the change-level step; each finding names its file by index.
class ChangeFindingCollector {
 public:
  explicit ChangeFindingCollector(std::span<const ChangeFile> files) : files_(files) {}

  // Adds a finding of `rule` in files[file] at `at`, concerning at.line..last_line.
  conclave::v1::Finding& Add(const RuleSpec& rule, size_t file, Location at, std::string message,
                             std::string suggestion, int last_line = 0);

  struct Entry {
    size_t file = 0;
    ScopedFinding scoped;
  };
  std::vector<Entry> Take() { return std::move(found_); }

 private:
  std::span<const ChangeFile> files_;
  std::vector<Entry> found_;
};

// Runs pack.CheckChange over `files` (sorted here by path) and adds the findings in scope to
// `findings`, those an inline comment suppresses to `suppressed`. Nothing when the pack has no
// change-level rules.
void RunChangeStep(const RulePack& pack, const ReviewPolicy& policy, std::vector<ChangeFile> files,
                   std::vector<conclave::v1::Finding>& findings,
                   std::vector<conclave::v1::Finding>& suppressed);

}  // namespace conclave::analysis
