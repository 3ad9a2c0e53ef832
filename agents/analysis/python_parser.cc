#include "agents/analysis/python_parser.h"

#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <vector>

#include "agents/analysis/internal/python_lexer.h"

namespace conclave::analysis {
namespace {

using internal::Extra;
using internal::Op;
using internal::Token;
using internal::TokenKind;
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

  static const Grammar& Get() {
    static const Grammar* grammar = new Grammar();
    return *grammar;
  }

 private:
  Grammar() : language(tree_sitter_python()) {
    const uint32_t count = ts_language_symbol_count(language);
    named.resize(count + 1);
    for (uint32_t i = 0; i < count; ++i) {
      named[i] = ts_language_symbol_type(language, static_cast<TSSymbol>(i)) ==
                 TSSymbolTypeRegular;
    }
    // Operators and keywords are anonymous tokens of the grammar, but for `...`, `True`,
    // `False` and `None` (the named leaves ellipsis, true, false and none): those stay 0.
    for (int i = 0; i < op::kOpCount; ++i) {
      const char* name = op::kOpNames[i];
      ops[i] = ts_language_symbol_for_name(language, name,
                                           static_cast<uint32_t>(std::strlen(name)), false);
    }
    module = Named("module");
    expression_statement = Named("expression_statement");
    assignment = Named("assignment");
    augmented_assignment = Named("augmented_assignment");
    pattern_list = Named("pattern_list");
    expression_list = Named("expression_list");
    identifier = Named("identifier");
    integer = Named("integer");
    float_ = Named("float");
    true_ = Named("true");
    false_ = Named("false");
    none = Named("none");
    string = Named("string");
    string_start = Named("string_start");
    string_content = Named("string_content");
    string_end = Named("string_end");
    escape_sequence = Named("escape_sequence");
    escape_interpolation = Named("escape_interpolation");
    not_escape = Anonymous("\\");
    interpolation = Named("interpolation");
    format_specifier = Named("format_specifier");
    format_expression = Named("format_expression");
    type_conversion = Named("type_conversion");
    concatenated_string = Named("concatenated_string");
    call = Named("call");
    argument_list = Named("argument_list");
    keyword_argument = Named("keyword_argument");
    list_splat = Named("list_splat");
    dictionary_splat = Named("dictionary_splat");
    attribute = Named("attribute");
    subscript = Named("subscript");
    slice = Named("slice");
    ellipsis = Named("ellipsis");
    list = Named("list");
    tuple = Named("tuple");
    set = Named("set");
    dictionary = Named("dictionary");
    pair = Named("pair");
    list_comprehension = Named("list_comprehension");
    set_comprehension = Named("set_comprehension");
    dictionary_comprehension = Named("dictionary_comprehension");
    generator_expression = Named("generator_expression");
    for_in_clause = Named("for_in_clause");
    if_clause = Named("if_clause");
    parenthesized_expression = Named("parenthesized_expression");
    binary_operator = Named("binary_operator");
    unary_operator = Named("unary_operator");
    not_operator = Named("not_operator");
    boolean_operator = Named("boolean_operator");
    comparison_operator = Named("comparison_operator");
    not_in = Anonymous("not in");
    is_not = Anonymous("is not");
    conditional_expression = Named("conditional_expression");
    lambda = Named("lambda");
    lambda_parameters = Named("lambda_parameters");
    named_expression = Named("named_expression");
    await = Named("await");
    yield = Named("yield");
    list_splat_pattern = Named("list_splat_pattern");
    dictionary_splat_pattern = Named("dictionary_splat_pattern");
    tuple_pattern = Named("tuple_pattern");
    list_pattern = Named("list_pattern");
    as_pattern = Named("as_pattern");
    as_pattern_target = Named("as_pattern_target");
    import_statement = Named("import_statement");
    import_from_statement = Named("import_from_statement");
    future_import_statement = Named("future_import_statement");
    relative_import = Named("relative_import");
    import_prefix = Named("import_prefix");
    dotted_name = Named("dotted_name");
    aliased_import = Named("aliased_import");
    wildcard_import = Named("wildcard_import");
    assert_statement = Named("assert_statement");
    return_statement = Named("return_statement");
    delete_statement = Named("delete_statement");
    raise_statement = Named("raise_statement");
    pass_statement = Named("pass_statement");
    break_statement = Named("break_statement");
    continue_statement = Named("continue_statement");
    global_statement = Named("global_statement");
    nonlocal_statement = Named("nonlocal_statement");
    if_statement = Named("if_statement");
    elif_clause = Named("elif_clause");
    else_clause = Named("else_clause");
    for_statement = Named("for_statement");
    while_statement = Named("while_statement");
    try_statement = Named("try_statement");
    except_clause = Named("except_clause");
    finally_clause = Named("finally_clause");
    with_statement = Named("with_statement");
    with_clause = Named("with_clause");
    with_item = Named("with_item");
    function_definition = Named("function_definition");
    parameters = Named("parameters");
    default_parameter = Named("default_parameter");
    typed_parameter = Named("typed_parameter");
    typed_default_parameter = Named("typed_default_parameter");
    keyword_separator = Named("keyword_separator");
    positional_separator = Named("positional_separator");
    class_definition = Named("class_definition");
    decorated_definition = Named("decorated_definition");
    decorator = Named("decorator");
    block = Named("block");
    type = Named("type");
    generic_type = Named("generic_type");
    type_parameter = Named("type_parameter");
    union_type = Named("union_type");
    comment = Named("comment");
    line_continuation = Named("line_continuation");
    f_left = Field("left");
    f_right = Field("right");
    f_type = Field("type");
    f_operator = Field("operator");
    f_name = Field("name");
    f_value = Field("value");
    f_alias = Field("alias");
    f_module_name = Field("module_name");
    f_argument = Field("argument");
    f_operators = Field("operators");
    f_function = Field("function");
    f_arguments = Field("arguments");
    f_object = Field("object");
    f_attribute = Field("attribute");
    f_subscript = Field("subscript");
    f_body = Field("body");
    f_condition = Field("condition");
    f_consequence = Field("consequence");
    f_alternative = Field("alternative");
    f_parameters = Field("parameters");
    f_return_type = Field("return_type");
    f_superclasses = Field("superclasses");
    f_definition = Field("definition");
    f_cause = Field("cause");
    f_key = Field("key");
    f_expression = Field("expression");
    f_type_conversion = Field("type_conversion");
    f_format_specifier = Field("format_specifier");
  }

