// Syntax trees as every rule reads them: one flat array of nodes in document order (a node's
// subtree is the run of nodes that follows it), with the symbol and field ids of the tree-sitter
// grammar the tree follows, so that a Python tree built by Conclave's own parser
// (python_parser.h) and one converted from tree-sitter (files the fast parser declines, and
// JavaScript) are read the same way. A Node is a 16-byte handle that borrows its tree; the tree
// must outlive it. Trees are immutable once built and may be read from several threads at once.
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

extern "C" const TSLanguage* tree_sitter_python();

namespace conclave::analysis {

class SyntaxTree;

// A node of a SyntaxTree, or null (default-constructed). Read through the free functions below
// (NodeSymbol, NodeChild, ...), which mirror tree-sitter's ts_node_* and find the node by ADL.
class Node {
 public:
  Node() = default;
  Node(const SyntaxTree* tree, uint32_t index) : tree_(tree), index_(index) {}

  const SyntaxTree* tree() const { return tree_; }
  uint32_t index() const { return index_; }
  bool is_null() const { return tree_ == nullptr; }

  friend bool operator==(Node a, Node b) { return a.tree_ == b.tree_ && a.index_ == b.index_; }
  friend bool operator!=(Node a, Node b) { return !(a == b); }

 private:
  const SyntaxTree* tree_ = nullptr;
  uint32_t index_ = 0;
};

class SyntaxTree {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  enum Flags : uint8_t {
    kNamed = 1,      // a named node (not a keyword or punctuation)
    kExtra = 2,      // a comment or line continuation, anywhere in the tree
    kHasError = 4,   // the subtree holds an ERROR or MISSING node
    kMissing = 8,    // a token tree-sitter inserted to recover from an error
  };
  struct NodeData {
    uint32_t start_byte = 0, end_byte = 0;
    TSPoint start = {0, 0}, end = {0, 0};  // rows and byte columns, 0-based
    uint32_t parent = kNone;
    uint32_t size = 1;  // nodes in the subtree, this one included
    uint32_t child_count = 0, named_child_count = 0;
    TSSymbol symbol = 0;
    TSFieldId field = 0;  // the field this node fills in its parent, 0 for none
    uint8_t flags = 0;
  };

  SyntaxTree(const TSLanguage* language, std::vector<NodeData> nodes)
      : language_(language), nodes_(std::move(nodes)) {}
  SyntaxTree(const SyntaxTree&) = delete;
  SyntaxTree& operator=(const SyntaxTree&) = delete;

  // The tree of a tree-sitter parse, converted in one walk.
  static std::unique_ptr<const SyntaxTree> FromTreeSitter(const TSTree* tree);

  Node root() const { return Node(this, 0); }
  const TSLanguage* language() const { return language_; }
  const NodeData& data(uint32_t index) const { return nodes_[index]; }
  size_t size() const { return nodes_.size(); }

