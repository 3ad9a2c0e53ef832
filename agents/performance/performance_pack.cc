#include "agents/performance/performance_pack.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "agents/analysis/expressions.h"
#include "agents/performance/internal/local_bindings.h"

namespace conclave::performance {
namespace {

using analysis::Node;
using analysis::Field;
using analysis::FindingCollector;
using analysis::FunctionInfo;
using analysis::Is;
using analysis::LoopInfo;
using analysis::ParsedModule;
using analysis::PythonGrammar;
using analysis::RuleSpec;
using analysis::Site;
using analysis::Unparenthesize;
using conclave::v1::SEVERITY_HIGH;
using conclave::v1::SEVERITY_LOW;
using conclave::v1::SEVERITY_MEDIUM;
using internal::Binding;
using internal::LocalBindings;

constexpr std::string_view kVersion = "1.1.0";
// A loop nested deeper than this inside another is not compared with it: the walk up the
// loop chain stays bounded on generated code.
constexpr int kMaxAncestors = 64;
// range(N) with a literal N at most this is a short, fixed loop.
constexpr long kShortRange = 100;
// Most nodes an expression is searched for names in: a bigger expression is taken as not
// mentioning them.
constexpr int kMaxScan = 2000;
// Most links followed down a method chain (`a.b(x).c(y).d()`).
constexpr int kMaxChain = 16;
// PERF009: how often the same chain must be looked up in one loop body, and how deeply that
// loop must be nested.
constexpr int kRepeatedLookups = 3;
constexpr int kHotLoopDepth = 2;
// Most (chain, assignment) comparisons PERF009 makes in one file.
constexpr long kMaxStoreComparisons = 200000;

const RuleSpec kNestedLoops = {
    "PERF001",
    "nested-loop-same-collection",
    SEVERITY_MEDIUM,
    407,
    0.75,
    "A loop over a collection runs inside another loop over the same collection (or tests "
    "membership in it), so the work grows with the square of its size.",
    "Index the collection once before the outer loop (a dict or set keyed by what the inner "
    "loop looks for), or iterate pairs with itertools.combinations when every pair is needed."};

const RuleSpec kStringConcat = {
    "PERF002",
    "string-concatenation-in-loop",
    SEVERITY_MEDIUM,
    1046,
    0.60,
    "A str is built by `+=` or `s = s + ...` inside a loop. Each step may copy the whole string, "
    "so building n pieces costs O(n²) (CPython sometimes resizes in place; PyPy and a string "
    "referenced elsewhere never do).",
    "Append the pieces to a list and \"\".join(parts) once after the loop, or write them to an "
    "io.StringIO."};

const RuleSpec kListMembership = {
    "PERF003",
    "membership-test-on-list-in-loop",
    SEVERITY_MEDIUM,
    407,
    0.80,
    "`x in xs` on a list scans it element by element; inside a loop that is O(n·m).",
    "Build a set (or dict) once before the loop and test membership in it; keep the list too if "
    "its order matters."};

const RuleSpec kComplexity = {
    "PERF004",
    "high-cyclomatic-complexity",
    SEVERITY_MEDIUM,
    1121,
    0.90,
    "The function's cyclomatic (McCabe) complexity is above 10 (MEDIUM) or 20 (HIGH): it has so "
    "many paths that its cost and behaviour are hard to predict and to test.",
    "Split the function: move independent branches into helpers, replace if/elif chains over a "
    "value with a dict dispatch, and return early instead of nesting."};

const RuleSpec kQuadraticListOps = {
    "PERF005",
    "quadratic-list-operation-in-loop",
    SEVERITY_MEDIUM,
    407,
    0.85,
    "`xs.index(x)`, `xs.remove(x)`, `xs.pop(0)` or `xs.insert(0, x)` on a list inside a loop: "
    "each call searches or shifts the whole list, so the loop is O(n·m).",
    "Keep a dict from value to position instead of index(), a set instead of remove() for "
    "membership bookkeeping, and a collections.deque (popleft/appendleft) for a queue."};

const RuleSpec kNPlusOne = {
    "PERF006",
    "query-or-request-in-loop",
    SEVERITY_MEDIUM,
    1050,
    0.80,
    "A database query (cursor.execute, session.query/get/execute, Model.objects.*, Model.query) "
    "or an HTTP request (requests.*, httpx.*, urlopen, a Session's get/post) inside a for loop: "
    "one round trip per element (the N+1 pattern). HIGH when the query's arguments vary with "
    "the loop.",
    "Fetch everything in one query before the loop (WHERE id IN (...), select_related / "
    "prefetch_related, joinedload/selectinload) and look rows up in a dict; for HTTP use a "
    "batch endpoint, or issue the requests concurrently with one shared Session."};

const RuleSpec kRegexInLoop = {
    "PERF007",
    "regex-compiled-in-loop",
    SEVERITY_MEDIUM,
    1176,
    0.80,
    "A regular expression is compiled inside a loop: re.compile(...) in the loop body, or a re "
    "function (match, search, sub, findall, ...) given a pattern built in the loop. CPython "
    "caches compiled patterns (512 in 3.11), so a literal pattern costs a cache lookup per call "
    "(LOW for re.compile, not reported for re.search & co.), but a pattern that changes with "
    "the loop is compiled again for every new value and evicts the cache.",
    "Compile the patterns once before the loop (re.compile at module level, a list of compiled "
    "patterns, or one alternation `re.compile('|'.join(map(re.escape, words)))`)."};

const RuleSpec kBlockingInAsync = {
    "PERF008",
    "blocking-call-in-async-function",
    SEVERITY_MEDIUM,
    0,
    0.85,
    "A blocking call inside `async def`: time.sleep, a synchronous HTTP client (requests, "
    "httpx.get, urlopen), subprocess.run/call/check_output, os.system, a blocking socket call, or "
    "file I/O (open, Path.read_text, shutil copies). It stops the event loop and every other "
    "task on it until it returns. HIGH for sleeps, network and subprocesses.",
    "Use the async equivalent (asyncio.sleep, httpx.AsyncClient or aiohttp, "
    "asyncio.create_subprocess_exec, aiofiles) or move the call to a thread with "
    "`await asyncio.to_thread(fn, ...)` / `loop.run_in_executor(None, fn, ...)`."};

const RuleSpec kRepeatedLookup = {
    "PERF009",
    "repeated-attribute-lookup-in-hot-loop",
    SEVERITY_LOW,
    1176,
    0.70,
    "The same attribute chain of three or more names (`self.config.values.get`), or the same "
    "function of an imported module (`math.sqrt`), is looked up three or more times in the body "
    "of a loop nested two or more deep, where none of the names in the chain is rebound: every "
    "lookup is a dict search repeated on every iteration.",
    "Bind the attribute to a local name before the loop (`get = self.config.values.get`, "
    "`sqrt = math.sqrt`) and use the local inside it."};

const RuleSpec kCognitiveComplexity = {
    "PERF010",
    "high-cognitive-complexity",
    SEVERITY_MEDIUM,
    1120,
    0.90,
    "The function's cognitive complexity (SonarSource: +1 per break in linear flow, more the "
    "deeper it is nested, +1 per run of boolean operators and per recursive call) is above 15 "
    "(MEDIUM) or 30 (HIGH): it is hard to read and to change safely.",
    "Extract nested blocks into well-named helpers, return or continue early instead of nesting, "
    "and name compound conditions."};

const std::vector<RuleSpec>& AllRules() {
  static const std::vector<RuleSpec> rules = {
      kNestedLoops, kStringConcat, kListMembership,  kComplexity,     kQuadraticListOps,
      kNPlusOne,    kRegexInLoop,  kBlockingInAsync, kRepeatedLookup, kCognitiveComplexity};
  return rules;
}

bool IsAnyOf(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string_view LastComponent(std::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Methods an HTTP client object answers with a request.
bool IsHttpMethod(std::string_view method) {
  return IsAnyOf(method,
                 {"get", "post", "put", "patch", "delete", "head", "options", "request", "send"});
}

// Module-level functions that make an HTTP request and wait for the answer.
bool IsHttpFunction(std::string_view callee) {
  if (callee == "urllib.request.urlopen" || callee == "urllib2.urlopen") return true;
  for (const std::string_view module : {"requests.", "httpx."}) {
    if (StartsWith(callee, module) && callee.find('.', module.size()) == std::string_view::npos &&
        IsHttpMethod(callee.substr(module.size())) && callee.substr(module.size()) != "send") {
      return true;
    }
  }
  return false;
}

// Constructors of objects whose get/post/... make requests.
bool IsHttpClientConstructor(std::string_view callee) {
  return IsAnyOf(callee, {"requests.Session", "requests.session", "httpx.Client",
                          "httpx.AsyncClient", "aiohttp.ClientSession", "urllib3.PoolManager"});
}

// Names conventionally given to database connections, cursors and sessions.
bool IsDatabaseName(std::string_view last) {
  const std::string name = Lower(last);
  return IsAnyOf(name,
                 {"cursor", "cur", "curs", "conn", "connection", "con", "db", "database", "session",
                  "sess", "db_session", "dbsession", "engine", "tx", "txn", "transaction"});
}

bool IsSessionName(std::string_view last) {
  return IsAnyOf(Lower(last), {"session", "sess", "db_session", "dbsession"});
}

// The name a function returning a handle is called by, without the verb: `db` for `db()`,
// `get_db()` and `_get_db()`, `connection` for `open_connection()`.
std::string_view HandleFactoryNoun(std::string_view name) {
  while (!name.empty() && name.front() == '_') name.remove_prefix(1);
  for (const std::string_view verb : {"get_", "open_", "new_", "make_", "create_", "acquire_"}) {
    if (StartsWith(name, verb) && name.size() > verb.size()) return name.substr(verb.size());
  }
  return name;
}

// Methods of a SQLAlchemy Session (and Flask-SQLAlchemy's db.session) that run a query.
bool IsSessionQueryMethod(std::string_view method) {
  return IsAnyOf(method, {"query", "get", "scalar", "scalars", "execute", "merge", "refresh"});
}

// Whether a dotted name imported from SQLAlchemy or SQLModel names its Session class.
bool IsOrmSessionClass(std::string_view dotted) {
  if (!StartsWith(dotted, "sqlalchemy.") && !StartsWith(dotted, "sqlmodel.")) return false;
  return IsAnyOf(LastComponent(dotted), {"Session", "AsyncSession", "scoped_session"});
}

// Callables whose call builds a session factory: sessionmaker(bind=engine).
bool IsSessionFactoryMaker(std::string_view last) {
  return IsAnyOf(last, {"sessionmaker", "async_sessionmaker", "scoped_session"});
}

// QuerySet / Query methods that build or run a query.
bool IsQueryMethod(std::string_view method) {
  return IsAnyOf(method, {"get",
                          "filter",
                          "filter_by",
                          "exclude",
                          "all",
                          "first",
                          "last",
                          "one",
                          "one_or_none",
                          "scalar",
                          "count",
                          "exists",
                          "create",
                          "get_or_create",
                          "update_or_create",
                          "values",
                          "values_list",
                          "aggregate",
                          "annotate",
                          "order_by",
                          "where",
                          "latest",
                          "earliest",
                          "in_bulk",
                          "get_or_404",
                          "first_or_404",
                          "select_related",
                          "prefetch_related",
                          "only",
                          "defer",
                          "update",
                          "delete"});
}

// Query methods that return a query still to be run (SQLAlchemy Query/Select, Django QuerySet).
bool IsLazyQueryBuilder(std::string_view method) {
  return IsAnyOf(method, {"query", "filter", "filter_by", "exclude", "order_by", "where", "join",
                          "options", "select_related", "prefetch_related", "only", "defer",
                          "annotate", "all", "limit", "offset", "distinct"});
}

// re functions that compile (or fetch from the cache) their pattern argument.
bool IsRegexFunction(std::string_view callee) {
  if (!StartsWith(callee, "re.") && !StartsWith(callee, "regex.")) return false;
  return IsAnyOf(LastComponent(callee),
                 {"match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer"});
}

bool IsMembership(Node op) {
  const std::string_view type = NodeType(op);
  return type == "in" || type == "not in";
}

// Calls fn(operator_node, right_operand) for each `in` / `not in` of a comparison chain. The
// grammar gives `not in` (and `is not`) as one operator token.
template <typename Fn>
void ForEachMembership(Node comparison, Fn&& fn) {
  Node pending_op = {};
  analysis::ForEachChild(comparison, [&](Node child, TSFieldId) {
    if (NodeIsExtra(child)) return;
    if (!NodeIsNamed(child)) {
      pending_op = IsMembership(child) ? child : Node();
      return;
    }
    if (!NodeIsNull(pending_op)) fn(pending_op, child);
    pending_op = Node();
  });
}

// The checks of one Check() call: the module, its bindings and the keys of its loops.
class PerformanceCheck {
 public:
  PerformanceCheck(const ParsedModule& module, FindingCollector& out)
      : m_(module), out_(out), g_(PythonGrammar::Get()), bindings_(module) {
    loop_keys_.reserve(module.loops().size());
    for (const LoopInfo& loop : module.loops()) {
      loop_keys_.push_back(NodeIsNull(loop.iterable)
                               ? std::string()
                               : internal::IterationKey(module, loop.iterable));
    }
    for (const Site& site : module.assignments()) {
      const Node left = Field(site.node, g_.field_left);
      const Node right = Unparenthesize(Field(site.node, g_.field_right));
      if (Is(left, g_.attribute) && IsCallOf(right, IsHttpClientConstructor)) {
        http_attributes_[internal::ChainKey(module, left)] = Callee(site.function, right);
      }
    }
  }

  void Run() {
    CheckNestedLoops();
    CheckMembershipInIteratedCollection();
    CheckStringConcatenation();
    CheckListMembership();
    CheckComplexity();
    if (!m_.loops().empty()) {
      CheckQuadraticListOperations();
      CheckQueriesInLoops();
      CheckRegexInLoops();
      CheckRepeatedLookups();
    }
    CheckBlockingInAsync();
    CheckCognitiveComplexity();
  }

 private:
  // The nearest loop around `loop` (exclusive) iterating `key`, -1 when none.
  int EnclosingLoopOver(int loop, const std::string& key) const {
    const std::vector<LoopInfo>& loops = m_.loops();
    int steps = 0;
    for (int p = loop; p >= 0 && steps < kMaxAncestors; p = loops[p].parent, ++steps) {
      if (loop_keys_[p] == key) return p;
    }
    return -1;
  }

  int Line(Node node) const { return analysis::NodeLine(node); }

  // PERF001, loops: `for a in xs: for b in xs:`.
  void CheckNestedLoops() {
    const std::vector<LoopInfo>& loops = m_.loops();
    for (size_t i = 0; i < loops.size(); ++i) {
      const std::string& key = loop_keys_[i];
      if (key.empty() || loops[i].parent < 0) continue;
      const int outer = EnclosingLoopOver(loops[i].parent, key);
      if (outer < 0) continue;
      out_.Add(kNestedLoops, m_.Locate(loops[i].node),
               "loop over `" + key + "` runs inside the loop over `" + key + "` at line " +
                   std::to_string(Line(loops[outer].node)) +
                   ": the same collection is walked once per element, O(n²)",
               "Index `" + key +
                   "` once before the outer loop (a dict or set keyed by what the "
                   "inner loop looks for) instead of walking it again for every element.",
               analysis::NodeLastLine(loops[i].node));
    }
  }

  // Whether `iterable` is `x.items()`, `x.keys()` or `x.values()`: x is a mapping, and `in`
  // on a mapping is O(1).
  bool IsMappingView(Node iterable) const {
    const Node node = Unparenthesize(iterable);
    if (!Is(node, g_.call)) return false;
    const Node function = Field(node, g_.field_function);
    if (!Is(function, g_.attribute)) return false;
    const std::string_view method = m_.Text(Field(function, g_.field_attribute));
    return method == "items" || method == "keys" || method == "values";
  }

  // Whether `key` names a set or dict in `function`, for which `in` is O(1).
  bool IsHashed(int function, const std::string& key) const {
    const Binding* binding = bindings_.Find(function, key);
    return binding != nullptr && (binding->kinds & internal::kHashed) != 0;
  }

  // PERF001, membership: `for a in xs: ... if b in xs:` scans xs once per element of xs.
  void CheckMembershipInIteratedCollection() {
    for (const Site& site : m_.comparisons()) {
      if (site.loop < 0) continue;
      ForEachMembership(site.node, [&](Node op, Node right) {
        const std::string key = internal::ChainKey(m_, right);
        if (key.empty() || IsHashed(site.function, key)) return;
        const int outer = EnclosingLoopOver(site.loop, key);
        if (outer < 0 || IsMappingView(m_.loops()[outer].iterable)) return;
        reported_membership_.insert(NodeStartByte(op));
        out_.Add(kNestedLoops, m_.Locate(site.node),
                 "`" + analysis::Quote(m_.Text(site.node)) + "` searches `" + key +
                     "` inside the loop over `" + key + "` at line " +
                     std::to_string(Line(m_.loops()[outer].node)) + ": one scan per element, O(n²)",
                 "Build a set from `" + key + "` once before the loop and test membership in it.",
                 analysis::NodeLastLine(site.node));
      });
    }
  }

  // Whether the innermost loop is a `for` over a literal collection or a short literal range:
  // a fixed number of iterations, so the quadratic cost is bounded.
  bool IsShortFixedLoop(int loop) const {
    const Node iterable = Unparenthesize(m_.loops()[loop].iterable);
    if (NodeIsNull(iterable)) return false;
    if (Is(iterable, g_.list) || Is(iterable, g_.tuple) || Is(iterable, g_.set) ||
        analysis::IsLiteralString(iterable)) {
      return true;
    }
    if (!Is(iterable, g_.call) || m_.Text(Field(iterable, g_.field_function)) != "range") {
      return false;
    }
    bool all_short = true, any = false;
    analysis::ForEachChild(Field(iterable, g_.field_arguments), [&](Node arg, TSFieldId) {
      if (!NodeIsNamed(arg) || NodeIsExtra(arg)) return;
      any = true;
      if (!Is(arg, g_.integer)) {
        all_short = false;
        return;
      }
      const std::string text(m_.Text(arg));
      char* end = nullptr;
      const long value = std::strtol(text.c_str(), &end, 0);
      if (end == text.c_str() || *end != '\0' || value > kShortRange) all_short = false;
    });
    return any && all_short;
  }

  // Whether the name a concatenation extends holds a str: bound to one in the function and
  // never to a list, container or number.
  bool BoundToString(int function, Node target) const {
    if (!Is(target, g_.identifier)) return false;
    const Binding* binding = bindings_.Find(function, m_.Text(target));
    constexpr unsigned kNotStr =
        internal::kList | internal::kHashed | internal::kSequence | internal::kNumber;
    return binding != nullptr && (binding->kinds & internal::kStr) != 0 &&
           (binding->kinds & kNotStr) == 0;
  }

  bool BoundToNonString(int function, Node target) const {
    if (!Is(target, g_.identifier)) return false;
    const Binding* binding = bindings_.Find(function, m_.Text(target));
    constexpr unsigned kNotStr =
        internal::kList | internal::kHashed | internal::kSequence | internal::kNumber;
    return binding != nullptr && (binding->kinds & kNotStr) != 0;
  }

  void ReportConcatenation(const Site& site, const std::string& key) {
    const LoopInfo& loop = m_.loops()[site.loop];
    const bool bounded = IsShortFixedLoop(site.loop);
    conclave::v1::Finding& f =
        out_.Add(kStringConcat, m_.Locate(site.node),
                 "str `" + key + "` is extended by concatenation inside the loop at line " +
                     std::to_string(Line(loop.node)) + (bounded ? " (a short, fixed loop)" : "") +
                     ": each step may copy the whole string",
                 "Collect the pieces in a list and assign `" + key +
                     " = \"\".join(parts)` once after the loop.",
                 analysis::NodeLastLine(site.node));
    if (bounded) f.set_severity(SEVERITY_LOW);
  }

  // PERF002: `s += piece` and `s = s + piece` in a loop, where s is evidently a str.
  void CheckStringConcatenation() {
    for (const Site& site : m_.augmented_assignments()) {
      if (site.loop < 0) continue;
      if (m_.Text(Field(site.node, g_.field_operator)) != "+=") continue;
      const Node left = Field(site.node, g_.field_left);
      const std::string key = internal::ChainKey(m_, left);
      if (key.empty() || BoundToNonString(site.function, left)) continue;
      if (analysis::IsStringExpression(Field(site.node, g_.field_right), m_.source()) ||
          BoundToString(site.function, left)) {
        ReportConcatenation(site, key);
      }
    }
    for (const Site& site : m_.assignments()) {
      if (site.loop < 0) continue;
      const Node left = Field(site.node, g_.field_left);
      const std::string key = internal::ChainKey(m_, left);
      if (key.empty() || BoundToNonString(site.function, left)) continue;
      if (ExtendsItself(Field(site.node, g_.field_right), key, site.function, left)) {
        ReportConcatenation(site, key);
      }
    }
  }

  // Whether `value` is `key + a + b ...` with some piece (or key itself) evidently a str.
  bool ExtendsItself(Node value, const std::string& key, int function, Node target) const {
    Node node = Unparenthesize(value);
    bool string_piece = false;
    for (int i = 0; i < kMaxAncestors && Is(node, g_.binary_operator); ++i) {
      if (m_.Text(Field(node, g_.field_operator)) != "+") return false;
      const Node piece = Field(node, g_.field_right);
      string_piece = string_piece || analysis::IsStringExpression(piece, m_.source());
      node = Unparenthesize(Field(node, g_.field_left));
    }
    if (NodeIsNull(node) || Is(node, g_.binary_operator)) return false;
    if (internal::ChainKey(m_, node) != key) return false;
    // `s = s` alone is not a concatenation; there must have been at least one `+`.
    if (NodeEq(node, Unparenthesize(value))) return false;
    return string_piece || BoundToString(function, target);
  }

  // The list `right` evidently is at this comparison, or nothing. `literal` tells a written-
  // out list (bounded by its length) from a computed one.
  bool IsListOperand(const Site& site, Node right, bool* literal) const {
    const Node node = Unparenthesize(right);
    *literal = Is(node, g_.list);
    if (*literal || Is(node, g_.list_comprehension)) return true;
    const Binding* binding = nullptr;
    bool attribute = false;
    if (Is(node, g_.identifier)) {
      binding = FindBinding(site.function, m_.Text(node));
    } else if (Is(node, g_.attribute)) {
      // `self.allowed` where the class only ever assigns it lists (`self.allowed = [...]` in
      // __init__, or `allowed = [...]` in the class body).
      const Node object = Field(node, g_.field_object);
      if (!Is(object, g_.identifier)) return false;
      const int owner = bindings_.InstanceClass(site.function, m_.Text(object));
      if (owner < 0) return false;
      binding = bindings_.FindAttribute(owner, m_.Text(Field(node, g_.field_attribute)));
      attribute = true;
    }
    if (binding == nullptr || binding->kinds != internal::kList) return false;
    // An attribute assigned in another method is there before this call's loop starts.
    if (attribute) {
      // Only ever a written-out list (`_c_extensions = [".c"]`): as bounded as a literal. An
      // empty one (`self.seen = []`) is there to be filled.
      *literal = std::all_of(binding->values.begin(), binding->values.end(), [&](Node value) {
        const Node list = Unparenthesize(value);
        return Is(list, g_.list) && NodeNamedChildCount(list) > 0;
      });
      for (size_t i = 0; i < binding->loops.size(); ++i) {
        if (binding->loops[i] < 0 || m_.loops()[binding->loops[i]].function != site.function ||
            !internal::LoopWithin(m_, binding->loops[i], site.loop)) {
          return true;
        }
      }
      return false;
    }
    // A list rebuilt on every iteration of this loop is scanned once per build: converting it
    // to a set would cost as much. Only a list bound outside the loop is worth flagging.
    for (const int loop : binding->loops) {
      if (!internal::LoopWithin(m_, loop, site.loop)) return true;
    }
    return false;
  }

  // PERF003: `x in xs` / `x not in xs` in a loop, where xs is evidently a list.
  void CheckListMembership() {
    for (const Site& site : m_.comparisons()) {
      if (site.loop < 0) continue;
      ForEachMembership(site.node, [&](Node op, Node right) {
        if (reported_membership_.count(NodeStartByte(op)) > 0) return;
        bool literal = false;
        if (!IsListOperand(site, right, &literal)) return;
        const int loop_line = Line(m_.loops()[site.loop].node);
        conclave::v1::Finding& f =
            out_.Add(kListMembership, m_.Locate(site.node),
                     "`" + analysis::Quote(m_.Text(site.node)) +
                         "` scans a list on every iteration of "
                         "the loop at line " +
                         std::to_string(loop_line),
                     Is(Unparenthesize(right), g_.attribute)
                         ? "Make `" + analysis::Quote(m_.Text(right), 40) +
                               "` a set (or frozenset) where the class assigns it, or build a "
                               "set from it once before the loop."
                     : literal ? std::string("Use a set literal ({...}) for a fixed membership test.")
                         : "Build a set from `" + analysis::Quote(m_.Text(right), 40) +
                               "` once before the loop and test membership in the set.",
                     analysis::NodeLastLine(site.node));
        // A written-out list is as long as the code that spells it: a small constant cost.
        if (literal) f.set_severity(SEVERITY_LOW);
      });
    }
  }

  // PERF004: McCabe complexity per function.
  void CheckComplexity() {
    for (const FunctionInfo& function : m_.functions()) {
      if (function.complexity <= kComplexityMedium) continue;
      const bool high = function.complexity > kComplexityHigh;
      conclave::v1::Finding& f =
          out_.Add(kComplexity, {function.name_line, function.name_column},
                   "function `" + function.qualified_name + "` has cyclomatic complexity " +
                       std::to_string(function.complexity) + " (threshold " +
                       std::to_string(high ? kComplexityHigh : kComplexityMedium) + ")",
                   "Split `" + function.qualified_name +
                       "` into smaller functions, each with one decision to make.",
                   function.last_line);
      if (high) f.set_severity(SEVERITY_HIGH);
    }
  }

  // --- shared helpers of PERF005-PERF009 ---

  // The bindings of `name` in `function`; for a name the function neither binds nor takes as
  // a parameter, the module's own (a module-level constant read in the function).
  const Binding* FindBinding(int function, std::string_view name) const {
    const Binding* binding = bindings_.Find(function, name);
    if (binding != nullptr || function < 0) return binding;
    const std::vector<std::string_view>& parameters = m_.functions()[function].parameters;
    if (std::find(parameters.begin(), parameters.end(), name) != parameters.end()) return nullptr;
    return bindings_.Find(-1, name);
  }

  // Calls fn(identifier) for each name an expression reads: identifiers except attribute
  // names and keyword-argument names. Stops early when fn returns true; returns whether it
  // did. Bounded by kMaxScan nodes.
  template <typename Fn>
  bool AnyName(Node root, Fn&& fn) const {
    if (NodeIsNull(root)) return false;
    if (Is(root, g_.identifier)) return fn(root);
    analysis::Cursor cursor(root);
    for (int budget = kMaxScan; budget > 0; --budget) {
      const Node node = cursor.node();
      const TSFieldId field = cursor.field();
      if (Is(node, g_.identifier) && field != g_.field_attribute && field != g_.field_name &&
          fn(node)) {
        return true;
      }
      if (cursor.GotoFirstChild()) continue;
      while (!cursor.GotoNextSibling()) {
        if (!cursor.GotoParent()) return false;
      }
    }
    return false;
  }

  // Names the `for` targets of `loop` and the loops around it (in its function) bind.
  std::vector<std::string_view> LoopVariables(int loop) const {
    std::vector<std::string_view> names;
    const std::vector<LoopInfo>& loops = m_.loops();
    int steps = 0;
    for (int p = loop; p >= 0 && steps < kMaxAncestors; p = loops[p].parent, ++steps) {
      if (NodeIsNull(loops[p].iterable)) continue;  // while
      AnyName(Field(loops[p].node, g_.field_left), [&](Node name) {
        names.push_back(m_.Text(name));
        return false;
      });
    }
    return names;
  }

  // Whether `expression` changes from one iteration of `loop` to the next, as far as names
  // show: it reads a loop variable of `loop` or an enclosing loop, or a name the function
  // binds inside `loop`.
  bool VariesInLoop(Node expression, int function, int loop) const {
    const std::vector<std::string_view> variables = LoopVariables(loop);
    return AnyName(expression, [&](Node node) {
      const std::string_view name = m_.Text(node);
      if (std::find(variables.begin(), variables.end(), name) != variables.end()) return true;
      const Binding* binding = bindings_.Find(function, name);
      if (binding == nullptr) return false;
      for (const int bound_in : binding->loops) {
        if (bound_in >= 0 && internal::LoopWithin(m_, bound_in, loop)) return true;
      }
      return false;
    });
  }

  // The loop the site runs in counts as iterating a collection: some loop around it is a
  // `for` (or comprehension). `fixed` tells whether every such loop is a short literal range
  // or literal collection (a retry or a fixed fan-out rather than a walk over data).
  bool InForLoop(int loop, bool* fixed) const {
    const std::vector<LoopInfo>& loops = m_.loops();
    bool any = false;
    *fixed = true;
    int steps = 0;
    for (int p = loop; p >= 0 && steps < kMaxAncestors; p = loops[p].parent, ++steps) {
      if (NodeIsNull(loops[p].iterable)) continue;
      any = true;
      if (!IsShortFixedLoop(p) && !IsConstantTable(loops[p].function, loops[p].iterable)) {
        *fixed = false;
      }
    }
    return any;
  }

  // Whether `iterable` is a name bound (in the function, or the module for a name the
  // function does not bind) only to list or tuple literals of constants: a table written in
  // the code (`for stmt in SCHEMA:`), as long as the code that spells it.
  bool IsConstantTable(int function, Node iterable) const {
    iterable = Unparenthesize(iterable);
    if (!Is(iterable, g_.identifier)) return false;
    const Binding* binding = FindBinding(function, m_.Text(iterable));
    if (binding == nullptr || binding->values.empty()) return false;
    for (const Node value : binding->values) {
      const Node node = Unparenthesize(value);
      if (!(Is(node, g_.list) || Is(node, g_.tuple)) || !analysis::IsConstant(node)) return false;
    }
    return true;
  }

  // The receiver of a method call (`xs` in `xs.pop(0)`); null for other callees.
  Node Receiver(Node call) const {
    const Node function = Field(call, g_.field_function);
    return Is(function, g_.attribute) ? Unparenthesize(Field(function, g_.field_object)) : Node();
  }

  // Whether some value the function binds `name` to satisfies pred.
  template <typename Pred>
  bool BoundTo(int function, std::string_view name, Pred&& pred) const {
    const Binding* binding = bindings_.Find(function, name);
    if (binding == nullptr) return false;
    for (const Node value : binding->values) {
      if (!NodeIsNull(value) && pred(Unparenthesize(value))) return true;
    }
    return false;
  }

  bool IsCallOf(Node node, bool (*pred)(std::string_view)) const {
    return Is(node, g_.call) && pred(Callee(-2, node));
  }

  // The dotted name a call's callee refers to (ParsedModule::CalleeName), only when its head
  // is bound by an import (`re.match` with `import re`) or is a bare name `function` does not
  // bind itself (a builtin such as `open`); "" otherwise, so that a local variable named `re`
  // or `regex` is not taken for the module. `function` -2: do not check local bindings.
  std::string Callee(int function, Node call) const {
    Node head = Field(call, g_.field_function);
    for (int i = 0; i < kMaxChain && Is(head, g_.attribute); ++i) {
      head = Field(head, g_.field_object);
    }
    if (!Is(head, g_.identifier)) return "";
    const std::string_view name = m_.Text(head);
    if (function >= 0) {
      const std::vector<std::string_view>& parameters = m_.functions()[function].parameters;
      if (std::find(parameters.begin(), parameters.end(), name) != parameters.end()) return "";
    }
    if (m_.ImportedName(name).empty()) {
      const bool bare = NodeEq(head, Field(call, g_.field_function));
      if (!bare || (function != -2 && bindings_.Find(function, name) != nullptr)) return "";
    }
    return m_.CalleeName(call);
  }

  // --- PERF005 ---

  // Whether `receiver` is evidently a list in `site`'s function, bound at least once outside
  // the loop (a list rebuilt every iteration costs as much as the operation).
  bool IsListBoundOutside(const Site& site, Node receiver) const {
    if (!Is(receiver, g_.identifier)) return false;
    const Binding* binding = FindBinding(site.function, m_.Text(receiver));
    if (binding == nullptr || binding->kinds != internal::kList) return false;
    for (const int loop : binding->loops) {
      if (!internal::LoopWithin(m_, loop, site.loop)) return true;
    }
    return false;
  }

  // Whether `receiver` could be a list: not bound to anything else (a set, dict, str, tuple,
  // number, deque or other call result) in the function.
  bool CouldBeList(const Site& site, Node receiver) const {
    const std::string key = internal::ChainKey(m_, receiver);
    // sys.path: a short list whose order is the point of inserting at the front.
    if (key.empty() || key == "sys.path") return false;
    if (!Is(receiver, g_.identifier)) return true;
    const Binding* binding = bindings_.Find(site.function, m_.Text(receiver));
    return binding == nullptr || binding->kinds == internal::kList;
  }

  static bool IsZero(std::string_view text) { return text == "0"; }

  // PERF005: xs.index(x), xs.remove(x), xs.pop(0), xs.insert(0, x) on a list in a loop.
  void CheckQuadraticListOperations() {
    for (const Site& site : m_.calls()) {
      if (site.loop < 0) continue;
      const std::string_view method = m_.MethodName(site.node);
      if (!IsAnyOf(method, {"index", "remove", "pop", "insert"})) continue;
      const Node receiver = Receiver(site.node);
      if (NodeIsNull(receiver)) continue;
      const Node arguments = Field(site.node, g_.field_arguments);
      const Node first = analysis::FirstPositionalArgument(arguments);
      std::string what;
      if (method == "pop" || method == "insert") {
        // The front of the list: every other element moves. A list only by evidence or by
        // the absence of any other binding (pop(0)/insert(0, x) are list idioms).
        if (NodeIsNull(first) || !IsZero(m_.Text(first))) continue;
        if (method == "pop" && !NodeIsNull(analysis::PositionalArgument(arguments, 1))) {
          continue;
        }
        if (!CouldBeList(site, receiver)) continue;
        what = method == "pop" ? "removes the first element, shifting all the others"
                               : "inserts at the front, shifting all the others";
      } else {
        // str.index, set.remove, dict-like objects: only a name evidently bound to a list.
        if (NodeIsNull(first) || !IsListBoundOutside(site, receiver)) continue;
        what = method == "index" ? "searches the list element by element"
                                 : "searches the list and shifts the elements after the match";
      }
      const std::string key = internal::ChainKey(m_, receiver);
      const bool queue = method == "pop" || method == "insert";
      out_.Add(kQuadraticListOps, m_.Locate(site.node),
               "`" + analysis::Quote(m_.Text(site.node)) + "` " + what +
                   " on every iteration of the loop at line " +
                   std::to_string(Line(m_.loops()[site.loop].node)) + ": O(n) per call",
               queue ? "Make `" + key + "` a collections.deque and use " +
                           (method == "pop" ? std::string("popleft()") : "appendleft(x)") + "."
               : method == "index"
                   ? "Build a dict from value to position once before the loop."
                   : "Keep the elements in a set (or dict, to keep order) and discard "
                     "from it.",
               analysis::NodeLastLine(site.node));
    }
  }

  // --- PERF006 ---

  enum class Remote { kNone, kDatabase, kHttp };

  // Whether `receiver` (a name or attribute chain) holds an HTTP client: bound to one in the
  // function, or an attribute the module assigns one to. `async_client` tells an
  // httpx.AsyncClient or aiohttp session (awaited, so not blocking) from a synchronous one.
  bool IsHttpClient(int function, Node receiver, bool* async_client = nullptr) const {
    bool found = false, async = false;
    auto note = [&](std::string_view callee) {
      found = true;
      async = async || IsAnyOf(callee, {"httpx.AsyncClient", "aiohttp.ClientSession"});
    };
    if (Is(receiver, g_.identifier)) {
      BoundTo(function, m_.Text(receiver), [&](Node value) {
        if (IsCallOf(value, IsHttpClientConstructor)) note(Callee(-2, value));
        return false;
      });
    } else {
      const auto it = http_attributes_.find(internal::ChainKey(m_, receiver));
      if (it != http_attributes_.end()) note(it->second);
    }
    if (async_client != nullptr) *async_client = async;
    return found;
  }

  // What one call is, on its own: a query or a request, by its callee and receiver.
  Remote ClassifyCall(int function, Node call) const {
    if (IsHttpFunction(Callee(function, call))) return Remote::kHttp;
    const Node receiver = Receiver(call);
    if (NodeIsNull(receiver)) return Remote::kNone;
    const std::string_view method = m_.MethodName(call);
    if (IsHttpMethod(method) && IsHttpClient(function, receiver)) return Remote::kHttp;
    const std::string key = internal::ChainKey(m_, receiver);
    const std::string_view last = LastComponent(key);
    // Judged by its name, a receiver is a handle unless it is a loop variable (`for session
    // in sessions: session.get(...)` walks data). Checked last: the rare candidates only.
    // executemany is itself the batched form: one per chunk is the fix, not the problem.
    if (method == "execute" && !key.empty() &&
        (IsDatabaseName(last) || BoundToDatabaseHandle(function, receiver))) {
      return IsLoopVariable(function, key.substr(0, key.find('.'))) ? Remote::kNone
                                                                    : Remote::kDatabase;
    }
    // A session by its name, by its type (`db: Session`, `db = SessionLocal()`), or the
    // conventional `db` of Flask-SQLAlchemy and FastAPI code for the unambiguous methods
    // (`db.get(key)` could as well be a dbm file or a dict).
    if (IsSessionQueryMethod(method) && !key.empty() &&
        (IsSessionName(last) ||
         (IsAnyOf(method, {"query", "scalar", "scalars"}) && Lower(last) == "db") ||
         IsOrmSession(function, receiver))) {
      return IsLoopVariable(function, key.substr(0, key.find('.'))) ? Remote::kNone
                                                                    : Remote::kDatabase;
    }
    // A handle returned by a call: `db().execute(...)`, `get_db().execute(...)`,
    // `conn.cursor().execute(...)`, `get_session().query(...)`, `SessionLocal().get(...)`.
    if (Is(receiver, g_.call)) {
      if (IsHttpMethod(method) && IsCallOf(receiver, IsHttpClientConstructor)) {
        return Remote::kHttp;
      }
      const std::string noun = Lower(HandleFactoryNoun(m_.MethodName(receiver)));
      if (method == "execute" &&
          (IsDatabaseName(noun) || IsAnyOf(noun, {"cursor", "connect"}))) {
        return Remote::kDatabase;
      }
      if (IsSessionQueryMethod(method) && (IsSessionName(noun) || IsSessionFactoryCall(receiver))) {
        return Remote::kDatabase;
      }
    }
    if (Is(receiver, g_.attribute) && IsQueryMethod(method)) {
      // Model.objects.<method>() (Django), Model.query.<method>() (Flask-SQLAlchemy).
      const std::string_view attribute = m_.Text(Field(receiver, g_.field_attribute));
      const Node model = Field(receiver, g_.field_object);
      if (attribute == "objects") return Remote::kDatabase;
      if (attribute == "query" && Is(model, g_.identifier) && !m_.Text(model).empty() &&
          std::isupper(static_cast<unsigned char>(m_.Text(model)[0]))) {
        return Remote::kDatabase;
      }
    }
    return Remote::kNone;
  }

  // Whether `name` is the target of a `for` (or comprehension) in `function`.
  bool IsLoopVariable(int function, std::string_view name) const {
    if (name.empty()) return false;
    if (!loop_variables_built_) {
      // Built on first use, in one pass over the loops.
      loop_variables_built_ = true;
      for (const LoopInfo& loop : m_.loops()) {
        if (NodeIsNull(loop.iterable)) continue;
        AnyName(Field(loop.node, g_.field_left), [&](Node target) {
          loop_variables_.insert({loop.function, m_.Text(target)});
          return false;
        });
      }
    }
    return loop_variables_.count({function, name}) > 0;
  }

  // Whether `call` makes a SQLAlchemy session: `SessionLocal()` (FastAPI's conventional
  // name for the factory), `Session(engine)`, `sessionmaker(bind=e)()`, or a call of a
  // module-level name bound to `sessionmaker(...)`.
  bool IsSessionFactoryCall(Node call) const {
    if (!Is(call, g_.call)) return false;
    const Node function = Unparenthesize(Field(call, g_.field_function));
    if (Is(function, g_.call)) return IsSessionFactoryMaker(m_.MethodName(function));
    const std::string_view name = m_.MethodName(call);
    if (name.empty()) return false;
    const std::string lower = Lower(name);
    if (lower.size() >= 12 && lower.compare(lower.size() - 12, 12, "sessionlocal") == 0) {
      return true;
    }
    if (IsOrmSessionClass(m_.CalleeName(call))) return true;
    if (!Is(function, g_.identifier)) return false;
    return BoundTo(-1, name, [&](Node value) {
      return Is(value, g_.call) && IsSessionFactoryMaker(m_.MethodName(value));
    });
  }

  // Whether `receiver` is a SQLAlchemy session by its type: a parameter annotated with the
  // Session class (`db: Session`, `db: Session = Depends(get_db)`, `Optional[Session]`), or
  // a name the function binds to a session factory's call (`db = SessionLocal()`,
  // `with Session(engine) as s`).
  bool IsOrmSession(int function, Node receiver) const {
    if (!Is(receiver, g_.identifier) || function < 0) return false;
    const std::string_view name = m_.Text(receiver);
    if (BoundTo(function, name, [&](Node value) { return IsSessionFactoryCall(value); })) {
      return true;
    }
    const Node parameters = Field(m_.functions()[function].node, g_.field_parameters);
    bool annotated = false;
    analysis::ForEachChild(parameters, [&](Node p, TSFieldId) {
      if (annotated) return;
      Node id = {};
      if (Is(p, g_.typed_parameter)) id = NodeNamedChild(p, 0);
      if (Is(p, g_.typed_default_parameter)) id = Field(p, g_.field_name);
      if (!Is(id, g_.identifier) || m_.Text(id) != name) return;
      annotated = AnnotationNamesSession(NodeChildByFieldName(p, "type", 4));
    });
    return annotated;
  }

  // Whether a type annotation is SQLAlchemy's Session: `Session`, `orm.Session`,
  // `Optional[Session]`, `Session | None`, as the module's imports resolve them.
  bool AnnotationNamesSession(Node type) const {
    if (NodeIsNull(type)) return false;
    // The `type` node wraps the expression; look at the names in it (bounded: annotations
    // are short, and Optional/Union/| only add a level or two).
    bool session = false;
    analysis::Cursor cursor(type);
    for (int budget = 64; budget > 0 && !session; --budget) {
      const Node node = cursor.node();
      if (Is(node, g_.identifier) || Is(node, g_.attribute)) {
        const std::string text(m_.Text(node));
        const size_t dot = text.find('.');
        const std::string_view imported = m_.ImportedName(text.substr(0, dot));
        if (!imported.empty()) {
          session = IsOrmSessionClass(std::string(imported) +
                                      (dot == std::string::npos ? "" : text.substr(dot)));
        }
        if (Is(node, g_.attribute) || session) {
          // An attribute's own identifiers are parts of the name just judged.
          while (!cursor.GotoNextSibling()) {
            if (!cursor.GotoParent()) return session;
          }
          continue;
        }
      }
      if (cursor.GotoFirstChild()) continue;
      while (!cursor.GotoNextSibling()) {
        if (!cursor.GotoParent()) return session;
      }
    }
    return session;
  }

  // `cur = conn.cursor()`, `conn = sqlite3.connect(...)`, `with engine.connect() as c`.
  bool BoundToDatabaseHandle(int function, Node receiver) const {
    if (!Is(receiver, g_.identifier)) return false;
    return BoundTo(function, m_.Text(receiver), [&](Node value) {
      if (!Is(value, g_.call)) return false;
      const std::string_view method = m_.MethodName(value);
      return method == "cursor" || method == "connect" ||
             LastComponent(m_.CalleeName(value)) == "connect";
    });
  }

  // The first query or request along a method chain, walking down from `node` through
  // callees and receivers (`session.query(U).filter(...).first()` finds `session.query`).
  // `resolve` follows a name to the values it is bound to, once (never recursively, so
  // `x = x.strip()` cannot loop).
  Remote ChainRemote(int function, Node node, bool resolve = true) const {
    node = Unparenthesize(node);
    for (int i = 0; i < kMaxChain && !NodeIsNull(node); ++i) {
      if (Is(node, g_.call)) {
        const Remote remote = ClassifyCall(function, node);
        if (remote != Remote::kNone) return remote;
        node = Field(node, g_.field_function);
      } else if (Is(node, g_.attribute)) {
        node = Unparenthesize(Field(node, g_.field_object));
      } else if (Is(node, g_.identifier) && i > 0 && resolve) {
        // A query built before the loop and run in it: `q = session.query(U)` … `q.get(i)`.
        // Only a lazy query (its last call builds rather than runs it) is run again; a
        // name bound to results (`rows = q.all()`, `found = M.objects.in_bulk(ids)`) is not.
        const std::string_view name = m_.Text(node);
        bool query = false;
        BoundTo(function, name, [&](Node value) {
          query = query || (Is(value, g_.call) && IsLazyQueryBuilder(m_.MethodName(value)) &&
                            ChainRemote(function, value, false) == Remote::kDatabase);
          return query;
        });
        return query ? Remote::kDatabase : Remote::kNone;
      } else {
        break;
      }
    }
    return Remote::kNone;
  }

  // PERF006: a query or request per iteration of a for loop, reported once per call chain.
  void CheckQueriesInLoops() {
    uint32_t covered_until = 0;  // end of the last reported chain; calls inside it are its own
    for (const Site& site : m_.calls()) {
      if (site.loop < 0) continue;
      if (NodeStartByte(site.node) < covered_until) continue;
      bool fixed = false;
      if (!InForLoop(site.loop, &fixed)) continue;
      const Remote remote = ChainRemote(site.function, site.node);
      if (remote == Remote::kNone) continue;
      // `for attempt in range(3):` retries, `for mirror in ("a", "b"):` fail-over: a fixed
      // number of round trips, not one per element of the data.
      if (fixed) continue;
      const bool varies = VariesInLoop(site.node, site.function, site.loop);
      covered_until = NodeEndByte(site.node);
      const bool database = remote == Remote::kDatabase;
      const int loop_line = Line(m_.loops()[site.loop].node);
      conclave::v1::Finding& f = out_.Add(
          kNPlusOne, m_.Locate(site.node),
          std::string(database ? "database query" : "HTTP request") + " `" +
              analysis::Quote(m_.Text(site.node)) +
              "` runs once per iteration of the loop at line " + std::to_string(loop_line) +
              (database && varies ? ", with arguments that change with the loop (N+1 queries)"
                                  : " (one round trip per element)"),
          database ? "Load all the rows in one query before the loop (a WHERE ... IN (...) over "
                     "the loop's keys, select_related/prefetch_related or joinedload) and look "
                     "them up in a dict inside it."
                   : "Use a batch endpoint, or send the requests concurrently (asyncio.gather "
                     "with an async client, or a thread pool) over one shared Session.",
          analysis::NodeLastLine(site.node));
      if (database && varies) f.set_severity(SEVERITY_HIGH);
    }
  }

  // --- PERF007 ---

  // Whether `node` builds a string (rather than selects one): an operator (`+`, `%`), an
  // f-string with fields, or a call (`.format`, `.join`, `re.escape`, `str`).
  bool BuildsString(Node node) const {
    node = Unparenthesize(node);
    return Is(node, g_.binary_operator) || Is(node, g_.call) ||
           analysis::IsInterpolatedString(node) ||
           (Is(node, g_.concatenated_string) && !analysis::IsLiteralString(node));
  }

  // Whether the pattern is built anew in the loop: a building expression that varies with it,
  // or a name the function binds inside the loop to one. A pattern merely selected by the loop
  // (`for p in PATTERNS: re.compile(p)`, `re.match(rule.regex, s)`) is one of a fixed set:
  // compiled once each and then served by re's cache, so it is not reported.
  bool PatternBuiltInLoop(const Site& site, Node pattern) const {
    pattern = Unparenthesize(pattern);
    if (BuildsString(pattern)) return VariesInLoop(pattern, site.function, site.loop);
    if (!Is(pattern, g_.identifier)) return false;
    const Binding* binding = bindings_.Find(site.function, m_.Text(pattern));
    if (binding == nullptr) return false;
    for (size_t i = 0; i < binding->loops.size(); ++i) {
      if (binding->loops[i] >= 0 && internal::LoopWithin(m_, binding->loops[i], site.loop) &&
          !NodeIsNull(binding->values[i]) && BuildsString(binding->values[i])) {
        return true;
      }
    }
    return false;
  }

  void CheckRegexInLoops() {
    for (const Site& site : m_.calls()) {
      if (site.loop < 0) continue;
      const std::string callee = Callee(site.function, site.node);
      const bool compile = callee == "re.compile" || callee == "regex.compile";
      if (!compile && !IsRegexFunction(callee)) continue;
      const Node pattern =
          analysis::FirstPositionalArgument(Field(site.node, g_.field_arguments));
      if (NodeIsNull(pattern)) continue;
      const bool built = PatternBuiltInLoop(site, pattern);
      // re.compile of a fixed pattern in a loop: a cache lookup per iteration, hoistable.
      // A selected pattern compiled once per element is the precompiling idiom itself.
      const bool fixed_compile =
          compile && !built && !VariesInLoop(pattern, site.function, site.loop);
      if (!built && !fixed_compile) continue;
      const int loop_line = Line(m_.loops()[site.loop].node);
      conclave::v1::Finding& f = out_.Add(
          kRegexInLoop, m_.Locate(site.node),
          built ? "`" + analysis::Quote(m_.Text(site.node)) +
                      "` compiles a pattern built anew on each iteration of the loop at line " +
                      std::to_string(loop_line) + ": every new value is compiled again"
                : "`" + analysis::Quote(m_.Text(site.node)) +
                      "` runs on every iteration of the loop at line " + std::to_string(loop_line) +
                      " for a pattern that does not change (a cache lookup each time)",
          built ? std::string("Compile the patterns once before the loop, or combine them into "
                              "one alternation compiled once.")
                : "Compile the pattern once at module level or before the loop.",
          analysis::NodeLastLine(site.node));
      if (!built) f.set_severity(SEVERITY_LOW);
    }
  }

  // --- PERF008 ---

  // Why a call blocks the event loop ("" when it does not), and whether it is a long wait
  // (sleep, network, subprocess) rather than file I/O.
  std::string_view BlockingReason(int function, Node call, bool* long_wait) const {
    const std::string callee = Callee(function, call);
    *long_wait = true;
    if (callee == "time.sleep") return "sleeps the whole event loop";
    if (IsHttpFunction(callee)) return "waits for an HTTP response";
    if (IsAnyOf(callee, {"subprocess.run", "subprocess.call", "subprocess.check_call",
                         "subprocess.check_output", "subprocess.getoutput",
                         "subprocess.getstatusoutput", "os.system", "os.popen"})) {
      return "waits for a subprocess";
    }
    if (IsAnyOf(callee, {"socket.create_connection", "socket.getaddrinfo", "socket.gethostbyname",
                         "socket.gethostbyaddr"})) {
      return "blocks on the network";
    }
    const Node receiver = Receiver(call);
    const std::string_view method = m_.MethodName(call);
    if (!NodeIsNull(receiver) &&
        IsAnyOf(method,
                {"recv", "recv_into", "recvfrom", "accept", "connect", "sendall", "makefile"}) &&
        Is(receiver, g_.identifier) && BoundTo(function, m_.Text(receiver), [&](Node value) {
          return Is(value, g_.call) &&
                 IsAnyOf(Callee(-2, value), {"socket.socket", "socket.create_connection"});
        })) {
      return "blocks on a socket";
    }
    bool async_client = false;
    if (!NodeIsNull(receiver) && IsHttpMethod(method) &&
        IsHttpClient(function, receiver, &async_client) && !async_client) {
      return "waits for an HTTP response";
    }
    *long_wait = false;
    if (callee == "open" || callee == "io.open" || callee == "input") return "does blocking I/O";
    if (IsAnyOf(callee, {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree",
                         "shutil.rmtree", "shutil.move"})) {
      return "does blocking file I/O";
    }
    if (!NodeIsNull(receiver) &&
        IsAnyOf(method, {"read_text", "read_bytes", "write_text", "write_bytes"})) {
      return "does blocking file I/O";
    }
    return "";
  }

  // PERF008: blocking calls in `async def`, except inside the arguments of a call that runs
  // them in a thread (to_thread, run_in_executor, run_in_threadpool, run_sync).
  void CheckBlockingInAsync() {
    bool any_async = false;
    for (const FunctionInfo& f : m_.functions()) any_async = any_async || f.is_async;
    if (!any_async) return;
    // Argument ranges of thread offloads, per async function.
    std::vector<std::pair<uint32_t, uint32_t>> offloaded;
    for (const Site& site : m_.calls()) {
      if (site.function < 0 || !m_.functions()[site.function].is_async) continue;
      if (IsAnyOf(m_.MethodName(site.node),
                  {"to_thread", "run_in_executor", "run_in_threadpool", "run_sync", "submit"})) {
        const Node arguments = Field(site.node, g_.field_arguments);
        offloaded.emplace_back(NodeStartByte(arguments), NodeEndByte(arguments));
      }
    }
    for (const Site& site : m_.calls()) {
      if (site.function < 0 || !m_.functions()[site.function].is_async) continue;
      bool long_wait = false;
      const std::string_view reason = BlockingReason(site.function, site.node, &long_wait);
      if (reason.empty()) continue;
      const uint32_t start = NodeStartByte(site.node);
      if (std::any_of(offloaded.begin(), offloaded.end(),
                      [&](const auto& r) { return start >= r.first && start < r.second; })) {
        continue;
      }
      const FunctionInfo& f = m_.functions()[site.function];
      conclave::v1::Finding& finding = out_.Add(
          kBlockingInAsync, m_.Locate(site.node),
          "`" + analysis::Quote(m_.Text(site.node)) + "` in `async def " + f.qualified_name + "` " +
              std::string(reason) + ": every task on the event loop waits for it",
          "Use the async equivalent, or `await asyncio.to_thread(...)` to run it in a thread.",
          analysis::NodeLastLine(site.node));
      if (long_wait) finding.set_severity(SEVERITY_HIGH);
    }
  }

  // --- PERF009 ---

  void CheckRepeatedLookups() {
    const std::vector<LoopInfo>& loops = m_.loops();
    // Start bytes of stores (assignment targets) and of callees, in hot loops only.
    std::set<uint32_t> stores, callees;
    bool any_hot = false;
    for (const LoopInfo& loop : loops) any_hot = any_hot || loop.depth >= kHotLoopDepth;
    if (!any_hot) return;
    for (const std::vector<Site>* sites : {&m_.assignments(), &m_.augmented_assignments()}) {
      for (const Site& site : *sites) {
        if (site.loop < 0) continue;
        const Node left = Field(site.node, g_.field_left);
        stores.insert(NodeStartByte(left));
        std::string target = internal::ChainKey(m_, left);
        if (!target.empty()) stores_in_loops_.emplace_back(site.loop, std::move(target));
      }
    }
    for (const Site& site : m_.calls()) {
      if (site.loop >= 0 && loops[site.loop].depth >= kHotLoopDepth) {
        callees.insert(NodeStartByte(Field(site.node, g_.field_function)));
      }
    }
    struct Lookups {
      int count = 0;
      Node first;
      int function = -1;
    };
    std::map<std::pair<int, std::string>, Lookups> seen;
    for (const Site& site : m_.attributes()) {
      if (site.loop < 0 || loops[site.loop].depth < kHotLoopDepth) continue;
      const uint32_t start = NodeStartByte(site.node);
      if (stores.count(start) > 0) continue;
      std::string key = internal::ChainKey(m_, site.node);
      if (key.empty()) continue;
      const size_t dots = static_cast<size_t>(std::count(key.begin(), key.end(), '.'));
      const std::string_view root = std::string_view(key).substr(0, key.find('.'));
      const bool module_function = dots == 1 && callees.count(start) > 0 &&
                                   !m_.ImportedName(root).empty() &&
                                   bindings_.Find(site.function, root) == nullptr;
      if (dots < 2 && !module_function) continue;
      Lookups& lookups = seen[{site.loop, std::move(key)}];
      if (lookups.count++ == 0) {
        lookups.first = site.node;
        lookups.function = site.function;
      }
    }
    for (const auto& [where, lookups] : seen) {
      if (lookups.count < kRepeatedLookups) continue;
      const std::string& key = where.second;
      if (ChainChangesInLoop(key, lookups.function, where.first)) continue;
      out_.Add(kRepeatedLookup, m_.Locate(lookups.first),
               "`" + key + "` is looked up " + std::to_string(lookups.count) +
                   " times in the body of the loop at line " +
                   std::to_string(Line(loops[where.first].node)) + " (nested " +
                   std::to_string(loops[where.first].depth) + " deep), on every iteration",
               "Bind it to a local before the outer loop: `" + std::string(LastComponent(key)) +
                   " = " + key + "`.",
               analysis::NodeLastLine(lookups.first));
    }
  }

  // Whether the root of `key` is a loop variable of `loop` (or one around it) or is rebound
  // inside `loop`, or a prefix of the chain is assigned in it: then the lookups cannot be
  // hoisted.
  bool ChainChangesInLoop(const std::string& key, int function, int loop) const {
    const std::string_view root = std::string_view(key).substr(0, key.find('.'));
    const std::vector<std::string_view> variables = LoopVariables(loop);
    if (std::find(variables.begin(), variables.end(), root) != variables.end()) return true;
    const Binding* binding = bindings_.Find(function, root);
    if (binding != nullptr) {
      for (const int bound_in : binding->loops) {
        if (bound_in >= 0 && internal::LoopWithin(m_, bound_in, loop)) return true;
      }
    }
    for (const auto& [store_loop, target] : stores_in_loops_) {
      // Bounded: past the budget a chain counts as changing (the finding is dropped).
      if (++store_comparisons_ > kMaxStoreComparisons) return true;
      if (m_.loops()[store_loop].function != function ||
          !internal::LoopWithin(m_, store_loop, loop)) {
        continue;
      }
      if (StartsWith(key, target) && (key.size() == target.size() || key[target.size()] == '.')) {
        return true;
      }
    }
    return false;
  }

  // --- PERF010 ---

  void CheckCognitiveComplexity() {
    for (const FunctionInfo& function : m_.functions()) {
      if (function.cognitive_complexity <= kCognitiveMedium) continue;
      const bool high = function.cognitive_complexity > kCognitiveHigh;
      conclave::v1::Finding& f =
          out_.Add(kCognitiveComplexity, {function.name_line, function.name_column},
                   "function `" + function.qualified_name + "` has cognitive complexity " +
                       std::to_string(function.cognitive_complexity) + " (threshold " +
                       std::to_string(high ? kCognitiveHigh : kCognitiveMedium) + ")",
                   "Extract the deepest nested blocks of `" + function.qualified_name +
                       "` into helpers and return early instead of nesting.",
                   function.last_line);
      if (high) f.set_severity(SEVERITY_HIGH);
    }
  }

  const ParsedModule& m_;
  FindingCollector& out_;
  const PythonGrammar& g_;
  const LocalBindings bindings_;
  std::vector<std::string> loop_keys_;      // IterationKey of each loop, "" for none
  std::set<uint32_t> reported_membership_;  // operators PERF001 already reported
  // PERF009: chain targets assigned in loops (innermost loop, target), and the comparisons
  // made against them so far.
  std::vector<std::pair<int, std::string>> stores_in_loops_;
  mutable long store_comparisons_ = 0;
  // IsLoopVariable's (function, name) pairs, built on first use.
  mutable std::set<std::pair<int, std::string_view>> loop_variables_;
  mutable bool loop_variables_built_ = false;
  // `self.http` → "requests.Session" where `self.http = requests.Session()`.
  std::map<std::string, std::string> http_attributes_;
};

class PerformancePack : public analysis::RulePack {
 public:
  std::string_view reviewer() const override { return "performance"; }
  std::string_view version() const override { return kVersion; }
  const std::vector<RuleSpec>& rules() const override { return AllRules(); }
  analysis::RejectPolicy reject_policy() const override {
    return analysis::RejectPolicy::kNeverReject;
  }
  void Check(const ParsedModule& module, FindingCollector& out) const override {
    PerformanceCheck(module, out).Run();
  }
};

}  // namespace

std::unique_ptr<analysis::RulePack> NewPerformancePack() {
  return std::make_unique<PerformancePack>();
}

}  // namespace conclave::performance
