// Intra-function data flow over a JsModule: where a value may come from. Sources are Express and
// Koa request data (`req.query`, `req.params`, `req.body`, `req.headers`, `req.cookies`,
// `req.get(...)`, `ctx.request.body`, ...), the process (`process.argv`, `process.env`) and the
// browser's URL (`location.hash`, `document.URL`, `document.referrer`, ...). Values flow
// through variable declarations (with object and array destructuring), assignments, template
// strings, `+`, `||`/`??`, the ternary operator, string methods, object and array literals,
// calls, and the returns of functions defined in the module (`getParam('q')` returning
// `params.get(name)` of the page URL); sanitizers (parseInt, Number, encodeURIComponent, path.basename, escape functions) and
// predicates (`includes`, `test`, comparisons) end a flow.
// Scopes: a name resolves to its last binding before the use in the same function, then in the
// enclosing functions, then at module level; parameters shadow outer names. Every expression
// walk has a node budget. Built once per module; immutable and thread-safe afterwards.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "agents/analysis/javascript/js_module.h"

namespace conclave::analysis::javascript {

enum class Origin { kNone, kRequest, kProcess, kBrowser };

// What an expression may hold.
struct JsValue {
  Origin origin = Origin::kNone;  // the first source found, kNone when untainted
  int source_line = 0;            // line of that source expression
  std::string_view source_text;   // its text, e.g. "req.query.id"
  // A part is neither a literal nor sanitized nor a source: a parameter, a global, the result
  // of an unknown call. A value that is neither tainted nor dynamic is built from literals and
  // sanitized values only.
  bool dynamic = false;
  // Request data as the framework parsed it, not made into a string: `req.body.user`, or a name
  // bound to it (also by destructuring). Express's query parser turns `?user[$ne]=x` into an
  // object, so such a value may be an object with operators, not a string.
  bool raw = false;

  bool tainted() const { return origin != Origin::kNone; }
  bool constant() const { return !tainted() && !dynamic; }
};

// "request data", "process input", "the page URL" for messages.
std::string_view OriginName(Origin origin);

class JsTaint {
 public:
  explicit JsTaint(const JsModule& module);

  // What `expression`, inside function `function` (-1: module level), may hold.
  JsValue Evaluate(Node expression, int function) const;

  // The source `expression` is on its own (a request, process or page-URL read), or kNone.
  Origin SourceOf(Node expression) const;

  // Whether `expression` is raw request data (see JsValue::raw).
  bool IsRawRequestData(Node expression, int function) const;

  // Whether a call is a sanitizer: its result holds no data a rule worries about.
  bool IsSanitizer(Node call) const;

  // The expression an identifier was last assigned before its use (`q` in `db.query(q)` after
  // `const q = "..." + id`); null for anything else, destructured names and parameters.
  Node BoundExpression(Node identifier, int function) const;
  // Every expression assigned or appended (`+=`) to the identifier's variable before its use,
  // in order: the pieces of a string built over several statements.
  std::vector<Node> BoundPieces(Node identifier, int function) const;

 private:
  struct Binding {
    uint32_t from = 0;  // the binding applies to uses at or after this byte
    JsValue value;
    Node expression = {};  // the value assigned to a plain name, null otherwise
    bool appended = false;   // `+=`: expression is a suffix of the value
    bool parameter = false;  // a function parameter (unknown value)
  };
  using Key = std::pair<int, std::string_view>;

  void BindAll();
  // What each named function of the module may return (its parameters unknown).
  void Summarize();
  void BindPattern(Node pattern, int function, uint32_t from, const JsValue& value,
                   bool parameter = false);
  void BindParameters(int function);
  void Bind(int function, std::string_view name, uint32_t from, const JsValue& value,
            Node expression = {}, bool appended = false, bool parameter = false);
  // The scope (function index) whose bindings `name` resolves to at byte `at`, or -2.
  int ScopeOf(std::string_view name, int function, uint32_t at) const;
  const Binding* Lookup(std::string_view name, int function, uint32_t at) const;
  // Which branch of a ternary an allow-list check in its condition restricts to values the
  // server chose: 1 the consequence (`ALLOWED.has(x) ? x : '/'`), 2 the alternative
  // (`!ALLOWED.includes(x) ? '/' : x`), 0 neither.
  int AllowListedBranch(Node ternary, int function) const;
  // The expression `condition` checks against an allow-list (`x` in `list.includes(x)`,
  // `set.has(x)`, `list.indexOf(x) !== -1`, `x === 'a' || x === 'b'`), and whether the check
  // holds when the condition is true (`positive`); null when it is no such check.
  Node AllowListSubject(Node condition, int function, bool* positive) const;
  // SourceOf, unless the chain's root is a local variable rather than a parameter or a global:
  // `const request = new Request(url)` makes `request.body` the program's own data.
  Origin SourceAt(Node expression, int function) const;

  const JsModule& module_;
  const JsGrammar& g_;
  absl::flat_hash_map<Key, std::vector<Binding>> bindings_;
  absl::flat_hash_map<std::string_view, JsValue> summaries_;
};

}  // namespace conclave::analysis::javascript
