#include "agents/performance/internal/local_bindings.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include "agents/analysis/expressions.h"

namespace conclave::performance::internal {
namespace {

using analysis::Node;
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

unsigned ClassifyCall(const ParsedModule& module, Node call) {
  const PythonGrammar& g = PythonGrammar::Get();
  const Node function = Field(call, g.field_function);
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

// The class whose body holds `assignment` as one of its own statements, -1 for none.
// `class_at` maps each class_definition's start byte to its index in classes().
int ClassBodyOwner(const std::map<uint32_t, int>& class_at, Node assignment) {
  const PythonGrammar& g = PythonGrammar::Get();
  const Node statement = NodeParent(assignment);  // expression_statement
  const Node block = NodeIsNull(statement) ? Node() : NodeParent(statement);
  if (!Is(block, g.block)) return -1;
  const Node owner = NodeParent(block);
  if (!Is(owner, g.class_definition)) return -1;
  const auto it = class_at.find(NodeStartByte(owner));
  return it == class_at.end() ? -1 : it->second;
}

}  // namespace

unsigned ClassifyValue(const ParsedModule& module, Node expression) {
  const PythonGrammar& g = PythonGrammar::Get();
  Node node = Unparenthesize(expression);
  // `a = b = []`: the value is at the end of the chain.
  for (int i = 0; i < kMaxChain && Is(node, g.assignment); ++i) {
    node = Unparenthesize(Field(node, g.field_right));
  }
  if (NodeIsNull(node)) return kUnknown;
  if (analysis::IsStringExpression(node, module.source())) return kStr;
  const TSSymbol s = NodeSymbol(node);
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
    for (const Node side : {Field(node, g.field_left), Field(node, g.field_right)}) {
      const Node operand = Unparenthesize(side);
      if (Is(operand, g.list) || Is(operand, g.list_comprehension)) return kList;
      if (op == "+" && analysis::IsStringExpression(operand, module.source())) return kStr;
    }
  }
  return kUnknown;
}

std::string ChainKey(const ParsedModule& module, Node expression) {
  const PythonGrammar& g = PythonGrammar::Get();
  Node node = Unparenthesize(expression);
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

std::string IterationKey(const ParsedModule& module, Node iterable) {
  const PythonGrammar& g = PythonGrammar::Get();
  Node node = Unparenthesize(iterable);
  for (int i = 0; i < kMaxUnwrap && Is(node, g.call); ++i) {
    const Node function = Field(node, g.field_function);
    const Node arguments = Field(node, g.field_arguments);
    if (Is(function, g.attribute)) {
      // xs.items(), xs.keys(), xs.values(): as long as xs.
      const std::string_view method = module.Text(Field(function, g.field_attribute));
      if (!IsAnyOf(method, {"items", "keys", "values"})) return "";
      if (!NodeIsNull(analysis::FirstPositionalArgument(arguments))) return "";
      node = Unparenthesize(Field(function, g.field_object));
      continue;
    }
    if (!Is(function, g.identifier)) return "";
    const std::string_view name = module.Text(function);
    if (name == "range") {
      // range(len(xs)) and range(start, len(xs)[, step]) walk the indices of xs.
      const Node second = analysis::PositionalArgument(arguments, 1);
      Node stop = NodeIsNull(second) ? analysis::FirstPositionalArgument(arguments) : second;
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
  if (!NodeIsNull(node) && std::string_view(NodeType(node)) == "subscript") {
    const Node index = NodeChildByFieldName(node, "subscript", 9);
    if (!NodeIsNull(index) && std::string_view(NodeType(index)) == "slice") {
      node = Unparenthesize(NodeChildByFieldName(node, "value", 5));
    }
  }
  return ChainKey(module, node);
}

LocalBindings::LocalBindings(const ParsedModule& module) : module_(module) {
  const PythonGrammar& g = PythonGrammar::Get();
  std::map<uint32_t, int> class_at;
  for (size_t i = 0; i < module.classes().size(); ++i) {
    class_at.emplace(NodeStartByte(module.classes()[i].node), static_cast<int>(i));
  }
  for (const analysis::Site& site : module.assignments()) {
    const Node right = Field(site.node, g.field_right);
    // An annotation without a value (`x: list[int]`) binds nothing.
    if (NodeIsNull(right)) continue;
    const Node left = Field(site.node, g.field_left);
    if (Is(left, g.identifier)) {
      Record(site.function, site.loop, module.Text(left), ClassifyValue(module, right), right);
      // `attribute = value` directly in a class body: a class attribute.
      if (site.function < 0) {
        const int owner = ClassBodyOwner(class_at, site.node);
        if (owner >= 0) {
          RecordAttribute(owner, site.loop, module.Text(left), ClassifyValue(module, right),
                          right);
        }
      }
    } else if (Is(left, g.attribute)) {
      // `self.attribute = value` in a method.
      const Node object = Field(left, g.field_object);
      if (Is(object, g.identifier)) {
        const int owner = InstanceClass(site.function, module.Text(object));
        if (owner >= 0) {
          RecordAttribute(owner, site.loop, module.Text(Field(left, g.field_attribute)),
                          ClassifyValue(module, right), right);
        }
      }
    } else if (Is(left, g.pattern_list) || Is(left, g.tuple_pattern)) {
      // `a, b = ...`: which value goes where is not worth working out.
      analysis::ForEachChild(left, [&](Node target, TSFieldId) {
        if (Is(target, g.identifier)) {
          Record(site.function, site.loop, module.Text(target), kUnknown, Node());
        }
      });
    }
  }
  // `with open(p) as fh`: the with-item's value is an as_pattern of the expression and its
  // target (an aliased expression, so a simple target is checked by its text).
  for (const analysis::Site& site : module.with_items()) {
    const Node value = Field(site.node, g.field_value);
    if (NodeSymbol(value) == g.identifier || NodeNamedChildCount(value) < 2) continue;
    const Node expression = NodeNamedChild(value, 0);
    const std::string_view target = module.Text(NodeNamedChild(value, 1));
    if (std::string_view(NodeType(value)) != "as_pattern" || !IsPlainName(target)) continue;
    Record(site.function, site.loop, target, kUnknown, expression);
  }
}

void LocalBindings::RecordAttribute(int class_index, int loop, std::string_view attribute,
                                    unsigned kinds, Node value) {
  Binding& binding = attributes_[{class_index, attribute}];
  binding.kinds |= kinds;
  binding.loops.push_back(loop);
  binding.values.push_back(value);
}

const Binding* LocalBindings::FindAttribute(int class_index, std::string_view attribute) const {
  const auto it = attributes_.find({class_index, attribute});
  return it == attributes_.end() ? nullptr : &it->second;
}

int LocalBindings::InstanceClass(int function, std::string_view receiver) const {
  if (function < 0) return -1;
  const analysis::FunctionInfo& info = module_.functions()[function];
  if (info.owner_class < 0 || info.parameters.empty() || info.parameters[0] != receiver) return -1;
  // A @staticmethod's first parameter is no instance.
  const Node parent = NodeParent(info.node);
  if (Is(parent, PythonGrammar::Get().decorated_definition)) {
    const std::string_view source = module_.source();
    const uint32_t start = NodeStartByte(parent);
    const uint32_t end = std::min<uint32_t>(NodeStartByte(info.node), source.size());
    if (start < end && source.substr(start, end - start).find("staticmethod") !=
                           std::string_view::npos) {
      return -1;
    }
  }
  return info.owner_class;
}

void LocalBindings::Record(int function, int loop, std::string_view name, unsigned kinds,
                           Node value) {
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
