#include "agents/security/taint.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "agents/analysis/expressions.h"
#include "agents/security/taint_catalog.h"

namespace conclave::security {
namespace {

using analysis::Node;
using analysis::Field;
using analysis::ForEachChild;
using analysis::Is;
using analysis::ParsedModule;
using analysis::PythonGrammar;
using analysis::Unparenthesize;

// Node kinds and fields the shared PythonGrammar does not name.
struct FlowGrammar {
  TSSymbol subscript, named_expression, return_statement, raise_statement, expression_statement,
      else_clause, finally_clause, with_clause, with_item, as_pattern, lambda, decorator,
      continue_statement, break_statement, unary_operator, list_splat, dictionary_splat,
      keyword_separator, positional_separator, await_, slice;
  TSFieldId field_alternative, field_consequence, field_subject, field_alias, field_argument,
      field_subscript, field_type;

  static const FlowGrammar& Get() {
    static const FlowGrammar grammar = [] {
      const TSLanguage* language = tree_sitter_python();
      auto symbol = [&](const char* name) {
        return ts_language_symbol_for_name(language, name, std::strlen(name), true);
      };
      auto field = [&](const char* name) {
        return ts_language_field_id_for_name(language, name, std::strlen(name));
      };
      FlowGrammar g;
      g.subscript = symbol("subscript");
      g.named_expression = symbol("named_expression");
      g.return_statement = symbol("return_statement");
      g.raise_statement = symbol("raise_statement");
      g.expression_statement = symbol("expression_statement");
      g.else_clause = symbol("else_clause");
      g.finally_clause = symbol("finally_clause");
      g.with_clause = symbol("with_clause");
      g.with_item = symbol("with_item");
      g.as_pattern = symbol("as_pattern");
      g.lambda = symbol("lambda");
      g.decorator = symbol("decorator");
      g.continue_statement = symbol("continue_statement");
      g.break_statement = symbol("break_statement");
      g.unary_operator = symbol("unary_operator");
      g.list_splat = symbol("list_splat");
      g.dictionary_splat = symbol("dictionary_splat");
      g.keyword_separator = symbol("keyword_separator");
      g.positional_separator = symbol("positional_separator");
      g.await_ = symbol("await");
      g.slice = symbol("slice");
      g.field_alternative = field("alternative");
      g.field_consequence = field("consequence");
      g.field_subject = field("subject");
      g.field_alias = field("alias");
      g.field_argument = field("argument");
      g.field_subscript = field("subscript");
      g.field_type = field("type");
      return g;
    }();
    return grammar;
  }
};

// The named children of `node` (comments included).
std::vector<Node> NamedChildren(Node node) {
  std::vector<Node> children;
  if (NodeIsNull(node)) return children;
  ForEachChild(node, [&](Node child, TSFieldId) {
    if (NodeIsNamed(child)) children.push_back(child);
  });
  return children;
}

enum class Source : uint8_t { kNone, kLocal, kRemote };

// Where a value's attacker-controlled part comes from.
struct Taint {
  Source source = Source::kNone;
  Origin origin;
  uint64_t params = 0;   // parameters (bit i = parameter i) of the function being analyzed
  uint16_t cleared = 0;  // kinds for which the tainted part was neutralized
  bool spliced = false;  // the tainted part was built into a string
  bool opaque = false;   // the tainted part passed through a call not known to keep text
  int caller = -1;       // function in which the source was read (-1: module level)

  bool tainted() const { return source != Source::kNone || params != 0; }
};

Taint Join(const Taint& a, const Taint& b) {
  if (!b.tainted()) return a;
  if (!a.tainted()) return b;
  Taint r = a.source >= b.source ? a : b;
  r.params = a.params | b.params;
  r.cleared = a.cleared & b.cleared;
  r.spliced = a.spliced || b.spliced;
  r.opaque = a.opaque && b.opaque;
  return r;
}

struct Fields;

// The abstract value of an expression: its taint, whether it is provably a constant (and its
// truth when known), the kinds it is safe for as a whole, and what is known of its elements
// and attributes.
struct Value {
  Taint taint;
  bool constant = false;
  int8_t truth = -1;         // 0 false, 1 true, -1 unknown
  uint16_t safe = 0;         // kinds for which the whole value is safe
  bool normalized = false;   // a realpath/abspath result (path containment checks apply)
  bool http_client = false;  // a requests.Session, httpx.Client, ...: its get/post are SSRF sinks
  std::string_view literal;  // the body of a plain string literal this value is
  int klass = -1;            // an instance of this class of the module (index in classes())
  std::shared_ptr<const Fields> fields;
};

struct Fields {
  absl::flat_hash_map<std::string, Value> map;
};

Value Constant(int8_t truth = -1) {
  Value v;
  v.constant = true;
  v.truth = truth;
  v.safe = kAllKinds;
  return v;
}

Value FromSource(Source source, Origin origin, int function) {
  Value v;
  v.taint.source = source;
  v.taint.origin = origin;
  v.taint.caller = function;
  return v;
}

// The value of an element or attribute read out of `v`: the same taint, nothing more.
Value Element(const Value& v) {
  Value e;
  e.taint = v.taint;
  e.constant = v.constant;
  e.safe = v.safe;
  return e;
}

std::shared_ptr<const Fields> JoinFields(const std::shared_ptr<const Fields>& a,
                                         const std::shared_ptr<const Fields>& b);

Value Join(const Value& a, const Value& b) {
  Value r;
  r.taint = Join(a.taint, b.taint);
  r.constant = a.constant && b.constant;
  r.truth = a.truth == b.truth ? a.truth : -1;
  r.safe = a.safe & b.safe;
  r.normalized = a.normalized && b.normalized;
  r.http_client = a.http_client && b.http_client;
  r.literal = a.literal == b.literal ? a.literal : std::string_view();
  r.klass = a.klass == b.klass ? a.klass : -1;
  r.fields = JoinFields(a.fields, b.fields);
  return r;
}

// Keys known on both sides keep their joined value; a key known on one side only is dropped,
// so reading it falls back to the container's own (joined) taint.
std::shared_ptr<const Fields> JoinFields(const std::shared_ptr<const Fields>& a,
                                         const std::shared_ptr<const Fields>& b) {
  if (a == b) return a;
  if (!a || !b) return nullptr;
  auto joined = std::make_shared<Fields>();
  for (const auto& [key, value] : a->map) {
    const auto it = b->map.find(key);
    if (it != b->map.end()) joined->map.emplace(key, Join(value, it->second));
  }
  return joined;
}

bool SameValue(const Value& a, const Value& b) {
  return a.taint.source == b.taint.source && a.taint.params == b.taint.params &&
         a.taint.cleared == b.taint.cleared && a.taint.spliced == b.taint.spliced &&
         a.constant == b.constant && a.truth == b.truth && a.safe == b.safe &&
         a.http_client == b.http_client && a.literal == b.literal && a.klass == b.klass &&
         a.fields == b.fields;
}

// Local names and their values on one path through a function; `dead` once the path returned
// or raised.
struct Env {
  absl::flat_hash_map<std::string, Value> vars;
  bool dead = false;
};

Env Merge(const Env& a, const Env& b) {
  if (a.dead) return b;
  if (b.dead) return a;
  Env out;
  for (const auto& [name, value] : a.vars) {
    const auto it = b.vars.find(name);
    out.vars.emplace(name, it == b.vars.end() ? Join(value, Value{}) : Join(value, it->second));
  }
  for (const auto& [name, value] : b.vars) {
    if (!a.vars.contains(name)) out.vars.emplace(name, Join(Value{}, value));
  }
  return out;
}

bool SameEnv(const Env& a, const Env& b) {
  if (a.dead != b.dead || a.vars.size() != b.vars.size()) return false;
  for (const auto& [name, value] : a.vars) {
    const auto it = b.vars.find(name);
    if (it == b.vars.end() || !SameValue(value, it->second)) return false;
  }
  return true;
}

// A parameter-to-sink edge of a function summary: data of these parameters reaches the sink.
struct ParamSink {
  FlowKind kind;
  uint64_t params;
  uint16_t cleared;
  bool spliced;
  bool program;
  Node at{};
  Node data{};
  int function;
  std::string sink;
};

struct Summary {
  bool known = false;
  Taint returns;  // parameters and sources that reach the return value
  bool returns_constant = true;
  uint16_t returns_safe = kAllKinds;
  std::vector<ParamSink> sinks;

  bool SameAs(const Summary& o) const {
    return known == o.known && returns.source == o.returns.source &&
           returns.params == o.returns.params && returns.cleared == o.returns.cleared &&
           returns.spliced == o.returns.spliced && returns_constant == o.returns_constant &&
           returns_safe == o.returns_safe && sinks.size() == o.sinks.size();
  }
};

struct Param {
  std::string_view name;
  bool source = false;  // a web route's parameter
};

// What is known of one function before its body is analyzed.
struct FunctionFacts {
  std::vector<Param> params;
  int self_offset = 0;      // 1 for methods (self/cls is not passed at `self.m(...)` calls)
  bool route = false;       // registers a web route
  bool html_route = false;  // a Flask route: returning a str sends HTML
};

// The function being analyzed.
struct Context {
  int function = -1;
  const FunctionFacts* facts = nullptr;
  Summary* summary = nullptr;
};

struct Argument {
  Node node{};
  std::string_view keyword;  // empty for positional, "*" for splats
  Value value;
};

// str methods and accessors whose result is (part of) the receiver's text.
bool KeepsText(std::string_view method) {
  static const auto* methods = new absl::flat_hash_set<std::string_view>{
      "strip",        "lstrip",       "rstrip",       "lower",    "upper",      "title",
      "capitalize",   "casefold",     "replace",      "format",   "format_map", "join",
      "encode",       "decode",       "split",        "rsplit",   "splitlines", "partition",
      "rpartition",   "removeprefix", "removesuffix", "zfill",    "ljust",      "rjust",
      "center",       "expandtabs",   "get",          "getlist",  "pop",        "copy",
      "values",       "items",        "to_dict",      "get_json", "get_data",   "unquote",
      "unquote_plus", "read"};
  return methods->contains(method);
}

// Whether the decorator lines right above a `def` include @staticmethod (read from the text).
bool IsStaticMethod(Node def, std::string_view source) {
  size_t end = NodeStartByte(def);
  if (end > source.size()) return false;
  end = source.rfind('\n', end == 0 ? 0 : end - 1);  // the newline before the def's line
  for (int lines = 0; lines < 16 && end != std::string_view::npos && end > 0; ++lines) {
    const size_t begin = source.rfind('\n', end - 1);
    const size_t start = begin == std::string_view::npos ? 0 : begin + 1;
    std::string_view line = source.substr(start, end - start);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (!line.starts_with("@")) return false;
    if (line.starts_with("@staticmethod")) return true;
    if (begin == std::string_view::npos) return false;
    end = begin;
  }
  return false;
}

bool IsTornadoArgument(std::string_view method) {
  return method == "get_argument" || method == "get_arguments" || method == "get_query_argument" ||
         method == "get_query_arguments" || method == "get_body_argument" ||
         method == "get_body_arguments" || method == "get_cookie";
}

bool StartsFixedDestination(std::string_view literal) {
  // "/path..." (not "//host") or "scheme://host/...": the destination's host is fixed.
  if (literal.size() >= 2 && literal[0] == '/' && literal[1] != '/' && literal[1] != '\\') {
    return true;
  }
  const size_t scheme = literal.find("://");
  if (scheme == std::string_view::npos || scheme == 0) return false;
  const size_t slash = literal.find('/', scheme + 3);
  return slash != std::string_view::npos && slash > scheme + 3;
}

class Analysis {
 public:
  Analysis(const ParsedModule& m, TaintLimits limits)
      : m_(m), g_(PythonGrammar::Get()), f_(FlowGrammar::Get()), limits_(limits) {}

