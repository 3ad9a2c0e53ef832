// Conclave's Python parser inside (python_parser.h is its interface): the grammar's ids, the
// nodes under construction, and the recursive-descent Parser, whose statements and tree
// building live in python_parser.cc and whose expressions, strings and types in
// internal/python_expressions.cc. One Parser per parse; not thread-safe.
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "agents/analysis/internal/python_lexer.h"
#include "agents/analysis/syntax_tree.h"

namespace conclave::analysis::internal {

namespace op = internal;

// Nesting of expressions and statements past which a file is left to tree-sitter, so that the
// recursion of the parser stays far from the stack's end.
constexpr int kMaxNesting = 400;

// The grammar's ids for every node kind, anonymous token and field the parser builds.
struct Grammar {
  const TSLanguage* language;
  std::vector<bool> named;  // by symbol
  TSSymbol ops[op::kOpCount];
  TSSymbol module, expression_statement, assignment, augmented_assignment, pattern_list,
      expression_list, identifier, integer, float_, true_, false_, none, string, string_start,
      string_content, string_end, escape_sequence, escape_interpolation, not_escape, interpolation,
      format_specifier, format_expression, type_conversion, concatenated_string, call,
      argument_list, keyword_argument, list_splat, dictionary_splat, attribute, subscript, slice,
      ellipsis, list, tuple, set, dictionary, pair, list_comprehension, set_comprehension,
      dictionary_comprehension, generator_expression, for_in_clause, if_clause,
      parenthesized_expression, binary_operator, unary_operator, not_operator, boolean_operator,
      comparison_operator, not_in, is_not, conditional_expression, lambda, lambda_parameters,
      named_expression, await, yield, list_splat_pattern, dictionary_splat_pattern,
      tuple_pattern, list_pattern, as_pattern, as_pattern_target, import_statement,
      import_from_statement, future_import_statement, relative_import, import_prefix,
      dotted_name, aliased_import, wildcard_import, assert_statement, return_statement,
      delete_statement, raise_statement, pass_statement, break_statement, continue_statement,
      global_statement, nonlocal_statement, if_statement, elif_clause, else_clause,
      for_statement, while_statement, try_statement, except_clause, finally_clause,
      with_statement, with_clause, with_item, function_definition, parameters,
      default_parameter, typed_parameter, typed_default_parameter, keyword_separator,
      positional_separator, class_definition, decorated_definition, decorator, block, type,
      generic_type, type_parameter, union_type, comment, line_continuation;
  TSFieldId f_left, f_right, f_type, f_operator, f_name, f_value, f_alias, f_module_name,
      f_argument, f_operators, f_function, f_arguments, f_object, f_attribute, f_subscript,
      f_body, f_condition, f_consequence, f_alternative, f_parameters, f_return_type,
      f_superclasses, f_definition, f_cause, f_key, f_expression, f_type_conversion,
      f_format_specifier;

  static const Grammar& Get();

 private:
  Grammar();
  TSSymbol Lookup(const char* name, bool is_named);
  TSSymbol Named(const char* name) { return Lookup(name, true); }
  TSSymbol Anonymous(const char* name) { return Lookup(name, false); }
  TSFieldId Field(const char* name);
  [[noreturn]] static void Missing(const char* name);
};

// A node while the tree is built: children are a range of kids_, built bottom-up.
struct Building {
  uint32_t start = 0, end = 0;
  TSPoint start_point = {0, 0}, end_point = {0, 0};
  uint32_t kids = 0, kid_count = 0;
  TSSymbol symbol = 0;
  TSFieldId field = 0;
  bool extra = false;
};

class Parser {
 public:
  explicit Parser(std::string_view source) : s_(source), g_(Grammar::Get()) {}

  TreeHandle Run();
  const Declined& declined() const { return declined_; }

 private:
  using NodeId = uint32_t;
  static constexpr NodeId kNoNode = UINT32_MAX;
  class Nest;

  // Tokens.
  const Token& Cur() const { return tokens_[pos_]; }
  const Token& Peek(size_t ahead) const {
    return tokens_[pos_ + ahead < tokens_.size() ? pos_ + ahead : tokens_.size() - 1];
  }
  bool IsOp(uint16_t o) const { return Cur().kind == TokenKind::kOp && Cur().op == o; }
  bool IsKeyword(uint16_t k) const { return Cur().kind == TokenKind::kName && Cur().op == k; }
  static bool IsNameToken(const Token& t) {
    return t.kind == TokenKind::kName && (t.op == op::kNoOp || t.op >= op::kFirstSoftKeyword);
  }
  bool IsName() const { return IsNameToken(Cur()); }
  bool AtAugmentedAssign() const {
    return Cur().kind == TokenKind::kOp && Cur().op >= op::kPlusEq && Cur().op <= op::kAtEq;
  }
  bool StartsExpression() const;
  // Declines the file, keeping the first reason, and skips to the end so every loop ends.
  void Fail(const char* why = "syntax the parser does not take") {
    FailAtLine(why, Cur().start_point.row + 1);
  }
  void FailAtLine(const char* why, uint32_t line) {
    if (!failed_) {
      declined_ = {why, line};
      failed_ = true;
    }
    pos_ = tokens_.size() - 1;
  }

