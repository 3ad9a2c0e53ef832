#include "tools/rules_doc/rules_doc.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace conclave::rules_doc {
namespace {

using analysis::RuleSpec;

const RuleSpec kDanger = {"TST001",
                          "danger-call",
                          conclave::v1::SEVERITY_HIGH,
                          78,
                          0.95,
                          "Calls danger() with anything.",
                          "Call safe() instead."};
const RuleSpec kNever = {"TST002",       "never-fires", conclave::v1::SEVERITY_LOW, 0, 0.5,
                         "Never fires.", "Nothing."};

class TestPack final : public analysis::RulePack {
 public:
  std::string_view reviewer() const override { return "security"; }
  std::string_view version() const override { return "0.0.1"; }
  const std::vector<RuleSpec>& rules() const override {
    static const std::vector<RuleSpec> rules = {kDanger, kNever};
    return rules;
  }
  analysis::RejectPolicy reject_policy() const override {
    return analysis::RejectPolicy::kMayReject;
  }
  void Check(const analysis::ParsedModule& m, analysis::FindingCollector& out) const override {
    for (const analysis::Site& call : m.calls()) {
      if (m.CalleeName(call.node) == "danger") out.Add(kDanger, m.Locate(call.node), "d", "s");
    }
  }
};

std::string Generate(const std::vector<corpus::Case>& cases) {
  TestPack pack;
  const analysis::RulePack* packs[] = {&pack};
  return GenerateRulesDoc(packs, cases);
}

TEST(RulesDocTest, EachRuleHasItsSpecWithTheCweLinked) {
  const std::string doc = Generate({});
  EXPECT_NE(doc.find(kRegenerateCommand), std::string::npos);
  EXPECT_NE(doc.find("### TST001 danger-call"), std::string::npos) << doc;
  EXPECT_NE(doc.find("| HIGH | [CWE-78](https://cwe.mitre.org/data/definitions/78.html) | 0.95 |"),
            std::string::npos)
      << doc;
  EXPECT_NE(doc.find("**What it finds.** Calls danger() with anything."), std::string::npos);
  EXPECT_NE(doc.find("**How to fix.** Call safe() instead."), std::string::npos);
  EXPECT_NE(doc.find("| [TST001](#tst001-danger-call) | danger-call | Security | HIGH | CWE-78 |"),
            std::string::npos)
      << doc;
  EXPECT_NE(doc.find("### INPUT003 input-syntax-error"), std::string::npos) << "input rules";
  EXPECT_NE(doc.find("None yet: the corpus has no true-positive case of TST001"),
            std::string::npos);
}

TEST(RulesDocTest, TheExampleIsTheMarkedLineOfAReportedCaseWithContext) {
  const std::vector<corpus::Case> cases = {
      {"security/tst001_calls",
       {{"a_fallback.py", "danger()  # expect: TST001\n"},
        {"tp_missed.py", "safe()  # expect: TST001, TST002\n"},
        {"tp_shell.py",
         "import os\n\n\ndef run(cmd):\n    x = 1\n    danger(cmd)  # expect: TST001  (why)\n"
         "    return x  # a comment that stays\n\n\nprint(run)\n"}},
       std::nullopt}};
  const std::string doc = Generate(cases);
  const std::string example =
      "**Example** (`security/tst001_calls/tp_shell.py:6`):\n\n```python\n"
      "def run(cmd):\n    x = 1\n    danger(cmd)  # <- TST001\n"
      "    return x  # a comment that stays\n```\n";
  EXPECT_NE(doc.find(example), std::string::npos) << doc;
  // TST002 is marked but never reported: that line is a false negative, not an example.
  EXPECT_NE(doc.find("None yet: the corpus has no true-positive case of TST002"), std::string::npos)
      << doc;
  EXPECT_EQ(doc, Generate(cases)) << "the same input gives the same text";
}

TEST(RulesDocTest, BytesThatAreNotUtf8AreEscapedInExamples) {
  const std::vector<corpus::Case> cases = {
      {"input/input001_latin1",
       {{"tp.py", "x = 1\nname = 'caf\xe9'  # expect: INPUT001\n"}},
       std::nullopt}};
  const std::string doc = Generate(cases);
  EXPECT_NE(doc.find("name = 'caf\\xe9'  # <- INPUT001\n"), std::string::npos) << doc;
}

}  // namespace
}  // namespace conclave::rules_doc