  std::vector<Flow> Run();

 private:
  bool Plan();
  void SelectCallees();
  void IndexFunctions();
  FunctionFacts Facts(int index) const;
  void AnalyzeModuleLevel();
  void AnalyzeFunction(int index);

  void Block(Node block, Env& env, Context& c, int depth);
  void Statement(Node node, Env& env, Context& c, int depth);
  void IfStatement(Node node, Env& env, Context& c, int depth);
  void Loop(Node node, bool is_for, Env& env, Context& c, int depth);
  void Try(Node node, Env& env, Context& c, int depth);
  void With(Node node, Env& env, Context& c, int depth);
  void Match(Node node, Env& env, Context& c, int depth);
  void Return(Node node, Env& env, Context& c, int depth);
  void KeepClosure(int function, const Env& env);

  Value Eval(Node node, Env& env, Context& c, int depth);
  Value EvalChildren(Node node, Env& env, Context& c, int depth);
  Value EvalString(Node node, Env& env, Context& c, int depth);
  Value EvalAttribute(Node node, Env& env, Context& c, int depth);
  Value EvalSubscript(Node node, Env& env, Context& c, int depth);
  Value EvalCall(Node node, Env& env, Context& c, int depth);
  Value EvalCollection(Node node, Env& env, Context& c, int depth);
  Value EvalComprehension(Node node, Env& env, Context& c, int depth);
  Value EvalBinary(Node node, Env& env, Context& c, int depth);
  Value Lookup(std::string_view name, const Env& env) const;
  Value Summarized(Node node, const Env& env);
  Value CallSummary(int callee, const Summary& s, int offset, const std::vector<Argument>& args,
                    const Value* receiver, Context& c);
  std::vector<int> CalleesFirst();

  void Assign(Node target, const Value& value, Env& env, Context& c, int depth);
  void AssignStatement(Node node, Env& env, Context& c, int depth);
  void StoreField(Node object, std::string key, const Value& value, bool weak, Env& env);
  void Bind(Env& env, std::string_view name, const Value& value);

  void Refine(Node condition, bool holds, Env& env, int depth);
  void Clean(Node subject, uint16_t kinds, Env& env);

  void CheckSink(const SinkSpec& spec, Node call, const std::string& callee,
                 const std::vector<Argument>& args, Node receiver_node, const Value& receiver,
                 Env& env, Context& c);
  void Emit(FlowKind kind, Node at, Node data, const Value& value, std::string sink, Context& c,
            bool always = false, bool program = false);
  void Record(Flow flow);

  int Resolve(Node call, int* offset, const Context& c, const Value* receiver) const;
  std::string Prefix(Node node, const Env& env, int depth) const;
  // `request`, `self.request`, or a name imported as flask's/starlette's request.
  bool IsRequestObject(std::string_view text) const {
    if (text == "request" || text.ends_with(".request")) return true;
    const std::string_view imported = m_.ImportedName(text);
    return !imported.empty() && imported.ends_with(".request");
  }
  bool Spend() { return --budget_ >= 0; }
  static uint64_t ReceiverMask(const Context& c) {
    return c.facts != nullptr && c.facts->self_offset == 1 ? 1 : 0;
  }
  std::string_view TextOf(Node node) const {
    return NodeIsNull(node) ? std::string_view() : m_.Text(node);
  }

