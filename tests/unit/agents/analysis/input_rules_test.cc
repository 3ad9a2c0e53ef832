#include "agents/analysis/input_rules.h"

#include <gtest/gtest.h>

#include <string>

#include "agents/analysis/file_analysis.h"
#include "tests/unit/agents/analysis/test_pack.h"

namespace conclave::analysis {
namespace {

change::ReviewFile File(std::string path, std::string content) {
  change::ReviewFile f;
  f.language = change::LanguageForPath(path);
  f.path = std::move(path);
  f.content = std::move(content);
  return f;
}

TEST(InputRulesTest, NonUtf8FileIsReportedWithItsFirstBadByteAndNotAnalyzed) {
  TestPack pack;
  const FileAnalysis r =
      AnalyzeFile(pack, File("latin1.py", "x = 1\nname = 'caf\xe9'\ndanger()\n"));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule_id(), "INPUT001");
  EXPECT_EQ(r.findings[0].line(), 2);
  EXPECT_EQ(r.findings[0].column(), 12);
  EXPECT_NE(r.findings[0].message().find("0xe9"), std::string::npos) << r.findings[0].message();
  EXPECT_FALSE(r.analyzed);
  EXPECT_EQ(r.lines_in_scope, 3);
  EXPECT_EQ(r.lines_covered, 0);
}

TEST(InputRulesTest, UnknownLanguageIsAnInfoFindingAndCountsAsUncovered) {
  TestPack pack;
  const FileAnalysis r = AnalyzeFile(pack, File("app.rb", "puts 'hi'\ndanger()\n"));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule_id(), "INPUT002");
  EXPECT_EQ(r.findings[0].severity(), conclave::v1::SEVERITY_INFO);
  EXPECT_NE(r.findings[0].message().find("app.rb"), std::string::npos);
  EXPECT_EQ(r.lines_covered, 0);
  EXPECT_EQ(r.lines_in_scope, 2);
}

TEST(InputRulesTest, ParseErrorIsMediumAtItsPositionAndRulesStillRun) {
  TestPack pack;
  const FileAnalysis r = AnalyzeFile(pack, File("broken.py", "def f(:\n    pass\ndanger()\n"));
  ASSERT_GE(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].rule_id(), "INPUT003");
  EXPECT_EQ(r.findings[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(r.findings[0].line(), 1);
  EXPECT_EQ(r.findings.back().rule_id(), "TEST001");
  EXPECT_TRUE(r.analyzed);
  EXPECT_EQ(r.lines_covered, 0);  // a file that does not parse is not counted as analyzed
}

TEST(InputRulesTest, ParseErrorInAFileRebuiltFromADiffIsInfo) {
  TestPack pack;
  change::ReviewFile f = File("part.py", "\n\n    return x +\n");
  f.partial = true;
  f.changed_lines = {3};
  const FileAnalysis r = AnalyzeFile(pack, f);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].rule_id(), "INPUT003");
  EXPECT_EQ(r.findings[0].severity(), conclave::v1::SEVERITY_INFO);
}

TEST(InputRulesTest, FiveHundredDeepNestingDoesNotCrash) {
  TestPack pack;
  const std::string parens =
      "x = " + std::string(500, '(') + "danger()" + std::string(500, ')') + "\n";
  const FileAnalysis deep = AnalyzeFile(pack, File("deep.py", parens));
  EXPECT_TRUE(deep.analyzed);
  std::string blocks = "def f(x):\n";
  for (int i = 1; i <= 500; ++i) blocks += std::string(i, ' ') + "if x:\n";
  blocks += std::string(501, ' ') + "danger()\n";
  const FileAnalysis nested = AnalyzeFile(pack, File("blocks.py", blocks));
  EXPECT_TRUE(nested.analyzed);
  // tree-sitter's Python scanner gives up on indentation this deep; the file is then reported
  // as not parsing instead of being analyzed wrongly or crashing the reviewer.
  ASSERT_FALSE(nested.findings.empty());
  EXPECT_EQ(nested.findings[0].rule_id(), "INPUT003");
  EXPECT_EQ(nested.lines_covered, 0);
}

TEST(InputRulesTest, InputRulesAreListedAndRecognized) {
  ASSERT_EQ(InputRules().size(), 3u);
  EXPECT_TRUE(IsInputRule("INPUT002"));
  EXPECT_FALSE(IsInputRule("SEC001"));
  TestPack pack;
  EXPECT_EQ(AllRules(pack).size(), 5u);
}

TEST(InputRulesTest, CountLines) {
  EXPECT_EQ(CountLines(""), 0);
  EXPECT_EQ(CountLines("a"), 1);
  EXPECT_EQ(CountLines("a\n"), 1);
  EXPECT_EQ(CountLines("a\nb"), 2);
}

TEST(AnalyzeFileWithPacksTest, EachPackGetsWhatAnalyzeFileGivesIt) {
  const TestPack pack;
  const change::ReviewFile file = File("broken.py", "meh()\ndef f(:\n    pass\ndanger()\n");
  const RulePack* packs[] = {&pack, &pack};
  const std::vector<FileAnalysis> both = AnalyzeFileWithPacks(packs, file);
  const FileAnalysis alone = AnalyzeFile(pack, file);
  ASSERT_EQ(both.size(), 2u);
  for (const FileAnalysis& r : both) {
    ASSERT_EQ(r.findings.size(), alone.findings.size());
    ASSERT_GE(r.findings.size(), 3u) << "INPUT003, TEST002 and TEST001";
    for (size_t i = 0; i < r.findings.size(); ++i) {
      EXPECT_EQ(r.findings[i].SerializeAsString(), alone.findings[i].SerializeAsString());
    }
    EXPECT_EQ(r.lines_in_scope, alone.lines_in_scope);
    EXPECT_EQ(r.lines_covered, alone.lines_covered);
    EXPECT_EQ(r.analyzed, alone.analyzed);
  }
}

}  // namespace
}  // namespace conclave::analysis
