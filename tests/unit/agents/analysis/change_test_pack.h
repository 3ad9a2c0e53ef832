// A rule pack with a change-level rule, for tests of the change-level step: TEST003 (MEDIUM)
// at every import of a module that is another file of the same change ("sibling import"), so
// a finding exists only when the files are analyzed together. It also reports TEST001 per file
// like TestPack, and never rejects.
#pragma once

#include <string>
#include <vector>

#include "agents/analysis/rule_pack.h"
#include "tests/unit/agents/analysis/test_pack.h"

namespace conclave::analysis {

inline const RuleSpec kTestSiblingImport = {"TEST003",
                                            "sibling-import",
                                            conclave::v1::SEVERITY_MEDIUM,
                                            0,
                                            0.8,
                                            "Imports another file of the change.",
                                            "Fine, this is a test."};

class ChangeTestPack final : public RulePack {
 public:
  std::string_view reviewer() const override { return "architecture"; }
  std::string_view version() const override { return "0.2.0"; }
  const std::vector<RuleSpec>& rules() const override {
    static const std::vector<RuleSpec> rules = {kTestDanger, kTestSiblingImport};
    return rules;
  }
  RejectPolicy reject_policy() const override { return RejectPolicy::kNeverReject; }
  void Check(const ParsedModule& m, FindingCollector& out) const override {
    for (const Site& call : m.calls()) {
      if (m.CalleeName(call.node) == "danger") {
        out.Add(kTestDanger, m.Locate(call.node), "danger() called", "no");
      }
    }
  }
  bool has_change_rules() const override { return true; }
  // `import NAME` statements at module level, read from the tree.
  void Summarize(const ParsedModule& m, FileSummary& out) const override {
    const PythonGrammar& g = PythonGrammar::Get();
    ForEachChild(m.root(), [&](Node child, TSFieldId) {
      if (!Is(child, g.import_statement)) return;
      ModuleImport imp;
      imp.module = std::string(m.Text(Field(child, g.field_name)));
      imp.line = NodeLine(child);
      imp.column = 1;
      out.imports.push_back(std::move(imp));
    });
  }
  void CheckChange(const ChangeContext& change, ChangeFindingCollector& out) const override {
    for (size_t i = 0; i < change.files.size(); ++i) {
      for (const ModuleImport& imp : change.files[i].summary.imports) {
        for (const ChangeFile& other : change.files) {
          const std::string name = imp.module + ".py";
          if (other.path != name && !other.path.ends_with("/" + name)) continue;
          out.Add(kTestSiblingImport, i, {imp.line, imp.column}, "imports " + other.path, "ok");
        }
      }
    }
  }
};

}  // namespace conclave::analysis
