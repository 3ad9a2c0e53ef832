// What the performance rules know about a name without type inference: the kinds of value it
// is bound to by `=` (and `with ... as`) in each function (a str, a list, a set or dict, ...),
// judged by the form of the right-hand side, and those values themselves, plus the dotted names
// of collections a loop walks. A LocalBindings is
// built once per Check() from the module's index and is read-only afterwards; it borrows the
// module, which must outlive it. Not shared between threads.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agents/analysis/parsed_module.h"

namespace conclave::performance::internal {

using analysis::Node;

// Kinds of value an expression evidently holds, as bits so that a name bound several times
// accumulates them.
enum ValueKind : unsigned {
  kStr = 1u << 0,
  kList = 1u << 1,
  kHashed = 1u << 2,    // set, frozenset, dict and their comprehensions, Counter, defaultdict
  kSequence = 1u << 3,  // tuple
  kNumber = 1u << 4,
  kUnknown = 1u << 5,
};

// The kind of value `expression` evidently holds, kUnknown when its form does not say.
unsigned ClassifyValue(const analysis::ParsedModule& module, Node expression);

// "self.items" for a chain of identifiers and attributes, empty for anything else.
std::string ChainKey(const analysis::ParsedModule& module, Node expression);

// The collection a `for` walks, seen through the wrappers that keep its length: `xs` for
// `xs`, `enumerate(xs)`, `sorted(xs)`, `xs.items()`, `range(len(xs))` and a slice `xs[i:]`. Empty when the
// iterable is not a named collection.
std::string IterationKey(const analysis::ParsedModule& module, Node iterable);

struct Binding {
  unsigned kinds = 0;
  // Innermost loop (index in loops()) around each `=` binding the name, -1 outside loops.
  std::vector<int> loops;
  // The value of each binding, in document order: the right-hand side of `name = value`, the
  // context expression of `with value as name`; null for a target of `a, b = ...`.
  std::vector<Node> values;
};

class LocalBindings {
 public:
  explicit LocalBindings(const analysis::ParsedModule& module);

  // The bindings of `name` in function `function` (-1: module level); null when the name is
  // never bound there by `=`.
  const Binding* Find(int function, std::string_view name) const;

  // The bindings of instance attribute `attribute` in class `class_index` (index in
  // classes()): every `self.attribute = value` in the class's methods (`self` being each
  // method's first parameter) and `attribute = value` in the class body itself, which
  // `self.attribute` reads until an instance assigns its own. `loops` hold the innermost loop
  // of each, as for names. Null when the class never binds the attribute. Assignments made
  // from outside the class (`obj.attribute = ...`) are not seen.
  const Binding* FindAttribute(int class_index, std::string_view attribute) const;

  // The class whose instance `receiver` names in `function`: the owner class of a method
  // when `receiver` is its first parameter (`self`), else -1.
  int InstanceClass(int function, std::string_view receiver) const;

 private:
  void Record(int function, int loop, std::string_view name, unsigned kinds, Node value);
  void RecordAttribute(int class_index, int loop, std::string_view attribute, unsigned kinds,
                       Node value);

  const analysis::ParsedModule& module_;
  std::map<std::pair<int, std::string_view>, Binding> bindings_;
  std::map<std::pair<int, std::string_view>, Binding> attributes_;
};

// Whether `name` is a plain Python identifier (what a `with ... as` target must be to bind
// one name).
bool IsPlainName(std::string_view name);

// Whether loop `inner` is `outer` or lies inside it (following loops()[i].parent).
bool LoopWithin(const analysis::ParsedModule& module, int inner, int outer);

}  // namespace conclave::performance::internal
