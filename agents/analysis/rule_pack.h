// RulePack: the rules of one reviewer (security, performance, architecture) over one parsed
// Python module. The shared analysis runtime (AnalysisReviewer, the `scan` command) parses each
// file once, runs the input rules, then the pack, and turns the findings into a vote with the
// verdict rule of verdict.h; rules over several files at once run in an optional change-level
// step over per-file summaries. A pack holds no per-call state: Check() is called from several
// threads at once and must be thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "agents/analysis/change_analysis.h"
#include "agents/analysis/parsed_module.h"
#include "agents/analysis/rule.h"
#include "agents/analysis/verdict.h"

namespace conclave::analysis {

namespace javascript {
class JsModule;
}  // namespace javascript

class RulePack {
 public:
  virtual ~RulePack() = default;
  // "security", "performance" or "architecture": the agent kind and the vote's reviewer name.
  virtual std::string_view reviewer() const = 0;
  // Version of the rule pack, e.g. "1.0.0"; part of every vote and of SARIF output.
  virtual std::string_view version() const = 0;
  // Every rule the pack can report (not the input rules), in id order.
  virtual const std::vector<RuleSpec>& rules() const = 0;
  // Whether the pack's findings may make the reviewer veto (REJECT) or only advise.
  virtual RejectPolicy reject_policy() const = 0;
  // Adds the findings of every rule over `module` to `out`.
  virtual void Check(const ParsedModule& module, FindingCollector& out) const = 0;
  // Whether the pack has rules for JavaScript (.js, .mjs, .cjs). A pack that does not reports
  // nothing for a JavaScript file, and the file's lines count as in scope but not covered.
  virtual bool reads_javascript() const { return false; }
  // Adds the findings of the pack's JavaScript rules over `module` to `out`; called only when
  // reads_javascript(). Thread-safe like Check().
  virtual void CheckJavaScript(const javascript::JsModule& /*module*/,
                               FindingCollector& /*out*/) const {}

  // The change-level step (change_analysis.h), for rules that need every file of a change at
  // once. A pack that has_change_rules() keeps a summary of each Python file it checks
  // (Summarize, right after Check on the same tree), and CheckChange reads the summaries of all
  // files of the change. Both are thread-safe like Check().
  virtual bool has_change_rules() const { return false; }
  virtual void Summarize(const ParsedModule& /*module*/, FileSummary& /*out*/) const {}
  virtual void CheckChange(const ChangeContext& /*change*/, ChangeFindingCollector& /*out*/) const {
  }
};

}  // namespace conclave::analysis
