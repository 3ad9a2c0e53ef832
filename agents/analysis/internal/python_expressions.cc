#include <algorithm>
#include <vector>

#include "agents/analysis/internal/python_parser_internal.h"

namespace conclave::analysis::internal {

// A type annotation: `type` over the expression as tree-sitter reads it (TypeInner).
Parser::NodeId Parser::Type() {
  const NodeId e = Expression();
  if (failed_) return kNoNode;
  return WrapType(TypeInner(e));
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
    Push(WrapType(TypeInner(kid)));
  }
  Push(Make(g_.type_parameter, parameter));
  return Make(g_.generic_type, mark);
}

// What tree-sitter makes of an annotation read as the expression `e`. Reading left to right,
// `Name[...]` at the start is a generic_type, and a `|` after a type is a union_type whose right
// side is again a type: a generic_type when it is `Name[...]` (and the union continues, left-
// associative), else the rest of the `|` chain as an ordinary binary_operator. When the first
// operand is no generic the whole annotation stays an expression (`int | None`).
Parser::NodeId Parser::TypeInner(NodeId e) {
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
  if (!IsGeneric(operands[0])) {
    // A `Name[...]` further down the left edge (`list[int].x`, `list[int] <= y`, `x[1][2]`)
    // starts a type for tree-sitter that the rest then extends in ways annotations never use:
    // left to it.
    for (NodeId m = operands[0]; nodes_[m].kid_count > 0; m = kids_[nodes_[m].kids]) {
      if (m != operands[0] && IsGeneric(m)) {
        Fail("an annotation that continues after a leading generic other than with |");
        break;
      }
    }
    return e;
  }
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

namespace {

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

}  // namespace

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
// `*x` where a starred item may stand. In collections and argument lists tree-sitter reads it
// as list_splat("*", expression). Where only an expression may stand (`restricted`: an
// expression statement's or right-hand side's comma list, an interpolation) it reads it as a
// list_splat of a name, attribute or subscript only, and keeps `(*a).b` for `*a.b` (`d, *2` is
// an error there, and `*a + b` is `(*a) + b`): there the parser takes `*name` only.
Parser::NodeId Parser::StarOrExpression(bool restricted) {
  if (!IsOp(op::kStar)) return Expression();
  if (StarredCallAhead()) {
    Fail("a starred call (`*f(x)`), which tree-sitter reads two ways");
    return kNoNode;
  }
  return Starred(restricted);
}

Parser::NodeId Parser::Starred(bool restricted) {
  const size_t mark = stack_.size();
  Push(TakeOp());
  const NodeId operand = Expression();
  if (failed_) return kNoNode;
  const TSSymbol s = nodes_[operand].symbol;
  if (restricted && s != g_.identifier) {
    // tree-sitter reads `*a.b` there as `(*a).b`, and `*2` not at all.
    Fail("a starred expression other than a name outside a collection or argument list");
    return kNoNode;
  }
  Push(operand);
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
    if (soft_keyword_statement_) return StarOrExpression(false);
    return Starred(false);
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
  const NodeId first = StarOrExpression(false);
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
    Push(IsKeyword(op::kYield) ? Yield() : StarOrExpression(false));
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
  const NodeId first = StarOrExpression(false);
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
    Push(StarOrExpression(false));
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
    const NodeId e = StarOrExpression(false);
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
    Push(dict ? dict_item() : StarOrExpression(false));
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
        // The field covers the commas between the elements too, but not a trailing one.
        const NodeId comma = TakeOp();
        Push(comma, StartsExpression() ? g_.f_right : 0);
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
    e = StarOrExpression(true);
    if (!failed_ && IsOp(op::kComma)) {
      Push(e);
      while (IsOp(op::kComma)) {
        Push(TakeOp());
        if (!StartsExpression()) break;
        Push(StarOrExpression(true));
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

}  // namespace conclave::analysis::internal
