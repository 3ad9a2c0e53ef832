// ParsedModule: one Python file parsed once and indexed in a single iterative pass, so that
// every rule of a reviewer reads the same tree and none walks it again. The index holds the
// functions and classes (with cyclomatic and cognitive complexity, nesting depth and
// parameters), loops, the imports, and the call, assignment, comparison, string,
// keyword-argument, dict-pair, attribute, lambda and with-item nodes, each with its enclosing
// function and innermost enclosing loop.
// A ParsedModule borrows its source text, which must outlive it. Immutable once built; safe to
// read from several threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "agents/analysis/syntax_tree.h"

namespace conclave::analysis {

// A node with its context: the index of its enclosing function in functions() (-1 at module
// or class level) and of the innermost loop whose body holds it in loops() (-1 when none in
// the same function).
struct Site {
  Node node;
  int function = -1;
  int loop = -1;
};

struct FunctionInfo {
  Node node;  // the function_definition
  std::string_view name;
  // "Class.method", "outer.inner" or "name".
  std::string qualified_name;
  int owner_class = -1;      // index in classes() when defined in a class body
  int parent_function = -1;  // index in functions() when nested in another function
  int first_line = 0;        // the `def` line
  int last_line = 0;
  int name_line = 0;
  int name_column = 0;
  // McCabe: 1 + one per if, elif, for, while, except, case, conditional expression,
  // comprehension `for`/`if`, and each `and`/`or`. Nested functions count for themselves.
  int complexity = 1;
  // Cognitive complexity (G. Ann Campbell, SonarSource, 2017), computed in the same pass:
  //  +1 for each `if`, `elif`, `else` (of an `if`), conditional expression, `for`, `while`,
  //     `except` and `match`;
  //  +N more for `if`, conditional expression, `for`, `while`, `except` and `match`, where N
  //     is how deeply they sit inside those structures (their conditions and iterables sit at
  //     the statement's own level; an `elif`/`else` body is nested like the `if` body) and
  //     inside lambdas;
  //  +1 for each run of the same boolean operator (`a and b and c` is 1, `a and b or c` 2);
  //  +1 for each direct recursive call (`f(...)` in `f`, `self.m(...)`/`cls.m(...)` in m).
  // `try`, `with`, `case`, comprehensions and `break`/`continue` add nothing. A nested `def`
  // counts for itself, starting from nesting 0, and not in its parent.
  int cognitive_complexity = 0;
  bool is_async = false;  // `async def`
  // Deepest nesting of compound statements (if, for, while, try, with, match) in the body,
  // and the line of a statement at that depth.
  int max_nesting = 0;
  int deepest_line = 0;
  // Named parameters in order, including self/cls, excluding *args and **kwargs.
  std::vector<std::string_view> parameters;

  int length() const { return last_line - first_line + 1; }
};

struct ClassInfo {
  Node node;  // the class_definition
  std::string_view name;
  int first_line = 0;
  int last_line = 0;
  int name_line = 0;
  int name_column = 0;
};

// A for statement, while statement or comprehension `for` clause.
struct LoopInfo {
  Node node;
  // What a `for` iterates; null for while loops.
  Node iterable;
  int function = -1;
  int parent = -1;  // enclosing loop in the same function, -1 when outermost
  int depth = 1;    // 1 for an outermost loop
};

// One import statement's module. `import a.b as c, d` gives two (modules "a.b" and "d", no
// names); `from a.b import c, d as e` gives one (module "a.b", names {"c", "d"}); a relative
// `from ..pkg import x` keeps its dots in the module ("..pkg", or ".." alone); `from m import *`
// has the name "*".
struct ImportInfo {
  std::string module;
  std::vector<std::string_view> names;  // imported names as written, before any `as`
  int line = 0;
  bool from = false;  // `from X import ...`
  int function = -1;  // enclosing function (-1: module or class level)
};

// A position for a finding: 1-based line and column (code points).
struct Location {
  int line = 0;
  int column = 0;
};

// What a parsed file of any language holds: its path, its source text (borrowed), its tree,
// where its first syntax error is, and its comments. ParsedModule (Python) and
// javascript::JsModule add their own index. Immutable once built.
class SourceModule {
 public:
  const std::string& path() const { return path_; }
  std::string_view source() const { return source_; }
  Node root() const { return tree_->root(); }

  bool has_error() const { return has_error_; }
  // Position of the first error in document order (when has_error()): an ERROR or MISSING
  // node (for an unbalanced bracket, the closing bracket that does not match), or, in Python,
  // code the grammar accepts and CPython refuses (see ParsedModule::first_error_what()).
  Location first_error() const { return first_error_; }
  // True when the first error is a missing token rather than unexpected text.
  bool first_error_is_missing() const { return first_error_missing_; }