  const ParsedModule& m_;
  const PythonGrammar& g_;
  const FlowGrammar& f_;
  TaintLimits limits_;
  int budget_ = 0;
  bool fastapi_ = false;
  bool route_hint_ = false;          // the text mentions a web framework's routing
  bool used_stale_summary_ = false;  // a call read a summary from the previous round
  std::vector<bool> analyzed_;       // functions whose summary is final for this round
  std::vector<FunctionFacts> facts_;
  absl::flat_hash_map<std::string_view, int> module_functions_;
  absl::flat_hash_map<std::string, int> methods_;  // "Class.method"
  absl::flat_hash_map<std::string_view, int> module_classes_;
  bool source_hint_ = false;   // the module's text shows a source (Plan)
  bool whole_module_ = false;  // every function is walked (Plan)
  bool tornado_ = false;       // the module imports tornado (RequestHandler sources and sinks)
  std::vector<Summary> previous_, current_;
  Env module_env_;
  // For functions that define nested functions: every binding their body made (joined over
  // all paths), which the nested functions read as closure variables.
  std::vector<bool> selected_;  // functions to walk (Plan)
  std::vector<bool> has_nested_;
  std::vector<Env> closure_envs_;
  const Env* enclosing_env_ = nullptr;
  using FlowKey = std::tuple<uint32_t, uint32_t, uint8_t>;  // span of the sink, kind, program
  absl::flat_hash_map<FlowKey, Flow> flows_;
  // Per class of the module: what its methods store into attributes of self from a source
  // (`self.path = request.args["p"]`), which every method then reads as self's attributes; and
  // the attributes some method stores a sanitized value into, which are left out. Kept across
  // rounds; a round that learns something new is followed by another.
  struct ClassAttributes {
    absl::flat_hash_map<std::string, Value> tainted;
    absl::flat_hash_set<std::string> sanitized;
  };
  std::vector<ClassAttributes> class_attributes_;
  bool class_attributes_grew_ = false;
  void RecordSelfAttribute(const Context& c, std::string attribute, const Value& value);
};

// ---- set-up ----

// Decides what to walk. A module with no sink is skipped. Where the text shows request
// handling (`request`, fastapi, `.route(`) every function is walked. Otherwise only code, SQL,
// command and deserialization sinks can report (local sources and parameters reach nothing
// else), so only the functions holding such a sink are walked, with the functions they call
// (SelectCallees, for their summaries), and the module level for its constants.
bool Analysis::Plan() {
  const std::string_view text = m_.source();
  auto mentions = [&](std::string_view word) { return text.find(word) != std::string_view::npos; };
  const bool remote_hint =
      mentions("request") || mentions("fastapi") || mentions(".route(") || mentions("tornado");
  source_hint_ = remote_hint || mentions("input(") || mentions("argv") || mentions("environ") ||
                 mentions("getenv");
  whole_module_ = remote_hint;
  const int n = static_cast<int>(m_.functions().size());
  selected_.assign(n, remote_hint);
  if (remote_hint && (mentions("session") || mentions(".route("))) return true;
  bool any = false;
  for (const analysis::Site& call : m_.calls()) {
    const std::string callee = m_.CalleeName(call.node);
    const bool attribute = Is(Field(call.node, g_.field_function), g_.attribute);
    const SinkSpec* spec = FindSink(callee, m_.MethodName(call.node), attribute);
    if (spec == nullptr) continue;
    switch (spec->kind) {
      case FlowKind::kCodeEval:
      case FlowKind::kSql:
      case FlowKind::kCommand:
      case FlowKind::kDeserialization:
        any = true;
        if (call.function >= 0) selected_[call.function] = true;
        break;
      default:
        if (remote_hint) return true;
    }
    if (any && remote_hint) return true;
  }
  return any;
}

void Analysis::SelectCallees() {
  // The methods of a selected method's class come too: they may store into self what it reads.
  const std::vector<analysis::FunctionInfo>& functions = m_.functions();
  absl::flat_hash_set<int> classes;
  for (int i = 0; i < static_cast<int>(selected_.size()); ++i) {
    if (selected_[i] && functions[i].owner_class >= 0) classes.insert(functions[i].owner_class);
  }
  for (int i = 0; i < static_cast<int>(selected_.size()); ++i) {
    if (functions[i].owner_class >= 0 && classes.contains(functions[i].owner_class)) {
      selected_[i] = true;
    }
  }
  std::vector<int> pending;
  for (int i = 0; i < static_cast<int>(selected_.size()); ++i) {
    if (selected_[i]) pending.push_back(i);
  }
  std::vector<std::vector<int>> callees(selected_.size());
  for (const analysis::Site& call : m_.calls()) {
    if (call.function < 0) continue;
    Context c;
    c.function = call.function;
    int offset = 0;
    const int callee = Resolve(call.node, &offset, c, nullptr);
    if (callee >= 0) callees[call.function].push_back(callee);
  }
  while (!pending.empty()) {
    const int f = pending.back();
    pending.pop_back();
    for (int g : callees[f]) {
      if (!selected_[g]) {
        selected_[g] = true;
        pending.push_back(g);
      }
    }
  }
}

void Analysis::IndexFunctions() {
  const auto& functions = m_.functions();
  const auto& classes = m_.classes();
  for (int i = 0; i < static_cast<int>(classes.size()); ++i) module_classes_[classes[i].name] = i;
  for (int i = 0; i < static_cast<int>(functions.size()); ++i) {
    const analysis::FunctionInfo& fn = functions[i];
    if (fn.parent_function >= 0) continue;
    if (fn.owner_class < 0) {
      module_functions_[fn.name] = i;
    } else {
      methods_[std::string(classes[fn.owner_class].name) + "." + std::string(fn.name)] = i;
    }
  }
  for (Node child : NamedChildren(m_.root())) {
    if (Is(child, g_.import_statement) || Is(child, g_.import_from_statement)) {
      const std::string_view text = TextOf(child);
      if (text.find("fastapi") != std::string_view::npos ||
          text.find("starlette") != std::string_view::npos) {
        fastapi_ = true;
      }
      if (text.find("tornado") != std::string_view::npos) tornado_ = true;
    }
  }
  const std::string_view text = m_.source();
  for (std::string_view hint : {".route(", "flask", "fastapi", "starlette", "Router", "@app."}) {
    route_hint_ = route_hint_ || text.find(hint) != std::string_view::npos;
  }
  for (int i = 0; i < static_cast<int>(functions.size()); ++i) facts_.push_back(Facts(i));
}

// Route converters that only match numbers or UUIDs: <int:id>, <float:x>, <uuid:u>.
bool TypedRouteParameter(std::string_view route, std::string_view name) {
  for (std::string_view converter : {"int:", "float:", "uuid:"}) {
    const std::string needle = "<" + std::string(converter) + std::string(name) + ">";
    if (route.find(needle) != std::string_view::npos) return true;
  }
  return false;
}

// FastAPI validates these annotations, or injects the object itself.
// The type an annotation validates: `int` for `Optional[int]`, `int | None`,
// `Annotated[int, Query(gt=0)]`.
std::string_view CoreAnnotation(std::string_view type) {
  for (int i = 0; i < 4; ++i) {
    for (std::string_view wrapper :
         {"Optional[", "typing.Optional[", "Annotated[", "typing.Annotated["}) {
      if (type.starts_with(wrapper) && type.ends_with("]")) {
        type = type.substr(wrapper.size(), type.size() - wrapper.size() - 1);
        if (wrapper.find("Annotated") != std::string_view::npos) {
          type = type.substr(0, type.find(','));
        }
      }
    }
    if (type.ends_with(" | None")) type.remove_suffix(7);
    if (type.starts_with("None | ")) type.remove_prefix(7);
    while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  }
  return type;
}

bool SafeAnnotation(std::string_view type) {
  type = CoreAnnotation(type);
  for (std::string_view safe :
       {"int", "float", "bool", "UUID", "uuid.UUID", "date", "datetime", "Request", "Response",
        "Session", "BackgroundTasks", "WebSocket", "AsyncSession", "HTTPConnection"}) {
    if (type == safe) return true;
  }
  return false;
}

FunctionFacts Analysis::Facts(int index) const {
  const analysis::FunctionInfo& fn = m_.functions()[index];
  FunctionFacts facts;
  facts.self_offset = fn.owner_class >= 0 && !IsStaticMethod(fn.node, m_.source()) ? 1 : 0;
  std::string_view route_text;
  const Node parent = route_hint_ ? NodeParent(fn.node) : Node();
  if (Is(parent, g_.decorated_definition)) {
    ForEachChild(parent, [&](Node child, TSFieldId) {
      if (!Is(child, f_.decorator)) return;
      const Node expr = NodeNamedChild(child, 0);
      if (!Is(expr, g_.call) || !Is(Field(expr, g_.field_function), g_.attribute)) return;
      const std::string_view method = m_.MethodName(expr);
      if (!IsRouteDecoratorMethod(method)) return;
      facts.route = true;
      facts.html_route = method == "route" || !fastapi_;
      route_text = TextOf(Field(expr, g_.field_arguments));
    });
  }
  const Node params = Field(fn.node, g_.field_parameters);
  int position = 0;
  ForEachChild(params, [&](Node child, TSFieldId) {
    if (!NodeIsNamed(child) || NodeIsExtra(child)) return;
    Node name_node{};
    std::string_view type, default_text;
    if (Is(child, g_.identifier)) {
      name_node = child;
    } else if (Is(child, g_.typed_parameter)) {
      name_node = NodeNamedChild(child, 0);
      type = TextOf(Field(child, f_.field_type));
    } else if (Is(child, g_.default_parameter) || Is(child, g_.typed_default_parameter)) {
      name_node = Field(child, g_.field_name);
      type = TextOf(Field(child, f_.field_type));
      default_text = TextOf(Field(child, g_.field_value));
    }
    if (!Is(name_node, g_.identifier)) return;  // *args, **kwargs, tuple patterns
    Param p{TextOf(name_node)};
    const bool receiver = position == 0 && facts.self_offset == 1;
    if (facts.route && !receiver) {
      p.source =
          facts.html_route && !fastapi_
              ? !TypedRouteParameter(route_text, p.name)
              : !SafeAnnotation(type) && default_text.find("Depends(") == std::string_view::npos;
    }
    facts.params.push_back(p);
    ++position;
  });
  return facts;
}

std::vector<Flow> Analysis::Run() {
  if (!Plan()) return {};
  IndexFunctions();
  if (!whole_module_) SelectCallees();
  const int n = static_cast<int>(m_.functions().size());
  previous_.assign(n, Summary{});
  has_nested_.assign(n, false);
  for (const analysis::FunctionInfo& fn : m_.functions()) {
    if (fn.parent_function >= 0) has_nested_[fn.parent_function] = true;
  }
  const std::vector<int> order = CalleesFirst();
  class_attributes_.assign(m_.classes().size(), ClassAttributes{});
  for (int round = 0; round <= limits_.summary_rounds; ++round) {
    class_attributes_grew_ = false;
    flows_.clear();
    current_.assign(n, Summary{});
    closure_envs_.assign(n, Env{});
    analyzed_.assign(n, false);
    used_stale_summary_ = false;
    budget_ = limits_.node_budget;
    AnalyzeModuleLevel();  // the module's constants and globals, for the functions
    for (int i : order) AnalyzeFunction(i);
    AnalyzeModuleLevel();  // again, now that calls from module level have summaries
    bool stable = true;
    for (int i = 0; i < n && stable; ++i) stable = previous_[i].SameAs(current_[i]);
    previous_ = std::move(current_);
    // Callees come first, so only recursion reads a summary of the previous round; methods
    // read self's attributes as the previous methods left them, so a round that learned one
    // is followed by another.
    if ((stable || !used_stale_summary_) && !class_attributes_grew_) break;
  }
  std::vector<Flow> out;
  out.reserve(flows_.size());
  for (auto& [key, flow] : flows_) out.push_back(std::move(flow));
  std::sort(out.begin(), out.end(), [](const Flow& a, const Flow& b) {
    const uint32_t ab = NodeStartByte(a.at), bb = NodeStartByte(b.at);
    return ab != bb ? ab < bb : a.kind < b.kind;
  });
  return out;
}

// The selected functions, each after the functions it calls (a depth-first post-order over
// calls that resolve within the module), then nested functions after their parents.
std::vector<int> Analysis::CalleesFirst() {
  const int n = static_cast<int>(m_.functions().size());
  std::vector<std::vector<int>> callees(n);
  for (const analysis::Site& call : m_.calls()) {
    if (call.function < 0 || !selected_[call.function]) continue;
    Context c;
    c.function = call.function;
    int offset = 0;
    const int callee = Resolve(call.node, &offset, c, nullptr);
    if (callee >= 0 && callee != call.function && selected_[callee]) {
      callees[call.function].push_back(callee);
    }
  }
  std::vector<int> order;
  order.reserve(n);
  std::vector<uint8_t> state(n, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<std::pair<int, size_t>> stack;
  for (int root = 0; root < n; ++root) {
    if (!selected_[root] || state[root] != 0 || m_.functions()[root].parent_function >= 0) {
      continue;
    }
    stack.push_back({root, 0});
    state[root] = 1;
    while (!stack.empty()) {
      auto& [f, next] = stack.back();
      if (next < callees[f].size()) {
        const int g = callees[f][next++];
        if (state[g] == 0 && m_.functions()[g].parent_function < 0) {
          state[g] = 1;
          stack.push_back({g, 0});
        }
        continue;
      }
      state[f] = 2;
      order.push_back(f);
      stack.pop_back();
    }
  }
  for (int i = 0; i < n; ++i) {
    if (selected_[i] && m_.functions()[i].parent_function >= 0) order.push_back(i);
  }
  return order;
}

void Analysis::AnalyzeModuleLevel() {
  module_env_ = Env{};
  Context c;
  Block(m_.root(), module_env_, c, 0);
  module_env_.dead = false;
}

void Analysis::AnalyzeFunction(int index) {
  const analysis::FunctionInfo& fn = m_.functions()[index];
  const FunctionFacts& facts = facts_[index];
  Summary& summary = current_[index];
  Context c{index, &facts, &summary};
  Env env;
  for (size_t i = 0; i < facts.params.size(); ++i) {
    const Param& p = facts.params[i];
    Value v;
    if (p.source) {
      v = FromSource(Source::kRemote, {"route parameter", p.name, fn.first_line}, index);
    } else if (i == 0 && facts.self_offset == 1) {
      // The receiver: what the method does with self's data is summarized under bit 0, so
      // a call on an object built from request data reports the flow (Fetcher(url).get()).
      // Flows of self's own data are not parameter flows (see Emit).
      if (source_hint_) v.taint.params = 1;
      // What the class's methods store into self from a source (RecordSelfAttribute).
      if (fn.owner_class >= 0 && fn.owner_class < static_cast<int>(class_attributes_.size())) {
        const ClassAttributes& attributes = class_attributes_[fn.owner_class];
        auto fields = std::make_shared<Fields>();
        for (const auto& [name, value] : attributes.tainted) {
          if (!attributes.sanitized.contains(name)) fields->map[name] = value;
        }
        if (!fields->map.empty()) v.fields = std::move(fields);
      }
    } else if (!(i == 0 && facts.self_offset == 1) && i < 64 && !facts.route &&
               p.name != "request" && p.name != "req") {
      // A route's other parameters are the framework's own (validated path converters,
      // injected dependencies); a request object is not data itself: its data attributes
      // are sources and the rest (request.user, request.method) is the server's own.
      v.taint.params = uint64_t{1} << i;
    }
    Bind(env, p.name, v);
  }
  const int parent = fn.parent_function;
  enclosing_env_ = parent >= 0 && analyzed_[parent] ? &closure_envs_[parent] : nullptr;
  Block(Field(fn.node, g_.field_body), env, c, 0);  // falling off the end returns None
  enclosing_env_ = nullptr;
  if (has_nested_[index]) KeepClosure(index, env);
  summary.known = true;
  analyzed_[index] = true;
}

// ---- statements ----

void Analysis::Block(Node block, Env& env, Context& c, int depth) {
  for (Node child : NamedChildren(block)) {
    if (env.dead || budget_ < 0) return;
    Statement(child, env, c, depth);
  }
}

void Analysis::Statement(Node node, Env& env, Context& c, int depth) {
  if (!Spend() || depth > limits_.max_depth) return;
  const TSSymbol s = NodeSymbol(node);
  if (s == f_.expression_statement) {
    for (Node child : NamedChildren(node)) {
      if (Is(child, g_.assignment) || Is(child, g_.augmented_assignment)) {
        AssignStatement(child, env, c, depth);
      } else {
        Eval(child, env, c, depth + 1);
        if (Is(child, g_.call) && EndsPath(m_.CalleeName(child))) env.dead = true;
      }
    }
  } else if (s == f_.return_statement) {
    Return(node, env, c, depth);
  } else if (s == f_.raise_statement) {
    EvalChildren(node, env, c, depth + 1);
    env.dead = true;
  } else if (s == f_.continue_statement || s == f_.break_statement) {
    env.dead = true;
  } else if (s == g_.if_statement) {
    IfStatement(node, env, c, depth);
  } else if (s == g_.for_statement || s == g_.while_statement) {
    Loop(node, s == g_.for_statement, env, c, depth);
  } else if (s == g_.try_statement) {
    Try(node, env, c, depth);
  } else if (s == g_.with_statement) {
    With(node, env, c, depth);
  } else if (s == g_.match_statement) {
    Match(node, env, c, depth);
  } else if (s == g_.function_definition || s == g_.class_definition) {
    // Analyzed on their own (functions) or not at all (class bodies); the name is rebound.
    env.vars[std::string(TextOf(Field(node, g_.field_name)))] = Value{};
  } else if (s == g_.decorated_definition) {
    const Node def = Field(node, g_.field_definition);
    env.vars[std::string(TextOf(Field(def, g_.field_name)))] = Value{};
  } else if (s == g_.import_statement || s == g_.import_from_statement || NodeIsExtra(node)) {
    // Imported names are modules and library objects, not data.
  } else {
    EvalChildren(node, env, c, depth + 1);
  }
}

void Analysis::AssignStatement(Node node, Env& env, Context& c, int depth) {
  const Node left = Field(node, g_.field_left);
  Node right = Field(node, g_.field_right);
  if (Is(node, g_.augmented_assignment)) {
    const Value added = Eval(right, env, c, depth + 1);
    Value joined = Join(Eval(left, env, c, depth + 1), added);
    const std::string_view op = TextOf(Field(node, g_.field_operator));
    if ((op == "+=" || op == "%=") && joined.taint.tainted()) joined.taint.spliced = true;
    joined.fields = nullptr;
    Assign(left, joined, env, c, depth);
    return;
  }
  if (NodeIsNull(right)) return;  // `x: int` declares without a value
  Value value;
  if (Is(right, g_.assignment)) {  // a = b = value
    AssignStatement(right, env, c, depth);
    value = Eval(Field(right, g_.field_left), env, c, depth + 1);
  } else {
    value = Eval(right, env, c, depth + 1);
  }
  Assign(left, value, env, c, depth);
  // session[...] = data stores request data in the trusted session (SEC016).
  if (Is(left, f_.subscript)) {
    const std::string_view base = TextOf(Field(left, g_.field_value));
    if (base == "session" || base.ends_with(".session") || base == "flask.session") {
      Emit(FlowKind::kTrustBoundary, node, right, value, std::string(base) + "[...] =", c);
    }
  }
}

void Analysis::Assign(Node target, const Value& value, Env& env, Context& c, int depth) {
  target = Unparenthesize(target);
  if (Is(target, g_.identifier)) {
    Bind(env, TextOf(target), value);
  } else if (Is(target, g_.pattern_list) || Is(target, g_.tuple_pattern) ||
             Is(target, g_.list_pattern) || Is(target, g_.tuple) || Is(target, g_.list) ||
             Is(target, g_.expression_list)) {
    int i = -1;
    for (Node child : NamedChildren(target)) {
      ++i;
      Value element = Element(value);
      if (value.fields) {
        const auto it = value.fields->map.find(std::to_string(i));
        if (it != value.fields->map.end()) element = it->second;
      }
      if (Is(child, g_.list_splat_pattern)) {
        Assign(NodeNamedChild(child, 0), Element(value), env, c, depth);
      } else {
        Assign(child, element, env, c, depth);
      }
    }
  } else if (Is(target, g_.attribute)) {
    const Node object = Unparenthesize(Field(target, g_.field_object));
    std::string attribute(TextOf(Field(target, g_.field_attribute)));
    if (c.facts != nullptr && c.facts->self_offset == 1 && !c.facts->params.empty() &&
        Is(object, g_.identifier) && TextOf(object) == c.facts->params[0].name) {
      RecordSelfAttribute(c, attribute, value);
    }
    StoreField(object, std::move(attribute), value, /*weak=*/false, env);
  } else if (Is(target, f_.subscript)) {
    const Node index = Field(target, f_.field_subscript);
    Eval(index, env, c, depth + 1);
    const std::string key =
        analysis::IsConstant(index) ? std::string(TextOf(index)) : std::string();
    StoreField(Field(target, g_.field_value), key, value, /*weak=*/true, env);
  }
}

// `self.attribute = value` in a method of class C: data from a source is what C's other
// methods will read as self.attribute; a sanitized value (a basename, a cast, an escape) keeps
// the attribute out altogether, as the order the methods run in is unknown.
void Analysis::RecordSelfAttribute(const Context& c, std::string attribute, const Value& value) {
  const int klass = m_.functions()[c.function].owner_class;
  if (klass < 0 || klass >= static_cast<int>(class_attributes_.size())) return;
  ClassAttributes& attributes = class_attributes_[klass];
  const Taint& t = value.taint;
  if (value.constant) return;  // a default (`self.name = None`) says nothing
  if (value.safe != 0 || (t.tainted() && t.cleared != 0)) {
    class_attributes_grew_ |= attributes.sanitized.insert(attribute).second;
    return;
  }
  if (t.source == Source::kNone) return;
  Value stored = Element(value);
  stored.taint.params = 0;  // the method's own parameters mean nothing in another method
  const auto [it, inserted] = attributes.tainted.emplace(std::move(attribute), stored);
  if (inserted) {
    class_attributes_grew_ = true;
  } else if (it->second.taint.source < stored.taint.source) {
    it->second = stored;
    class_attributes_grew_ = true;
  }
}

// Binds a local name. A value nothing is known about is the same as no binding, so it is
// dropped unless it hides a global or closure binding of the same name: environments stay
// small and branches cheap to copy and join.
void Analysis::Bind(Env& env, std::string_view name, const Value& value) {
  const bool plain = !value.taint.tainted() && !value.constant && value.safe == 0 &&
                     !value.normalized && !value.http_client && value.klass < 0 &&
                     value.fields == nullptr;
  std::string key(name);
  if (plain && (&env == &module_env_ || !module_env_.vars.contains(key)) &&
      (enclosing_env_ == nullptr || !enclosing_env_->vars.contains(key))) {
    env.vars.erase(key);
    return;
  }
  env.vars[std::move(key)] = value;
}

// obj.key = value / obj[key] = value on a local name. Attributes are strong updates of that
// attribute only; container elements also join into the container (it now holds the value).
void Analysis::StoreField(Node object, std::string key, const Value& value, bool weak, Env& env) {
  object = Unparenthesize(object);
  if (!Is(object, g_.identifier)) return;
  const std::string name(TextOf(object));
  auto it = env.vars.find(name);
  if (it == env.vars.end()) it = env.vars.emplace(name, Lookup(name, env)).first;
  Value& base = it->second;
  auto fields = base.fields ? std::make_shared<Fields>(*base.fields) : std::make_shared<Fields>();
  if (!key.empty()) {
    fields->map[key] = value;
  }
  if (weak) {
    const Value before = base;
    base = Join(before, value);
    base.constant = before.constant && value.constant;
  }
  if (weak && key.empty()) {
    base.fields = nullptr;  // an unknown element changed: no element is known any more
  } else {
    base.fields = std::move(fields);
  }
}

void Analysis::KeepClosure(int function, const Env& env) {
  if (env.dead) return;
  Env& kept = closure_envs_[function];
  kept = kept.vars.empty() ? env : Merge(kept, env);
  kept.dead = false;
}

void Analysis::Return(Node node, Env& env, Context& c, int depth) {
  const Node expr = NodeNamedChild(node, 0);
  Value v = NodeIsNull(expr) ? Constant(0) : Eval(expr, env, c, depth + 1);
  if (c.function >= 0 && has_nested_[c.function]) KeepClosure(c.function, env);
  if (c.summary != nullptr) {
    c.summary->returns = Join(c.summary->returns, v.taint);
    c.summary->returns_constant = c.summary->returns_constant && v.constant;
    c.summary->returns_safe &= v.safe;
  }
  // A Flask route returning a str sends it as HTML (SEC011).
  if (c.facts != nullptr && c.facts->html_route && !NodeIsNull(expr)) {
    Node body = Unparenthesize(expr);
    if (Is(body, g_.expression_list) || Is(body, g_.tuple)) {
      body = Unparenthesize(NodeNamedChild(body, 0));
    }
    bool textual = !Is(body, g_.dictionary) && !Is(body, g_.list) && !Is(body, g_.call);
    if (Is(body, g_.call)) {
      const std::string_view method = m_.MethodName(body);
      // Markup("<b>{}</b>").format(x) escapes x.
      const Node receiver = Field(Field(body, g_.field_function), g_.field_object);
      const bool markup = Is(receiver, g_.call) && m_.MethodName(receiver) == "Markup";
      textual = (method == "format" && !markup) || method == "join" || method == "str";
    }
    if (textual) {
      Value body_value = body == expr ? v : Eval(body, env, c, depth + 1);
      if (body_value.taint.source == Source::kRemote && !body_value.taint.opaque) {
        Emit(FlowKind::kXss, node, body, body_value, "a route's return", c);
      }
    }
  }
  env.dead = true;
}

void Analysis::IfStatement(Node node, Env& env, Context& c, int depth) {
  std::vector<Env> outcomes;
  Env rest = env;
  bool taken = false;  // a branch whose condition folds to true ends the chain
  auto branch = [&](Node condition, Node body) {
    const Value cond = Eval(condition, rest, c, depth + 1);
    if (cond.truth == 0) return;                    // dead branch
    budget_ -= static_cast<int>(rest.vars.size());  // copying and joining cost as much
    Env inside = rest;
    if (cond.truth != 1) Refine(condition, true, inside, 0);
    Block(body, inside, c, depth + 1);
    outcomes.push_back(std::move(inside));
    if (cond.truth == 1) {
      taken = true;
    } else {
      Refine(condition, false, rest, 0);
    }
  };
  branch(Field(node, g_.field_condition), Field(node, f_.field_consequence));
  ForEachChild(node, [&](Node child, TSFieldId field) {
    if (taken || field != f_.field_alternative) return;
    if (Is(child, g_.elif_clause)) {
      branch(Field(child, g_.field_condition), Field(child, f_.field_consequence));
    } else if (Is(child, f_.else_clause)) {
      Block(Field(child, g_.field_body), rest, c, depth + 1);
      outcomes.push_back(std::move(rest));
      taken = true;
    }
  });
  if (!taken) outcomes.push_back(std::move(rest));
  Env merged = std::move(outcomes.front());
  for (size_t i = 1; i < outcomes.size(); ++i) merged = Merge(merged, outcomes[i]);
  env = std::move(merged);
}

// A small fixpoint: the body runs from the state before the loop joined with the state after
// the previous pass, until that state stops changing (at most three passes).
void Analysis::Loop(Node node, bool is_for, Env& env, Context& c, int depth) {
  Value element;
  if (is_for) element = Element(Eval(Field(node, g_.field_right), env, c, depth + 1));
  Env entry = env;
  for (int pass = 0; pass < 3 && budget_ > 0; ++pass) {
    budget_ -= static_cast<int>(entry.vars.size());
    Env body = entry;
    bool runs = true;
    if (is_for) {
      Assign(Field(node, g_.field_left), element, body, c, depth);
    } else {
      const Node condition = Field(node, g_.field_condition);
      const Value cond = Eval(condition, body, c, depth + 1);
      runs = cond.truth != 0;
      if (runs && cond.truth != 1) Refine(condition, true, body, 0);
    }
    if (!runs) break;
    Block(Field(node, g_.field_body), body, c, depth + 1);
    body.dead = false;  // break/continue leave the body, not the function
    Env next = Merge(entry, body);
    if (SameEnv(next, entry)) break;
    entry = std::move(next);
  }
  env = std::move(entry);
  const Node alternative = Field(node, f_.field_alternative);
  if (Is(alternative, f_.else_clause)) Block(Field(alternative, g_.field_body), env, c, depth + 1);
}

void Analysis::Try(Node node, Env& env, Context& c, int depth) {
  budget_ -= static_cast<int>(env.vars.size());
  const Env before = env;
  Block(Field(node, g_.field_body), env, c, depth + 1);
  Env after_body = env;
  std::vector<Env> outcomes;
  Node finally_block{};
  ForEachChild(node, [&](Node child, TSFieldId) {
    if (Is(child, g_.except_clause) || Is(child, g_.except_group_clause)) {
      Env handler = Merge(before, after_body);
      handler.dead = false;
      ForEachChild(child, [&](Node part, TSFieldId) {
        if (Is(part, g_.block)) Block(part, handler, c, depth + 1);
      });
      outcomes.push_back(std::move(handler));
    } else if (Is(child, f_.else_clause)) {
      Block(Field(child, g_.field_body), after_body, c, depth + 1);
    } else if (Is(child, f_.finally_clause)) {
      ForEachChild(child, [&](Node part, TSFieldId) {
        if (Is(part, g_.block)) finally_block = part;
      });
    }
  });
  Env merged = std::move(after_body);
  for (const Env& handler : outcomes) merged = Merge(merged, handler);
  env = std::move(merged);
  if (!NodeIsNull(finally_block)) {
    const bool dead = env.dead;
    env.dead = false;
    Block(finally_block, env, c, depth + 1);
    env.dead = env.dead || dead;
  }
}

void Analysis::With(Node node, Env& env, Context& c, int depth) {
  ForEachChild(node, [&](Node clause, TSFieldId) {
    if (!Is(clause, f_.with_clause)) return;
    ForEachChild(clause, [&](Node item, TSFieldId) {
      if (!Is(item, f_.with_item)) return;
      const Node value = Field(item, g_.field_value);
      if (Is(value, f_.as_pattern)) {
        const Value v = Eval(NodeNamedChild(value, 0), env, c, depth + 1);
        const Node alias = Field(value, f_.field_alias);
        if (!NodeIsNull(alias)) Assign(NodeNamedChild(alias, 0), v, env, c, depth);
      } else {
        Eval(value, env, c, depth + 1);
      }
    });
  });
  Block(Field(node, g_.field_body), env, c, depth + 1);
}

void Analysis::Match(Node node, Env& env, Context& c, int depth) {
  Eval(Field(node, f_.field_subject), env, c, depth + 1);
  Env merged = env;  // no case matched
  ForEachChild(Field(node, g_.field_body), [&](Node clause, TSFieldId) {
    if (!Is(clause, g_.case_clause)) return;
    Env inside = env;
    Block(Field(clause, f_.field_consequence), inside, c, depth + 1);
    merged = Merge(merged, inside);
  });
  env = std::move(merged);
}

// ---- guards ----

// The variable a guard is about: `x` in `x in ALLOWED`, `urlparse(x).netloc in HOSTS`,
// `x.lower() == "a"`, `os.path.realpath(x).startswith(BASE)`.
Node GuardSubject(Node node, const PythonGrammar& g, const FlowGrammar& f,
                    const ParsedModule& m) {
  for (int i = 0; i < 8; ++i) {
    node = Unparenthesize(node);
    if (Is(node, g.identifier)) return node;
    if (Is(node, g.call)) {
      // urlparse(x), os.path.realpath(x): the first argument; x.lower(): the receiver.
      const Node first = analysis::FirstPositionalArgument(Field(node, g.field_arguments));
      const Node fn = Field(node, g.field_function);
      if (!NodeIsNull(first)) {
        node = first;
      } else if (Is(fn, g.attribute)) {
        node = Field(fn, g.field_object);
      } else {
        return {};
      }
    } else if (Is(node, g.attribute)) {
      const Node name = Field(node, g.field_attribute);
      if (NodeIsNull(name)) return {};
      const std::string_view attr = m.Text(name);
      if (attr != "netloc" && attr != "hostname" && attr != "scheme" && attr != "host" &&
          attr != "path" && attr != "parent" && attr != "name") {
        return {};
      }
      node = Field(node, g.field_object);
    } else if (Is(node, f.subscript)) {
      node = Field(node, g.field_value);
    } else {
      return {};
    }
  }
  return {};
}

void Analysis::Clean(Node subject, uint16_t kinds, Env& env) {
  if (!Is(subject, g_.identifier)) return;
  const std::string name(TextOf(subject));
  auto it = env.vars.find(name);
  if (it == env.vars.end()) it = env.vars.emplace(name, Lookup(name, env)).first;
  Value& v = it->second;
  if (kinds == kAllKinds) {
    v.taint = Taint{};
    v.safe = kAllKinds;
    v.fields = nullptr;
  } else {
    v.taint.cleared |= kinds;
    v.safe |= kinds;
  }
}

// Narrows `env` with what holds when `condition` is `holds`: allow-list membership and
// equality with a literal, character-class checks, URL host checks and path containment.
void Analysis::Refine(Node condition, bool holds, Env& env, int depth) {
  if (depth > 8) return;
  condition = Unparenthesize(condition);
  if (Is(condition, g_.not_operator)) {
    Refine(Field(condition, f_.field_argument), !holds, env, depth + 1);
    return;
  }
  if (Is(condition, g_.boolean_operator)) {
    const std::string_view op = TextOf(Field(condition, g_.field_operator));
    if ((op == "and" && holds) || (op == "or" && !holds)) {
      Refine(Field(condition, g_.field_left), holds, env, depth + 1);
      Refine(Field(condition, g_.field_right), holds, env, depth + 1);
    }
    return;
  }
  if (Is(condition, g_.comparison_operator)) {
    if (NodeNamedChildCount(condition) != 2) return;
    const Node left = NodeNamedChild(condition, 0);
    const Node right = NodeNamedChild(condition, 1);
    std::string op;
    ForEachChild(condition, [&](Node child, TSFieldId) {
      if (!NodeIsNamed(child)) op += (op.empty() ? "" : " ") + std::string(TextOf(child));
    });
    const bool positive = op == "in" || op == "==" || op == "is";
    const bool negative = op == "not in" || op == "!=" || op == "is not";
    if (!(positive && holds) && !(negative && !holds)) return;
    if (op == "in" || op == "not in") {
      if (!analysis::IsConstant(left)) Clean(GuardSubject(left, g_, f_, m_), kAllKinds, env);
      return;
    }
    // os.path.commonpath([base, p]) == base
    if (Is(left, g_.call) && m_.MethodName(left) == "commonpath") {
      const Node list = analysis::FirstPositionalArgument(Field(left, g_.field_arguments));
      ForEachChild(list, [&](Node item, TSFieldId) {
        if (Is(item, g_.identifier)) Clean(item, KindBit(FlowKind::kPath), env);
      });
      return;
    }
    if (analysis::IsConstant(right) && !Is(right, g_.none)) {
      Clean(GuardSubject(left, g_, f_, m_), kAllKinds, env);
    } else if (analysis::IsConstant(left) && !Is(left, g_.none)) {
      Clean(GuardSubject(right, g_, f_, m_), kAllKinds, env);
    }
    return;
  }
  if (!Is(condition, g_.call) || !holds) return;
  const std::string callee = m_.CalleeName(condition);
  const std::string_view method = m_.MethodName(condition);
  const Node fn = Field(condition, g_.field_function);
  const Node args = Field(condition, g_.field_arguments);
  if (method == "isdigit" || method == "isnumeric" || method == "isdecimal" ||
      method == "isalnum" || method == "isalpha" || method == "isidentifier") {
    if (Is(fn, g_.attribute))
      Clean(GuardSubject(Field(fn, g_.field_object), g_, f_, m_), kAllKinds, env);
  } else if (callee == "re.fullmatch" || callee == "re.match") {
    const Node pattern = analysis::PositionalArgument(args, 0);
    const std::string_view body =
        Is(pattern, g_.string) ? analysis::StringBody(pattern, m_.source()) : std::string_view();
    if (callee == "re.fullmatch" || body.ends_with("$") || body.ends_with("\\Z")) {
      Clean(GuardSubject(analysis::PositionalArgument(args, 1), g_, f_, m_), kAllKinds, env);
    }
  } else if (method == "fullmatch" && Is(fn, g_.attribute)) {
    Clean(GuardSubject(analysis::PositionalArgument(args, 0), g_, f_, m_), kAllKinds, env);
  } else if ((method == "startswith" || method == "is_relative_to") && Is(fn, g_.attribute)) {
    // Containment holds only for a normalized path: realpath(p).startswith(BASE), or a name
    // that holds a realpath/abspath/resolve() result.
    Node object = Unparenthesize(Field(fn, g_.field_object));
    bool normalized = false;
    if (Is(object, g_.call)) {
      normalized = NormalizesPath(m_.CalleeName(object), m_.MethodName(object));
    } else if (Is(object, g_.identifier)) {
      normalized = Lookup(TextOf(object), env).normalized;
    }
    if (normalized) Clean(GuardSubject(object, g_, f_, m_), KindBit(FlowKind::kPath), env);
    // url.startswith("https://host/") or ("/path/"): the destination's host is fixed.
    const Node prefix = analysis::FirstPositionalArgument(args);
    if (analysis::IsLiteralString(prefix) &&
        StartsFixedDestination(analysis::StringBody(Unparenthesize(prefix), m_.source()))) {
      Clean(GuardSubject(object, g_, f_, m_),
            KindBit(FlowKind::kRedirect) | KindBit(FlowKind::kSsrf), env);
    }
  } else if (method == "url_has_allowed_host_and_scheme" || method == "is_safe_url" ||
             method == "is_safe_redirect_url") {
    const uint16_t kinds = KindBit(FlowKind::kRedirect) | KindBit(FlowKind::kSsrf);
    Node url = analysis::PositionalArgument(args, 0);
    if (NodeIsNull(url)) url = analysis::KeywordArgument(args, "url", m_.source());
    Clean(GuardSubject(url, g_, f_, m_), kinds, env);
  }
}

// ---- expressions ----

Value Analysis::Lookup(std::string_view name, const Env& env) const {
  const std::string key(name);
  if (auto it = env.vars.find(key); it != env.vars.end()) return it->second;
  if (enclosing_env_ != nullptr && &env != &module_env_) {
    if (auto it = enclosing_env_->vars.find(key); it != enclosing_env_->vars.end()) {
      return it->second;
    }
  }
  if (&env != &module_env_) {
    if (auto it = module_env_.vars.find(key); it != module_env_.vars.end()) return it->second;
  }
  if (name == "True") return Constant(1);
  if (name == "False" || name == "None") return Constant(0);
  return Value{};
}

// Past the depth limit: the join of the names in the subtree, without sinks (bounded walk).
Value Analysis::Summarized(Node node, const Env& env) {
  Value v = Constant();
  std::vector<Node> pending = {node};
  while (!pending.empty() && Spend()) {
    const Node n = pending.back();
    pending.pop_back();
    if (Is(n, g_.identifier)) {
      v = Join(v, Lookup(TextOf(n), env));
    } else if (Is(n, g_.call) || Is(n, g_.attribute)) {
      v.constant = false;
      v.safe = 0;
    }
    for (Node child : NamedChildren(n)) pending.push_back(child);
  }
  return v;
}

Value Analysis::EvalChildren(Node node, Env& env, Context& c, int depth) {
  Value v = Constant();
  bool any = false;
  for (Node child : NamedChildren(node)) {
    if (NodeIsExtra(child)) continue;
    v = Join(v, Eval(child, env, c, depth + 1));
    any = true;
  }
  if (!any) return Value{};
  return v;
}

Value Analysis::Eval(Node node, Env& env, Context& c, int depth) {
  if (NodeIsNull(node)) return Value{};
  if (!Spend()) return Value{};
  if (depth > limits_.max_depth) return Summarized(node, env);
  const TSSymbol s = NodeSymbol(node);
  if (s == g_.identifier) return Lookup(TextOf(node), env);
  if (s == g_.string || s == g_.concatenated_string) return EvalString(node, env, c, depth);
  if (s == g_.integer || s == g_.float_) {
    const std::string_view text = TextOf(node);
    return Constant(text.find_first_not_of("0._xXoObBjJ") == std::string_view::npos ? 0 : 1);
  }
  if (s == g_.true_) return Constant(1);
  if (s == g_.false_ || s == g_.none) return Constant(0);
  if (s == g_.attribute) return EvalAttribute(node, env, c, depth);
  if (s == f_.subscript) return EvalSubscript(node, env, c, depth);
  if (s == g_.call) return EvalCall(node, env, c, depth);
  if (s == g_.binary_operator) return EvalBinary(node, env, c, depth);
  if (s == g_.parenthesized_expression || s == f_.await_) {
    return Eval(NodeNamedChild(node, 0), env, c, depth + 1);
  }
  if (s == g_.list || s == g_.tuple || s == g_.set || s == g_.expression_list ||
      s == g_.dictionary) {
    return EvalCollection(node, env, c, depth);
  }
  if (s == g_.not_operator) {
    const Value a = Eval(Field(node, f_.field_argument), env, c, depth + 1);
    Value r = a.constant ? Constant(a.truth < 0 ? -1 : 1 - a.truth) : Value{};
    r.safe = kAllKinds;
    return r;
  }
  if (s == g_.boolean_operator) {
    const Value l = Eval(Field(node, g_.field_left), env, c, depth + 1);
    const bool is_and = TextOf(Field(node, g_.field_operator)) == "and";
    // `False and x` is False, `True or x` is True: the right side is never evaluated.
    if (l.truth == (is_and ? 0 : 1)) return l;
    const Value r = Eval(Field(node, g_.field_right), env, c, depth + 1);
    if (l.truth == (is_and ? 1 : 0)) return r;
    return Join(l, r);
  }
  if (s == g_.comparison_operator) {
    const Value v = EvalChildren(node, env, c, depth);
    Value r;
    r.safe = kAllKinds;  // a bool
    r.constant = v.constant;
    return r;
  }
  if (s == g_.conditional_expression) {
    // body if condition else alternative
    const Node body = NodeNamedChild(node, 0);
    const Node condition = NodeNamedChild(node, 1);
    const Node alternative = NodeNamedChild(node, 2);
    const Value cond = Eval(condition, env, c, depth + 1);
    if (cond.truth == 1) return Eval(body, env, c, depth + 1);
    if (cond.truth == 0) return Eval(alternative, env, c, depth + 1);
    return Join(Eval(body, env, c, depth + 1), Eval(alternative, env, c, depth + 1));
  }
  if (s == f_.named_expression) {
    const Value v = Eval(Field(node, g_.field_value), env, c, depth + 1);
    Bind(env, TextOf(Field(node, g_.field_name)), v);
    return v;
  }
  if (s == g_.keyword_argument) return Eval(Field(node, g_.field_value), env, c, depth + 1);
  if (s == f_.unary_operator) {
    const Value a = Eval(Field(node, f_.field_argument), env, c, depth + 1);
    Value r = a.constant ? Constant() : Value{};
    r.safe = kAllKinds;  // a number
    if (a.constant && a.truth >= 0) r.truth = a.truth;
    return r;
  }
  if (s == f_.lambda) {
    Eval(Field(node, g_.field_body), env, c, depth + 1);  // sinks inside the lambda
    return Value{};
  }
  if (NodeIsExtra(node)) return Value{};  // a comment or line continuation
  if (s == g_.list_comprehension || s == g_.set_comprehension || s == g_.generator_expression ||
      s == g_.dictionary_comprehension) {
    return EvalComprehension(node, env, c, depth);
  }
  return EvalChildren(node, env, c, depth);
}

// The literal text a string-building expression starts with: "https://x/" in
// "https://x/" + p, f"https://x/{p}" or "https://x/{}".format(p).
// The text a string-building expression starts with, as far as it is known: "https://x/" for
// "https://x/" + p, f"{API}/users/{p}" with API = "https://x", or "https://x/{}".format(p).
std::string Analysis::Prefix(Node node, const Env& env, int depth) const {
  node = Unparenthesize(node);
  if (depth > 8 || NodeIsNull(node)) return {};
  if (Is(node, g_.identifier)) return std::string(Lookup(TextOf(node), env).literal);
  if (Is(node, g_.binary_operator)) {
    const Node left = Field(node, g_.field_left);
    std::string prefix = Prefix(left, env, depth + 1);
    const Value l = Lookup(TextOf(left), env);
    const bool whole = (Is(left, g_.identifier) && l.constant && !l.literal.empty()) ||
                       analysis::IsLiteralString(left);
    if (whole && TextOf(Field(node, g_.field_operator)) == "+") {
      prefix += Prefix(Field(node, g_.field_right), env, depth + 1);
    }
    return prefix;
  }
  if (Is(node, g_.call) && m_.MethodName(node) == "format") {
    return Prefix(Field(Field(node, g_.field_function), g_.field_object), env, depth + 1);
  }
  if (Is(node, g_.concatenated_string)) return Prefix(NodeNamedChild(node, 0), env, depth);
  if (!Is(node, g_.string)) return {};
  std::string prefix;
  bool open = true;
  ForEachChild(node, [&](Node child, TSFieldId) {
    if (!open || prefix.size() > 256) return;
    if (Is(child, g_.string_content)) {
      prefix += TextOf(child);
    } else if (Is(child, g_.interpolation)) {
      const Node expr = NodeNamedChild(child, 0);
      const Value v = Is(expr, g_.identifier) ? Lookup(TextOf(expr), env) : Value{};
      if (v.constant && !v.literal.empty()) {
        prefix += v.literal;
      } else {
        open = false;
      }
    }
  });
  return prefix;
}

Value Analysis::EvalString(Node node, Env& env, Context& c, int depth) {
  if (analysis::IsLiteralString(node)) {
    const bool plain = Is(node, g_.string);
    const std::string_view body = plain ? analysis::StringBody(node, m_.source()) : "";
    Value v = Constant(plain && body.empty() ? 0 : 1);
    v.literal = body;
    return v;
  }
  // An f-string (or a concatenation with one): the join of its interpolations.
  Value v = Constant(1);
  std::vector<Node> pending = {node};
  while (!pending.empty()) {
    const Node n = pending.back();
    pending.pop_back();
    if (Is(n, g_.interpolation)) {
      v = Join(v, Eval(NodeNamedChild(n, 0), env, c, depth + 1));
      continue;
    }
    if (Is(n, g_.string) || Is(n, g_.concatenated_string)) {
      for (Node child : NamedChildren(n)) pending.push_back(child);
    }
  }
  v.truth = 1;
  v.fields = nullptr;
  v.literal = {};
  if (v.taint.tainted()) {
    v.taint.spliced = true;
    if (StartsFixedDestination(Prefix(node, env, 0))) {
      v.taint.cleared |= KindBit(FlowKind::kRedirect) | KindBit(FlowKind::kSsrf);
    }
  }
  return v;
}

Value Analysis::EvalBinary(Node node, Env& env, Context& c, int depth) {
  const Value l = Eval(Field(node, g_.field_left), env, c, depth + 1);
  const Value r = Eval(Field(node, g_.field_right), env, c, depth + 1);
  Value v = Join(l, r);
  v.fields = nullptr;
  v.truth = -1;
  v.literal = {};
  const std::string_view op = TextOf(Field(node, g_.field_operator));
  if (op == "/") return v;  // pathlib joins with `/`
  if (op != "+" && op != "%") {
    v.taint = Taint{};  // arithmetic and bit operations give numbers
    v.safe = kAllKinds;
    return v;
  }
  if (v.taint.tainted()) {
    v.taint.spliced = true;
    if (StartsFixedDestination(Prefix(node, env, 0))) {
      v.taint.cleared |= KindBit(FlowKind::kRedirect) | KindBit(FlowKind::kSsrf);
    }
  }
  return v;
}

// [body for target in iterable if condition]: the loop targets hold the iterable's elements and
// the result holds what the body makes of them ("?" for _ in ids holds only "?"s). Targets
// stay bound afterwards, which only over-approximates a name the comprehension shadows.
Value Analysis::EvalComprehension(Node node, Env& env, Context& c, int depth) {
  Node body{};
  ForEachChild(node, [&](Node child, TSFieldId field) {
    if (field == g_.field_body) {
      body = child;
    } else if (Is(child, g_.for_in_clause)) {
      const Value items = Eval(Field(child, g_.field_right), env, c, depth + 1);
      Assign(Field(child, g_.field_left), Element(items), env, c, depth);
    } else if (Is(child, g_.if_clause)) {
      EvalChildren(child, env, c, depth);
    }
  });
  if (NodeIsNull(body)) return Value{};
  Value element = Is(body, g_.pair) ? Join(Eval(Field(body, g_.field_key), env, c, depth + 1),
                                           Eval(Field(body, g_.field_value), env, c, depth + 1))
                                    : Eval(body, env, c, depth + 1);
  Value v = Element(element);
  v.truth = -1;
  return v;
}

Value Analysis::EvalCollection(Node node, Env& env, Context& c, int depth) {
  Value v = Constant(NodeNamedChildCount(node) == 0 ? 0 : 1);
  auto fields = std::make_shared<Fields>();
  int index = 0;
  for (Node child : NamedChildren(node)) {
    if (NodeIsExtra(child)) continue;
    if (Is(child, g_.pair)) {
      const Node key = Field(child, g_.field_key);
      const Value k = Eval(key, env, c, depth + 1);
      const Value value = Eval(Field(child, g_.field_value), env, c, depth + 1);
      if (analysis::IsConstant(key) && fields->map.size() < 64) {
        fields->map[std::string(TextOf(key))] = value;
      }
      v = Join(v, Join(k, value));
    } else {
      const Value value = Eval(child, env, c, depth + 1);
      if (fields->map.size() < 64) fields->map[std::to_string(index)] = value;
      v = Join(v, value);
    }
    ++index;
  }
  v.truth = index == 0 ? 0 : 1;
  v.fields = std::move(fields);
  return v;
}

Value Analysis::EvalAttribute(Node node, Env& env, Context& c, int depth) {
  const Node object = Field(node, g_.field_object);
  const std::string_view attr = TextOf(Field(node, g_.field_attribute));
  const std::string_view object_text = TextOf(object);
  if (IsRequestObject(object_text) && IsRequestDataAttribute(attr)) {
    return FromSource(Source::kRemote, {TextOf(node), {}, analysis::NodeLine(node)}, c.function);
  }
  if (object_text == "sys" && attr == "argv") {
    return FromSource(Source::kLocal, {"sys.argv", {}, analysis::NodeLine(node)}, c.function);
  }
  if (object_text == "os" && attr == "environ") {
    return FromSource(Source::kLocal, {"os.environ", {}, analysis::NodeLine(node)}, c.function);
  }
  const Value base = Eval(object, env, c, depth + 1);
  if (base.fields) {
    const auto it = base.fields->map.find(std::string(attr));
    if (it != base.fields->map.end()) return it->second;
  }
  Value v = Element(base);
  v.constant = false;  // an attribute of a constant is a method or a property
  v.normalized = base.normalized && (attr == "parent");
  return v;
}

Value Analysis::EvalSubscript(Node node, Env& env, Context& c, int depth) {
  const Value base = Eval(Field(node, g_.field_value), env, c, depth + 1);
  const Node index = Field(node, f_.field_subscript);
  // The index selects from the container; what comes out is the container's data, so a
  // tainted key into a constant table (ACTIONS[user_choice]) yields a constant.
  Eval(index, env, c, depth + 1);
  if (base.fields && analysis::IsConstant(index)) {
    const auto it = base.fields->map.find(std::string(TextOf(index)));
    if (it != base.fields->map.end()) return it->second;
  }
  return Element(base);
}

int Analysis::Resolve(Node call, int* offset, const Context& c, const Value* receiver) const {
  const Node fn = Field(call, g_.field_function);
  *offset = 0;
  if (Is(fn, g_.identifier)) {
    const auto it = module_functions_.find(TextOf(fn));
    return it == module_functions_.end() ? -1 : it->second;
  }
  // obj.method() on an instance of a class of the module: Class(...).m(), x = Class(); x.m().
  if (Is(fn, g_.attribute) && receiver != nullptr && receiver->klass >= 0) {
    const std::string key = std::string(m_.classes()[receiver->klass].name) + "." +
                            std::string(TextOf(Field(fn, g_.field_attribute)));
    if (const auto it = methods_.find(key); it != methods_.end()) {
      *offset = facts_[it->second].self_offset;  // 0 for a @staticmethod
      return it->second;
    }
  }
  if (Is(fn, g_.attribute) && c.function >= 0) {
    const std::string_view receiver = TextOf(Field(fn, g_.field_object));
    const analysis::FunctionInfo& caller = m_.functions()[c.function];
    if ((receiver == "self" || receiver == "cls") && caller.owner_class >= 0) {
      const std::string key = std::string(m_.classes()[caller.owner_class].name) + "." +
                              std::string(TextOf(Field(fn, g_.field_attribute)));
      const auto it = methods_.find(key);
      if (it != methods_.end()) {
        *offset = facts_[it->second].self_offset;  // 0 for a @staticmethod
        return it->second;
      }
    }
  }
  return -1;
}

Value Analysis::CallSummary(int callee, const Summary& s, int offset,
                            const std::vector<Argument>& args, const Value* receiver, Context& c) {
  const FunctionFacts& facts = facts_[callee];
  // The value passed for each parameter; a method's receiver is its self.
  std::vector<const Value*> bound(facts.params.size(), nullptr);
  if (offset == 1 && receiver != nullptr && !bound.empty()) bound[0] = receiver;
  int position = offset;
  for (const Argument& a : args) {
    if (a.keyword == "*") continue;
    if (a.keyword.empty()) {
      if (position < static_cast<int>(bound.size())) bound[position] = &a.value;
      ++position;
      continue;
    }
    for (size_t i = 0; i < facts.params.size(); ++i) {
      if (facts.params[i].name == a.keyword) bound[i] = &a.value;
    }
  }
  Value result;
  result.taint = s.returns;
  result.taint.params = 0;
  for (size_t i = 0; i < bound.size() && i < 64; ++i) {
    if ((s.returns.params & (uint64_t{1} << i)) == 0) continue;
    if (bound[i] == nullptr) continue;
    Taint t = bound[i]->taint;
    t.cleared |= s.returns.cleared;
    t.spliced = t.spliced || s.returns.spliced;
    result.taint = Join(result.taint, t);
  }
  result.constant = s.returns_constant && !result.taint.tainted();
  result.safe = s.returns_safe;
  // Parameters that reach sinks inside the callee: report the flow there, once.
  for (const ParamSink& ps : s.sinks) {
    for (size_t i = 0; i < bound.size() && i < 64; ++i) {
      if ((ps.params & (uint64_t{1} << i)) == 0 || bound[i] == nullptr) continue;
      const Value& arg = *bound[i];
      if (!arg.taint.tainted() || ((arg.taint.cleared | ps.cleared) & KindBit(ps.kind))) continue;
      if (arg.safe & KindBit(ps.kind)) continue;
      if (arg.taint.source != Source::kNone) {
        Flow flow;
        flow.kind = ps.kind;
        flow.level = arg.taint.source == Source::kRemote ? FlowLevel::kRemoteSource
                                                         : FlowLevel::kLocalSource;
        flow.at = ps.at;
        flow.sink = ps.sink;
        flow.data = ps.data;
        flow.function = ps.function;
        flow.origin = arg.taint.origin;
        flow.caller = arg.taint.caller;
        flow.spliced = ps.spliced || arg.taint.spliced;
        flow.opaque = arg.taint.opaque;
        flow.program = ps.program;
        Record(std::move(flow));
      }
      if (arg.taint.params != 0 && c.summary != nullptr && c.summary->sinks.size() < 256) {
        ParamSink forwarded = ps;
        forwarded.params = arg.taint.params;
        forwarded.cleared = ps.cleared | arg.taint.cleared;
        bool seen = false;
        for (const ParamSink& existing : c.summary->sinks) {
          seen = seen || (existing.at == ps.at && existing.kind == ps.kind &&
                          existing.params == forwarded.params);
        }
        if (!seen) c.summary->sinks.push_back(std::move(forwarded));
      }
    }
  }
  return result;
}

Value Analysis::EvalCall(Node node, Env& env, Context& c, int depth) {
  const Node fn = Field(node, g_.field_function);
  const Node args_node = Field(node, g_.field_arguments);
  std::vector<Argument> args;
  if (Is(args_node, g_.argument_list)) {
    for (Node child : NamedChildren(args_node)) {
      if (NodeIsExtra(child)) continue;
      if (Is(child, g_.keyword_argument)) {
        const Node value = Field(child, g_.field_value);
        args.push_back(
            {value, TextOf(Field(child, g_.field_name)), Eval(value, env, c, depth + 1)});
      } else if (Is(child, f_.list_splat) || Is(child, f_.dictionary_splat)) {
        args.push_back({child, "*", Eval(NodeNamedChild(child, 0), env, c, depth + 1)});
      } else {
        args.push_back({child, {}, Eval(child, env, c, depth + 1)});
      }
    }
  } else if (!NodeIsNull(args_node)) {
    args.push_back({args_node, {}, Eval(args_node, env, c, depth + 1)});
  }
  const std::string callee = m_.CalleeName(node);
  const std::string_view method = m_.MethodName(node);
  const bool attribute = Is(fn, g_.attribute);
  Value receiver;
  bool has_receiver = false;
  Node receiver_node{};
  if (attribute) {
    const Node object = Field(fn, g_.field_object);
    const std::string_view object_text = TextOf(object);
    if (IsRequestObject(object_text) && IsRequestDataAttribute(method)) {
      return FromSource(Source::kRemote, {TextOf(fn), {}, analysis::NodeLine(node)}, c.function);
    }
    receiver = Eval(object, env, c, depth + 1);
    receiver_node = object;
    has_receiver = true;
  } else if (!Is(fn, g_.identifier)) {
    Eval(fn, env, c, depth + 1);
  }
  if (const std::string_view local = LocalSourceCall(callee); !local.empty()) {
    return FromSource(Source::kLocal, {local, {}, analysis::NodeLine(node)}, c.function);
  }
  // Tornado's RequestHandler: self.get_argument("q") and friends read the request.
  if (tornado_ && attribute && TextOf(receiver_node) == "self" && IsTornadoArgument(method)) {
    return FromSource(Source::kRemote, {TextOf(fn), {}, analysis::NodeLine(node)}, c.function);
  }
  // list.append(x), d.update(x), s.add(x): the container now holds the argument's data.
  if (attribute && Is(receiver_node, g_.identifier) &&
      (method == "append" || method == "extend" || method == "insert" || method == "add" ||
       method == "update" || method == "setdefault" || method == "appendleft")) {
    Value added = Constant();
    for (const Argument& a : args) added = Join(added, a.value);
    if (!added.constant) StoreField(receiver_node, std::string(), added, /*weak=*/true, env);
  }
  const SinkSpec* sink = FindSink(callee, method, attribute);
  if (tornado_ && attribute && TextOf(receiver_node) == "self" &&
      (method == "write" || method == "finish")) {
    static const SinkSpec kTornadoWrite{"write", FlowKind::kXss, SinkShape::kArgument, 0, "chunk"};
    sink = &kTornadoWrite;  // a RequestHandler's response body, text/html by default
  }
  if (sink == nullptr && attribute && receiver.http_client) {
    static const SinkSpec kClientGet{"get", FlowKind::kSsrf, SinkShape::kArgument, 0, "url"};
    static const SinkSpec kClientRequest{"request", FlowKind::kSsrf, SinkShape::kArgument, 1,
                                         "url"};
    if (method == "request" || method == "stream") {
      sink = &kClientRequest;
    } else if (method == "get" || method == "post" || method == "put" || method == "patch" ||
               method == "delete" || method == "head" || method == "options") {
      sink = &kClientGet;
    }
  }
  if (sink != nullptr) CheckSink(*sink, node, callee, args, receiver_node, receiver, env, c);

  int offset = 0;
  const int local_function = Resolve(node, &offset, c, has_receiver ? &receiver : nullptr);
  Value result;
  if (local_function >= 0) {
    const bool final_summary = analyzed_[local_function];
    if (!final_summary && c.function >= 0) used_stale_summary_ = true;
    const Summary& s = final_summary ? current_[local_function] : previous_[local_function];
    if (s.known) {
      result = CallSummary(local_function, s, offset, args, has_receiver ? &receiver : nullptr, c);
      if (sink != nullptr) result.taint.cleared |= KindBit(sink->kind);
      return result;
    }
  }
  if (const uint16_t mask = SanitizerMask(callee); mask != 0) {
    if (mask == kAllKinds) {
      bool constant = true;
      for (const Argument& a : args) constant = constant && a.value.constant;
      Value clean = constant ? Constant() : Value{};
      clean.safe = kAllKinds;
      return clean;
    }
    for (const Argument& a : args) result = Join(result, a.value);
    result = Join(Value{}, result);
    result.fields = nullptr;
    result.taint.cleared |= mask;
    result.safe |= mask;
    return result;
  }
  // Anything else passes its arguments' and receiver's data on: str(x), x.strip(),
  // os.path.join(base, x), ",".join(parts), "...{}".format(x).
  // Pure helpers of constants are constants: os.path.join(BASE, "static"), str(1).
  const bool pure = callee == "str" || callee == "repr" || callee == "os.path.join" ||
                    callee == "os.path.normpath" || callee == "os.path.dirname" ||
                    callee == "posixpath.join";
  const bool method_call = has_receiver && !pure;
  bool constant = pure || (method_call && receiver.constant);
  result = method_call ? Element(receiver) : Constant();
  const bool table_get = method == "get" && method_call && receiver.constant;
  int position = 0;
  for (const Argument& a : args) {
    // CONSTANT_TABLE.get(key, default): the key only selects.
    const bool selector = table_get && a.keyword.empty() && position++ == 0;
    if (selector) continue;
    result = Join(result, a.value);
    constant = constant && a.value.constant;
  }
  result.constant = constant;
  if (!constant && !method_call && !pure) result.safe = 0;  // an unknown function's result
  result.truth = -1;
  result.fields = nullptr;
  if (result.taint.tainted() && (method == "format" || method == "join")) {
    result.taint.spliced = true;
    if (method == "format" && StartsFixedDestination(Prefix(node, env, 0))) {
      result.taint.cleared |= KindBit(FlowKind::kRedirect) | KindBit(FlowKind::kSsrf);
    }
  }
  if (result.taint.tainted() && !pure &&
      !(method_call && receiver.taint.tainted() && KeepsText(method))) {
    result.taint.opaque = true;
  }
  result.normalized = NormalizesPath(callee, method);
  if (Is(fn, g_.identifier)) {
    if (const auto it = module_classes_.find(TextOf(fn)); it != module_classes_.end()) {
      result.klass = it->second;
    }
  }
  result.http_client = callee == "requests.Session" || callee == "requests.session" ||
                       callee == "httpx.Client" || callee == "httpx.AsyncClient" ||
                       callee == "aiohttp.ClientSession" || callee == "urllib3.PoolManager";
  if (sink != nullptr) result.taint.cleared |= KindBit(sink->kind);  // reported at this sink
  return result;
}

// ---- sinks ----

// Whether an HttpResponse/Response states a media type that is not HTML (text/plain, JSON).
bool NonHtmlMediaType(const std::vector<Argument>& args, std::string_view source) {
  for (const Argument& a : args) {
    if (a.keyword != "content_type" && a.keyword != "mimetype" && a.keyword != "media_type") {
      continue;
    }
    if (!analysis::IsLiteralString(a.node)) return false;
    const std::string_view type = analysis::StringBody(Unparenthesize(a.node), source);
    return type.find("html") == std::string_view::npos &&
           type.find("xml") == std::string_view::npos;
  }
  return false;
}

const Argument* FindArgument(const std::vector<Argument>& args, int index,
                             std::string_view keyword) {
  int position = 0;
  for (const Argument& a : args) {
    if (a.keyword == "*") break;  // positions after a splat are unknown
    if (a.keyword.empty() && position++ == index) return &a;
  }
  if (keyword.empty()) return nullptr;
  for (const Argument& a : args) {
    if (a.keyword == keyword) return &a;
  }
  return nullptr;
}

void Analysis::CheckSink(const SinkSpec& spec, Node call, const std::string& callee,
                         const std::vector<Argument>& args, Node receiver_node,
                         const Value& receiver, Env& env, Context& c) {
  const std::string name = (callee.empty() ? std::string(m_.MethodName(call)) : callee) + "()";
  switch (spec.shape) {
    case SinkShape::kReceiver:
      if (!NodeIsNull(receiver_node) && receiver.taint.tainted()) {
        Emit(spec.kind, call, receiver_node, receiver, name, c);
      }
      return;
    case SinkShape::kSubprocess: {
      const Argument* cmd = FindArgument(args, spec.arg, spec.keyword);
      if (cmd == nullptr) return;
      const Argument* shell = FindArgument(args, -1, "shell");
      const bool shell_on = shell != nullptr && !(shell->value.constant && shell->value.truth == 0);
      if (shell_on) {
        Emit(spec.kind, call, cmd->node, cmd->value, callee + "(shell=True)", c);
        return;
      }
      // Without a shell only the program matters: argv[0], or the whole string.
      Value program = cmd->value;
      Node program_node = cmd->node;
      const Node list = Unparenthesize(cmd->node);
      if (Is(list, g_.list) || Is(list, g_.tuple)) {
        program_node = NodeNamedChild(list, 0);
        if (NodeIsNull(program_node)) return;
      }
      if (cmd->value.fields) {
        const auto it = cmd->value.fields->map.find("0");
        if (it != cmd->value.fields->map.end()) program = it->second;
      }
      if (program.taint.source != Source::kNone) {
        Emit(spec.kind, call, program_node, program, callee + "()", c, false, true);
      }
      return;
    }
    case SinkShape::kProgram: {
      const Argument* program = FindArgument(args, spec.arg, spec.keyword);
      if (program != nullptr && program->value.taint.source != Source::kNone) {
        Emit(spec.kind, call, program->node, program->value, callee + "()", c, false, true);
      }
      return;
    }
    case SinkShape::kLdapSearch: {
      // ldap3: conn.search(search_base, search_filter, ...); one-argument searches are
      // regular expressions or other APIs.
      const Argument* filter = FindArgument(args, spec.arg, spec.keyword);
      if (filter != nullptr) Emit(spec.kind, call, filter->node, filter->value, name, c);
      return;
    }
    case SinkShape::kTextClause: {
      const Argument* clause = FindArgument(args, spec.arg, spec.keyword);
      if (clause == nullptr) return;
      const Node call_node = Unparenthesize(clause->node);
      if (!Is(call_node, g_.call) || m_.MethodName(call_node) != "text") return;
      const Node text_args = Field(call_node, g_.field_arguments);
      const Node sql = analysis::FirstPositionalArgument(text_args);
      if (NodeIsNull(sql)) return;
      Value sql_value = Eval(sql, env, c, 1);
      Emit(spec.kind, call, sql, sql_value, name, c);
      return;
    }
    case SinkShape::kXpathFind: {
      const Argument* path = FindArgument(args, spec.arg, spec.keyword);
      if (path == nullptr) return;
      const std::string_view text = TextOf(path->node);
      const bool expression =
          text.find("[@") != std::string_view::npos || text.find(".//") != std::string_view::npos;
      if (expression) Emit(spec.kind, call, path->node, path->value, name, c);
      return;
    }
    case SinkShape::kArgument: {
      if (spec.kind == FlowKind::kXss && NonHtmlMediaType(args, m_.source())) return;
      const Argument* data = FindArgument(args, spec.arg, spec.keyword);
      // A dict is sent as JSON (Tornado's write, Starlette's JSON-ish responses).
      if (spec.kind == FlowKind::kXss && data != nullptr &&
          Is(Unparenthesize(data->node), g_.dictionary)) {
        return;
      }
      if (data != nullptr) Emit(spec.kind, call, data->node, data->value, name, c, spec.always);
      if (data == nullptr && spec.always) Emit(spec.kind, call, call, Value{}, name, c, true);
      if (spec.arg2 >= 0) {
        const Argument* second = FindArgument(args, spec.arg2, "dst");
        if (second != nullptr) Emit(spec.kind, call, second->node, second->value, name, c);
      }
      return;
    }
  }
}

void Analysis::Emit(FlowKind kind, Node at, Node data, const Value& value, std::string sink,
                    Context& c, bool always, bool program) {
  const uint16_t bit = KindBit(kind);
  if (!always && (value.constant || (value.safe & bit))) return;
  const Taint& t = value.taint;
  const bool neutralized = t.tainted() && (t.cleared & bit);
  Flow flow;
  flow.kind = kind;
  flow.at = at;
  flow.data = data;
  flow.function = c.function;
  flow.program = program;
  flow.spliced = t.spliced && !neutralized;
  flow.opaque = t.opaque;
  if (neutralized || value.constant) {
    flow.level = FlowLevel::kUnknown;
  } else if (t.source == Source::kRemote) {
    flow.level = FlowLevel::kRemoteSource;
  } else if (t.source == Source::kLocal) {
    flow.level = FlowLevel::kLocalSource;
  } else if ((t.params & ~ReceiverMask(c)) != 0) {
    flow.level = FlowLevel::kParameter;
  }
  if (!neutralized && t.source != Source::kNone) {
    flow.origin = t.origin;
    flow.caller = t.caller;
  }
  if (!neutralized && t.params != 0 && c.facts != nullptr) {
    const uint64_t own = t.params & ~ReceiverMask(c);
    const int param = own != 0 ? __builtin_ctzll(own) : 64;
    if (param < static_cast<int>(c.facts->params.size())) {
      flow.parameter = c.facts->params[param].name;
    }
    if (c.summary != nullptr && c.summary->sinks.size() < 256) {
      bool seen = false;
      for (const ParamSink& existing : c.summary->sinks) {
        seen = seen ||
               (existing.at == at && existing.kind == kind && existing.params == t.params);
      }
      if (!seen) {
        c.summary->sinks.push_back(
            {kind, t.params, t.cleared, t.spliced, program, at, data, c.function, sink});
      }
    }
  }
  flow.sink = std::move(sink);
  Record(std::move(flow));
}

void Analysis::Record(Flow flow) {
  // A call and the call it is made of (`XPath(e)(tree)`) start at the same byte: the key is
  // the whole span.
  const FlowKey key{NodeStartByte(flow.at), NodeEndByte(flow.at),
                    static_cast<uint8_t>(static_cast<uint8_t>(flow.kind) << 1 | flow.program)};
  auto [it, inserted] = flows_.try_emplace(key, flow);
  if (!inserted && flow.level > it->second.level) it->second = std::move(flow);
}

}  // namespace

std::vector<Flow> AnalyzeTaint(const analysis::ParsedModule& module, TaintLimits limits) {
  return Analysis(module, limits).Run();
}

}  // namespace conclave::security
