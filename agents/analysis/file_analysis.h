// The analysis of one file, shared by the reviewer (a change from the bus or gRPC) and the
// `scan` command (files on disk), so both report exactly the same findings: the input rules
// (UTF-8, language, syntax), then the rule pack over a tree parsed once, then diff scoping and
// inline suppressions (`# nosec`, `# conclave: ignore[...]`). A pack's change-level rules run
// afterwards over the summaries of every file (RunChangeStep in change_analysis.h).
// Pure functions over immutable inputs; thread-safe when the pack is.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "agents/analysis/rule_pack.h"
#include "agents/analysis/verdict.h"
#include "common/change/change_files.h"
#include "conclave/v1/change.pb.h"

namespace conclave::analysis {

struct FileAnalysis {
  // Findings that concern the change: all of them for a whole file; for a file rebuilt from a
  // diff, those whose line span touches an added line, plus every input-rule finding.
  std::vector<conclave::v1::Finding> findings;
  // Findings of the pack's rules in scope that an inline comment suppresses (suppressions.h),
  // on the finding's line or the first line of its span. Not part of the vote.
  std::vector<conclave::v1::Finding> suppressed;
  int64_t lines_in_scope = 0;  // lines of the file (whole file) or lines the diff added
  int64_t lines_covered = 0;   // lines_in_scope when the file parsed cleanly, else 0
  int max_complexity = 0;      // highest cyclomatic complexity of a function in scope
  bool analyzed = false;       // the rule pack ran over the file
  // What the pack's change-level step needs of the file (change_analysis.h): set when the pack
  // has_change_rules() and the file was parsed. Pass it to RunChangeStep with the others.
  std::optional<ChangeFile> change_file;
};

// Analyzes one file with `pack`. Deleted files give an empty result.
FileAnalysis AnalyzeFile(const RulePack& pack, const change::ReviewFile& file);

// Analyzes one file with each of `packs`, parsing and indexing it once for all of them; the
// result for packs[i] is element i, equal to AnalyzeFile(*packs[i], file).
std::vector<FileAnalysis> AnalyzeFileWithPacks(std::span<const RulePack* const> packs,
                                               const change::ReviewFile& file);

// Adds one file's result to the tally of a review.
void AddToTally(FileAnalysis&& file, ReviewTally& tally);

// Orders findings by file, line, column and rule id, so that votes and reports are stable.
void SortFindings(std::vector<conclave::v1::Finding>& findings);

// The input rules followed by the pack's rules: everything a reviewer can report.
std::vector<RuleSpec> AllRules(const RulePack& pack);

// Lines in `text`: newlines, plus one for a last line without a newline.
int64_t CountLines(std::string_view text);

}  // namespace conclave::analysis
