// Python syntax trees from tree-sitter: RAII owners for the C parser and tree, the grammar's
// symbol and field ids, and small helpers over nodes (text, 1-based positions, children, an
// iterative traversal). A TSNode is a value that borrows its tree; the tree must outlive it.
// Parsed trees are immutable and may be read from several threads at once.
#pragma once

#include <tree_sitter/api.h>

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

extern "C" const TSLanguage* tree_sitter_python();

namespace conclave::analysis {

struct TreeDeleter {
  void operator()(TSTree* tree) const { ts_tree_delete(tree); }
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

// Parses Python source with a parser owned by the calling thread. DeadlineExceeded when the
// parse takes longer than `timeout`; the tree of a file with syntax errors is still returned
// (tree-sitter recovers), with ERROR and MISSING nodes where the errors are.
absl::StatusOr<TreePtr> ParsePython(std::string_view source,
                                    absl::Duration timeout = absl::Seconds(10));

// Parses `source` with `parser`, already set to its language (ParsePython, ParseJavaScript):
// InvalidArgument past 4 GiB, DeadlineExceeded past `timeout` (the parser is reset for its
// next use).
absl::StatusOr<TreePtr> ParseWith(TSParser* parser, std::string_view source,
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
inline std::string_view NodeText(TSNode node, std::string_view source) {
  const uint32_t start = ts_node_start_byte(node);
  const uint32_t end = ts_node_end_byte(node);
  if (start >= source.size() || end <= start) return {};
  return source.substr(start, end - start);
}

// 1-based line of the node's first byte.
inline int NodeLine(TSNode node) { return static_cast<int>(ts_node_start_point(node).row) + 1; }

// 1-based line of the node's last byte.
int NodeLastLine(TSNode node);

// 1-based column of the node's first character, counted in Unicode code points.
int NodeColumn(TSNode node, std::string_view source);

inline bool Is(TSNode node, TSSymbol symbol) {
  return !ts_node_is_null(node) && ts_node_symbol(node) == symbol;
}

inline TSNode Field(TSNode node, TSFieldId field) { return ts_node_child_by_field_id(node, field); }

// A TSTreeCursor that deletes itself.
class Cursor {
 public:
  explicit Cursor(TSNode node) : cursor_(ts_tree_cursor_new(node)) {}
  ~Cursor() { ts_tree_cursor_delete(&cursor_); }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  TSTreeCursor* get() { return &cursor_; }
  TSNode node() const { return ts_tree_cursor_current_node(&cursor_); }
  TSFieldId field() const { return ts_tree_cursor_current_field_id(&cursor_); }

 private:
  TSTreeCursor cursor_;
};

// Calls fn(child, field_id) for each direct child of `node`, named or not, in order. Linear in
// the number of children (ts_node_child(i) would be quadratic on tree-sitter 0.20).
template <typename Fn>
void ForEachChild(TSNode node, Fn&& fn) {
  Cursor cursor(node);
  if (!ts_tree_cursor_goto_first_child(cursor.get())) return;
  do {
    fn(cursor.node(), cursor.field());
  } while (ts_tree_cursor_goto_next_sibling(cursor.get()));
}

// The first named child of `node` that is not a keyword argument or comment: the first
// positional argument of an argument_list. Null when there is none.
TSNode FirstPositionalArgument(TSNode arguments);

// The named child `index` (0-based) of an argument_list that is positional. Null when absent.
TSNode PositionalArgument(TSNode arguments, int index);

// The value of keyword argument `name` in an argument_list. Null when absent.
TSNode KeywordArgument(TSNode arguments, std::string_view name, std::string_view source);

// Visits the subtree of `root` in document order without recursion, so nesting depth is bounded
// only by memory. visitor.Enter(node, field_id, depth) returns whether to visit the node's
// children; visitor.Leave(node, depth) follows the children. `root` has depth 0.
template <typename Visitor>
void WalkTree(TSNode root, Visitor& visitor) {
  Cursor cursor(root);
  int depth = 0;
  bool descend = visitor.Enter(cursor.node(), 0, 0);
  while (true) {
    if (descend && ts_tree_cursor_goto_first_child(cursor.get())) {
      ++depth;
      descend = visitor.Enter(cursor.node(), cursor.field(), depth);
      continue;
    }
    while (true) {
      visitor.Leave(cursor.node(), depth);
      if (depth == 0) return;
      if (ts_tree_cursor_goto_next_sibling(cursor.get())) {
        descend = visitor.Enter(cursor.node(), cursor.field(), depth);
        break;
      }
      ts_tree_cursor_goto_parent(cursor.get());
      --depth;
    }
  }
}

}  // namespace conclave::analysis
