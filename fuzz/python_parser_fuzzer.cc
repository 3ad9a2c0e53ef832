// Fuzz target: Conclave's own Python parser (ParsePythonFast) against tree-sitter. Arbitrary
// bytes (at most 64 KiB) go to ParsePythonFast; declining is always right. When it builds a
// tree, the tree must be well formed on its own (every node inside the source and inside its
// parent, siblings other than extras in order, child counts and points that agree with the
// nodes and the bytes), tree-sitter must parse the same bytes without an ERROR or MISSING node
// (the fast parser takes only valid Python), and FirstDifference must find no difference
// between the two trees. Anything else prints what is wrong and aborts.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agents/analysis/python_parser.h"
#include "agents/analysis/syntax_tree.h"
#include "agents/analysis/tree_diff.h"
#include "fuzz/fuzz_common.h"

namespace {

using conclave::analysis::SyntaxTree;

constexpr size_t kMaxInputBytes = 64 * 1024;

[[noreturn]] void Fail(std::string_view source, const std::string& what) {
  std::fprintf(stderr, "python_parser_fuzzer: %s\n", what.c_str());
  if (source.size() <= 2048) {
    std::fprintf(stderr, "input (%zu bytes):\n%.*s\n", source.size(),
                 static_cast<int>(source.size()), source.data());
  }
  std::abort();
}

// The (row, byte column) of `byte`, rows counted by '\n' as tree-sitter counts them.
TSPoint PointOf(const std::vector<uint32_t>& line_starts, uint32_t byte) {
  const auto it = std::upper_bound(line_starts.begin(), line_starts.end(), byte);
  const uint32_t row = static_cast<uint32_t>(it - line_starts.begin()) - 1;
  return TSPoint{row, byte - line_starts[row]};
}

bool SamePoint(TSPoint a, TSPoint b) { return a.row == b.row && a.column == b.column; }

std::string NodeName(const SyntaxTree& tree, uint32_t index) {
  const SyntaxTree::NodeData& d = tree.data(index);
  const char* type = ts_language_symbol_name(tree.language(), d.symbol);
  return "node " + std::to_string(index) + " (" + (type != nullptr ? type : "?") + " " +
         std::to_string(d.start_byte) + ".." + std::to_string(d.end_byte) + ")";
}

// The fast tree's own invariants, independent of tree-sitter.
void CheckWellFormed(const SyntaxTree& tree, std::string_view source) {
  const uint32_t n = static_cast<uint32_t>(tree.size());
  if (n == 0) Fail(source, "the tree has no nodes");
  std::vector<uint32_t> line_starts = {0};
  for (uint32_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\n') line_starts.push_back(i + 1);
  }
  const SyntaxTree::NodeData& root = tree.data(0);
  if (root.parent != SyntaxTree::kNone) Fail(source, "the root has a parent");
  if (root.size != n) Fail(source, "the root's subtree is not the whole tree");
  std::vector<uint32_t> children(n, 0), named_children(n, 0);
  // Per parent: the last child seen, and the last child seen that is not an extra.
  std::vector<uint32_t> last_child(n, SyntaxTree::kNone), last_node(n, SyntaxTree::kNone);
  for (uint32_t i = 0; i < n; ++i) {
    const SyntaxTree::NodeData& d = tree.data(i);
    if (d.start_byte > d.end_byte || d.end_byte > source.size()) {
      Fail(source, NodeName(tree, i) + " lies outside the source of " +
                       std::to_string(source.size()) + " bytes");
    }
    if (d.size == 0 || d.size > n - i) Fail(source, NodeName(tree, i) + " has a bad subtree size");
    if (!SamePoint(d.start, PointOf(line_starts, d.start_byte)) ||
        !SamePoint(d.end, PointOf(line_starts, d.end_byte))) {
      Fail(source, NodeName(tree, i) + " has points that do not match its bytes");
    }
    if (i == 0) continue;
    if (d.parent >= i) Fail(source, NodeName(tree, i) + " does not follow its parent");
    const SyntaxTree::NodeData& p = tree.data(d.parent);
    if (i + d.size > d.parent + p.size) {
      Fail(source, NodeName(tree, i) + "'s subtree runs past its parent's");
    }
    if (d.start_byte < p.start_byte || d.end_byte > p.end_byte) {
      Fail(source, NodeName(tree, i) + " is not inside its parent " + NodeName(tree, d.parent));
    }
    const uint32_t prev = last_child[d.parent];
    if (prev == SyntaxTree::kNone ? i != d.parent + 1 : i != prev + tree.data(prev).size) {
      Fail(source, NodeName(tree, i) + " is not where its parent's children run");
    }
    last_child[d.parent] = i;
    // Siblings other than extras follow each other in the source. Extras are compared apart
    // from the tree's shape (tree_diff.h), and a line continuation met in the middle of a
    // statement may be attached after the statement, inside its extent.
    if ((d.flags & SyntaxTree::kExtra) == 0) {
      const uint32_t prev_node = last_node[d.parent];
      if (prev_node != SyntaxTree::kNone && tree.data(prev_node).end_byte > d.start_byte) {
        Fail(source, NodeName(tree, i) + " starts before its previous sibling " +
                         NodeName(tree, prev_node) + " ends");
      }
      last_node[d.parent] = i;
    }
    ++children[d.parent];
    if ((d.flags & SyntaxTree::kNamed) != 0) ++named_children[d.parent];
  }
  for (uint32_t i = 0; i < n; ++i) {
    const SyntaxTree::NodeData& d = tree.data(i);
    if (d.child_count != children[i] || d.named_child_count != named_children[i]) {
      Fail(source, NodeName(tree, i) + " has child counts that do not match its children");
    }
    if ((d.flags & (SyntaxTree::kHasError | SyntaxTree::kMissing)) != 0) {
      Fail(source, NodeName(tree, i) + " is marked as an error in a tree the parser accepted");
    }
  }
}

// Where tree-sitter's tree first has an ERROR or MISSING node: its type, 1-based line and
// 0-based byte column, and that line of the source.
std::string FirstError(const SyntaxTree& tree, std::string_view source) {
  for (uint32_t i = 0; i < tree.size(); ++i) {
    const SyntaxTree::NodeData& d = tree.data(i);
    const bool missing = (d.flags & SyntaxTree::kMissing) != 0;
    if (d.symbol != conclave::analysis::PythonGrammar::Get().error && !missing) continue;
    const size_t line_start = source.rfind('\n', d.start_byte == 0 ? 0 : d.start_byte - 1);
    const size_t begin = line_start == std::string_view::npos || d.start_byte == 0
                             ? 0
                             : line_start + 1;
    const size_t end = std::min(source.find('\n', begin), source.size());
    return std::string(missing ? "MISSING " : "") + NodeName(tree, i) + " at line " +
           std::to_string(d.start.row + 1) + ", column " + std::to_string(d.start.column) +
           ": \"" + std::string(source.substr(begin, std::min<size_t>(end - begin, 120))) +
           "\"";
  }
  return "no ERROR or MISSING node (only the root's flag)";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInputBytes) return 0;
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  const conclave::analysis::TreeHandle fast = conclave::analysis::ParsePythonFast(source);
  if (fast == nullptr) return 0;  // declined: tree-sitter parses the file instead
  CheckWellFormed(*fast, source);
  const auto expected = conclave::analysis::ParsePythonWithTreeSitter(source);
  // A tree-sitter timeout says nothing about the fast parser.
  if (!expected.ok()) return 0;
  const SyntaxTree& ts_tree = **expected;
  if ((ts_tree.data(0).flags & SyntaxTree::kHasError) != 0) {
    Fail(source, "the fast parser accepted a file tree-sitter finds a syntax error in: " +
                     FirstError(ts_tree, source));
  }
  const std::optional<std::string> difference =
      conclave::analysis::FirstDifference(ts_tree, *fast, source);
  if (difference.has_value()) Fail(source, "the trees differ:\n" + *difference);
  return 0;
}
