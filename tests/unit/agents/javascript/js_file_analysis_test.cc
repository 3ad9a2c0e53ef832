// The runtime's JavaScript path: language detection, dispatch to the packs that read
// JavaScript, INPUT003 with the position, inline `// nosec` comments.
#include <gtest/gtest.h>

#include <string>

#include "agents/analysis/file_analysis.h"
#include "agents/analysis/javascript/js_module.h"
#include "tests/unit/agents/analysis/test_pack.h"

namespace conclave::analysis {
namespace {

// TestPack's Python rules, plus TEST001 at every JavaScript call of `danger`.
class JsTestPack final : public RulePack {
 public:
  std::string_view reviewer() const override { return python_.reviewer(); }
  std::string_view version() const override { return python_.version(); }
  const std::vector<RuleSpec>& rules() const override { return python_.rules(); }
  RejectPolicy reject_policy() const override { return python_.reject_policy(); }
  void Check(const ParsedModule& m, FindingCollector& out) const override {
    python_.Check(m, out);
  }
  bool reads_javascript() const override { return true; }
  void CheckJavaScript(const javascript::JsModule& m, FindingCollector& out) const override {
    for (const javascript::JsSite& call : m.calls()) {
      if (m.CalleeName(call.node) == "danger") {
        out.Add(kTestDanger, m.Locate(call.node), "danger() called", "no");
      }
    }
  }

 private:
  TestPack python_;
};

change::ReviewFile File(const std::string& path, const std::string& content) {
  change::ReviewFile f;
  f.path = path;
  f.language = change::LanguageForPath(path);
  f.content = content;
  return f;
}

TEST(JsFileAnalysisTest, JavaScriptExtensionsAreAKnownLanguage) {
  for (const char* path : {"a.js", "lib/b.mjs", "c.cjs"}) {
    EXPECT_EQ(change::LanguageForPath(path), "javascript") << path;
  }
  EXPECT_EQ(change::LanguageForPath("a.json"), "");
  EXPECT_EQ(change::LanguageForPath("a.jsx"), "");
}

TEST(JsFileAnalysisTest, APackThatReadsJavaScriptChecksTheFile) {
  JsTestPack pack;
  const FileAnalysis r = AnalyzeFile(pack, File("app.js", "const x = 1;\n  danger(x);\n"));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule_id(), "TEST001");
  EXPECT_EQ(r.findings[0].line(), 2);
  EXPECT_EQ(r.findings[0].column(), 3);
  EXPECT_TRUE(r.analyzed);
  EXPECT_EQ(r.lines_in_scope, 2);
  EXPECT_EQ(r.lines_covered, 2);
}

TEST(JsFileAnalysisTest, APackWithoutJavaScriptRulesReportsNothingAndCoversNothing) {
  TestPack pack;
  const FileAnalysis r = AnalyzeFile(pack, File("app.mjs", "danger();\nfunction (\n"));
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].ShortDebugString();
  EXPECT_FALSE(r.analyzed);
  EXPECT_EQ(r.lines_in_scope, 2);
  EXPECT_EQ(r.lines_covered, 0);
}

TEST(JsFileAnalysisTest, ASyntaxErrorIsInput003WithItsPosition) {
  JsTestPack pack;
  const FileAnalysis r =
      AnalyzeFile(pack, File("app.js", "const ok = 1;\nconst = 2;\ndanger();\n"));
  ASSERT_GE(r.findings.size(), 1u);
  const conclave::v1::Finding* parse = nullptr;
  for (const auto& f : r.findings) {
    if (f.rule_id() == "INPUT003") parse = &f;
  }
  ASSERT_NE(parse, nullptr);
  EXPECT_EQ(parse->line(), 2);
  EXPECT_EQ(parse->severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_NE(parse->message().find("does not parse as JavaScript"), std::string::npos)
      << parse->message();
  EXPECT_NE(parse->message().find("line 2"), std::string::npos) << parse->message();
  EXPECT_EQ(r.lines_covered, 0);
  // The rules still read the recovered tree.
  EXPECT_EQ(r.findings.back().rule_id(), "TEST001");
}

TEST(JsFileAnalysisTest, LineCommentsSuppressLikeTheirHashForms) {
  JsTestPack pack;
  const FileAnalysis r = AnalyzeFile(pack, File("app.js",
                                                "danger(); // nosec TEST001\n"
                                                "danger(); /* conclave: ignore[TEST001] */\n"
                                                "danger(); // nosec TEST002\n"
                                                "const s = '// nosec'; danger();\n"));
  ASSERT_EQ(r.suppressed.size(), 2u);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].line(), 3);
  EXPECT_EQ(r.findings[1].line(), 4) << "a string is not a comment";
}

}  // namespace
}  // namespace conclave::analysis
