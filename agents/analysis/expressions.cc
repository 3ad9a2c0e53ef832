#include "agents/analysis/expressions.h"

#include <vector>

namespace conclave::analysis {
namespace {

constexpr int kConstantBudget = 256;

bool IsPlainString(Node node) {
  const PythonGrammar& g = PythonGrammar::Get();
  if (!Is(node, g.string)) return false;
  bool interpolated = false;
  ForEachChild(node, [&](Node child, TSFieldId) {
    if (Is(child, g.interpolation)) interpolated = true;
  });
  return !interpolated;
}

}  // namespace

Node Unparenthesize(Node node) {
  const PythonGrammar& g = PythonGrammar::Get();
  for (int i = 0; i < 64 && Is(node, g.parenthesized_expression); ++i) {
    node = NodeNamedChild(node, 0);
  }
  return node;
}

bool IsLiteralString(Node node) {
  const PythonGrammar& g = PythonGrammar::Get();
  node = Unparenthesize(node);
  if (Is(node, g.string)) return IsPlainString(node);
  if (!Is(node, g.concatenated_string)) return false;
  bool all = true;
  ForEachChild(node, [&](Node child, TSFieldId) {
    if (NodeIsNamed(child) && !NodeIsExtra(child) && !IsPlainString(child)) all = false;
  });
  return all;
}

bool IsInterpolatedString(Node node) {
  const PythonGrammar& g = PythonGrammar::Get();
  node = Unparenthesize(node);
  if (Is(node, g.concatenated_string)) {
    bool any = false;
    ForEachChild(node, [&](Node child, TSFieldId) {
      if (Is(child, g.string) && !IsPlainString(child)) any = true;
    });
    return any;
  }
  return Is(node, g.string) && !IsPlainString(node);
}

std::string_view StringBody(Node string, std::string_view source) {
  const uint32_t count = NodeChildCount(string);
  if (count < 2) return {};
  const uint32_t begin = NodeEndByte(NodeChild(string, 0));
  const uint32_t end = NodeStartByte(NodeChild(string, count - 1));
  if (end <= begin || end > source.size()) return {};
  return source.substr(begin, end - begin);
}

bool IsConstant(Node root) {
  const PythonGrammar& g = PythonGrammar::Get();
  std::vector<Node> pending = {root};
  int budget = kConstantBudget;
  while (!pending.empty()) {
    if (--budget < 0) return false;
    const Node node = pending.back();
    pending.pop_back();
    const TSSymbol s = NodeSymbol(node);
    if (s == g.string) {
      if (!IsPlainString(node)) return false;
    } else if (s == g.integer || s == g.float_ || s == g.true_ || s == g.false_ || s == g.none) {
      continue;
    } else if (s == g.concatenated_string || s == g.list || s == g.tuple || s == g.set ||
               s == g.parenthesized_expression || s == g.binary_operator ||
               NodeType(node) == std::string_view("unary_operator")) {
      ForEachChild(node, [&](Node child, TSFieldId) {
        if (NodeIsNamed(child) && !NodeIsExtra(child)) pending.push_back(child);
      });
    } else {
      return false;
    }
  }
  return true;
}

bool IsStringExpression(Node node, std::string_view source) {
  const PythonGrammar& g = PythonGrammar::Get();
  // Follow the left operand of +/% chains; bounded like everything here.
  for (int i = 0; i < 256; ++i) {
    node = Unparenthesize(node);
    if (Is(node, g.string) || Is(node, g.concatenated_string)) return true;
    if (Is(node, g.binary_operator)) {
      const std::string_view op = NodeText(Field(node, g.field_operator), source);
      if (op != "+" && op != "%") return false;
      node = Field(node, g.field_left);
      continue;
    }
    if (!Is(node, g.call)) return false;
    const Node function = Field(node, g.field_function);
    if (Is(function, g.identifier)) return NodeText(function, source) == "str";
    if (!Is(function, g.attribute)) return false;
    const std::string_view method = NodeText(Field(function, g.field_attribute), source);
    const Node object = Unparenthesize(Field(function, g.field_object));
    return (method == "format" || method == "join") &&
           (Is(object, g.string) || Is(object, g.concatenated_string));
  }
  return false;
}

}  // namespace conclave::analysis