  TSSymbol Lookup(const char* name, bool is_named) {
    const TSSymbol id =
        ts_language_symbol_for_name(language, name, static_cast<uint32_t>(std::strlen(name)),
                                    is_named);
    if (id == 0) Missing(name);
    return id;
  }
  TSSymbol Named(const char* name) { return Lookup(name, true); }
  TSSymbol Anonymous(const char* name) { return Lookup(name, false); }
  TSFieldId Field(const char* name) {
    const TSFieldId id =
        ts_language_field_id_for_name(language, name, static_cast<uint32_t>(std::strlen(name)));
    if (id == 0) Missing(name);
    return id;
  }
  // The grammar is compiled into the binary, so a missing name is a build defect.
  [[noreturn]] static void Missing(const char* name) {
    std::fprintf(stderr, "the Python grammar has no node, token or field named '%s'\n", name);
    std::abort();
  }
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
  const internal::Declined& declined() const { return declined_; }

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
    if (!failed_) {
      declined_ = {why, Cur().start_point.row + 1};
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
  NodeId TypeInner(NodeId e, bool& type_only);
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
  NodeId StarOrExpression();
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
  internal::Declined declined_;
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

Parser::NodeId Parser::Leaf(const Token& t, TSSymbol symbol) {
  Building b;
  b.start = t.start;
  b.end = t.end;
  b.start_point = t.start_point;
  b.end_point = t.end_point;
  b.symbol = symbol;
  nodes_.push_back(b);
  return static_cast<NodeId>(nodes_.size() - 1);
}

Parser::NodeId Parser::Make(TSSymbol symbol, size_t mark) {
  Building b;
  b.symbol = symbol;
  b.kids = static_cast<uint32_t>(kids_.size());
  b.kid_count = static_cast<uint32_t>(stack_.size() - mark);
  bool first = true;
  for (size_t i = mark; i < stack_.size(); ++i) {
    const Building& kid = nodes_[stack_[i]];
    kids_.push_back(stack_[i]);
    if (first) {
      b.start = kid.start;
      b.start_point = kid.start_point;
      b.end = kid.end;
      b.end_point = kid.end_point;
      first = false;
    } else if (kid.end >= b.end) {
      b.end = kid.end;
      b.end_point = kid.end_point;
    }
  }
  stack_.resize(mark);
  if (first) {
    // No children: zero width at the current token.
    b.start = b.end = Cur().start;
    b.start_point = b.end_point = Cur().start_point;
  }
  nodes_.push_back(b);
  return static_cast<NodeId>(nodes_.size() - 1);
}

void Parser::AttachExtrasBefore(const Token& t) {
  while (next_extra_ < t.extras_before && next_extra_ < extras_.size()) {
    const Extra& e = extras_[next_extra_++];
    Building b;
    b.start = e.start;
    b.end = e.end;
    b.start_point = e.start_point;
    b.end_point = e.end_point;
    b.symbol = e.comment ? g_.comment : g_.line_continuation;
    b.extra = true;
    nodes_.push_back(b);
    stack_.push_back(static_cast<NodeId>(nodes_.size() - 1));
  }
}

// tree-sitter's width of the indentation before `pos` on its line (a tab counts 8).
uint32_t Parser::IndentOf(uint32_t pos, TSPoint point) const {
  uint32_t indent = 0;
  for (uint32_t i = pos - point.column; i < pos; ++i) {
    const char c = s_[i];
    if (c == ' ') {
      ++indent;
    } else if (c == '\t') {
      indent += 8;
    } else if (c == '\f' || c == '\r') {
      indent = 0;
    } else {
      return UINT32_MAX;  // not at the start of its line
    }
  }
  return indent;
}

// At the DEDENT that closes a block: the comment lines before it that are indented at least as
// deep as the block belong to it (tree-sitter's scanner waits for them before dedenting).
void Parser::AttachBlockTrailingExtras(uint32_t block_indent) {
  const Token& t = Cur();
  while (next_extra_ < t.extras_before && next_extra_ < extras_.size()) {
    const Extra& e = extras_[next_extra_];
    const uint32_t indent = IndentOf(e.start, e.start_point);
    if (indent != UINT32_MAX && indent < block_indent) break;
    Token as_token;
    as_token.extras_before = next_extra_ + 1;
    AttachExtrasBefore(as_token);
  }
}

bool Parser::StartsExpression() const {
  const Token& t = Cur();
  switch (t.kind) {
    case TokenKind::kName:
      return t.op == op::kNoOp || t.op >= op::kFirstSoftKeyword || t.op == op::kTrue ||
             t.op == op::kFalse || t.op == op::kNone || t.op == op::kNot ||
             t.op == op::kLambda || t.op == op::kAwait;
    case TokenKind::kInteger:
    case TokenKind::kFloat:
    case TokenKind::kStringStart:
      return true;
    case TokenKind::kOp:
      return t.op == op::kLParen || t.op == op::kLBracket || t.op == op::kLBrace ||
             t.op == op::kMinus || t.op == op::kPlus || t.op == op::kTilde ||
             t.op == op::kEllipsis || t.op == op::kStar;
    default:
      return false;
  }
}

TreeHandle Parser::Run() {
  if (!internal::Tokenize(s_, tokens_, extras_, &declined_)) return nullptr;
  nodes_.reserve(tokens_.size() * 2 + extras_.size() + 1);
  kids_.reserve(tokens_.size() * 2 + extras_.size());
  while (Cur().kind != TokenKind::kEnd && !failed_) {
    AttachExtrasBefore(Cur());
    Statement();
  }
  if (failed_) return nullptr;
  AttachExtrasBefore(Cur());
  const NodeId root = Make(g_.module, 0);
  // The module runs from its first child (comments included) to the end of the file.
  Building& m = nodes_[root];
  if (m.kid_count == 0) {
    m.start = static_cast<uint32_t>(s_.size());
    m.start_point = Cur().end_point;
  }
  m.end = static_cast<uint32_t>(s_.size());
  m.end_point = Cur().end_point;
  return Finish(root);
}

// The built tree in document order, as SyntaxTree holds it.
TreeHandle Parser::Finish(NodeId root) {
  std::vector<SyntaxTree::NodeData> out;
  out.reserve(nodes_.size());
  struct Frame {
    NodeId id;
    uint32_t out_index;
    uint32_t next_kid;
  };
  std::vector<Frame> frames;
  auto emit = [&](NodeId id, uint32_t parent) {
    const Building& b = nodes_[id];
    SyntaxTree::NodeData d;
    d.start_byte = b.start;
    d.end_byte = b.end;
    d.start = b.start_point;
    d.end = b.end_point;
    d.parent = parent;
    d.child_count = b.kid_count;
    d.symbol = b.symbol;
    d.field = parent == SyntaxTree::kNone ? 0 : b.field;
    const bool named = b.symbol < g_.named.size() && g_.named[b.symbol];
    d.flags = (named ? SyntaxTree::kNamed : 0) | (b.extra ? SyntaxTree::kExtra : 0);
    if (parent != SyntaxTree::kNone && named) ++out[parent].named_child_count;
    out.push_back(d);
    frames.push_back({id, static_cast<uint32_t>(out.size() - 1), 0});
  };
  emit(root, SyntaxTree::kNone);
  while (!frames.empty()) {
    Frame& f = frames.back();
    const Building& b = nodes_[f.id];
    if (f.next_kid < b.kid_count) {
      const NodeId kid = kids_[b.kids + f.next_kid++];
      emit(kid, f.out_index);
      continue;
    }
    out[f.out_index].size = static_cast<uint32_t>(out.size()) - f.out_index;
    frames.pop_back();
  }
  return std::make_unique<const SyntaxTree>(g_.language, std::move(out));
}

// ---------------------------------------------------------------------------------------------
// Statements.

void Parser::Statement() {
  Nest nest(*this);
  if (failed_) return Fail();
  const Token& t = Cur();
  soft_keyword_statement_ = t.kind == TokenKind::kName && t.op >= op::kFirstSoftKeyword &&
                            t.op != op::kNoOp;
  if (t.kind == TokenKind::kOp && t.op == op::kAt) return Push(DecoratedDefinition());
  if (t.kind == TokenKind::kName) {
    switch (t.op) {
      case op::kIf:
        return Push(IfStatement());
      case op::kWhile:
        return Push(WhileStatement());
      case op::kFor:
        return Push(ForStatement());
      case op::kTry:
        return Push(TryStatement());
      case op::kWith:
        return Push(WithStatement());
      case op::kDef:
        return Push(FunctionDefinition());
      case op::kClass:
        return Push(ClassDefinition());
      case op::kAsync: {
        const Token& next = Peek(1);
        if (next.kind == TokenKind::kName && next.op == op::kDef) {
          return Push(FunctionDefinition());
        }
        if (next.kind == TokenKind::kName && next.op == op::kFor) return Push(ForStatement());
        if (next.kind == TokenKind::kName && next.op == op::kWith) return Push(WithStatement());
        return Fail("`async` before something other than def, for or with");
      }
      case op::kMatch: {
        // A match statement (its line ends in `:`) is left to tree-sitter.
        for (size_t i = pos_ + 1; i < tokens_.size(); ++i) {
          const Token& u = tokens_[i];
          if (u.kind == TokenKind::kNewline || u.kind == TokenKind::kEnd) {
            const Token& last = tokens_[i - 1];
            if (last.kind == TokenKind::kOp && last.op == op::kColon) {
              return Fail("a match statement");
            }
            break;
          }
        }
        break;
      }
      default:
        break;
    }
  }
  SimpleStatements();
}

void Parser::SimpleStatements() {
  while (!failed_) {
    SimpleStatement();
    if (IsOp(op::kSemicolon)) {
      Push(TakeOp());
      if (Cur().kind == TokenKind::kNewline) break;
      continue;
    }
    break;
  }
  if (Cur().kind != TokenKind::kNewline) return Fail();
  // A comment after the statement, on its line, stays with the statements (and ends the
  // block that holds them).
  AttachExtrasBefore(Cur());
  ++pos_;
}

void Parser::SimpleStatement() {
  const Token& t = Cur();
  if (t.kind == TokenKind::kName) {
    switch (t.op) {
      case op::kImport:
        return ImportStatement();
      case op::kFrom:
        return FromImport();
      case op::kAssert: {
        const size_t mark = stack_.size();
        Push(TakeOp());
        Push(Expression());
        while (IsOp(op::kComma)) {
          Push(TakeOp());
          Push(Expression());
        }
        return Push(Make(g_.assert_statement, mark));
      }
      case op::kReturn:
        return Push(KeywordStatement(g_.return_statement, true));
      case op::kDel:
        return Push(KeywordStatement(g_.delete_statement, true));
      case op::kRaise:
        return Push(RaiseStatement());
      case op::kPass:
        return Push(KeywordStatement(g_.pass_statement, false));
      case op::kBreak:
        return Push(KeywordStatement(g_.break_statement, false));
      case op::kContinue:
        return Push(KeywordStatement(g_.continue_statement, false));
      case op::kGlobal:
        return Push(NameListStatement(g_.global_statement));
      case op::kNonlocal:
        return Push(NameListStatement(g_.nonlocal_statement));
      case op::kPrint:
        // Python 2's print statement is left to tree-sitter (print_statement).
        if (!(Peek(1).kind == TokenKind::kOp && Peek(1).op == op::kLParen)) {
          return Fail("a Python 2 print statement");
        }
        break;
      case op::kExec: {
        const Token& next = Peek(1);
        if (next.kind == TokenKind::kStringStart || next.kind == TokenKind::kName) {
          return Fail("a Python 2 exec statement");
        }
        break;
      }
      case op::kType: {
        // tree-sitter reads a statement that starts with `type` and assigns as a
        // type_alias_statement (even `type(x).y = z`): left to it. `type = 1`, `type: T` and
        // `type(x).f()` are ordinary statements.
        const Token& next = Peek(1);
        if (next.kind == TokenKind::kOp &&
            (next.op == op::kAssign || next.op == op::kComma || next.op == op::kColon ||
             (next.op >= op::kPlusEq && next.op <= op::kAtEq))) {
          break;
        }
        int depth = 0;
        for (size_t i = pos_ + 1; i < tokens_.size(); ++i) {
          const Token& u = tokens_[i];
          if (u.kind == TokenKind::kNewline || u.kind == TokenKind::kEnd) break;
          if (u.kind != TokenKind::kOp) continue;
          if (u.op == op::kLParen || u.op == op::kLBracket || u.op == op::kLBrace) ++depth;
          if (u.op == op::kRParen || u.op == op::kRBracket || u.op == op::kRBrace) --depth;
          if (depth == 0 && u.op == op::kAssign) {
            return Fail("a statement that starts with `type` and assigns (a type alias to "
                        "tree-sitter)");
          }
        }
        break;
      }
      default:
        break;
    }
  }
  ExpressionStatement();
}

Parser::NodeId Parser::KeywordStatement(TSSymbol symbol, bool expressions) {
  const size_t mark = stack_.size();
  Push(TakeOp());
  if (expressions && StartsExpression()) Push(Expressions());
  return Make(symbol, mark);
}

Parser::NodeId Parser::RaiseStatement() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  if (StartsExpression()) Push(Expressions());
  if (IsKeyword(op::kFrom)) {
    Push(TakeOp());
    Push(Expression(), g_.f_cause);
  }
  return Make(g_.raise_statement, mark);
}

Parser::NodeId Parser::NameListStatement(TSSymbol symbol) {
  const size_t mark = stack_.size();
  Push(TakeOp());
  while (!failed_) {
    if (!IsName()) {
      Fail();
      break;
    }
    Push(TakeLeaf(g_.identifier));
    if (!IsOp(op::kComma)) break;
    Push(TakeOp());
  }
  return Make(symbol, mark);
}

void Parser::ExpressionStatement() {
  const size_t mark = stack_.size();
  if (IsKeyword(op::kYield)) {
    Push(Yield());
    return Push(Make(g_.expression_statement, mark));
  }
  const NodeId first = StarOrExpression();
  if (failed_) return;
  if (IsOp(op::kComma)) {
    Push(first);
    while (IsOp(op::kComma)) {
      Push(TakeOp());
      if (!StartsExpression()) break;
      Push(StarOrExpression());
    }
    if (IsOp(op::kAssign) || AtAugmentedAssign()) {
      // `a, b = ...`: the elements become a pattern_list.
      for (size_t i = mark; i < stack_.size(); ++i) {
        if (nodes_[stack_[i]].symbol != g_.ops[op::kComma]) stack_[i] = Patternize(stack_[i]);
      }
      if (failed_ || AtAugmentedAssign()) return Fail("an augmented assignment to several targets");
      const NodeId targets = Make(g_.pattern_list, mark);
      Push(Assignment(stack_.size(), targets));
    }
    return Push(Make(g_.expression_statement, mark));
  }
  if (IsOp(op::kAssign) || AtAugmentedAssign() || IsOp(op::kColon)) {
    Push(Assignment(stack_.size(), first));
  } else {
    Push(first);
  }
  Push(Make(g_.expression_statement, mark));
}

// After the target(s) `left` (an expression not yet a pattern): `= rhs`, `op= rhs` or
// `: type [= rhs]`.
Parser::NodeId Parser::Assignment(size_t mark, NodeId left) {
  Nest nest(*this);
  if (failed_) {
    Fail();
    return kNoNode;
  }
  if (AtAugmentedAssign()) {
    Push(left, g_.f_left);
    Push(TakeOp(), g_.f_operator);
    Push(RightHandSide(), g_.f_right);
    return Make(g_.augmented_assignment, mark);
  }
  const TSSymbol s = nodes_[left].symbol;
  Push(s == g_.pattern_list ? left : Patternize(left), g_.f_left);
  if (IsOp(op::kColon)) {
    Push(TakeOp());
    Push(Type(), g_.f_type);
    if (!IsOp(op::kAssign)) return Make(g_.assignment, mark);
  }
  Push(TakeOp());  // =
  Push(RightHandSide(), g_.f_right);
  return Make(g_.assignment, mark);
}

Parser::NodeId Parser::RightHandSide() {
  if (IsKeyword(op::kYield)) return Yield();
  const size_t mark = stack_.size();
  const NodeId first = StarOrExpression();
  if (failed_) return kNoNode;
  if (!IsOp(op::kComma)) {
    if (IsOp(op::kAssign) || AtAugmentedAssign()) return Assignment(mark, first);
    return first;
  }
  Push(first);
  while (IsOp(op::kComma)) {
    Push(TakeOp());
    if (!StartsExpression()) break;
    Push(StarOrExpression());
  }
  if (IsOp(op::kAssign)) {
    for (size_t i = mark; i < stack_.size(); ++i) {
      if (nodes_[stack_[i]].symbol != g_.ops[op::kComma]) stack_[i] = Patternize(stack_[i]);
    }
    const NodeId targets = Make(g_.pattern_list, mark);
    return Assignment(stack_.size(), targets);
  }
  return Make(g_.expression_list, mark);
}

// An expression read as an assignment target: tuples and lists become tuple_pattern and
// list_pattern, `*x` list_splat_pattern. Anything a pattern cannot be is left to tree-sitter.
Parser::NodeId Parser::Patternize(NodeId node) {
  if (node == kNoNode) return node;
  Building& b = nodes_[node];
  const TSSymbol s = b.symbol;
  if (s == g_.identifier || s == g_.attribute || s == g_.subscript) return node;
  if (s == g_.list_splat) {
    b.symbol = g_.list_splat_pattern;
    const TSSymbol is = b.kid_count == 2 ? nodes_[kids_[b.kids + 1]].symbol : 0;
    if (is != g_.identifier && is != g_.attribute && is != g_.subscript) {
      Fail("a starred target other than a name, attribute or subscript");
    }
    return node;
  }
  if (s == g_.tuple || s == g_.list) {
    b.symbol = s == g_.tuple ? g_.tuple_pattern : g_.list_pattern;
    for (uint32_t i = 0; i < b.kid_count; ++i) {
      const NodeId kid = kids_[b.kids + i];
      const Building& k = nodes_[kid];
      if (k.extra || !g_.named[k.symbol]) continue;
      kids_[b.kids + i] = Patternize(kid);
    }
    return node;
  }
  Fail("an assignment target that is not a pattern");
  return node;
}

// A suite after `:`: an indented block, or simple statements on the same line (a block too).
Parser::NodeId Parser::Suite() {
  if (Cur().kind != TokenKind::kNewline) {
    const size_t mark = stack_.size();
    SimpleStatements();
    return Make(g_.block, mark);
  }
  ++pos_;
  if (Cur().kind != TokenKind::kIndent) {
    Fail();
    return kNoNode;
  }
  ++pos_;
  // Comments between the `:` and the first statement belong to the compound statement.
  AttachExtrasBefore(Cur());
  return Block();
}

Parser::NodeId Parser::Block() {
  const size_t mark = stack_.size();
  const uint32_t indent = IndentOf(Cur().start, Cur().start_point);
  bool first = true;
  while (!failed_ && Cur().kind != TokenKind::kDedent) {
    if (Cur().kind == TokenKind::kEnd) {
      Fail();
      break;
    }
    if (!first) AttachExtrasBefore(Cur());
    first = false;
    Statement();
  }
  if (failed_) return kNoNode;
  AttachBlockTrailingExtras(indent);
  ++pos_;  // DEDENT
  return Make(g_.block, mark);
}

Parser::NodeId Parser::DottedName() {
  const size_t mark = stack_.size();
  while (!failed_) {
    if (!IsName()) {
      Fail();
      break;
    }
    Push(TakeLeaf(g_.identifier));
    if (!IsOp(op::kDot)) break;
    Push(TakeOp());
  }
  return Make(g_.dotted_name, mark);
}

// dotted_name or aliased_import, comma-separated, each with field `name`.
void Parser::ImportList() {
  while (!failed_) {
    const size_t mark = stack_.size();
    const NodeId name = DottedName();
    if (IsKeyword(op::kAs)) {
      Push(name, g_.f_name);
      Push(TakeOp());
      if (!IsName()) return Fail();
      Push(TakeLeaf(g_.identifier), g_.f_alias);
      Push(Make(g_.aliased_import, mark), g_.f_name);
    } else {
      Push(name, g_.f_name);
    }
    if (!IsOp(op::kComma)) break;
    Push(TakeOp());
    if (IsOp(op::kRParen)) break;
  }
}

void Parser::ImportStatement() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  ImportList();
  Push(Make(g_.import_statement, mark));
}

void Parser::FromImport() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  TSSymbol symbol = g_.import_from_statement;
  if (IsKeyword(op::kFuture) && Peek(1).kind == TokenKind::kName && Peek(1).op == op::kImport) {
    symbol = g_.future_import_statement;
    Push(TakeOp());
  } else if (IsOp(op::kDot) || IsOp(op::kEllipsis)) {
    const size_t relative = stack_.size();
    const size_t prefix = stack_.size();
    while (IsOp(op::kDot) || IsOp(op::kEllipsis)) {
      if (IsOp(op::kDot)) {
        Push(TakeOp());
        continue;
      }
      // `...` is three dots here.
      const Token& t = Cur();
      for (uint32_t i = 0; i < 3; ++i) {
        Token dot = t;
        dot.start = t.start + i;
        dot.end = t.start + i + 1;
        dot.start_point.column = t.start_point.column + i;
        dot.end_point.column = t.start_point.column + i + 1;
        Push(Leaf(dot, g_.ops[op::kDot]));
      }
      ++pos_;
    }
    Push(Make(g_.import_prefix, prefix));
    if (IsName() && !IsKeyword(op::kImport)) Push(DottedName());
    Push(Make(g_.relative_import, relative), g_.f_module_name);
  } else {
    Push(DottedName(), g_.f_module_name);
  }
  if (!IsKeyword(op::kImport)) return Fail();
  Push(TakeOp());
  if (IsOp(op::kStar) && symbol == g_.import_from_statement) {
    const size_t star = stack_.size();
    Push(TakeOp());
    Push(Make(g_.wildcard_import, star));
  } else if (IsOp(op::kLParen)) {
    Push(TakeOp());
    ImportList();
    PushOp(op::kRParen);
  } else {
    ImportList();
  }
  Push(Make(symbol, mark));
}