  // Building.
  NodeId Leaf(const Token& t, TSSymbol symbol);
  NodeId TakeLeaf(TSSymbol symbol) {
    const NodeId id = Leaf(Cur(), symbol);
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return id;
  }
  NodeId TakeOp() {
    if (Cur().op >= op::kOpCount || g_.ops[Cur().op] == 0) {
      Fail();
      return kNoNode;
    }
    return TakeLeaf(g_.ops[Cur().op]);
  }
  void Push(NodeId id, TSFieldId field = 0) {
    if (id == kNoNode) return;
    nodes_[id].field = field;
    stack_.push_back(id);
  }
  void PushOp(uint16_t o) {
    if (!IsOp(o) && !IsKeyword(o)) return Fail();
    Push(TakeOp());
  }
  NodeId Make(TSSymbol symbol, size_t mark);
  void AttachExtrasBefore(const Token& t);
  void AttachBlockTrailingExtras(uint32_t block_indent);
  uint32_t CommentLineBelow(uint32_t indent) const;
  uint32_t IndentOf(uint32_t pos, TSPoint point) const;
  TreeHandle Finish(NodeId root);

  // Statements.
  void Statement();
  void SimpleStatements();
  void SimpleStatement();
  void ExpressionStatement();
  NodeId RightHandSide();
  NodeId Assignment(size_t mark, NodeId single);
  NodeId Suite();
  NodeId Block();
  void ImportList();
  NodeId DottedName();
  void ImportStatement();
  void FromImport();
  NodeId KeywordStatement(TSSymbol symbol, bool expressions);
  NodeId RaiseStatement();
  NodeId NameListStatement(TSSymbol symbol);
  NodeId IfStatement();
  NodeId ElseClause();
  NodeId WhileStatement();
  NodeId ForStatement();
  NodeId TryStatement();
  NodeId WithStatement();
  NodeId WithItem();
  NodeId FunctionDefinition();
  NodeId Parameters(bool lambda);
  NodeId Parameter(bool lambda);
  NodeId ClassDefinition();
  NodeId DecoratedDefinition();
  NodeId Type();
  NodeId TypeInner(NodeId e);
  bool IsGeneric(NodeId e) const;
  NodeId Generic(NodeId e);
  NodeId WrapType(NodeId inner);
  NodeId AttachAs(NodeId e, NodeId as, NodeId target);

  // Expressions.
  NodeId Expression();
  NodeId OrTest();
  NodeId AndTest();
  NodeId NotTest();
  NodeId Comparison();
  NodeId Binary(int min_precedence);
  NodeId Unary();
  NodeId Primary();
  NodeId Atom();
  NodeId Lambda();
  NodeId StarOrExpression(bool restricted);
  NodeId Starred(bool restricted);
  bool StarredCallAhead() const;
  NodeId Expressions();
  NodeId ExpressionsWithStar(TSSymbol list_symbol);
  NodeId Yield();
  NodeId Targets();
  NodeId Patternize(NodeId node);
  NodeId ArgumentList();
  NodeId Argument();
  NodeId SubscriptElement();
  NodeId Parenthesized();
  NodeId Bracketed();
  NodeId Braced();
  void ComprehensionClauses();
  NodeId Strings();
  NodeId String();
  NodeId Interpolation(TSSymbol symbol);

  std::string_view s_;
  const Grammar& g_;
  std::vector<Token> tokens_;
  std::vector<Extra> extras_;
  size_t pos_ = 0;
  uint32_t next_extra_ = 0;
  bool failed_ = false;
  bool soft_keyword_statement_ = false;  // the statement starts with print, exec, match, ...
  Declined declined_;
  int depth_ = 0;
  std::vector<Building> nodes_;
  std::vector<NodeId> kids_;
  std::vector<NodeId> stack_;
};

// Bounds recursion: a file nested deeper than kMaxNesting is left to tree-sitter.
class Parser::Nest {
 public:
  explicit Nest(Parser& parser) : parser_(parser) {
    if (++parser_.depth_ > kMaxNesting) parser_.Fail("nesting deeper than the parser goes");
  }
  ~Nest() { --parser_.depth_; }

 private:
  Parser& parser_;
};

}  // namespace conclave::analysis::internal
