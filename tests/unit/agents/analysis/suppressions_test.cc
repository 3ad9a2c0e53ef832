#include "agents/analysis/suppressions.h"

#include <gtest/gtest.h>

#include <string>

#include "agents/analysis/file_analysis.h"
#include "tests/unit/agents/analysis/test_pack.h"

namespace conclave::analysis {
namespace {

change::ReviewFile File(std::string content) {
  change::ReviewFile f;
  f.path = "app.py";
  f.language = "python";
  f.content = std::move(content);
  return f;
}

// Rule ids of the reported and of the suppressed findings, with their lines.
std::string Reported(const FileAnalysis& r) {
  std::string out;
  for (const auto& f : r.findings) out += f.rule_id() + "@" + std::to_string(f.line()) + " ";
  return out;
}
std::string Suppressed(const FileAnalysis& r) {
  std::string out;
  for (const auto& f : r.suppressed) out += f.rule_id() + "@" + std::to_string(f.line()) + " ";
  return out;
}

TEST(SuppressionCommentTest, ParsesBanditAndConclaveForms) {
  auto all = ParseSuppressionComment("# nosec");
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->all_rules);
  auto one = ParseSuppressionComment("#nosec SEC001");
  ASSERT_TRUE(one);
  EXPECT_FALSE(one->all_rules);
  EXPECT_TRUE(one->Covers("SEC001"));
  EXPECT_FALSE(one->Covers("SEC002"));
  auto two = ParseSuppressionComment("# nosec: SEC001,sec002");
  ASSERT_TRUE(two);
  EXPECT_TRUE(two->Covers("SEC001"));
  EXPECT_TRUE(two->Covers("SEC002"));
  EXPECT_FALSE(two->Covers("SEC003"));
  auto conclave = ParseSuppressionComment("# conclave: ignore[SEC001, PERF002]");
  ASSERT_TRUE(conclave);
  EXPECT_FALSE(conclave->all_rules);
  EXPECT_TRUE(conclave->Covers("PERF002"));
  EXPECT_FALSE(conclave->Covers("SEC003"));
  auto after_noqa = ParseSuppressionComment("# noqa: E501  # nosec SEC003");
  ASSERT_TRUE(after_noqa);
  EXPECT_TRUE(after_noqa->Covers("SEC003"));
  auto with_reason = ParseSuppressionComment("# nosec -- reviewed, input is trusted");
  ASSERT_TRUE(with_reason);
  EXPECT_TRUE(with_reason->all_rules);
}

TEST(SuppressionCommentTest, OtherCommentsSuppressNothing) {
  for (const char* text :
       {"# nosecurity here", "# see nosec docs", "# conclave: ignore", "# conclave: ignore[]",
        "# conclave: ignore[not an id]", "# TODO: fix SEC001"}) {
    EXPECT_FALSE(ParseSuppressionComment(text)) << text;
  }
}

TEST(InlineSuppressionTest, EachFormHidesOnlyItsRulesOnItsLine) {
  const TestPack pack;
  const FileAnalysis r = AnalyzeFile(pack, File("danger()  # nosec\n"
                                                "danger()  # nosec TEST001\n"
                                                "danger()  # nosec: TEST002,TEST001\n"
                                                "danger()  # conclave: ignore[TEST001]\n"
                                                "danger(); meh()  # conclave: ignore[TEST002]\n"
                                                "danger()  # nosec TEST002\n"
                                                "danger()\n"
                                                "# nosec\n"
                                                "danger()\n"));
  EXPECT_EQ(Suppressed(r), "TEST001@1 TEST001@2 TEST001@3 TEST001@4 TEST002@5 ");
  EXPECT_EQ(Reported(r), "TEST001@5 TEST001@6 TEST001@7 TEST001@9 ")
      << "a nosec for another rule, or on the line above, does not hide";
}

TEST(InlineSuppressionTest, AStringHoldingNosecIsNotAComment) {
  const TestPack pack;
  const FileAnalysis r = AnalyzeFile(pack, File("danger('# nosec')\n"
                                                "x = '''\n# nosec\n'''; danger()\n"));
  EXPECT_EQ(Suppressed(r), "");
  EXPECT_EQ(Reported(r), "TEST001@1 TEST001@4 ");
}

TEST(InlineSuppressionTest, AMultiLineFindingIsSuppressedOnItsFirstLine) {
  const TestPack pack;
  const FileAnalysis r = AnalyzeFile(pack, File("danger(  # nosec TEST001\n"
                                                "    1,\n"
                                                ")\n"
                                                "danger(\n"
                                                "    2,\n"
                                                ")  # nosec TEST001\n"));
  EXPECT_EQ(Suppressed(r), "TEST001@1 ");
  EXPECT_EQ(Reported(r), "TEST001@4 ");
}

}  // namespace
}  // namespace conclave::analysis