Parser::NodeId Parser::IfStatement() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  Push(Expression(), g_.f_condition);
  PushOp(op::kColon);
  Push(Suite(), g_.f_consequence);
  while (!failed_) {
    const Token& t = Cur();
    if (t.kind != TokenKind::kName || (t.op != op::kElif && t.op != op::kElse)) break;
    AttachExtrasBefore(t);
    if (t.op == op::kElse) {
      Push(ElseClause(), g_.f_alternative);
      break;
    }
    const size_t clause = stack_.size();
    Push(TakeOp());
    Push(Expression(), g_.f_condition);
    PushOp(op::kColon);
    Push(Suite(), g_.f_consequence);
    Push(Make(g_.elif_clause, clause), g_.f_alternative);
  }
  return Make(g_.if_statement, mark);
}

Parser::NodeId Parser::ElseClause() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  PushOp(op::kColon);
  Push(Suite(), g_.f_body);
  return Make(g_.else_clause, mark);
}

Parser::NodeId Parser::WhileStatement() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  Push(Expression(), g_.f_condition);
  PushOp(op::kColon);
  Push(Suite(), g_.f_body);
  if (IsKeyword(op::kElse)) {
    AttachExtrasBefore(Cur());
    Push(ElseClause(), g_.f_alternative);
  }
  return Make(g_.while_statement, mark);
}