 private:
  const TSLanguage* language_;
  std::vector<NodeData> nodes_;
};
using TreeHandle = std::unique_ptr<const SyntaxTree>;

// A null node reads as a childless node of symbol 0 at byte 0, as tree-sitter's null TSNode
// did for its positions, so an absent field (Field() of a node without it) is safe to read.
inline const SyntaxTree::NodeData& Data(Node node) {
  static constexpr SyntaxTree::NodeData kNull{};
  return node.is_null() ? kNull : node.tree()->data(node.index());
}

inline bool NodeIsNull(Node node) { return node.is_null(); }
inline bool NodeEq(Node a, Node b) { return a == b; }
inline TSSymbol NodeSymbol(Node node) { return Data(node).symbol; }
inline const char* NodeType(Node node) {
  return node.is_null() ? "" : ts_language_symbol_name(node.tree()->language(), Data(node).symbol);
}
inline uint32_t NodeStartByte(Node node) { return Data(node).start_byte; }
inline uint32_t NodeEndByte(Node node) { return Data(node).end_byte; }
inline TSPoint NodeStartPoint(Node node) { return Data(node).start; }
inline TSPoint NodeEndPoint(Node node) { return Data(node).end; }
inline bool NodeIsNamed(Node node) { return (Data(node).flags & SyntaxTree::kNamed) != 0; }
inline bool NodeIsExtra(Node node) { return (Data(node).flags & SyntaxTree::kExtra) != 0; }
inline bool NodeHasError(Node node) { return (Data(node).flags & SyntaxTree::kHasError) != 0; }
inline bool NodeIsMissing(Node node) { return (Data(node).flags & SyntaxTree::kMissing) != 0; }
inline uint32_t NodeChildCount(Node node) { return Data(node).child_count; }
inline uint32_t NodeNamedChildCount(Node node) { return Data(node).named_child_count; }
// The field `node` fills in its parent (0 for none).
inline TSFieldId NodeField(Node node) { return Data(node).field; }

inline Node NodeParent(Node node) {
  const uint32_t parent = Data(node).parent;
  return parent == SyntaxTree::kNone ? Node() : Node(node.tree(), parent);
}
inline Node NodeFirstChild(Node node) {
  return Data(node).size > 1 ? Node(node.tree(), node.index() + 1) : Node();
}
inline Node NodeNextSibling(Node node) {
  const SyntaxTree::NodeData& d = Data(node);
  if (d.parent == SyntaxTree::kNone) return Node();
  const uint32_t next = node.index() + d.size;
  return next < d.parent + node.tree()->data(d.parent).size ? Node(node.tree(), next) : Node();
}
Node NodeChild(Node node, uint32_t index);
Node NodeNamedChild(Node node, uint32_t index);
Node NodeNextNamedSibling(Node node);
// The first child that fills `field`; null when none does.
Node NodeChildByFieldId(Node node, TSFieldId field);
Node NodeChildByFieldName(Node node, const char* name, uint32_t length);

// Parses Python source: with Conclave's parser (python_parser.h) when it accepts the file,
// else with tree-sitter, whose tree of a file with syntax errors is still returned with ERROR
// and MISSING nodes where the errors are. DeadlineExceeded when tree-sitter takes longer than
// `timeout`; InvalidArgument past 4 GiB.
absl::StatusOr<TreeHandle> ParsePython(std::string_view source,
                                       absl::Duration timeout = absl::Seconds(10));

// Parses Python source with tree-sitter alone (for comparing parsers and measuring them).
absl::StatusOr<TreeHandle> ParsePythonWithTreeSitter(std::string_view source,
                                                     absl::Duration timeout = absl::Seconds(10));

// Parses `source` with `parser`, already set to its language (ParsePython, ParseJavaScript),
// and converts the tree: InvalidArgument past 4 GiB, DeadlineExceeded past `timeout` (the
// parser is reset for its next use).
absl::StatusOr<TreeHandle> ParseWith(TSParser* parser, std::string_view source,
                                     absl::Duration timeout);

// Symbol and field ids of the Python grammar, looked up once by name. Comparing ids is how
// rules recognize node kinds; ids of aliased nodes are their public (canonical) ids.
struct PythonGrammar {
  static const PythonGrammar& Get();

