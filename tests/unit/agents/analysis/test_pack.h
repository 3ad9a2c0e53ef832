// A rule pack for tests of the shared analysis runtime: TEST001 (HIGH) at every call of a
// function named `danger`, TEST002 (LOW) at every call of `meh`. It may reject.
#pragma once

#include <memory>
#include <vector>

#include "agents/analysis/rule_pack.h"

namespace conclave::analysis {

inline const RuleSpec kTestDanger = {"TEST001", "danger-call", conclave::v1::SEVERITY_HIGH,
                                     95,        0.9,           "Calls danger(). It is dangerous.",
                                     "Do not."};
inline const RuleSpec kTestMeh = {"TEST002", "meh-call",     conclave::v1::SEVERITY_LOW, 0,
                                  0.5,       "Calls meh().", "Call something better."};

class TestPack final : public RulePack {
 public:
  std::string_view reviewer() const override { return "security"; }
  std::string_view version() const override { return "0.1.0"; }
  const std::vector<RuleSpec>& rules() const override {
    static const std::vector<RuleSpec> rules = {kTestDanger, kTestMeh};
    return rules;
  }
  RejectPolicy reject_policy() const override { return RejectPolicy::kMayReject; }
  void Check(const ParsedModule& m, FindingCollector& out) const override {
    for (const Site& call : m.calls()) {
      const std::string name = m.CalleeName(call.node);
      if (name == "danger") out.Add(kTestDanger, m.Locate(call.node), "danger() called", "no");
      if (name == "meh") out.Add(kTestMeh, m.Locate(call.node), "meh() called", "better");
    }
  }
};

}  // namespace conclave::analysis