Parser::NodeId Parser::ForStatement() {
  const size_t mark = stack_.size();
  if (IsKeyword(op::kAsync)) Push(TakeOp());
  PushOp(op::kFor);
  Push(Targets(), g_.f_left);
  PushOp(op::kIn);
  Push(Expressions(), g_.f_right);
  PushOp(op::kColon);
  Push(Suite(), g_.f_body);
  if (IsKeyword(op::kElse)) {
    AttachExtrasBefore(Cur());
    Push(ElseClause(), g_.f_alternative);
  }
  return Make(g_.for_statement, mark);
}

Parser::NodeId Parser::TryStatement() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  PushOp(op::kColon);
  Push(Suite(), g_.f_body);
  while (!failed_ && IsKeyword(op::kExcept)) {
    AttachExtrasBefore(Cur());
    const size_t clause = stack_.size();
    Push(TakeOp());
    if (IsOp(op::kStar)) {
      Fail("except*");
      break;
    }
    if (!IsOp(op::kColon)) {
      const size_t value = stack_.size();
      const NodeId e = Expression();
      if (IsKeyword(op::kAs)) {
        Push(e);
        Push(TakeOp());
        const size_t target = stack_.size();
        Push(Expression());
        Push(Make(g_.as_pattern_target, target), g_.f_alias);
        Push(Make(g_.as_pattern, value), g_.f_value);
      } else if (IsOp(op::kComma)) {
        Fail("Python 2's `except E, e`");
      } else {
        Push(e, g_.f_value);
      }
    }
    PushOp(op::kColon);
    Push(Suite());
    Push(Make(g_.except_clause, clause));
  }
  if (!failed_ && IsKeyword(op::kElse)) {
    AttachExtrasBefore(Cur());
    Push(ElseClause());
  }
  if (!failed_ && IsKeyword(op::kFinally)) {
    AttachExtrasBefore(Cur());
    const size_t clause = stack_.size();
    Push(TakeOp());
    PushOp(op::kColon);
    Push(Suite());
    Push(Make(g_.finally_clause, clause));
  }
  return Make(g_.try_statement, mark);
}

// `e as target`: as_pattern(e, "as", alias: as_pattern_target(target)), where `as` binds
// tighter than a conditional expression, so `a if b else c as d` gives `c as d` the as_pattern.
Parser::NodeId Parser::AttachAs(NodeId e, NodeId as, NodeId target) {
  const Building b = nodes_[e];
  const size_t mark = stack_.size();
  if (b.symbol == g_.conditional_expression && b.kid_count == 5) {
    for (uint32_t i = 0; i < 4; ++i) Push(kids_[b.kids + i]);
    Push(AttachAs(kids_[b.kids + 4], as, target));
    return Make(g_.conditional_expression, mark);
  }
  Push(e);
  Push(as);
  const size_t alias = stack_.size();
  Push(target);
  Push(Make(g_.as_pattern_target, alias), g_.f_alias);
  return Make(g_.as_pattern, mark);
}

