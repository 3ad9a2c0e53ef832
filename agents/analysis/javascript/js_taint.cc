#include "agents/analysis/javascript/js_taint.h"

#include <algorithm>
#include <array>

namespace conclave::analysis::javascript {
namespace {

// Nodes one Evaluate may visit; past it the value is "dynamic" (unknown), never tainted by
// guesswork.
constexpr int kEvaluateBudget = 4096;
// Members and calls a source chain may go through: `req.body.user.name`.
constexpr int kMaxSourceChain = 32;

template <size_t N>
bool OneOf(std::string_view s, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

// Request properties that hold client data.
constexpr std::array<std::string_view, 11> kRequestFields = {
    "query", "params", "body", "headers", "cookies", "signedCookies",
    "files", "file",   "url",  "originalUrl", "path"};
// Request methods that read client data.
constexpr std::array<std::string_view, 4> kRequestGetters = {"get", "header", "param",
                                                             "cookie"};
// Browser globals (and their properties) an attacker controls through a link.
constexpr std::array<std::string_view, 4> kLocationFields = {"hash", "search", "href",
                                                             "pathname"};

// Functions whose result carries none of their argument's dangerous content.
constexpr std::array<std::string_view, 24> kSanitizers = {
    "parseInt",        "parseFloat",   "Number",        "Boolean",      "encodeURIComponent",
    "escapeSql",       "escape",       "escapeHtml",    "escapeHTML",   "escapeId",
    "escapeRegExp",    "sanitize",     "sanitizeHtml",  "sanitizeUrl",  "basename",
    "quote",           "shellEscape",  "shellescape",   "isValid",      "encodeForHTML",
    "htmlEscape",      "createHash",   "uuid",          "randomUUID"};
// Dotted names of sanitizers whose last component alone is too generic.
constexpr std::array<std::string_view, 9> kQualifiedSanitizers = {
    "validator.escape", "validator.toInt", "he.encode",   "he.escape",    "DOMPurify.sanitize",
    "mysql.escape",     "sqlstring.escape", "xss.filterXSS", "Math.floor"};
// Methods whose result is a number or a boolean whatever the receiver holds.
constexpr std::array<std::string_view, 14> kPredicates = {
    "includes", "indexOf",  "lastIndexOf", "test",  "startsWith", "endsWith", "some",
    "every",    "has",      "localeCompare", "isInteger", "isSafeInteger", "isNaN", "isFinite"};
// Methods that return (part of) their receiver and arguments.
constexpr std::array<std::string_view, 23> kStringMethods = {
    "trim",     "trimStart",   "trimEnd",  "toLowerCase", "toUpperCase", "slice",
    "substring", "substr",     "replace",  "replaceAll",  "split",       "join",
    "concat",   "toString",    "padStart", "padEnd",      "normalize",   "repeat",
    "at",       "charAt",      "map",      "filter",      "valueOf"};

// Library functions whose result holds their arguments' text.
constexpr std::array<std::string_view, 16> kPropagators = {
    "path.join",        "path.resolve",  "path.normalize", "path.posix.join", "util.format",
    "JSON.stringify",   "JSON.parse",    "Buffer.from",    "url.resolve",     "url.parse",
    "querystring.parse", "Object.assign", "Array.from",    "Object.values",   "String.raw",
    "querystring.stringify"};
// Functions called by name whose result is not their argument: HTTP clients return the
// server's answer, require() a module.
constexpr std::array<std::string_view, 7> kOpaqueFunctions = {
    "fetch", "axios", "got", "request", "needle", "superagent", "require"};

bool IsPredicateName(std::string_view name) {
  for (std::string_view prefix : {"is", "has", "can", "should"}) {
    if (name.size() > prefix.size() && name.starts_with(prefix) &&
        std::isupper(static_cast<unsigned char>(name[prefix.size()]))) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view OriginName(Origin origin) {
  switch (origin) {
    case Origin::kRequest:
      return "request data";
    case Origin::kProcess:
      return "process input";
    case Origin::kBrowser:
      return "the page URL";
    case Origin::kNone:
      break;
  }
  return "nothing";
}

JsTaint::JsTaint(const JsModule& module) : module_(module), g_(JsGrammar::Get()) {
  // Bindings, then what functions return, then the bindings again with those summaries: a
  // helper's result is known wherever it is called, also before its definition.
  BindAll();
  Summarize();
  bindings_.clear();
  BindAll();
}

void JsTaint::Summarize() {
  auto add = [&](int function, Node expression) {
    if (function < 0 || NodeIsNull(expression)) return;
    const std::string_view name = module_.functions()[function].name;
    if (name.empty()) return;
    const JsValue v = Evaluate(expression, function);
    JsValue& summary = summaries_[name];
    if (v.tainted() && !summary.tainted()) summary = v;
    summary.dynamic |= v.dynamic;
  };
  for (const JsSite& r : module_.returns()) add(r.function, NodeNamedChild(r.node, 0));
  for (size_t i = 0; i < module_.functions().size(); ++i) {
    const Node f = module_.functions()[i].node;
    const Node body = Field(f, g_.field_body);
    if (Is(f, g_.arrow_function) && !Is(body, g_.statement_block)) add(static_cast<int>(i), body);
  }
}

Origin JsTaint::SourceOf(Node expression) const {
  Node node = StripParens(expression);
  // `req.get('x')` and friends.
  if (Is(node, g_.call_expression)) {
    const Node callee = Field(node, g_.field_function);
    if (!Is(callee, g_.member_expression)) return Origin::kNone;
    const Node object = StripParens(Field(callee, g_.field_object));
    const std::string_view receiver = module_.Text(object);
    if ((receiver == "req" || receiver == "request") &&
        OneOf(module_.Text(Field(callee, g_.field_property)), kRequestGetters)) {
      return Origin::kRequest;
    }
    return Origin::kNone;
  }
  if (!Is(node, g_.member_expression)) return Origin::kNone;
  // The chain's names from the root: req.body.user -> {req, body, user}.
  std::array<std::string_view, kMaxSourceChain> names;
  int count = 0;
  for (; count < kMaxSourceChain; ++count) {
    if (Is(node, g_.member_expression)) {
      node = StripParens(Field(node, g_.field_object));
      continue;
    }
    if (Is(node, g_.subscript_expression)) {
      node = StripParens(Field(node, g_.field_object));
      continue;
    }
    break;
  }
  if (!Is(node, g_.identifier)) return Origin::kNone;
  // Walk again from the expression, collecting property names root-first.
  Node walk = StripParens(expression);
  int n = 0;
  while (n < count && (Is(walk, g_.member_expression) || Is(walk, g_.subscript_expression))) {
    names[n++] = Is(walk, g_.member_expression) ? module_.Text(Field(walk, g_.field_property))
                                                : std::string_view("[]");
    walk = StripParens(Field(walk, g_.field_object));
  }
  std::reverse(names.begin(), names.begin() + n);
  const std::string_view root = module_.Text(node);
  if (n == 0) return Origin::kNone;
  if ((root == "req" || root == "request") && OneOf(names[0], kRequestFields)) {
    return Origin::kRequest;
  }
  if (root == "ctx") {  // Koa
    if (OneOf(names[0], kRequestFields)) return Origin::kRequest;
    if (names[0] == "request" && n > 1 && OneOf(names[1], kRequestFields)) {
      return Origin::kRequest;
    }
  }
  if (root == "process" && (names[0] == "argv" || names[0] == "env")) {
    // `process.env.NODE_ENV` is the deployment's own setting, not input.
    if (names[0] == "env" && n > 1 && names[1] == "NODE_ENV") return Origin::kNone;
    return Origin::kProcess;
  }
  if (root == "location" && OneOf(names[0], kLocationFields)) return Origin::kBrowser;
  if ((root == "window" || root == "document") && names[0] == "location" && n > 1 &&
      OneOf(names[1], kLocationFields)) {
    return Origin::kBrowser;
  }
  if (root == "document" && (names[0] == "URL" || names[0] == "referrer" ||
                             names[0] == "documentURI" || names[0] == "baseURI")) {
    return Origin::kBrowser;
  }
  if (root == "window" && names[0] == "name") return Origin::kBrowser;
  return Origin::kNone;
}

bool JsTaint::IsSanitizer(Node call) const {
  if (!Is(call, g_.call_expression)) return false;
  const std::string name = module_.CalleeName(call);
  const std::string_view method = module_.MethodName(call);
  if (OneOf(std::string_view(name), kQualifiedSanitizers)) return true;
  if (name == "path.basename" || name == "path.posix.basename" || name == "Math.round" ||
      name == "Math.ceil" || name == "Math.abs" || name == "Number.parseInt" ||
      name == "Number.parseFloat" || name == "crypto.randomUUID" || name == "shell-quote.quote") {
    return true;
  }
  if (method == "encodeURI") return false;  // keeps ':' and '/': a URL stays a URL
  if (OneOf(method, kSanitizers)) return true;
  if (method.starts_with("escape") || method.starts_with("sanitize") ||
      method.starts_with("encode")) {
    return true;
  }
  return false;
}

JsValue JsTaint::Evaluate(Node expression, int function) const {
  JsValue out;
  std::vector<std::pair<Node, int>> stack = {{expression, function}};
  int budget = kEvaluateBudget;
  auto push_named_children = [&](Node node, int fn) {
    if (NodeIsNull(node)) return;  // `new Foo` has no arguments
    ForEachChild(node, [&](Node child, TSFieldId) {
      if (NodeIsNamed(child) && !Is(child, g_.comment)) stack.emplace_back(child, fn);
    });
  };
  auto taint = [&](Node node, Origin origin) {
    if (out.tainted()) return;
    out.origin = origin;
    out.source_line = NodeLine(node);
    out.source_text = module_.Text(node);
  };
  while (!stack.empty()) {
    if (--budget < 0) {
      out.dynamic = true;
      break;
    }
    const Node node = stack.back().first;
    const int fn = stack.back().second;
    stack.pop_back();
    if (NodeIsNull(node)) continue;
    const TSSymbol s = NodeSymbol(node);
    if (s == g_.string || s == g_.number || s == g_.true_ || s == g_.false_ || s == g_.null ||
        s == g_.undefined || s == g_.regex || s == g_.arrow_function ||
        s == g_.function_expression || s == g_.unary_expression) {
      continue;  // literals, functions, and `typeof x`, `!x`, `-x`: nothing of the input
    }
    if (s == g_.template_string) {
      ForEachChild(node, [&](Node child, TSFieldId) {
        if (Is(child, g_.template_substitution)) push_named_children(child, fn);
      });
      continue;
    }
    if (s == g_.identifier || s == g_.shorthand_property_identifier) {
      const std::string_view name = module_.Text(node);
      const Binding* b = Lookup(name, fn, NodeStartByte(node));
      if (b == nullptr) {
        if (name != "undefined" && name != "NaN" && name != "Infinity") out.dynamic = true;
        continue;
      }
      if (b->value.tainted() && !out.tainted()) {
        out.origin = b->value.origin;
        out.source_line = b->value.source_line;
        out.source_text = b->value.source_text;
      }
      out.dynamic |= b->value.dynamic;
      continue;
    }
    if (s == g_.member_expression || s == g_.subscript_expression) {
      if (s == g_.member_expression && module_.Text(Field(node, g_.field_property)) == "length") {
        continue;  // a number
      }
      if (const Origin o = SourceAt(node, fn); o != Origin::kNone) {
        taint(node, o);
        continue;
      }
      stack.emplace_back(Field(node, g_.field_object), fn);
      continue;
    }
    if (s == g_.call_expression) {
      if (const Origin o = SourceAt(node, fn); o != Origin::kNone) {
        taint(node, o);
        continue;
      }
      if (IsSanitizer(node)) continue;
      const std::string_view method = module_.MethodName(node);
      if (OneOf(method, kPredicates) || IsPredicateName(method)) continue;
      const Node callee = StripParens(Field(node, g_.field_function));
      const std::string name = module_.CalleeName(node);
      if (Is(callee, g_.member_expression)) {
        // A method's result carries its receiver (`params.get('q')`, `s.trim()`); its
        // arguments flow through string methods and known helpers only, so `axios.get(url)`
        // or `db.query(sql)` return the server's data, not the URL or the SQL.
        stack.emplace_back(Field(callee, g_.field_object), fn);
        if (!OneOf(method, kStringMethods)) out.dynamic = true;
        if (!OneOf(method, kStringMethods) && !OneOf(std::string_view(name), kPropagators)) {
          continue;
        }
      } else {
        out.dynamic = true;
        // A local helper may return its argument; an imported library function (execAsync,
        // readFile) returns its own data unless it is a known propagator.
        if (OneOf(std::string_view(name), kOpaqueFunctions)) continue;
        if (Is(callee, g_.identifier)) {
          const auto summary = summaries_.find(module_.Text(callee));
          if (summary != summaries_.end() && summary->second.tainted() && !out.tainted()) {
            out.origin = summary->second.origin;
            out.source_line = summary->second.source_line;
            out.source_text = summary->second.source_text;
          }
        }
        if (Is(callee, g_.identifier) && !module_.ImportOf(module_.Text(callee)).empty() &&
            !OneOf(std::string_view(name), kPropagators)) {
          continue;
        }
      }
      push_named_children(Field(node, g_.field_arguments), fn);
      continue;
    }
    if (s == g_.new_expression) {
      out.dynamic = true;
      push_named_children(Field(node, g_.field_arguments), fn);
      continue;
    }
    if (s == g_.binary_expression) {
      const std::string_view op = module_.Text(Field(node, g_.field_operator));
      if (op == "+" || op == "||" || op == "&&" || op == "??") {
        stack.emplace_back(Field(node, g_.field_left), fn);
        stack.emplace_back(Field(node, g_.field_right), fn);
      }
      continue;  // other operators give numbers and booleans
    }
    if (s == g_.ternary_expression) {
      // A branch that holds the checked value only when an allow-list accepted it holds one
      // of the server's values.
      const int allowed = AllowListedBranch(node, fn);
      if (allowed != 1) stack.emplace_back(Field(node, g_.field_consequence), fn);
      if (allowed != 2) stack.emplace_back(Field(node, g_.field_alternative), fn);
      continue;
    }
    if (s == g_.pair) {
      stack.emplace_back(Field(node, g_.field_value), fn);
      continue;
    }
    if (s == g_.parenthesized_expression || s == g_.await_expression ||
        s == g_.spread_element || s == g_.object || s == g_.array ||
        s == g_.sequence_expression) {
      push_named_children(node, fn);
      continue;
    }
    out.dynamic = true;  // anything else: unknown
  }
  return out;
}

int JsTaint::AllowListedBranch(Node ternary, int function) const {
  bool positive = true;
  const Node subject =
      AllowListSubject(Field(ternary, g_.field_condition), function, &positive);
  if (NodeIsNull(subject)) return 0;
  const Node branch =
      StripParens(Field(ternary, positive ? g_.field_consequence : g_.field_alternative));
  if (NodeIsNull(branch) || module_.Text(branch) != module_.Text(subject)) return 0;
  return positive ? 1 : 2;
}

Node JsTaint::AllowListSubject(Node condition, int function, bool* positive) const {
  // A list, set or literal the request does not choose.
  auto server_side = [&](Node list) {
    return !NodeIsNull(list) && !Evaluate(list, function).tainted();
  };
  Node node = StripParens(condition);
  // `!check` inverts; bounded by the budget (`!!x` nests).
  for (int i = 0; i < 8 && Is(node, g_.unary_expression) &&
                  module_.Text(Field(node, g_.field_operator)) == "!";
       ++i) {
    *positive = !*positive;
    node = StripParens(Field(node, g_.field_argument));
  }
  if (Is(node, g_.call_expression)) {
    // list.includes(x), set.has(x)
    const std::string_view method = module_.MethodName(node);
    const Node callee = StripParens(Field(node, g_.field_function));
    if ((method != "includes" && method != "has") || !Is(callee, g_.member_expression)) {
      return {};
    }
    if (!server_side(Field(callee, g_.field_object))) return {};
    const Node arguments = Field(node, g_.field_arguments);
    if (NodeNamedChildCount(arguments) != 1) return {};
    return StripParens(NodeNamedChild(arguments, 0));
  }
  if (!Is(node, g_.binary_expression)) return {};
  const std::string_view op = module_.Text(Field(node, g_.field_operator));
  const Node left = StripParens(Field(node, g_.field_left));
  const Node right = StripParens(Field(node, g_.field_right));
  if (op == "||" && *positive) {
    // x === 'a' || x === 'b': each side an equality on the same subject.
    bool left_positive = true, right_positive = true;
    const Node a = AllowListSubject(left, function, &left_positive);
    const Node b = AllowListSubject(right, function, &right_positive);
    if (NodeIsNull(a) || NodeIsNull(b) || !left_positive || !right_positive ||
        module_.Text(a) != module_.Text(b)) {
      return {};
    }
    return a;
  }
  const bool equal = op == "===" || op == "==";
  const bool unequal = op == "!==" || op == "!=";
  if (equal || unequal) {
    // x === 'literal' (either side).
    for (const auto& [subject, literal] : {std::pair{left, right}, std::pair{right, left}}) {
      if (Is(literal, g_.string) && !Is(subject, g_.string)) {
        if (unequal) *positive = !*positive;
        return subject;
      }
    }
  }
  // list.indexOf(x) !== -1, >= 0, > -1 (positive); === -1, < 0 (negative).
  const bool minus_one = module_.Text(right) == "-1";
  const bool zero = module_.Text(right) == "0";
  bool holds;
  if ((unequal || op == ">") && minus_one) {
    holds = true;
  } else if (op == ">=" && zero) {
    holds = true;
  } else if ((equal && minus_one) || (op == "<" && zero)) {
    holds = false;
  } else {
    return {};
  }
  if (!Is(left, g_.call_expression) || module_.MethodName(left) != "indexOf") return {};
  const Node callee = StripParens(Field(left, g_.field_function));
  if (!Is(callee, g_.member_expression) || !server_side(Field(callee, g_.field_object))) {
    return {};
  }
  const Node arguments = Field(left, g_.field_arguments);
  if (NodeNamedChildCount(arguments) != 1) return {};
  if (!holds) *positive = !*positive;
  return StripParens(NodeNamedChild(arguments, 0));
}

void JsTaint::BindAll() {
  for (size_t i = 0; i < module_.functions().size(); ++i) BindParameters(static_cast<int>(i));
  // Declarators and assignments together, in document order: each value is evaluated with the
  // bindings made before it.
  std::vector<const JsSite*> sites;
  sites.reserve(module_.declarators().size() + module_.assignments().size());
  for (const JsSite& s : module_.declarators()) sites.push_back(&s);
  for (const JsSite& s : module_.assignments()) sites.push_back(&s);
  std::stable_sort(sites.begin(), sites.end(), [](const JsSite* a, const JsSite* b) {
    return NodeStartByte(a->node) < NodeStartByte(b->node);
  });
  for (const JsSite* site : sites) {
    const Node node = site->node;
    const bool declarator = Is(node, g_.variable_declarator);
    const Node target = Field(node, declarator ? g_.field_name : g_.field_left);
    const Node value = Field(node, declarator ? g_.field_value : g_.field_right);
    if (NodeIsNull(value)) {
      // `let x;` binds x to undefined.
      if (declarator) BindPattern(target, site->function, NodeEndByte(node), JsValue{});
      continue;
    }
    JsValue v = Evaluate(value, site->function);
    v.raw = !Is(node, g_.augmented_assignment_expression) &&
            IsRawRequestData(value, site->function);
    if (Is(node, g_.augmented_assignment_expression)) {
      const JsValue old = Evaluate(target, site->function);
      if (!v.tainted() && old.tainted()) {
        v.origin = old.origin;
        v.source_line = old.source_line;
        v.source_text = old.source_text;
      }
      v.dynamic |= old.dynamic;
    }
    if (Is(target, g_.identifier)) {
      const bool appended = Is(node, g_.augmented_assignment_expression);
      // `x += v` binds in the scope x already lives in.
      const int scope = appended ? ScopeOf(module_.Text(target), site->function,
                                           NodeStartByte(node))
                                 : site->function;
      Bind(scope == -2 ? site->function : scope, module_.Text(target), NodeEndByte(node), v,
           value, appended);
    } else {
      BindPattern(target, site->function, NodeEndByte(node), v);
    }
  }
}

void JsTaint::BindPattern(Node pattern, int function, uint32_t from, const JsValue& value,
                          bool parameter) {
  // Destructuring: each name bound by the pattern takes the value's taint. Explicit stack,
  // bounded by the pattern's size.
  std::vector<Node> stack = {StripParens(pattern)};
  int budget = kEvaluateBudget;
  while (!stack.empty() && --budget >= 0) {
    const Node node = stack.back();
    stack.pop_back();
    if (Is(node, g_.identifier) || Is(node, g_.shorthand_property_identifier_pattern)) {
      Bind(function, module_.Text(node), from, value, {}, false, parameter);
    } else if (Is(node, g_.pair_pattern)) {
      stack.push_back(Field(node, g_.field_value));
    } else if (Is(node, g_.object_assignment_pattern) || Is(node, g_.assignment_pattern)) {
      stack.push_back(Field(node, g_.field_left));
    } else if (Is(node, g_.object_pattern) || Is(node, g_.array_pattern) ||
               Is(node, g_.rest_pattern)) {
      ForEachChild(node, [&](Node child, TSFieldId) {
        if (NodeIsNamed(child)) stack.push_back(child);
      });
    }
    // Member targets (`a.b = v`) bind no name.
  }
}

bool JsTaint::IsRawRequestData(Node expression, int function) const {
  // `a || b`, `await x`, `(x)` keep a raw value raw; anything else makes a new value.
  std::vector<Node> stack = {expression};
  for (int budget = 64; !stack.empty() && --budget >= 0;) {
    const Node node = StripParens(stack.back());
    stack.pop_back();
    if (Is(node, g_.member_expression) || Is(node, g_.subscript_expression)) {
      if (SourceAt(node, function) == Origin::kRequest) return true;
    } else if (Is(node, g_.identifier) || Is(node, g_.shorthand_property_identifier)) {
      const Binding* b = Lookup(module_.Text(node), function, NodeStartByte(node));
      if (b != nullptr && b->value.raw) return true;
    } else if (Is(node, g_.await_expression)) {
      stack.push_back(NodeNamedChild(node, 0));
    } else if (Is(node, g_.binary_expression)) {
      const std::string_view op = module_.Text(Field(node, g_.field_operator));
      if (op == "||" || op == "??" || op == "&&") {
        stack.push_back(Field(node, g_.field_left));
        stack.push_back(Field(node, g_.field_right));
      }
    }
  }
  return false;
}

Origin JsTaint::SourceAt(Node expression, int function) const {
  const Origin origin = SourceOf(expression);
  if (origin == Origin::kNone) return origin;
  Node root = StripParens(expression);
  for (int i = 0; i < kMaxSourceChain; ++i) {
    if (Is(root, g_.call_expression)) {
      root = StripParens(Field(root, g_.field_function));
    } else if (Is(root, g_.member_expression) || Is(root, g_.subscript_expression)) {
      root = StripParens(Field(root, g_.field_object));
    } else {
      break;
    }
  }
  if (!Is(root, g_.identifier)) return origin;
  const Binding* b = Lookup(module_.Text(root), function, NodeStartByte(root));
  return b == nullptr || b->parameter ? origin : Origin::kNone;
}

void JsTaint::BindParameters(int function) {
  const JsFunction& f = module_.functions()[function];
  const uint32_t from = NodeStartByte(f.node);
  // A parameter is an unknown value that shadows outer names of the same spelling.
  JsValue unknown;
  unknown.dynamic = true;
  Node params = Field(f.node, g_.field_parameters);
  if (NodeIsNull(params)) {
    const Node single = Field(f.node, ts_language_field_id_for_name(
                                            tree_sitter_javascript(), "parameter", 9));
    if (Is(single, g_.identifier)) {
      Bind(function, module_.Text(single), from, unknown, {}, false, /*parameter=*/true);
    }
    return;
  }
  ForEachChild(params, [&](Node child, TSFieldId) {
    if (NodeIsNamed(child)) BindPattern(child, function, from, unknown, /*parameter=*/true);
  });
}

void JsTaint::Bind(int function, std::string_view name, uint32_t from, const JsValue& value,
                   Node expression, bool appended, bool parameter) {
  bindings_[Key{function, name}].push_back(Binding{from, value, expression, appended, parameter});
}

Node JsTaint::BoundExpression(Node identifier, int function) const {
  identifier = StripParens(identifier);
  if (!Is(identifier, g_.identifier)) return {};
  const Binding* b =
      Lookup(module_.Text(identifier), function, NodeStartByte(identifier));
  return b == nullptr || b->appended ? Node() : b->expression;
}

std::vector<Node> JsTaint::BoundPieces(Node identifier, int function) const {
  std::vector<Node> out;
  identifier = StripParens(identifier);
  if (!Is(identifier, g_.identifier)) return out;
  const std::string_view name = module_.Text(identifier);
  const uint32_t at = NodeStartByte(identifier);
  const int scope = ScopeOf(name, function, at);
  if (scope == -2) return out;
  for (const Binding& b : bindings_.find(Key{scope, name})->second) {
    if (b.from > at) break;
    if (!b.appended) out.clear();  // a plain assignment starts the value again
    if (!NodeIsNull(b.expression)) out.push_back(b.expression);
  }
  return out;
}

int JsTaint::ScopeOf(std::string_view name, int function, uint32_t at) const {
  for (int fn = function, steps = 0; steps <= static_cast<int>(module_.functions().size());
       ++steps) {
    const auto it = bindings_.find(Key{fn, name});
    if (it != bindings_.end() && !it->second.empty() && it->second.front().from <= at) return fn;
    if (fn < 0) break;
    fn = module_.functions()[fn].parent;
  }
  return -2;
}

const JsTaint::Binding* JsTaint::Lookup(std::string_view name, int function, uint32_t at) const {
  // Each step moves to the enclosing function, so the walk ends after at most
  // functions().size() + 1 scopes.
  for (int fn = function, steps = 0; steps <= static_cast<int>(module_.functions().size());
       ++steps) {
    const auto it = bindings_.find(Key{fn, name});
    if (it != bindings_.end()) {
      // Bindings are in document order: the last one starting at or before `at`.
      const std::vector<Binding>& all = it->second;
      const auto after = std::upper_bound(all.begin(), all.end(), at,
                                          [](uint32_t a, const Binding& b) { return a < b.from; });
      if (after != all.begin()) return &*(after - 1);
    }
    if (fn < 0) break;
    fn = module_.functions()[fn].parent;
  }
  return nullptr;
}

}  // namespace conclave::analysis::javascript
