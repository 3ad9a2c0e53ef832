// The performance rule pack over small Python sources: each rule's positive and negative
// cases, severities and locations, and pathological inputs that must not crash.
#include "agents/performance/performance_pack.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agents/analysis/parsed_module.h"
#include "agents/analysis/rule.h"

namespace conclave::performance {
namespace {

using conclave::v1::Finding;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class PerformancePackTest : public ::testing::Test {
 protected:
  // All findings of the pack over `source`.
  std::vector<Finding> Check(const std::string& source) {
    absl::StatusOr<analysis::ParsedModule> module = analysis::ParsedModule::Parse("t.py", source);
    EXPECT_TRUE(module.ok()) << module.status();
    if (!module.ok()) return {};
    analysis::FindingCollector out("t.py");
    pack_->Check(*module, out);
    std::vector<Finding> findings;
    for (const analysis::ScopedFinding& f : out.findings()) findings.push_back(f.finding);
    return findings;
  }

  // The findings of one rule.
  std::vector<Finding> Check(const std::string& source, std::string_view rule) {
    std::vector<Finding> all = Check(source), matching;
    for (const Finding& f : all) {
      if (f.rule_id() == rule) matching.push_back(f);
    }
    return matching;
  }

  std::unique_ptr<analysis::RulePack> pack_ = NewPerformancePack();
};

std::vector<std::string> RuleIds(const std::vector<Finding>& findings) {
  std::vector<std::string> ids;
  for (const Finding& f : findings) ids.push_back(f.rule_id());
  return ids;
}

TEST_F(PerformancePackTest, DescribesItself) {
  EXPECT_EQ(pack_->reviewer(), "performance");
  EXPECT_FALSE(pack_->version().empty());
  EXPECT_EQ(pack_->reject_policy(), analysis::RejectPolicy::kNeverReject);
  std::vector<std::string> ids;
  for (const analysis::RuleSpec& rule : pack_->rules()) {
    ids.push_back(std::string(rule.id));
    EXPECT_GT(rule.confidence, 0) << rule.id;
    EXPECT_LE(rule.confidence, 1) << rule.id;
    EXPECT_FALSE(rule.description.empty()) << rule.id;
    EXPECT_FALSE(rule.remediation.empty()) << rule.id;
  }
  EXPECT_THAT(ids, ElementsAre("PERF001", "PERF002", "PERF003", "PERF004"));
}

// --- PERF001: nested loops over the same collection ---

TEST_F(PerformancePackTest, NestedLoopsOverSameNameAreReported) {
  const std::vector<Finding> f = Check(
      "def pairs(items):\n"
      "    out = 0\n"
      "    for a in items:\n"
      "        for b in items:\n"
      "            out += a * b\n"
      "    return out\n",
      "PERF001");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].line(), 4);
  EXPECT_EQ(f[0].column(), 9);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.75);
  EXPECT_THAT(f[0].message(), ::testing::HasSubstr("line 3"));
}

