// Conclave's own Python parser: a hand-written recursive-descent parser that builds, for valid
// Python 3, exactly the tree tree-sitter-python 0.23.6 builds (the same node kinds, fields,
// anonymous tokens and positions; comments may sit at a different level), several times
// faster. It declines whatever it does not take (a syntax error, Python 2 syntax, match and
// type statements, type parameters, non-ASCII names): ParsePython then parses the file with
// tree-sitter, whose error recovery reports where the file is wrong. `conclave-parse-diff`
// compares the two parsers' trees over whole directories (docs/PARSER.md). Thread-safe: every
// call has its own state.
#pragma once

#include <string>
#include <string_view>

#include "agents/analysis/syntax_tree.h"

namespace conclave::analysis {

// Why the parser declined a file: what it met ("a match statement", "a string that is never
// closed", ...) and on which 1-based line (0 when no one line's).
struct ParseDeclined {
  std::string what;
  int line = 0;
};

// The tree tree-sitter-python would build for `source`, or nullptr when the parser declines the
// file (with the reason in `declined` when it is not null).
TreeHandle ParsePythonFast(std::string_view source, ParseDeclined* declined = nullptr);

}  // namespace conclave::analysis
