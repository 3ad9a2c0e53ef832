#include "agents/analysis/python_parser.h"

#include <vector>

#include "agents/analysis/internal/python_parser_internal.h"

namespace conclave::analysis {
namespace internal {

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
    if (!AddIndentation(s_[i], indent)) return UINT32_MAX;  // not at the start of its line
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
        // `del` takes targets; a bare `del` is an error for tree-sitter too.
        if (Peek(1).kind == TokenKind::kNewline || Peek(1).kind == TokenKind::kEnd ||
            (Peek(1).kind == TokenKind::kOp && Peek(1).op == op::kSemicolon)) {
          return Fail("a del statement without targets");
        }
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
  const NodeId first = StarOrExpression(true);
  if (failed_) return;
  if (IsOp(op::kComma)) {
    Push(first);
    while (IsOp(op::kComma)) {
      Push(TakeOp());
      if (!StartsExpression()) break;
      Push(StarOrExpression(true));
    }
    if (nodes_[stack_.back()].symbol == g_.ops[op::kComma] &&
        Cur().kind == TokenKind::kNewline) {
      // `x,` as a statement: tree-sitter may read it with the next line as the targets of an
      // assignment (`x,` then `y = 1` as `x, y = 1`).
      return Fail("an expression statement that ends in a comma");
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
    const TSSymbol target = nodes_[left].symbol;
    if (target != g_.identifier && target != g_.attribute && target != g_.subscript) {
      Fail("an augmented assignment to something other than a name, attribute or subscript");
      return kNoNode;
    }
    Push(left, g_.f_left);
    Push(TakeOp(), g_.f_operator);
    Push(RightHandSide(), g_.f_right);
    return Make(g_.augmented_assignment, mark);
  }
  const TSSymbol s = nodes_[left].symbol;
  if (s == g_.list_splat) {
    // `*a.b = x` (invalid Python): tree-sitter reads `(*a).b`.
    Fail("a starred assignment target on its own");
    return kNoNode;
  }
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
  const NodeId first = StarOrExpression(true);
  if (failed_) return kNoNode;
  if (!IsOp(op::kComma)) {
    if (IsOp(op::kAssign) || AtAugmentedAssign()) return Assignment(mark, first);
    return first;
  }
  Push(first);
  while (IsOp(op::kComma)) {
    Push(TakeOp());
    if (!StartsExpression()) break;
    Push(StarOrExpression(true));
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
  const uint32_t try_line = Cur().start_point.row + 1;
  Push(TakeOp());
  PushOp(op::kColon);
  Push(Suite(), g_.f_body);
  bool handlers = false;
  while (!failed_ && IsKeyword(op::kExcept)) {
    handlers = true;
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
  if (!failed_ && handlers && IsKeyword(op::kElse)) {
    AttachExtrasBefore(Cur());
    Push(ElseClause());
  }
  bool finally = false;
  if (!failed_ && IsKeyword(op::kFinally)) {
    finally = true;
    AttachExtrasBefore(Cur());
    const size_t clause = stack_.size();
    Push(TakeOp());
    PushOp(op::kColon);
    Push(Suite());
    Push(Make(g_.finally_clause, clause));
  }
  if (!handlers && !finally) {
    FailAtLine("a try statement without except or finally", try_line);
    return kNoNode;
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

// The 1-based line of a comment line before the current token indented less than `indent`,
// 0 when there is none.
uint32_t Parser::CommentLineBelow(uint32_t indent) const {
  for (uint32_t i = next_extra_; i < Cur().extras_before && i < extras_.size(); ++i) {
    const uint32_t line_indent = IndentOf(extras_[i].start, extras_[i].start_point);
    if (line_indent != UINT32_MAX && line_indent < indent) return extras_[i].start_point.row + 1;
  }
  return 0;
}

Parser::NodeId Parser::DecoratedDefinition() {
  const size_t mark = stack_.size();
  const uint32_t indent = IndentOf(Cur().start, Cur().start_point);
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
    // tree-sitter's scanner ends the enclosing block at a comment line indented less than
    // the decorators (an error there): left to it.
    if (const uint32_t line = indent > 0 ? CommentLineBelow(indent) : 0) {
      FailAtLine("a comment after a decorator indented less than the decorator", line);
      break;
    }
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

}  // namespace internal

TreeHandle ParsePythonFast(std::string_view source, ParseDeclined* declined) {
  internal::Parser parser(source);
  TreeHandle tree = parser.Run();
  if (tree == nullptr && declined != nullptr) {
    declined->what = parser.declined().what != nullptr ? parser.declined().what : "";
    declined->line = static_cast<int>(parser.declined().line);
  }
  return tree;
}

}  // namespace conclave::analysis
