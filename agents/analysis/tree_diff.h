// Comparing two syntax trees of the same source, to prove that Conclave's own Python parser
// (python_parser.h) builds exactly the tree tree-sitter builds: a readable dump of a tree and the
// first difference between two trees, explained well enough to find the parser's mistake from
// the message alone. Pure functions over immutable trees; safe to call from several threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agents/analysis/syntax_tree.h"

namespace conclave::analysis {

// The subtree of `root`, one line per node, indented two spaces per depth:
//   field: type [start_row:start_col-end_row:end_col] "text"
// Rows and columns are 0-based, columns in bytes, as tree-sitter counts them. `field: ` is left
// out for a node that fills no field, anonymous nodes are quoted (`"("`), a missing token reads
// `MISSING type` and an error node `ERROR`. Only leaves show their text: at most 40 bytes, with
// newlines, tabs, quotes, backslashes and other control bytes escaped; a token whose text is its
// type shows no text. Extras (comments, line continuations) and their subtrees are left out
// unless `with_extras`; an ERROR node tree-sitter marks as extra is always shown. `source` must
// be the text the tree was parsed from.
std::string DumpTree(Node root, std::string_view source, bool with_extras);

// The first place where `actual` differs from `expected`, both trees of `source`.
struct TreeDifference {
  int line = 0;         // 1-based line of the source where the difference lies
  std::string message;  // several lines, ending in a newline
};

// Compares `actual` with `expected`, node by node in document order, leaving extras and their
// subtrees (not ERROR nodes marked extra) out on both sides: each node's symbol, field,
// named/missing/has-error flags, start and end bytes and points, and number of children other than
// extras (so that the shape of the two trees is the same). Extras are compared apart, as the list
// of (symbol, start, end) of every extra in the tree, so that a comment dropped, added or moved is
// a difference wherever the parser attached it. Each tree's own bookkeeping (parents, subtree
// sizes, child counts) is checked first. A difference only in a node's extent is traced down to the
// innermost node that differs, since the extent of a node follows from its children's. nullopt when
// the trees are the same.
std::optional<TreeDifference> FindFirstDifference(const SyntaxTree& expected,
                                                  const SyntaxTree& actual,
                                                  std::string_view source);

// FindFirstDifference's message: which node (its path of types from the root), what differs
// (expected and actual values), the source line, and the dump of the parent's subtree on each
// side around the node. nullopt when the trees are the same.
std::optional<std::string> FirstDifference(const SyntaxTree& expected, const SyntaxTree& actual,
                                           std::string_view source);

}  // namespace conclave::analysis