Parser::NodeId Parser::WithItem() {
  const size_t mark = stack_.size();
  NodeId e = Expression();
  if (!failed_ && IsKeyword(op::kAs)) {
    const NodeId as = TakeOp();
    const NodeId target = Expression();
    if (failed_) return kNoNode;
    e = AttachAs(e, as, target);
  }
  Push(e, g_.f_value);
  return Make(g_.with_item, mark);
}

Parser::NodeId Parser::WithStatement() {
  const size_t mark = stack_.size();
  if (IsKeyword(op::kAsync)) Push(TakeOp());
  PushOp(op::kWith);
  const size_t clause = stack_.size();
  // `with (a, b):` and `with (a as b, c):` are a parenthesized with_clause: the `(` matches a
  // `)` right before the `:`.
  bool parenthesized = false;
  if (IsOp(op::kLParen) && !(Peek(1).kind == TokenKind::kName && Peek(1).op == op::kYield)) {
    int depth = 0;
    for (size_t i = pos_; i < tokens_.size(); ++i) {
      const Token& t = tokens_[i];
      if (t.kind == TokenKind::kEnd || t.kind == TokenKind::kNewline) break;
      if (t.kind != TokenKind::kOp) continue;
      if (t.op == op::kLParen || t.op == op::kLBracket || t.op == op::kLBrace) ++depth;
      if (t.op == op::kRParen || t.op == op::kRBracket || t.op == op::kRBrace) {
        if (--depth == 0) {
          const Token& next = tokens_[i + 1];
          parenthesized = next.kind == TokenKind::kOp && next.op == op::kColon;
          break;
        }
      }
    }
  }
  if (parenthesized) Push(TakeOp());
  while (!failed_) {
    Push(WithItem());
    if (!IsOp(op::kComma)) break;
    Push(TakeOp());
    if (parenthesized && IsOp(op::kRParen)) break;
  }
  if (parenthesized) PushOp(op::kRParen);
  Push(Make(g_.with_clause, clause));
  PushOp(op::kColon);
  Push(Suite(), g_.f_body);
  return Make(g_.with_statement, mark);
}

Parser::NodeId Parser::FunctionDefinition() {
  const size_t mark = stack_.size();
  if (IsKeyword(op::kAsync)) Push(TakeOp());
  PushOp(op::kDef);
  if (!IsName()) {
    Fail();
    return kNoNode;
  }
  Push(TakeLeaf(g_.identifier), g_.f_name);
  if (!IsOp(op::kLParen)) {
    Fail("type parameters or a def without parameters");
    return kNoNode;
  }
  Push(Parameters(false), g_.f_parameters);
  if (IsOp(op::kArrow)) {
    Push(TakeOp());
    Push(Type(), g_.f_return_type);
  }
  PushOp(op::kColon);
  Push(Suite(), g_.f_body);
  return Make(g_.function_definition, mark);
}

// `(parameters)` of a def, or the parameters of a lambda up to its `:` (lambda_parameters).
Parser::NodeId Parser::Parameters(bool lambda) {
  const size_t mark = stack_.size();
  if (!lambda) PushOp(op::kLParen);
  const uint16_t close = lambda ? op::kColon : op::kRParen;
  while (!failed_ && !IsOp(close)) {
    Push(Parameter(lambda));
    if (!IsOp(op::kComma)) break;
    Push(TakeOp());
  }
  if (!lambda) PushOp(op::kRParen);
  return Make(lambda ? g_.lambda_parameters : g_.parameters, mark);
}

Parser::NodeId Parser::Parameter(bool lambda) {
  const size_t mark = stack_.size();
  if (IsOp(op::kSlash)) {
    Push(TakeOp());
    return Make(g_.positional_separator, mark);
  }
  NodeId head = kNoNode;
  if (IsOp(op::kStar) || IsOp(op::kPower)) {
    const bool star = IsOp(op::kStar);
    Push(TakeOp());
    if (star && (IsOp(op::kComma) || IsOp(lambda ? op::kColon : op::kRParen))) {
      return Make(g_.keyword_separator, mark);
    }
    if (!IsName()) {
      Fail();
      return kNoNode;
    }
    Push(TakeLeaf(g_.identifier));
    head = Make(star ? g_.list_splat_pattern : g_.dictionary_splat_pattern, mark);
    if (lambda || !IsOp(op::kColon)) return head;
    Push(head);
    Push(TakeOp());
    Push(Type(), g_.f_type);
    return Make(g_.typed_parameter, mark);
  }
  if (!IsName()) {
    Fail("a parameter that is not a name (Python 2 tuple parameters)");
    return kNoNode;
  }
  const NodeId name = TakeLeaf(g_.identifier);
  if (!lambda && IsOp(op::kColon)) {
    Push(name);
    Push(TakeOp());
    Push(Type(), g_.f_type);
    if (!IsOp(op::kAssign)) return Make(g_.typed_parameter, mark);
    nodes_[name].field = g_.f_name;
    Push(TakeOp());
    Push(Expression(), g_.f_value);
    return Make(g_.typed_default_parameter, mark);
  }
  if (IsOp(op::kAssign)) {
    Push(name, g_.f_name);
    Push(TakeOp());
    Push(Expression(), g_.f_value);
    return Make(g_.default_parameter, mark);
  }
  return name;
}

Parser::NodeId Parser::ClassDefinition() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  if (!IsName()) {
    Fail();
    return kNoNode;
  }
  Push(TakeLeaf(g_.identifier), g_.f_name);
  if (IsOp(op::kLBracket)) {
    Fail("type parameters");
    return kNoNode;
  }
  if (IsOp(op::kLParen)) Push(ArgumentList(), g_.f_superclasses);
  PushOp(op::kColon);
  Push(Suite(), g_.f_body);
  return Make(g_.class_definition, mark);
}

Parser::NodeId Parser::DecoratedDefinition() {
  const size_t mark = stack_.size();
  while (!failed_ && IsOp(op::kAt)) {
    AttachExtrasBefore(Cur());
    const size_t decorator = stack_.size();
    Push(TakeOp());
    Push(Expression());
    if (Cur().kind != TokenKind::kNewline) {
      Fail();
      break;
    }
    AttachExtrasBefore(Cur());
    ++pos_;
    Push(Make(g_.decorator, decorator));
  }
  if (failed_) return kNoNode;
  AttachExtrasBefore(Cur());
  if (IsKeyword(op::kClass)) {
    Push(ClassDefinition(), g_.f_definition);
  } else if (IsKeyword(op::kDef) ||
             (IsKeyword(op::kAsync) && Peek(1).kind == TokenKind::kName &&
              Peek(1).op == op::kDef)) {
    Push(FunctionDefinition(), g_.f_definition);
  } else {
    Fail();
    return kNoNode;
  }
  return Make(g_.decorated_definition, mark);
}

// A type annotation: `type` over the expression, where `Name[...]` is a generic_type and a
// `|` with one on either side a union_type, as tree-sitter reads them.
Parser::NodeId Parser::Type() {
  const NodeId e = Expression();
  if (failed_) return kNoNode;
  bool type_only = false;
  return WrapType(TypeInner(e, type_only));
}

bool Parser::IsGeneric(NodeId e) const {
  const Building& b = nodes_[e];
  return b.symbol == g_.subscript && nodes_[kids_[b.kids]].symbol == g_.identifier;
}

Parser::NodeId Parser::WrapType(NodeId inner) {
  const size_t mark = stack_.size();
  Push(inner);
  return Make(g_.type, mark);
}

// `Name[a, b]` as generic_type(identifier, type_parameter("[", type, ",", type, "]")), each
// element read as a type of its own.
Parser::NodeId Parser::Generic(NodeId e) {
  const Building b = nodes_[e];
  const size_t mark = stack_.size();
  Push(kids_[b.kids]);
  const size_t parameter = stack_.size();
  for (uint32_t i = 1; i < b.kid_count; ++i) {
    const NodeId kid = kids_[b.kids + i];
    const Building& k = nodes_[kid];
    if (k.extra || !g_.named[k.symbol]) {
      Push(kid);
      continue;
    }
    if (k.symbol == g_.slice) {
      Fail("a slice in a type");
      return e;
    }
    bool type_only = false;
    Push(WrapType(TypeInner(kid, type_only)));
  }
  Push(Make(g_.type_parameter, parameter));
  return Make(g_.generic_type, mark);
}