  // Comments, in document order (for inline suppressions; never for code structure).
  const std::vector<Node>& comments() const { return comments_; }

  // The source text of `node`; empty for a null node (an absent field).
  std::string_view Text(Node node) const {
    return NodeIsNull(node) ? std::string_view() : NodeText(node, source_);
  }
  Location Locate(Node node) const { return {NodeLine(node), NodeColumn(node, source_)}; }

 protected:
  SourceModule(std::string path, std::string_view source, TreeHandle tree)
      : path_(std::move(path)), source_(source), tree_(std::move(tree)) {}
  SourceModule(SourceModule&&) = default;
  SourceModule& operator=(SourceModule&&) = default;

  std::string path_;
  std::string_view source_;
  TreeHandle tree_;
  bool has_error_ = false;
  bool first_error_missing_ = false;
  Location first_error_;
  std::vector<Node> comments_;
};

class ParsedModule : public SourceModule {
 public:
  // Parses and indexes `source`. DeadlineExceeded when parsing times out; a file with syntax
  // errors is returned with has_error() true and the first error's position.
  static absl::StatusOr<ParsedModule> Parse(std::string path, std::string_view source);

  ParsedModule(ParsedModule&&) = default;
  ParsedModule& operator=(ParsedModule&&) = default;

  // What the first error is, for messages: "unexpected text", "a missing token", or one of the
  // checks CPython makes that the grammar does not ("a Python 2 print statement (print is a
  // function)", "a keyword used as a name", "indentation that matches no outer level", ...).
  std::string_view first_error_what() const { return first_error_what_; }

  const std::vector<FunctionInfo>& functions() const { return functions_; }
  const std::vector<ClassInfo>& classes() const { return classes_; }
  const std::vector<LoopInfo>& loops() const { return loops_; }
  const std::vector<Site>& calls() const { return calls_; }
  // `=` assignments (including annotated ones) and augmented assignments (`+=`, ...).
  const std::vector<Site>& assignments() const { return assignments_; }
  const std::vector<Site>& augmented_assignments() const { return augmented_assignments_; }
  const std::vector<Site>& comparisons() const { return comparisons_; }
  const std::vector<Site>& strings() const { return strings_; }
  const std::vector<Site>& keyword_arguments() const { return keyword_arguments_; }
  const std::vector<Site>& pairs() const { return pairs_; }
  // Attribute nodes that are not themselves the object of another attribute: `a.b.c` is one
  // entry (the whole chain), `a.b(x).c` two (`a.b` and `a.b(x).c`).
  const std::vector<Site>& attributes() const { return attributes_; }
  const std::vector<Site>& lambdas() const { return lambdas_; }
  // `with` items (`open(p) as f`), each with its value and optional `as` target.
  const std::vector<Site>& with_items() const { return with_items_; }
  // Every import statement in document order, at any level.
  const std::vector<ImportInfo>& imports() const { return import_list_; }

  // The dotted name a call's callee refers to, with the head resolved through the module's
  // imports: with `import subprocess as sp`, `sp.run(...)` gives "subprocess.run"; with
  // `from pickle import loads`, `loads(...)` gives "pickle.loads". Empty when the callee is
  // not a chain of names (e.g. `f()()` or `"".join`).
  std::string CalleeName(Node call) const;

  // The name a callee's last component: "execute" for `cur.execute(...)`, "eval" for
  // `eval(...)`. Empty for other callees.
  std::string_view MethodName(Node call) const;

  // The dotted name the local name `local` is bound to by an import anywhere in the module
  // ("subprocess" for `import subprocess as sp` and local "sp"); empty when none binds it.
  std::string_view ImportedName(std::string_view local) const;

  // Name of the function at `index` for messages, or "<module>" for -1.
  std::string_view FunctionName(int index) const;

 private:
  class Indexer;
  ParsedModule(std::string path, std::string_view source, TreeHandle tree);

  std::string_view first_error_what_;
  std::vector<FunctionInfo> functions_;
  std::vector<ClassInfo> classes_;
  std::vector<LoopInfo> loops_;
  std::vector<Site> calls_, assignments_, augmented_assignments_, comparisons_, strings_,
      keyword_arguments_, pairs_, attributes_, lambdas_, with_items_;
  std::vector<ImportInfo> import_list_;
  // Local name bound by an import → the dotted name it refers to.
  absl::flat_hash_map<std::string, std::string> imports_;
};

}  // namespace conclave::analysis
