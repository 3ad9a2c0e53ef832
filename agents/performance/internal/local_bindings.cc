#include "agents/performance/internal/local_bindings.h"

#include <algorithm>

#include "agents/analysis/expressions.h"

namespace conclave::performance::internal {
namespace {

using analysis::Field;
using analysis::Is;
using analysis::ParsedModule;
using analysis::PythonGrammar;
using analysis::Unparenthesize;

// Bounds on the chains the helpers follow, so that a pathological expression costs a constant.
constexpr int kMaxChain = 32;
constexpr int kMaxUnwrap = 8;

bool IsAnyOf(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The last dotted component of a callee name: "Counter" for "collections.Counter".
std::string_view LastComponent(std::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

unsigned ClassifyCall(const ParsedModule& module, TSNode call) {
  const PythonGrammar& g = PythonGrammar::Get();
  const TSNode function = Field(call, g.field_function);
  if (Is(function, g.attribute)) {
    const std::string_view method = module.Text(Field(function, g.field_attribute));
    if (IsAnyOf(method, {"split", "rsplit", "splitlines", "readlines"})) return kList;
  }
  const std::string callee = module.CalleeName(call);
  // Builtins by their bare name; collections types by their last component, so that
  // `collections.Counter()` and `from collections import Counter; Counter()` agree.
  if (IsAnyOf(callee, {"list", "sorted"})) return kList;
  if (IsAnyOf(callee, {"set", "frozenset", "dict"})) return kHashed;
  if (callee == "tuple") return kSequence;
  if (IsAnyOf(callee, {"int", "float", "len", "sum", "abs"})) return kNumber;
  if (callee.rfind("collections.", 0) == 0 &&
      IsAnyOf(LastComponent(callee), {"Counter", "defaultdict", "OrderedDict"})) {
    return kHashed;
  }
  return kUnknown;
}

}  // namespace

unsigned ClassifyValue(const ParsedModule& module, TSNode expression) {
  const PythonGrammar& g = PythonGrammar::Get();
  TSNode node = Unparenthesize(expression);
  // `a = b = []`: the value is at the end of the chain.
  for (int i = 0; i < kMaxChain && Is(node, g.assignment); ++i) {
    node = Unparenthesize(Field(node, g.field_right));
  }
  if (ts_node_is_null(node)) return kUnknown;
  if (analysis::IsStringExpression(node, module.source())) return kStr;
  const TSSymbol s = ts_node_symbol(node);
  if (s == g.list || s == g.list_comprehension) return kList;
  if (s == g.set || s == g.dictionary || s == g.set_comprehension ||
      s == g.dictionary_comprehension) {
    return kHashed;
  }
  if (s == g.tuple) return kSequence;
  if (s == g.integer || s == g.float_) return kNumber;
  if (s == g.call) return ClassifyCall(module, node);
  if (s == g.binary_operator) {
    // `xs + [x]`, `[0] * n`: a list whichever side the literal is on.
    const std::string_view op = module.Text(Field(node, g.field_operator));
    if (op != "+" && op != "*") return kUnknown;
    for (const TSNode side : {Field(node, g.field_left), Field(node, g.field_right)}) {
      const TSNode operand = Unparenthesize(side);
      if (Is(operand, g.list) || Is(operand, g.list_comprehension)) return kList;
      if (op == "+" && analysis::IsStringExpression(operand, module.source())) return kStr;
    }
  }
  return kUnknown;
}

std::string ChainKey(const ParsedModule& module, TSNode expression) {
  const PythonGrammar& g = PythonGrammar::Get();
  TSNode node = Unparenthesize(expression);
  std::vector<std::string_view> attributes;
  for (int i = 0; i < kMaxChain; ++i) {
    if (Is(node, g.identifier)) {
      std::string key(module.Text(node));
      for (auto it = attributes.rbegin(); it != attributes.rend(); ++it) {
        key += '.';
        key += *it;
      }
      return key;
    }
    if (!Is(node, g.attribute)) return "";
    attributes.push_back(module.Text(Field(node, g.field_attribute)));
    node = Unparenthesize(Field(node, g.field_object));
  }
  return "";
}

std::string IterationKey(const ParsedModule& module, TSNode iterable) {
  const PythonGrammar& g = PythonGrammar::Get();
  TSNode node = Unparenthesize(iterable);
  for (int i = 0; i < kMaxUnwrap && Is(node, g.call); ++i) {
    const TSNode function = Field(node, g.field_function);
    const TSNode arguments = Field(node, g.field_arguments);
    if (Is(function, g.attribute)) {
      // xs.items(), xs.keys(), xs.values(): as long as xs.
      const std::string_view method = module.Text(Field(function, g.field_attribute));
      if (!IsAnyOf(method, {"items", "keys", "values"})) return "";
      if (!ts_node_is_null(analysis::FirstPositionalArgument(arguments))) return "";
      node = Unparenthesize(Field(function, g.field_object));
      continue;
    }
    if (!Is(function, g.identifier)) return "";
    const std::string_view name = module.Text(function);
    if (name == "range") {
      // range(len(xs)) and range(start, len(xs)[, step]) walk the indices of xs.
      const TSNode second = analysis::PositionalArgument(arguments, 1);
      TSNode stop = ts_node_is_null(second) ? analysis::FirstPositionalArgument(arguments) : second;
      stop = Unparenthesize(stop);
      if (!Is(stop, g.call) || module.Text(Field(stop, g.field_function)) != "len") return "";
      node = Unparenthesize(analysis::FirstPositionalArgument(Field(stop, g.field_arguments)));
      continue;
    }
    if (!IsAnyOf(name, {"enumerate", "reversed", "sorted", "list", "tuple", "set", "iter"})) {
      return "";
    }
    node = Unparenthesize(analysis::FirstPositionalArgument(arguments));
  }
  // xs[i + 1:], xs[::2]: a slice walks (part of) xs, as many elements as xs in the worst case.
  if (!ts_node_is_null(node) && std::string_view(ts_node_type(node)) == "subscript") {
    const TSNode index = ts_node_child_by_field_name(node, "subscript", 9);
    if (!ts_node_is_null(index) && std::string_view(ts_node_type(index)) == "slice") {
      node = Unparenthesize(ts_node_child_by_field_name(node, "value", 5));
    }
  }
  return ChainKey(module, node);
}

LocalBindings::LocalBindings(const ParsedModule& module) : module_(module) {
  const PythonGrammar& g = PythonGrammar::Get();
  for (const analysis::Site& site : module.assignments()) {
    const TSNode right = Field(site.node, g.field_right);
    // An annotation without a value (`x: list[int]`) binds nothing.
    if (ts_node_is_null(right)) continue;
    const TSNode left = Field(site.node, g.field_left);
    if (Is(left, g.identifier)) {
      Record(site.function, site.loop, module.Text(left), ClassifyValue(module, right), right);
    } else if (Is(left, g.pattern_list) || Is(left, g.tuple_pattern)) {
      // `a, b = ...`: which value goes where is not worth working out.
      analysis::ForEachChild(left, [&](TSNode target, TSFieldId) {
        if (Is(target, g.identifier)) {
          Record(site.function, site.loop, module.Text(target), kUnknown, TSNode{});
        }
      });
    }
  }
  // `with open(p) as fh`: the with-item's value is an as_pattern of the expression and its
  // target (an aliased expression, so a simple target is checked by its text).
  for (const analysis::Site& site : module.with_items()) {
    const TSNode value = Field(site.node, g.field_value);
    if (ts_node_symbol(value) == g.identifier || ts_node_named_child_count(value) < 2) continue;
    const TSNode expression = ts_node_named_child(value, 0);
    const std::string_view target = module.Text(ts_node_named_child(value, 1));
    if (std::string_view(ts_node_type(value)) != "as_pattern" || !IsPlainName(target)) continue;
    Record(site.function, site.loop, target, kUnknown, expression);
  }
}

void LocalBindings::Record(int function, int loop, std::string_view name, unsigned kinds,
                           TSNode value) {
  Binding& binding = bindings_[{function, name}];
  binding.kinds |= kinds;
  binding.loops.push_back(loop);
  binding.values.push_back(value);
}

bool IsPlainName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char c : name) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || static_cast<unsigned char>(c) >= 0x80;
    if (!word) return false;
  }
  return true;
}

const Binding* LocalBindings::Find(int function, std::string_view name) const {
  const auto it = bindings_.find({function, name});
  return it == bindings_.end() ? nullptr : &it->second;
}

bool LoopWithin(const ParsedModule& module, int inner, int outer) {
  const std::vector<analysis::LoopInfo>& loops = module.loops();
  for (int loop = inner; loop >= 0; loop = loops[loop].parent) {
    if (loop == outer) return true;
  }
  return false;
}

}  // namespace conclave::performance::internal