// What tree-sitter makes of an annotation read as the expression `e`. Reading left to right,
// `Name[...]` at the start is a generic_type, and a `|` after a type is a union_type whose right
// side is again a type: a generic_type when it is `Name[...]` (and the union continues, left-
// associative), else the rest of the `|` chain as an ordinary binary_operator. When the first
// operand is no generic the whole annotation stays an expression (`int | None`).
Parser::NodeId Parser::TypeInner(NodeId e, bool& type_only) {
  type_only = false;
  std::vector<NodeId> operands, pipes;
  NodeId n = e;
  while (true) {
    const Building& b = nodes_[n];
    if (b.symbol != g_.binary_operator || b.kid_count != 3 ||
        nodes_[kids_[b.kids + 1]].symbol != g_.ops[op::kPipe]) {
      break;
    }
    operands.push_back(kids_[b.kids + 2]);
    pipes.push_back(kids_[b.kids + 1]);
    n = kids_[b.kids];
  }
  operands.push_back(n);
  std::reverse(operands.begin(), operands.end());
  std::reverse(pipes.begin(), pipes.end());
  if (!IsGeneric(operands[0])) return e;
  NodeId acc = Generic(operands[0]);
  size_t i = 1;
  while (!failed_ && i < operands.size()) {
    const NodeId pipe = pipes[i - 1];
    NodeId right;
    if (IsGeneric(operands[i])) {
      right = Generic(operands[i]);
      ++i;
    } else {
      right = operands[i];
      for (++i; i < operands.size(); ++i) {
        const size_t mark = stack_.size();
        Push(right, g_.f_left);
        Push(pipes[i - 1], g_.f_operator);
        Push(operands[i], g_.f_right);
        right = Make(g_.binary_operator, mark);
      }
    }
    const size_t mark = stack_.size();
    Push(WrapType(acc));
    Push(pipe);
    Push(WrapType(right));
    acc = Make(g_.union_type, mark);
  }
  type_only = true;
  return acc;
}

// ---------------------------------------------------------------------------------------------
// Expressions.

// `expression`: lambda, conditional, named expression, and everything below.
Parser::NodeId Parser::Expression() {
  Nest nest(*this);
  if (failed_) {
    Fail();
    return kNoNode;
  }
  if (IsKeyword(op::kLambda)) return Lambda();
  if (IsName() && Peek(1).kind == TokenKind::kOp && Peek(1).op == op::kWalrus) {
    const size_t mark = stack_.size();
    Push(TakeLeaf(g_.identifier), g_.f_name);
    Push(TakeOp());
    Push(Expression(), g_.f_value);
    return Make(g_.named_expression, mark);
  }
  const NodeId test = OrTest();
  if (!IsKeyword(op::kIf) || failed_) return test;
  const size_t mark = stack_.size();
  Push(test);
  Push(TakeOp());
  Push(OrTest());
  PushOp(op::kElse);
  Push(Expression());
  return Make(g_.conditional_expression, mark);
}

Parser::NodeId Parser::Lambda() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  if (!IsOp(op::kColon)) Push(Parameters(true), g_.f_parameters);
  PushOp(op::kColon);
  Push(Expression(), g_.f_body);
  return Make(g_.lambda, mark);
}

Parser::NodeId Parser::OrTest() {
  NodeId left = AndTest();
  while (!failed_ && IsKeyword(op::kOr)) {
    const size_t mark = stack_.size();
    Push(left, g_.f_left);
    Push(TakeOp(), g_.f_operator);
    Push(AndTest(), g_.f_right);
    left = Make(g_.boolean_operator, mark);
  }
  return left;
}

Parser::NodeId Parser::AndTest() {
  NodeId left = NotTest();
  while (!failed_ && IsKeyword(op::kAnd)) {
    const size_t mark = stack_.size();
    Push(left, g_.f_left);
    Push(TakeOp(), g_.f_operator);
    Push(NotTest(), g_.f_right);
    left = Make(g_.boolean_operator, mark);
  }
  return left;
}

Parser::NodeId Parser::NotTest() {
  if (!IsKeyword(op::kNot)) return Comparison();
  Nest nest(*this);
  const size_t mark = stack_.size();
  Push(TakeOp());
  Push(NotTest(), g_.f_argument);
  return Make(g_.not_operator, mark);
}

Parser::NodeId Parser::Comparison() {
  const NodeId first = Binary(0);
  if (failed_) return first;
  size_t mark = stack_.size();
  bool any = false;
  while (!failed_) {
    const Token& t = Cur();
    NodeId operator_node = kNoNode;
    if (t.kind == TokenKind::kOp &&
        (t.op == op::kLess || t.op == op::kGreater || t.op == op::kLessEq ||
         t.op == op::kGreaterEq || t.op == op::kEq || t.op == op::kNotEq)) {
      operator_node = TakeOp();
    } else if (t.kind == TokenKind::kName && t.op == op::kIn) {
      operator_node = TakeOp();
    } else if (t.kind == TokenKind::kName && t.op == op::kNot && Peek(1).kind == TokenKind::kName &&
               Peek(1).op == op::kIn) {
      const size_t pair = stack_.size();
      Push(TakeOp());
      Push(TakeOp());
      operator_node = Make(g_.not_in, pair);
    } else if (t.kind == TokenKind::kName && t.op == op::kIs) {
      if (Peek(1).kind == TokenKind::kName && Peek(1).op == op::kNot) {
        const size_t pair = stack_.size();
        Push(TakeOp());
        Push(TakeOp());
        operator_node = Make(g_.is_not, pair);
      } else {
        operator_node = TakeOp();
      }
    } else {
      break;
    }
    if (!any) {
      mark = stack_.size();
      Push(first);
      any = true;
    }
    Push(operator_node, g_.f_operators);
    Push(Binary(0));
  }
  if (!any) return first;
  return Make(g_.comparison_operator, mark);
}

// The grammar's precedence of a binary operator, 0 when the token is none.
int BinaryPrecedence(const Token& t) {
  if (t.kind != TokenKind::kOp) return 0;
  switch (t.op) {
    case op::kPipe:
      return 14;
    case op::kAmp:
      return 15;
    case op::kCaret:
      return 16;
    case op::kLShift:
    case op::kRShift:
      return 17;
    case op::kPlus:
    case op::kMinus:
      return 18;
    case op::kStar:
    case op::kAt:
    case op::kSlash:
    case op::kPercent:
    case op::kFloorDiv:
      return 19;
    case op::kPower:
      return 21;
    default:
      return 0;
  }
}

// Binary operators by precedence climbing; `**` is right-associative and binds tighter than
// unary operators and await on its left (tree-sitter reads `-a ** b` and `await a ** b` with
// the power inside).
Parser::NodeId Parser::Binary(int min_precedence) {
  Nest nest(*this);
  NodeId left = Unary();
  while (!failed_) {
    const int precedence = BinaryPrecedence(Cur());
    if (precedence == 0 || precedence < min_precedence) break;
    const bool right_assoc = Cur().op == op::kPower;
    const size_t mark = stack_.size();
    Push(left, g_.f_left);
    Push(TakeOp(), g_.f_operator);
    Push(Binary(right_assoc ? precedence : precedence + 1), g_.f_right);
    left = Make(g_.binary_operator, mark);
  }
  return left;
}

Parser::NodeId Parser::Unary() {
  const Token& t = Cur();
  const bool sign = t.kind == TokenKind::kOp &&
                    (t.op == op::kMinus || t.op == op::kPlus || t.op == op::kTilde);
  if (sign) {
    const size_t mark = stack_.size();
    Push(TakeOp(), g_.f_operator);
    Push(Binary(21), g_.f_argument);
    return Make(g_.unary_operator, mark);
  }
  if (t.kind == TokenKind::kName && t.op == op::kAwait) {
    const size_t mark = stack_.size();
    Push(TakeOp());
    Push(Binary(21));
    return Make(g_.await, mark);
  }
  return Primary();
}

