// The security reviewer's data-flow (taint) engine for Python. It walks each function of a
// ParsedModule once per round in statement order, tracking which values come from user input
// (sources), which were neutralized (sanitizers, casts, allow-list guards) and which are
// provably constant, and reports every flow of such data into a dangerous call (a sink) once,
// at the sink. Functions of the same module are summarized (parameter -> return value,
// parameter -> sink) so helpers propagate or stop taint. docs/TAINT.md describes the model.
// Stateless: AnalyzeTaint may run on several threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agents/analysis/parsed_module.h"

namespace conclave::security {

using analysis::Node;

// What a sink does with the data; each kind is one rule of the security pack.
enum class FlowKind : uint8_t {
  kCodeEval,         // SEC001 eval/exec/compile
  kSql,              // SEC002
  kCommand,          // SEC003 shell command, or the program run without a shell
  kDeserialization,  // SEC005
  kPath,             // SEC010
  kXss,              // SEC011
  kRedirect,         // SEC012
  kLdap,             // SEC013
  kXpath,            // SEC014
  kSsrf,             // SEC015
  kTrustBoundary,    // SEC016
};
inline constexpr int kFlowKindCount = 11;

constexpr uint16_t KindBit(FlowKind kind) {
  return static_cast<uint16_t>(1u << static_cast<unsigned>(kind));
}

// How strongly the data reaching a sink is controlled from outside.
enum class FlowLevel : uint8_t {
  kUnknown,       // not a literal, but no source or parameter reaches it
  kParameter,     // a parameter of the enclosing function (callers unknown)
  kLocalSource,   // input(), sys.argv, os.environ / os.getenv
  kRemoteSource,  // HTTP request data or a web route's parameter
};

// Where tainted data entered: the source's text ("request.args", "input()"), a detail (the
// route parameter's name) and its line.
struct Origin {
  std::string_view what;
  std::string_view detail;
  int line = 0;
};

struct Flow {
  FlowKind kind = FlowKind::kCodeEval;
  FlowLevel level = FlowLevel::kUnknown;
  Node at{};        // the sink: a call, a `session[...] =` assignment or a route's return
  std::string sink;   // "os.system()", "session[...] =", "return"
  Node data{};      // the expression the sink consumes
  int function = -1;  // function holding the sink (index in functions()), -1 at module level
  Origin origin;      // for source levels
  std::string_view parameter;  // for kParameter: the parameter's name
  int caller = -1;             // for sources: the function that read the source (-1: module level)
  bool spliced = false;        // the data was built by concatenation or formatting
  bool program = false;        // kCommand: the data chooses the program run without a shell
  bool opaque = false;         // the data passed through a call not known to keep its text
};

// Limits that keep the analysis linear-ish on generated or adversarial code.
struct TaintLimits {
  int node_budget = 400000;  // expression and statement visits per module and round
  int summary_rounds = 3;    // rounds of function summaries before reporting
  int max_depth = 96;        // expression nesting evaluated precisely; deeper is summarized
};

// Every flow in the module, one per (kind, sink), the strongest level kept; in source order.
// Flows of kind kUnknown/kParameter are returned too; which levels a rule reports is the
// rule pack's choice.
std::vector<Flow> AnalyzeTaint(const analysis::ParsedModule& module, TaintLimits limits = {});

}  // namespace conclave::security
