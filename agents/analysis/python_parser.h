// Conclave's own Python parser: a hand-written recursive-descent parser that builds, for valid
// Python 3, exactly the tree tree-sitter-python 0.23.6 builds (the same node kinds, fields,
// anonymous tokens and positions; comments may sit at a different level), several times
// faster. It declines whatever it does not take (a syntax error, Python 2 syntax, match and
// type statements, type parameters, non-ASCII names): ParsePython then parses the file with
// tree-sitter, whose error recovery reports where the file is wrong. `conclave-parse-diff`
// compares the two parsers' trees over whole directories (docs/PARSER.md). Thread-safe: every
// call has its own state.
#pragma once

#include <string_view>

#include "agents/analysis/syntax_tree.h"

namespace conclave::analysis {

// The tree tree-sitter-python would build for `source`, or nullptr when the parser declines the
// file.
TreeHandle ParsePythonFast(std::string_view source);

}  // namespace conclave::analysis