TEST_F(PerformancePackTest, NestedLoopsOverSameAttributeChainAreReported) {
  EXPECT_THAT(Check("class Graph:\n"
                    "    def edges(self):\n"
                    "        for a in self.nodes:\n"
                    "            for b in self.nodes:\n"
                    "                yield a, b\n",
                    "PERF001"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, IndexLoopsOverTheSameListAreReported) {
  EXPECT_THAT(Check("def close(xs):\n"
                    "    for i in range(len(xs)):\n"
                    "        for j in range(i + 1, len(xs)):\n"
                    "            if xs[i] == xs[j]:\n"
                    "                return True\n",
                    "PERF001"),
              SizeIs(1));
  EXPECT_THAT(Check("def f(d):\n"
                    "    for k, v in d.items():\n"
                    "        for i, other in enumerate(sorted(d)):\n"
                    "            pass\n",
                    "PERF001"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, ComprehensionCrossProductOverOneCollectionIsReported) {
  EXPECT_THAT(Check("def f(xs):\n    return [(a, b) for a in xs for b in xs]\n", "PERF001"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, LoopWithAnotherLoopBetweenIsStillReported) {
  EXPECT_THAT(Check("def f(xs, ys):\n"
                    "    for a in xs:\n"
                    "        for b in ys:\n"
                    "            while b:\n"
                    "                for c in xs:\n"
                    "                    b -= 1\n",
                    "PERF001"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, NestedLoopsOverDifferentCollectionsAreNotReported) {
  EXPECT_THAT(Check("def f(xs, ys, grid):\n"
                    "    for a in xs:\n"
                    "        for b in ys:\n"
                    "            pass\n"
                    "    for row in grid:\n"
                    "        for cell in row:\n"
                    "            pass\n"
                    "    for i in range(10):\n"
                    "        for j in range(10):\n"
                    "            pass\n",
                    "PERF001"),
              IsEmpty());
}

TEST_F(PerformancePackTest, SequentialLoopsOverSameCollectionAreNotReported) {
  EXPECT_THAT(Check("def f(xs):\n"
                    "    for a in xs:\n"
                    "        pass\n"
                    "    for b in xs:\n"
                    "        pass\n",
                    "PERF001"),
              IsEmpty());
}

TEST_F(PerformancePackTest, MembershipInTheIteratedCollectionIsReportedOnce) {
  // xs is a list: PERF001 reports the comparison, and PERF003 does not repeat it.
  const std::vector<Finding> f = Check(
      "def dups(data):\n"
      "    xs = list(data)\n"
      "    for a in xs:\n"
      "        if a + 1 in xs:\n"
      "            print(a)\n");
  EXPECT_THAT(RuleIds(f), ElementsAre("PERF001"));
  EXPECT_EQ(f[0].line(), 4);
}

TEST_F(PerformancePackTest, MembershipInAnIteratedSetIsNotReported) {
  EXPECT_THAT(Check("def f(data):\n"
                    "    xs = set(data)\n"
                    "    for a in xs:\n"
                    "        if a + 1 in xs:\n"
                    "            print(a)\n"),
              IsEmpty());
  // Iterating .items() shows `index` is a mapping.
  EXPECT_THAT(Check("def f(index):\n"
                    "    for key, value in index.items():\n"
                    "        if value in index:\n"
                    "            print(key)\n"),
              IsEmpty());
}

// --- PERF002: string concatenation in a loop ---

TEST_F(PerformancePackTest, AugmentedConcatenationOfALiteralInitializedStrIsReported) {
  const std::vector<Finding> f = Check(
      "def render(rows):\n"
      "    out = ''\n"
      "    for row in rows:\n"
      "        out += row\n"
      "    return out\n",
      "PERF002");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].line(), 4);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.60);
}

TEST_F(PerformancePackTest, ConcatenationOfAStrExpressionIsReportedWithoutInitializer) {
  EXPECT_THAT(Check("def f(rows, out):\n"
                    "    for row in rows:\n"
                    "        out += str(row)\n"
                    "        out += f'{row},'\n",
                    "PERF002"),
              SizeIs(2));
  EXPECT_THAT(Check("def f(self, rows):\n"
                    "    while rows:\n"
                    "        self.text += ', '\n",
                    "PERF002"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, SelfConcatenationByAssignmentIsReported) {
  EXPECT_THAT(Check("def f(rows):\n"
                    "    s = ''\n"
                    "    for r in rows:\n"
                    "        s = s + r + ','\n",
                    "PERF002"),
              SizeIs(1));
  EXPECT_THAT(Check("def f(rows, s):\n"
                    "    for r in rows:\n"
                    "        s = (s + '-')\n",
                    "PERF002"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, ConcatenationInAShortFixedLoopIsLow) {
  const std::vector<Finding> f = Check(
      "def f():\n"
      "    s = ''\n"
      "    for part in ('a', 'b', 'c'):\n"
      "        s += part\n"
      "    for i in range(3):\n"
      "        s += 'x'\n",
      "PERF002");
  ASSERT_THAT(f, SizeIs(2));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_LOW);
  EXPECT_EQ(f[1].severity(), conclave::v1::SEVERITY_LOW);
}

TEST_F(PerformancePackTest, ConcatenationOutsideLoopsIsNotReported) {
  EXPECT_THAT(Check("def f(a, b):\n"
                    "    s = ''\n"
                    "    s += a\n"
                    "    s = s + b + '!'\n"
                    "    return s\n",
                    "PERF002"),
              IsEmpty());
}

TEST_F(PerformancePackTest, NonStringAccumulationInLoopsIsNotReported) {
  EXPECT_THAT(Check("def f(xs):\n"
                    "    total = 0\n"
                    "    parts = []\n"
                    "    chars = []\n"
                    "    name = ''\n"
                    "    for x in xs:\n"
                    "        total += x\n"
                    "        total = total + 1\n"
                    "        parts += [x]\n"
                    "        chars += 'ab'\n"
                    "        name = name.strip()\n"
                    "        x += 1\n"
                    "    return total, parts, chars, name\n",
                    "PERF002"),
              IsEmpty());
}

// --- PERF003: membership test on a list in a loop ---

TEST_F(PerformancePackTest, MembershipOnAListBoundBeforeTheLoopIsReported) {
  const std::vector<Finding> f = Check(
      "def unique(xs):\n"
      "    seen = []\n"
      "    for x in xs:\n"
      "        if x not in seen:\n"
      "            seen.append(x)\n"
      "    return seen\n",
      "PERF003");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].line(), 4);
  EXPECT_EQ(f[0].column(), 12);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.80);
  EXPECT_THAT(f[0].message(), ::testing::HasSubstr("line 3"));
}

TEST_F(PerformancePackTest, MembershipOnListCallsAndComprehensionsIsReported) {
  EXPECT_THAT(Check("def f(xs, ys, zs):\n"
                    "    a = list(ys)\n"
                    "    b = [z.id for z in zs]\n"
                    "    c = sorted(zs)\n"
                    "    return [x for x in xs if x in a or x in b or x in c]\n",
                    "PERF003"),
              SizeIs(3));
  EXPECT_THAT(Check("def f(xs, ys):\n"
                    "    for x in xs:\n"
                    "        if x in [y.id for y in ys]:\n"
                    "            pass\n",
                    "PERF003"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, MembershipOnAListLiteralInALoopIsLow) {
  const std::vector<Finding> f = Check(
      "def f(paths):\n"
      "    for p in paths:\n"
      "        if p.suffix in ['.py', '.pyi']:\n"
      "            yield p\n",
      "PERF003");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_LOW);
}

TEST_F(PerformancePackTest, MembershipOnSetsAndDictsIsNotReported) {
  EXPECT_THAT(Check("def f(xs, ys):\n"
                    "    seen = set()\n"
                    "    index = {}\n"
                    "    known = {y for y in ys}\n"
                    "    allowed = ['a', 'b']\n"
                    "    allowed = set(allowed)\n"
                    "    for x in xs:\n"
                    "        if x in seen or x in index or x in known or x in allowed:\n"
                    "            continue\n"
                    "        if x in {'a', 'b'} or x in ('c', 'd'):\n"
                    "            continue\n"
                    "        seen.add(x)\n"),
              IsEmpty());
}

TEST_F(PerformancePackTest, MembershipOnAListOutsideLoopsIsNotReported) {
  EXPECT_THAT(Check("def f(x, ys):\n"
                    "    names = list(ys)\n"
                    "    return x in names and x not in [1, 2]\n"),
              IsEmpty());
}

TEST_F(PerformancePackTest, ListRebuiltOnEveryIterationIsNotReported) {
  // Building a set instead would cost as much as the one scan.
  EXPECT_THAT(Check("def f(lines):\n"
                    "    for line in lines:\n"
                    "        words = line.split()\n"
                    "        if 'todo' in words:\n"
                    "            yield line\n",
                    "PERF003"),
              IsEmpty());
}

TEST_F(PerformancePackTest, OtherComparisonsWithListsAreNotReported) {
  EXPECT_THAT(Check("def f(xs):\n"
                    "    ys = []\n"
                    "    for x in xs:\n"
                    "        if x == ys or x is not ys or x < ys:\n"
                    "            pass\n",
                    "PERF003"),
              IsEmpty());
}

// --- PERF004: cyclomatic complexity ---

// A function of complexity 1 + branches.
std::string Branchy(int branches) {
  std::string source = "def branchy(x):\n";
  for (int i = 0; i < branches; ++i) {
    source += "    if x == " + std::to_string(i) + ":\n        return " + std::to_string(i) + "\n";
  }
  return source + "    return -1\n";
}

TEST_F(PerformancePackTest, ComplexityAtTheThresholdIsNotReported) {
  EXPECT_THAT(Check(Branchy(kComplexityMedium - 1), "PERF004"), IsEmpty());
}

TEST_F(PerformancePackTest, ComplexityAboveTenIsMedium) {
  const std::vector<Finding> f = Check(Branchy(kComplexityMedium), "PERF004");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(f[0].line(), 1);
  EXPECT_EQ(f[0].column(), 5);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.90);
  EXPECT_THAT(f[0].message(), ::testing::HasSubstr("complexity 11"));
  EXPECT_THAT(Check(Branchy(kComplexityHigh - 1), "PERF004")[0].severity(),
              conclave::v1::SEVERITY_MEDIUM);
}

TEST_F(PerformancePackTest, ComplexityAboveTwentyIsHigh) {
  const std::vector<Finding> f = Check(Branchy(kComplexityHigh), "PERF004");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_HIGH);
}

TEST_F(PerformancePackTest, CleanCodeHasNoFindings) {
  EXPECT_THAT(Check("import io\n\n"
                    "def render(rows):\n"
                    "    parts = []\n"
                    "    seen = set()\n"
                    "    for row in rows:\n"
                    "        if row.id in seen:\n"
                    "            continue\n"
                    "        seen.add(row.id)\n"
                    "        parts.append(str(row))\n"
                    "    return ''.join(parts)\n"),
              IsEmpty());
}

// --- pathological inputs ---

// A function nesting `depth` statements, alternately a loop over xs and a membership test on
// the list `seen`, each indented one space more, with a concatenation innermost.
std::string DeepLoops(int depth) {
  std::string source = "def deep(xs):\n    s = ''\n    seen = []\n";
  std::string indent = "    ";
  for (int i = 0; i < depth; ++i) {
    source += indent + (i % 2 == 0 ? "for a" + std::to_string(i) + " in xs:\n"
                                   : "if a" + std::to_string(i - 1) + " not in seen:\n");
    indent += " ";
  }
  return source + indent + "s += 'x'\n";
}

TEST_F(PerformancePackTest, FiveHundredDeepNestingDoesNotCrash) {
  // tree-sitter-python keeps indentation columns in a byte, so past column 255 the parse is
  // an error; the pack must still finish.
  Check(DeepLoops(500));
}

TEST_F(PerformancePackTest, DeepNestingIsAnalyzedAsDeepAsTheParserGoes) {
  const std::string source = DeepLoops(200);
  // 100 loops over xs nest in one another: each inner one reports once.
  EXPECT_THAT(Check(source, "PERF001"), SizeIs(99));
  EXPECT_THAT(Check(source, "PERF002"), SizeIs(1));
  EXPECT_THAT(Check(source, "PERF003"), SizeIs(100));
  const std::vector<Finding> complexity = Check(source, "PERF004");
  ASSERT_THAT(complexity, SizeIs(1));
  EXPECT_THAT(complexity[0].message(), ::testing::HasSubstr("complexity 201"));
}

TEST_F(PerformancePackTest, FiveHundredDeepComprehensionsDoNotCrash) {
  std::string expression = "x";
  for (int i = 0; i < 500; ++i) expression = "[" + expression + " for x in xs]";
  EXPECT_THAT(Check("def f(xs):\n    return " + expression + "\n", "PERF001"), SizeIs(499));
}

TEST_F(PerformancePackTest, TenThousandLineFileDoesNotCrash) {
  std::string source;
  for (int i = 0; source.size() < 400000 || i % 8 != 0; ++i) {
    if (i % 8 == 0) source += "def f" + std::to_string(i) + "(xs):\n    s = ''\n";
    source += "    for x in xs:\n        s += x\n";
  }
  int lines = 0;
  for (char c : source) lines += c == '\n';
  ASSERT_GE(lines, 10000);
  EXPECT_THAT(Check(source, "PERF002"), SizeIs(::testing::Ge(4000u)));
}

TEST_F(PerformancePackTest, LongConcatenationChainDoesNotCrash) {
  std::string source = "def f(xs):\n    for a in xs:\n        s = s";
  for (int i = 0; i < 10000; ++i) source += " + a";
  source += "\n";
  EXPECT_THAT(Check(source), ::testing::Each(::testing::Property(&Finding::rule_id, "PERF002")));
}

TEST_F(PerformancePackTest, SyntaxErrorsDoNotCrash) {
  Check("def f(xs:\n    for a in xs\n        for b in xs:\n            s += 'a'\n   x in [\n");
}

}  // namespace
}  // namespace conclave::performance