  TSSymbol identifier, call, attribute, string, concatenated_string, interpolation, string_start,
      string_content, string_end, integer, float_, true_, false_, none, argument_list,
      keyword_argument, list, tuple, set, dictionary, pair, binary_operator, boolean_operator,
      comparison_operator, conditional_expression, not_operator, parenthesized_expression,
      assignment, augmented_assignment, pattern_list, tuple_pattern, expression_list,
      function_definition, class_definition, decorated_definition, parameters, typed_parameter,
      default_parameter, typed_default_parameter, list_splat_pattern, dictionary_splat_pattern,
      if_statement, elif_clause, for_statement, while_statement, try_statement, except_clause,
      except_group_clause, with_statement, match_statement, case_clause, list_comprehension,
      set_comprehension, dictionary_comprehension, generator_expression, for_in_clause, if_clause,
      import_statement, import_from_statement, aliased_import, dotted_name, list_pattern, block,
      comment, error;
  TSFieldId field_name, field_body, field_condition, field_left, field_right, field_function,
      field_arguments, field_object, field_attribute, field_operator, field_value, field_key,
      field_parameters, field_alias, field_module_name, field_definition;
};

// The source text of `node`. `source` must be the text the node's tree was parsed from.
inline std::string_view NodeText(Node node, std::string_view source) {
  const uint32_t start = NodeStartByte(node);
  const uint32_t end = NodeEndByte(node);
  if (start >= source.size() || end <= start) return {};
  return source.substr(start, end - start);
}

// 1-based line of the node's first byte.
inline int NodeLine(Node node) { return static_cast<int>(NodeStartPoint(node).row) + 1; }

// 1-based line of the node's last byte.
int NodeLastLine(Node node);

// 1-based column of the node's first character, counted in Unicode code points.
int NodeColumn(Node node, std::string_view source);

inline bool Is(Node node, TSSymbol symbol) {
  return !node.is_null() && NodeSymbol(node) == symbol;
}

inline Node Field(Node node, TSFieldId field) { return NodeChildByFieldId(node, field); }

// Walks a tree from a node: down to the first child, across to the next sibling, up to the
// parent, never above the node it started from (as tree-sitter's TSTreeCursor).
class Cursor {
 public:
  explicit Cursor(Node node) : root_(node), node_(node) {}
  Node node() const { return node_; }
  TSFieldId field() const { return node_ == root_ ? 0 : NodeField(node_); }
  bool GotoFirstChild() {
    const Node child = NodeFirstChild(node_);
    if (child.is_null()) return false;
    node_ = child;
    return true;
  }
  bool GotoNextSibling() {
    if (node_ == root_) return false;
    const Node next = NodeNextSibling(node_);
    if (next.is_null()) return false;
    node_ = next;
    return true;
  }
  bool GotoParent() {
    if (node_ == root_) return false;
    node_ = NodeParent(node_);
    return true;
  }

 private:
  Node root_;
  Node node_;
};

// Calls fn(child, field_id) for each direct child of `node`, named or not, in order.
template <typename Fn>
void ForEachChild(Node node, Fn&& fn) {
  for (Node child = NodeFirstChild(node); !child.is_null(); child = NodeNextSibling(child)) {
    fn(child, NodeField(child));
  }
}

// The first named child of `node` that is not a keyword argument or comment: the first
// positional argument of an argument_list. Null when there is none.
Node FirstPositionalArgument(Node arguments);

// The named child `index` (0-based) of an argument_list that is positional. Null when absent.
Node PositionalArgument(Node arguments, int index);

// The value of keyword argument `name` in an argument_list. Null when absent.
Node KeywordArgument(Node arguments, std::string_view name, std::string_view source);

// Visits the subtree of `root` in document order without recursion, so nesting depth is bounded
// only by memory. visitor.Enter(node, field_id, depth) returns whether to visit the node's
// children; visitor.Leave(node, depth) follows the children. `root` has depth 0.
template <typename Visitor>
void WalkTree(Node root, Visitor& visitor) {
  Cursor cursor(root);
  int depth = 0;
  bool descend = visitor.Enter(cursor.node(), 0, 0);
  while (true) {
    if (descend && cursor.GotoFirstChild()) {
      ++depth;
      descend = visitor.Enter(cursor.node(), cursor.field(), depth);
      continue;
    }
    while (true) {
      visitor.Leave(cursor.node(), depth);
      if (depth == 0) return;
      if (cursor.GotoNextSibling()) {
        descend = visitor.Enter(cursor.node(), cursor.field(), depth);
        break;
      }
      cursor.GotoParent();
      --depth;
    }
  }
}

}  // namespace conclave::analysis
