#include "agents/analysis/syntax_tree.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agents/analysis/python_parser.h"

namespace conclave::analysis {
namespace {

struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};

// One parser per thread: parsers are not thread-safe, and creating one per file costs more
// than the parse of a small file.
TSParser* ThreadParser() {
  thread_local std::unique_ptr<TSParser, ParserDeleter> parser = [] {
    std::unique_ptr<TSParser, ParserDeleter> p(ts_parser_new());
    if (!ts_parser_set_language(p.get(), tree_sitter_python())) {
      std::fprintf(stderr, "tree-sitter rejected the Python grammar's ABI version\n");
      std::abort();
    }
    return p;
  }();
  return parser.get();
}

class GrammarLookup {
 public:
  explicit GrammarLookup(const TSLanguage* language) : language_(language) {}

  TSSymbol Symbol(const char* name) {
    const TSSymbol id = ts_language_symbol_for_name(language_, name, std::strlen(name), true);
    if (id == 0) Missing(name);
    return id;
  }
  TSFieldId FieldId(const char* name) {
    const TSFieldId id = ts_language_field_id_for_name(language_, name, std::strlen(name));
    if (id == 0) Missing(name);
    return id;
  }

 private:
  // The grammar is compiled into the binary, so a missing name is a build defect.
  [[noreturn]] static void Missing(const char* name) {
    std::fprintf(stderr, "the Python grammar has no node or field named '%s'\n", name);
    std::abort();
  }
  const TSLanguage* language_;
};

PythonGrammar LookUpGrammar() {
  GrammarLookup g(tree_sitter_python());
  PythonGrammar p;
  p.identifier = g.Symbol("identifier");
  p.call = g.Symbol("call");
  p.attribute = g.Symbol("attribute");
  p.string = g.Symbol("string");
  p.concatenated_string = g.Symbol("concatenated_string");
  p.interpolation = g.Symbol("interpolation");
  p.string_start = g.Symbol("string_start");
  p.string_content = g.Symbol("string_content");
  p.string_end = g.Symbol("string_end");
  p.integer = g.Symbol("integer");
  p.float_ = g.Symbol("float");
  p.true_ = g.Symbol("true");
  p.false_ = g.Symbol("false");
  p.none = g.Symbol("none");
  p.argument_list = g.Symbol("argument_list");
  p.keyword_argument = g.Symbol("keyword_argument");
  p.list = g.Symbol("list");
  p.tuple = g.Symbol("tuple");
  p.set = g.Symbol("set");
  p.dictionary = g.Symbol("dictionary");
  p.pair = g.Symbol("pair");
  p.binary_operator = g.Symbol("binary_operator");
  p.boolean_operator = g.Symbol("boolean_operator");
  p.comparison_operator = g.Symbol("comparison_operator");
  p.conditional_expression = g.Symbol("conditional_expression");
  p.not_operator = g.Symbol("not_operator");
  p.parenthesized_expression = g.Symbol("parenthesized_expression");
  p.assignment = g.Symbol("assignment");
  p.augmented_assignment = g.Symbol("augmented_assignment");
  p.pattern_list = g.Symbol("pattern_list");
  p.tuple_pattern = g.Symbol("tuple_pattern");
  p.expression_list = g.Symbol("expression_list");
  p.function_definition = g.Symbol("function_definition");
  p.class_definition = g.Symbol("class_definition");
  p.decorated_definition = g.Symbol("decorated_definition");
  p.parameters = g.Symbol("parameters");
  p.typed_parameter = g.Symbol("typed_parameter");
  p.default_parameter = g.Symbol("default_parameter");
  p.typed_default_parameter = g.Symbol("typed_default_parameter");
  p.list_splat_pattern = g.Symbol("list_splat_pattern");
  p.dictionary_splat_pattern = g.Symbol("dictionary_splat_pattern");
  p.if_statement = g.Symbol("if_statement");
  p.elif_clause = g.Symbol("elif_clause");
  p.for_statement = g.Symbol("for_statement");
  p.while_statement = g.Symbol("while_statement");
  p.try_statement = g.Symbol("try_statement");
  p.except_clause = g.Symbol("except_clause");
  p.except_group_clause = g.Symbol("except_group_clause");
  p.with_statement = g.Symbol("with_statement");
  p.match_statement = g.Symbol("match_statement");
  p.case_clause = g.Symbol("case_clause");
  p.list_comprehension = g.Symbol("list_comprehension");
  p.set_comprehension = g.Symbol("set_comprehension");
  p.dictionary_comprehension = g.Symbol("dictionary_comprehension");
  p.generator_expression = g.Symbol("generator_expression");
  p.for_in_clause = g.Symbol("for_in_clause");
  p.if_clause = g.Symbol("if_clause");
  p.import_statement = g.Symbol("import_statement");
  p.import_from_statement = g.Symbol("import_from_statement");
  p.aliased_import = g.Symbol("aliased_import");
  p.dotted_name = g.Symbol("dotted_name");
  p.list_pattern = g.Symbol("list_pattern");
  p.block = g.Symbol("block");
  p.comment = g.Symbol("comment");
  p.error = g.Symbol("ERROR");
  p.field_name = g.FieldId("name");
  p.field_body = g.FieldId("body");
  p.field_condition = g.FieldId("condition");
  p.field_left = g.FieldId("left");
  p.field_right = g.FieldId("right");
  p.field_function = g.FieldId("function");
  p.field_arguments = g.FieldId("arguments");
  p.field_object = g.FieldId("object");
  p.field_attribute = g.FieldId("attribute");
  p.field_operator = g.FieldId("operator");
  p.field_value = g.FieldId("value");
  p.field_key = g.FieldId("key");
  p.field_parameters = g.FieldId("parameters");
  p.field_alias = g.FieldId("alias");
  p.field_module_name = g.FieldId("module_name");
  p.field_definition = g.FieldId("definition");
  return p;
}

}  // namespace