Parser::NodeId Parser::Primary() {
  NodeId node = Atom();
  while (!failed_ && Cur().kind == TokenKind::kOp) {
    const uint16_t o = Cur().op;
    const size_t mark = stack_.size();
    if (o == op::kDot) {
      Push(node, g_.f_object);
      Push(TakeOp());
      if (!IsName()) {
        Fail();
        break;
      }
      Push(TakeLeaf(g_.identifier), g_.f_attribute);
      node = Make(g_.attribute, mark);
    } else if (o == op::kLParen) {
      Push(node, g_.f_function);
      Push(ArgumentList(), g_.f_arguments);
      node = Make(g_.call, mark);
    } else if (o == op::kLBracket) {
      Push(node, g_.f_value);
      Push(TakeOp());
      while (!failed_) {
        Push(SubscriptElement(), g_.f_subscript);
        if (!IsOp(op::kComma)) break;
        Push(TakeOp());
        if (IsOp(op::kRBracket)) break;
      }
      PushOp(op::kRBracket);
      node = Make(g_.subscript, mark);
    } else {
      break;
    }
  }
  return node;
}

Parser::NodeId Parser::SubscriptElement() {
  const size_t mark = stack_.size();
  if (!IsOp(op::kColon)) {
    const NodeId e = Expression();
    if (!IsOp(op::kColon)) return e;
    Push(e);
  }
  Push(TakeOp());
  if (!IsOp(op::kColon) && !IsOp(op::kComma) && !IsOp(op::kRBracket)) Push(Expression());
  if (IsOp(op::kColon)) {
    Push(TakeOp());
    if (!IsOp(op::kComma) && !IsOp(op::kRBracket)) Push(Expression());
  }
  return Make(g_.slice, mark);
}

Parser::NodeId Parser::Atom() {
  const Token& t = Cur();
  switch (t.kind) {
    case TokenKind::kName:
      if (t.op == op::kNoOp || t.op >= op::kFirstSoftKeyword) return TakeLeaf(g_.identifier);
      if (t.op == op::kTrue) return TakeLeaf(g_.true_);
      if (t.op == op::kFalse) return TakeLeaf(g_.false_);
      if (t.op == op::kNone) return TakeLeaf(g_.none);
      break;
    case TokenKind::kInteger:
      return TakeLeaf(g_.integer);
    case TokenKind::kFloat:
      return TakeLeaf(g_.float_);
    case TokenKind::kStringStart:
      return Strings();
    case TokenKind::kOp:
      switch (t.op) {
        case op::kLParen:
          return Parenthesized();
        case op::kLBracket:
          return Bracketed();
        case op::kLBrace:
          return Braced();
        case op::kEllipsis:
          return TakeLeaf(g_.ellipsis);
        default:
          break;
      }
      break;
    default:
      break;
  }
  Fail();
  return kNoNode;
}

// At `*`: whether a call follows a chain of names, attributes and subscripts (`*f(x)`,
// `*a.b()`). tree-sitter reads those either as a list_splat of the call or as a call of a
// list_splat, and which one it keeps depends on its merging of parse versions: left to it.
bool Parser::StarredCallAhead() const {
  size_t i = pos_ + 1;
  if (!IsNameToken(tokens_[i])) return false;
  ++i;
  while (i < tokens_.size() && tokens_[i].kind == TokenKind::kOp) {
    const uint16_t o = tokens_[i].op;
    if (o == op::kLParen) return true;
    if (o == op::kDot) {
      i += 2;
    } else if (o == op::kLBracket) {
      int depth = 0;
      for (; i < tokens_.size(); ++i) {
        const Token& t = tokens_[i];
        if (t.kind == TokenKind::kEnd) return false;
        if (t.kind != TokenKind::kOp) continue;
        if (t.op == op::kLBracket || t.op == op::kLParen || t.op == op::kLBrace) ++depth;
        if ((t.op == op::kRBracket || t.op == op::kRParen || t.op == op::kRBrace) &&
            --depth == 0) {
          break;
        }
      }
      ++i;
    } else {
      return false;
    }
  }
  return false;
}

// An expression, or `*expression` (list_splat) where a starred item may stand.
Parser::NodeId Parser::StarOrExpression() {
  if (!IsOp(op::kStar)) return Expression();
  if (StarredCallAhead()) {
    Fail("a starred call (`*f(x)`), which tree-sitter reads two ways");
    return kNoNode;
  }
  const size_t mark = stack_.size();
  Push(TakeOp());
  Push(Expression());
  return Make(g_.list_splat, mark);
}

// `_expressions`: an expression, or an expression_list when there is a comma.
Parser::NodeId Parser::Expressions() {
  const NodeId first = Expression();
  if (failed_ || !IsOp(op::kComma)) return first;
  const size_t mark = stack_.size();
  Push(first);
  while (IsOp(op::kComma)) {
    Push(TakeOp());
    if (!StartsExpression() || IsOp(op::kStar)) break;
    Push(Expression());
  }
  return Make(g_.expression_list, mark);
}

Parser::NodeId Parser::Yield() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  if (IsKeyword(op::kFrom)) {
    Push(TakeOp());
    Push(Expression());
  } else if (StartsExpression() && !IsOp(op::kStar)) {
    Push(Expressions());
  }
  return Make(g_.yield, mark);
}

// Targets of `for`: patterns down to the bitwise-or level (so `in` is not read as comparison),
// a pattern_list when there is a comma.
Parser::NodeId Parser::Targets() {
  const size_t mark = stack_.size();
  bool list = false;
  while (!failed_) {
    NodeId target;
    if (IsOp(op::kStar)) {
      if (StarredCallAhead()) {
        Fail("a starred call (`*f(x)`), which tree-sitter reads two ways");
        break;
      }
      const size_t star = stack_.size();
      Push(TakeOp());
      Push(Binary(0));
      target = Make(g_.list_splat, star);
    } else {
      target = Binary(0);
    }
    Push(Patternize(target));
    if (!IsOp(op::kComma)) break;
    list = true;
    Push(TakeOp());
    if (IsKeyword(op::kIn)) break;
  }
  if (failed_) return kNoNode;
  if (!list) {
    const NodeId single = stack_.back();
    stack_.pop_back();
    return single;
  }
  return Make(g_.pattern_list, mark);
}

Parser::NodeId Parser::ArgumentList() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  if (IsOp(op::kRParen)) {
    Push(TakeOp());
    return Make(g_.argument_list, mark);
  }
  const NodeId first = Argument();
  if (!failed_ && (IsKeyword(op::kFor) || IsKeyword(op::kAsync))) {
    // f(x for x in y): the parentheses are the generator expression's.
    Push(first, g_.f_body);
    ComprehensionClauses();
    PushOp(op::kRParen);
    return Make(g_.generator_expression, mark);
  }
  Push(first);
  while (!failed_ && IsOp(op::kComma)) {
    Push(TakeOp());
    if (IsOp(op::kRParen)) break;
    Push(Argument());
  }
  PushOp(op::kRParen);
  return Make(g_.argument_list, mark);
}

Parser::NodeId Parser::Argument() {
  const size_t mark = stack_.size();
  if (IsOp(op::kStar)) {
    // In an argument list tree-sitter reads `*f(x)` as a list_splat of the call, unless the
    // statement starts with a soft keyword (`print(*f(x))`), whose other reading (a print
    // statement) changes which parse it keeps.
    if (soft_keyword_statement_) return StarOrExpression();
    Push(TakeOp());
    Push(Expression());
    return Make(g_.list_splat, mark);
  }
  if (IsOp(op::kPower)) {
    Push(TakeOp());
    Push(Expression());
    return Make(g_.dictionary_splat, mark);
  }
  if (IsName() && Peek(1).kind == TokenKind::kOp && Peek(1).op == op::kAssign) {
    Push(TakeLeaf(g_.identifier), g_.f_name);
    Push(TakeOp());
    Push(Expression(), g_.f_value);
    return Make(g_.keyword_argument, mark);
  }
  return Expression();
}

Parser::NodeId Parser::Parenthesized() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  if (IsOp(op::kRParen)) {
    Push(TakeOp());
    return Make(g_.tuple, mark);
  }
  if (IsKeyword(op::kYield)) {
    Push(Yield());
    PushOp(op::kRParen);
    return Make(g_.parenthesized_expression, mark);
  }
  const NodeId first = StarOrExpression();
  if (failed_) return kNoNode;
  if (IsKeyword(op::kFor) || IsKeyword(op::kAsync)) {
    Push(first, g_.f_body);
    ComprehensionClauses();
    PushOp(op::kRParen);
    return Make(g_.generator_expression, mark);
  }
  if (IsOp(op::kRParen)) {
    if (nodes_[first].symbol == g_.list_splat) {
      Fail("a parenthesized starred expression");
      return kNoNode;
    }
    Push(first);
    Push(TakeOp());
    return Make(g_.parenthesized_expression, mark);
  }
  Push(first);
  while (!failed_ && IsOp(op::kComma)) {
    Push(TakeOp());
    if (IsOp(op::kRParen)) break;
    Push(IsKeyword(op::kYield) ? Yield() : StarOrExpression());
  }
  PushOp(op::kRParen);
  return Make(g_.tuple, mark);
}

