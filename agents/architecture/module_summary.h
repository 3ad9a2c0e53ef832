// What the architecture reviewer keeps of each module for its change-level rules (ARCH005-008):
// the module's imports with their context, and fingerprints of its windows of statement lines
// for duplicate detection. Built in one bounded pass over the tree while it is still parsed;
// the tree is not kept. Pure function; thread-safe.
#pragma once

#include "agents/analysis/change_analysis.h"
#include "agents/analysis/parsed_module.h"

namespace conclave::architecture {

// ARCH008: a window is this many consecutive code lines (comments, blank lines and import
// statements left out) that start with a statement, lie in one function or class body, and
// hold at least kMinWindowTokens tokens, so that runs of trivial lines (`)`, `else:`, `pass`)
// are no duplicates.
inline constexpr int kWindowLines = 6;
inline constexpr int kMinWindowTokens = 40;
// Bounds on what one module contributes.
inline constexpr size_t kMaxImportsPerModule = 10000;
inline constexpr size_t kMaxWindowsPerModule = 200000;

// The imports and window fingerprints of `module`. Tokens are compared by their exact text
// (identifiers and literals kept): a window matches another only when the code is the same up
// to whitespace and comments.
analysis::FileSummary SummarizeModule(const analysis::ParsedModule& module);

}  // namespace conclave::architecture