const PythonGrammar& PythonGrammar::Get() {
  static const PythonGrammar grammar = LookUpGrammar();
  return grammar;
}

absl::StatusOr<TreeHandle> ParsePythonWithTreeSitter(std::string_view source,
                                                     absl::Duration timeout) {
  return ParseWith(ThreadParser(), source, timeout);
}

absl::StatusOr<TreeHandle> ParsePython(std::string_view source, absl::Duration timeout) {
  // CONCLAVE_PYTHON_PARSER=tree-sitter parses every file with tree-sitter (docs/PARSER.md).
  static const bool tree_sitter_only = [] {
    const char* choice = std::getenv("CONCLAVE_PYTHON_PARSER");
    return choice != nullptr && std::strcmp(choice, "tree-sitter") == 0;
  }();
  if (!tree_sitter_only) {
    if (TreeHandle tree = ParsePythonFast(source)) return tree;
  }
  return ParsePythonWithTreeSitter(source, timeout);
}

absl::StatusOr<TreeHandle> ParseWith(TSParser* parser, std::string_view source,
                                     absl::Duration timeout) {
  if (source.size() > UINT32_MAX) {
    return absl::InvalidArgumentError("source larger than 4 GiB cannot be parsed");
  }
  ts_parser_set_timeout_micros(parser, static_cast<uint64_t>(absl::ToInt64Microseconds(timeout)));
  TSTree* tree =
      ts_parser_parse_string(parser, nullptr, source.data(), static_cast<uint32_t>(source.size()));
  if (tree == nullptr) {
    ts_parser_reset(parser);
    return absl::DeadlineExceededError(
        absl::StrCat("parsing did not finish within ", absl::FormatDuration(timeout)));
  }
  TreeHandle converted = SyntaxTree::FromTreeSitter(tree);
  ts_tree_delete(tree);
  return converted;
}