Parser::NodeId Parser::Bracketed() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  if (IsOp(op::kRBracket)) {
    Push(TakeOp());
    return Make(g_.list, mark);
  }
  const NodeId first = StarOrExpression();
  if (!failed_ && (IsKeyword(op::kFor) || IsKeyword(op::kAsync))) {
    Push(first, g_.f_body);
    ComprehensionClauses();
    PushOp(op::kRBracket);
    return Make(g_.list_comprehension, mark);
  }
  Push(first);
  while (!failed_ && IsOp(op::kComma)) {
    Push(TakeOp());
    if (IsOp(op::kRBracket)) break;
    Push(StarOrExpression());
  }
  PushOp(op::kRBracket);
  return Make(g_.list, mark);
}

Parser::NodeId Parser::Braced() {
  const size_t mark = stack_.size();
  Push(TakeOp());
  if (IsOp(op::kRBrace)) {
    Push(TakeOp());
    return Make(g_.dictionary, mark);
  }
  // Dictionary items: `key: value` pairs and `**mapping`.
  auto dict_item = [&]() -> NodeId {
    const size_t item = stack_.size();
    if (IsOp(op::kPower)) {
      Push(TakeOp());
      Push(Binary(0));
      return Make(g_.dictionary_splat, item);
    }
    Push(Expression(), g_.f_key);
    PushOp(op::kColon);
    Push(Expression(), g_.f_value);
    return Make(g_.pair, item);
  };
  bool dict = IsOp(op::kPower);
  NodeId first;
  if (dict) {
    first = dict_item();
  } else {
    const size_t item = stack_.size();
    const NodeId e = StarOrExpression();
    if (!failed_ && IsOp(op::kColon)) {
      dict = true;
      Push(e, g_.f_key);
      Push(TakeOp());
      Push(Expression(), g_.f_value);
      first = Make(g_.pair, item);
    } else {
      first = e;
    }
  }
  if (failed_) return kNoNode;
  if (IsKeyword(op::kFor) || IsKeyword(op::kAsync)) {
    Push(first, g_.f_body);
    ComprehensionClauses();
    PushOp(op::kRBrace);
    return Make(dict ? g_.dictionary_comprehension : g_.set_comprehension, mark);
  }
  Push(first);
  while (!failed_ && IsOp(op::kComma)) {
    Push(TakeOp());
    if (IsOp(op::kRBrace)) break;
    Push(dict ? dict_item() : StarOrExpression());
  }
  PushOp(op::kRBrace);
  return Make(dict ? g_.dictionary : g_.set, mark);
}

void Parser::ComprehensionClauses() {
  while (!failed_) {
    if (IsKeyword(op::kFor) || IsKeyword(op::kAsync)) {
      const size_t clause = stack_.size();
      if (IsKeyword(op::kAsync)) Push(TakeOp());
      PushOp(op::kFor);
      Push(Targets(), g_.f_left);
      PushOp(op::kIn);
      while (!failed_) {
        Push(IsKeyword(op::kLambda) ? Lambda() : OrTest(), g_.f_right);
        if (!IsOp(op::kComma)) break;
        Push(TakeOp());
        if (!StartsExpression()) break;
      }
      Push(Make(g_.for_in_clause, clause));
    } else if (IsKeyword(op::kIf)) {
      const size_t clause = stack_.size();
      Push(TakeOp());
      Push(OrTest());
      Push(Make(g_.if_clause, clause));
    } else {
      break;
    }
  }
}

// One string, or a concatenated_string of adjacent ones.
Parser::NodeId Parser::Strings() {
  const NodeId first = String();
  if (failed_ || Cur().kind != TokenKind::kStringStart) return first;
  const size_t mark = stack_.size();
  Push(first);
  while (!failed_ && Cur().kind == TokenKind::kStringStart) Push(String());
  return Make(g_.concatenated_string, mark);
}

Parser::NodeId Parser::String() {
  Nest nest(*this);
  const size_t mark = stack_.size();
  Push(TakeLeaf(g_.string_start));
  while (!failed_) {
    const Token& t = Cur();
    if (t.kind == TokenKind::kStringEnd) break;
    if (t.kind == TokenKind::kOp && t.op == op::kLBrace) {
      Push(Interpolation(g_.interpolation));
      continue;
    }
    // A run of text, escapes and `{{` is one string_content; only escapes are its children.
    const Token& first = t;
    const Token* last = &t;
    const size_t content = stack_.size();
    while (true) {
      const Token& u = Cur();
      if (u.kind == TokenKind::kStringText) {
        last = &u;
        ++pos_;
      } else if (u.kind == TokenKind::kEscape) {
        last = &u;
        Push(TakeLeaf(g_.escape_sequence));
      } else if (u.kind == TokenKind::kNotEscape) {
        last = &u;
        Push(TakeLeaf(g_.not_escape));
      } else if (u.kind == TokenKind::kEscapeInterpolation) {
        last = &u;
        Push(TakeLeaf(g_.escape_interpolation));
      } else {
        break;
      }
    }
    if (last == &first && first.kind != TokenKind::kStringText &&
        first.kind != TokenKind::kEscape && first.kind != TokenKind::kNotEscape &&
        first.kind != TokenKind::kEscapeInterpolation) {
      Fail("a token no string holds");
      break;
    }
    const NodeId node = Make(g_.string_content, content);
    Building& b = nodes_[node];
    b.start = first.start;
    b.start_point = first.start_point;
    b.end = last->end;
    b.end_point = last->end_point;
    Push(node);
  }
  if (Cur().kind != TokenKind::kStringEnd) {
    Fail();
    return kNoNode;
  }
  Push(TakeLeaf(g_.string_end));
  return Make(g_.string, mark);
}

// `{expression[=][!c][:spec]}` in an f-string (format_expression inside a format specifier).
Parser::NodeId Parser::Interpolation(TSSymbol symbol) {
  const size_t mark = stack_.size();
  Push(TakeOp());
  NodeId e;
  if (IsKeyword(op::kYield)) {
    e = Yield();
  } else {
    const size_t list = stack_.size();
    e = StarOrExpression();
    if (!failed_ && IsOp(op::kComma)) {
      Push(e);
      while (IsOp(op::kComma)) {
        Push(TakeOp());
        if (!StartsExpression()) break;
        Push(StarOrExpression());
      }
      e = Make(g_.expression_list, list);
    }
  }
  Push(e, g_.f_expression);
  if (IsOp(op::kAssign)) Push(TakeOp());
  if (Cur().kind == TokenKind::kConversion) {
    Push(TakeLeaf(g_.type_conversion), g_.f_type_conversion);
  }
  if (IsOp(op::kColon)) {
    const size_t spec = stack_.size();
    const Token& colon = Cur();
    Push(TakeOp());
    const Token* last = &colon;
    while (!failed_) {
      if (Cur().kind == TokenKind::kFormatText) {
        last = &Cur();
        ++pos_;
      } else if (IsOp(op::kLBrace)) {
        Push(Interpolation(g_.format_expression));
        last = &tokens_[pos_ - 1];
      } else {
        break;
      }
    }
    const NodeId node = Make(g_.format_specifier, spec);
    nodes_[node].end = last->end;
    nodes_[node].end_point = last->end_point;
    Push(node, g_.f_format_specifier);
  }
  PushOp(op::kRBrace);
  return Make(symbol, mark);
}

}  // namespace

TreeHandle ParsePythonFast(std::string_view source, ParseDeclined* declined) {
  Parser parser(source);
  TreeHandle tree = parser.Run();
  if (tree == nullptr && declined != nullptr) {
    declined->what = parser.declined().what != nullptr ? parser.declined().what : "";
    declined->line = static_cast<int>(parser.declined().line);
  }
  return tree;
}

}  // namespace conclave::analysis
