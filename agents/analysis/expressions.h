// Questions rules ask about Python expressions: is it a literal, what is a string's body.
// All are bounded in the work they do (no recursion over the tree), so a 10000-deep
// expression costs at most the budget and never the stack. Thread-safe.
#pragma once

#include <string_view>

#include "agents/analysis/syntax_tree.h"

namespace conclave::analysis {

// `node` without enclosing parentheses.
Node Unparenthesize(Node node);

// A string literal without interpolation, or an implicit concatenation of such literals
// ("a" "b"), possibly parenthesized.
bool IsLiteralString(Node node);

// An f-string with at least one interpolated expression.
bool IsInterpolatedString(Node node);

// The raw text between a string's quotes: prefix and quotes dropped, escapes left as written.
std::string_view StringBody(Node string, std::string_view source);

// A constant expression: string and number literals, True/False/None, and lists, tuples, sets
// and unary/binary operations over constants. Gives up (false) past a budget of nodes.
bool IsConstant(Node node);

// Whether an expression can hold a str by its form: a string literal or f-string, a str(...)
// or "...".format(...) / .join(...) call, or a `+`/`%` whose left side is one of those.
bool IsStringExpression(Node node, std::string_view source);

}  // namespace conclave::analysis