std::unique_ptr<const SyntaxTree> SyntaxTree::FromTreeSitter(const TSTree* tree) {
  std::vector<NodeData> nodes;
  const TSNode root = ts_tree_root_node(tree);
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  std::vector<uint32_t> open;  // the nodes whose subtrees are being filled, outermost first
  auto enter = [&]() {
    const TSNode node = ts_tree_cursor_current_node(&cursor);
    NodeData d;
    d.start_byte = ts_node_start_byte(node);
    d.end_byte = ts_node_end_byte(node);
    d.start = ts_node_start_point(node);
    d.end = ts_node_end_point(node);
    d.symbol = ts_node_symbol(node);
    d.field = open.empty() ? 0 : ts_tree_cursor_current_field_id(&cursor);
    const bool named = ts_node_is_named(node);
    d.flags = (named ? kNamed : 0) | (ts_node_is_extra(node) ? kExtra : 0) |
              (ts_node_has_error(node) ? kHasError : 0) |
              (ts_node_is_missing(node) ? kMissing : 0);
    if (!open.empty()) {
      d.parent = open.back();
      NodeData& parent = nodes[open.back()];
      ++parent.child_count;
      if (named) ++parent.named_child_count;
    }
    open.push_back(static_cast<uint32_t>(nodes.size()));
    nodes.push_back(d);
  };
  auto leave = [&]() {
    nodes[open.back()].size = static_cast<uint32_t>(nodes.size()) - open.back();
    open.pop_back();
  };
  enter();
  while (true) {
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      enter();
      continue;
    }
    leave();
    while (!open.empty() && !ts_tree_cursor_goto_next_sibling(&cursor)) {
      ts_tree_cursor_goto_parent(&cursor);
      leave();
    }
    if (open.empty()) break;
    enter();
  }
  ts_tree_cursor_delete(&cursor);
  return std::make_unique<const SyntaxTree>(ts_tree_language(tree), std::move(nodes));
}

Node NodeChild(Node node, uint32_t index) {
  Node child = NodeFirstChild(node);
  for (uint32_t i = 0; i < index && !child.is_null(); ++i) child = NodeNextSibling(child);
  return child;
}

Node NodeNamedChild(Node node, uint32_t index) {
  uint32_t seen = 0;
  for (Node child = NodeFirstChild(node); !child.is_null(); child = NodeNextSibling(child)) {
    if (NodeIsNamed(child) && seen++ == index) return child;
  }
  return Node();
}

Node NodeNextNamedSibling(Node node) {
  for (Node next = NodeNextSibling(node); !next.is_null(); next = NodeNextSibling(next)) {
    if (NodeIsNamed(next)) return next;
  }
  return Node();
}

Node NodeChildByFieldId(Node node, TSFieldId field) {
  if (node.is_null() || field == 0) return Node();
  for (Node child = NodeFirstChild(node); !child.is_null(); child = NodeNextSibling(child)) {
    if (NodeField(child) == field) return child;
  }
  return Node();
}

Node NodeChildByFieldName(Node node, const char* name, uint32_t length) {
  if (node.is_null()) return Node();
  return NodeChildByFieldId(node,
                            ts_language_field_id_for_name(node.tree()->language(), name, length));
}

int NodeLastLine(Node node) {
  const TSPoint start = NodeStartPoint(node);
  const TSPoint end = NodeEndPoint(node);
  // A node that ends at the start of a line (after a newline) ends on the line before.
  if (end.column == 0 && end.row > start.row) return static_cast<int>(end.row);
  return static_cast<int>(end.row) + 1;
}

int NodeColumn(Node node, std::string_view source) {
  const uint32_t start = NodeStartByte(node);
  const uint32_t byte_column = NodeStartPoint(node).column;
  if (start > source.size() || byte_column > start) return static_cast<int>(byte_column) + 1;
  int column = 1;
  for (uint32_t i = start - byte_column; i < start; ++i) {
    // Count every byte that is not a UTF-8 continuation byte.
    if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

Node PositionalArgument(Node arguments, int index) {
  Node found;
  if (arguments.is_null()) return found;
  const PythonGrammar& g = PythonGrammar::Get();
  int seen = 0;
  bool done = false;
  ForEachChild(arguments, [&](Node child, TSFieldId) {
    if (done || !NodeIsNamed(child) || NodeIsExtra(child)) return;
    if (Is(child, g.keyword_argument)) return;
    if (seen++ == index) {
      found = child;
      done = true;
    }
  });
  return found;
}

Node FirstPositionalArgument(Node arguments) { return PositionalArgument(arguments, 0); }

Node KeywordArgument(Node arguments, std::string_view name, std::string_view source) {
  Node found;
  if (arguments.is_null()) return found;
  const PythonGrammar& g = PythonGrammar::Get();
  ForEachChild(arguments, [&](Node child, TSFieldId) {
    if (!found.is_null() || !Is(child, g.keyword_argument)) return;
    if (NodeText(Field(child, g.field_name), source) == name) found = Field(child, g.field_value);
  });
  return found;
}

}  // namespace conclave::analysis
