#include "agents/performance/performance_pack.h"

#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "agents/analysis/expressions.h"
#include "agents/performance/internal/local_bindings.h"

namespace conclave::performance {
namespace {

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

constexpr std::string_view kVersion = "1.0.0";
// A loop nested deeper than this inside another is not compared with it: the walk up the
// loop chain stays bounded on generated code.
constexpr int kMaxAncestors = 64;
// range(N) with a literal N at most this is a short, fixed loop.
constexpr long kShortRange = 100;

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

const std::vector<RuleSpec>& AllRules() {
  static const std::vector<RuleSpec> rules = {kNestedLoops, kStringConcat, kListMembership,
                                              kComplexity};
  return rules;
}

bool IsMembership(TSNode op) {
  const std::string_view type = ts_node_type(op);
  return type == "in" || type == "not in";
}

// Calls fn(operator_node, right_operand) for each `in` / `not in` of a comparison chain. The
// grammar gives `not in` (and `is not`) as one operator token.
template <typename Fn>
void ForEachMembership(TSNode comparison, Fn&& fn) {
  TSNode pending_op = {};
  analysis::ForEachChild(comparison, [&](TSNode child, TSFieldId) {
    if (ts_node_is_extra(child)) return;
    if (!ts_node_is_named(child)) {
      pending_op = IsMembership(child) ? child : TSNode{};
      return;
    }
    if (!ts_node_is_null(pending_op)) fn(pending_op, child);
    pending_op = TSNode{};
  });
}

// The checks of one Check() call: the module, its bindings and the keys of its loops.
class PerformanceCheck {
 public:
  PerformanceCheck(const ParsedModule& module, FindingCollector& out)
      : m_(module), out_(out), g_(PythonGrammar::Get()), bindings_(module) {
    loop_keys_.reserve(module.loops().size());
    for (const LoopInfo& loop : module.loops()) {
      loop_keys_.push_back(ts_node_is_null(loop.iterable)
                               ? std::string()
                               : internal::IterationKey(module, loop.iterable));
    }
  }

  void Run() {
    CheckNestedLoops();
    CheckMembershipInIteratedCollection();
    CheckStringConcatenation();
    CheckListMembership();
    CheckComplexity();
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

  int Line(TSNode node) const { return analysis::NodeLine(node); }

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
  bool IsMappingView(TSNode iterable) const {
    const TSNode node = Unparenthesize(iterable);
    if (!Is(node, g_.call)) return false;
    const TSNode function = Field(node, g_.field_function);
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
      ForEachMembership(site.node, [&](TSNode op, TSNode right) {
        const std::string key = internal::ChainKey(m_, right);
        if (key.empty() || IsHashed(site.function, key)) return;
        const int outer = EnclosingLoopOver(site.loop, key);
        if (outer < 0 || IsMappingView(m_.loops()[outer].iterable)) return;
        reported_membership_.insert(ts_node_start_byte(op));
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
    const TSNode iterable = Unparenthesize(m_.loops()[loop].iterable);
    if (ts_node_is_null(iterable)) return false;
    if (Is(iterable, g_.list) || Is(iterable, g_.tuple) || Is(iterable, g_.set) ||
        analysis::IsLiteralString(iterable)) {
      return true;
    }
    if (!Is(iterable, g_.call) || m_.Text(Field(iterable, g_.field_function)) != "range") {
      return false;
    }
    bool all_short = true, any = false;
    analysis::ForEachChild(Field(iterable, g_.field_arguments), [&](TSNode arg, TSFieldId) {
      if (!ts_node_is_named(arg) || ts_node_is_extra(arg)) return;
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
  bool BoundToString(int function, TSNode target) const {
    if (!Is(target, g_.identifier)) return false;
    const Binding* binding = bindings_.Find(function, m_.Text(target));
    constexpr unsigned kNotStr =
        internal::kList | internal::kHashed | internal::kSequence | internal::kNumber;
    return binding != nullptr && (binding->kinds & internal::kStr) != 0 &&
           (binding->kinds & kNotStr) == 0;
  }

  bool BoundToNonString(int function, TSNode target) const {
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
      const TSNode left = Field(site.node, g_.field_left);
      const std::string key = internal::ChainKey(m_, left);
      if (key.empty() || BoundToNonString(site.function, left)) continue;
      if (analysis::IsStringExpression(Field(site.node, g_.field_right), m_.source()) ||
          BoundToString(site.function, left)) {
        ReportConcatenation(site, key);
      }
    }
    for (const Site& site : m_.assignments()) {
      if (site.loop < 0) continue;
      const TSNode left = Field(site.node, g_.field_left);
      const std::string key = internal::ChainKey(m_, left);
      if (key.empty() || BoundToNonString(site.function, left)) continue;
      if (ExtendsItself(Field(site.node, g_.field_right), key, site.function, left)) {
        ReportConcatenation(site, key);
      }
    }
  }

  // Whether `value` is `key + a + b ...` with some piece (or key itself) evidently a str.
  bool ExtendsItself(TSNode value, const std::string& key, int function, TSNode target) const {
    TSNode node = Unparenthesize(value);
    bool string_piece = false;
    for (int i = 0; i < kMaxAncestors && Is(node, g_.binary_operator); ++i) {
      if (m_.Text(Field(node, g_.field_operator)) != "+") return false;
      const TSNode piece = Field(node, g_.field_right);
      string_piece = string_piece || analysis::IsStringExpression(piece, m_.source());
      node = Unparenthesize(Field(node, g_.field_left));
    }
    if (ts_node_is_null(node) || Is(node, g_.binary_operator)) return false;
    if (internal::ChainKey(m_, node) != key) return false;
    // `s = s` alone is not a concatenation; there must have been at least one `+`.
    if (ts_node_eq(node, Unparenthesize(value))) return false;
    return string_piece || BoundToString(function, target);
  }

  // The list `right` evidently is at this comparison, or nothing. `literal` tells a written-
  // out list (bounded by its length) from a computed one.
  bool IsListOperand(const Site& site, TSNode right, bool* literal) const {
    const TSNode node = Unparenthesize(right);
    *literal = Is(node, g_.list);
    if (*literal || Is(node, g_.list_comprehension)) return true;
    if (!Is(node, g_.identifier)) return false;
    const Binding* binding = bindings_.Find(site.function, m_.Text(node));
    if (binding == nullptr || binding->kinds != internal::kList) return false;
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
      ForEachMembership(site.node, [&](TSNode op, TSNode right) {
        if (reported_membership_.count(ts_node_start_byte(op)) > 0) return;
        bool literal = false;
        if (!IsListOperand(site, right, &literal)) return;
        const int loop_line = Line(m_.loops()[site.loop].node);
        conclave::v1::Finding& f =
            out_.Add(kListMembership, m_.Locate(site.node),
                     "`" + analysis::Quote(m_.Text(site.node)) +
                         "` scans a list on every iteration of "
                         "the loop at line " +
                         std::to_string(loop_line),
                     literal ? std::string("Use a set literal ({...}) for a fixed membership test.")
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

  const ParsedModule& m_;
  FindingCollector& out_;
  const PythonGrammar& g_;
  const LocalBindings bindings_;
  std::vector<std::string> loop_keys_;      // IterationKey of each loop, "" for none
  std::set<uint32_t> reported_membership_;  // operators PERF001 already reported
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
