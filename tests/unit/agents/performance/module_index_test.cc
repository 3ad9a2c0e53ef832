// What the performance rules read from ParsedModule's index beyond loops and calls: cognitive
// complexity per function (SonarSource's definition), `async def`, outermost attribute
// chains, lambdas, with-items and the list of imports.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agents/analysis/parsed_module.h"

namespace conclave::analysis {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

ParsedModule ParseOrDie(std::string_view source) {
  absl::StatusOr<ParsedModule> module = ParsedModule::Parse("t.py", source);
  EXPECT_TRUE(module.ok()) << module.status();
  return std::move(*module);
}

// Cognitive complexity of the only (or first) function of `source`.
int Cognitive(std::string_view source, size_t function = 0) {
  const ParsedModule module = ParseOrDie(source);
  EXPECT_GT(module.functions().size(), function);
  if (module.functions().size() <= function) return -1;
  return module.functions()[function].cognitive_complexity;
}

TEST(CognitiveComplexityTest, StraightLineCodeIsZero) {
  EXPECT_EQ(Cognitive("def f(a):\n    x = a + 1\n    return x\n"), 0);
}

TEST(CognitiveComplexityTest, WhitepaperSumOfPrimesWithoutALabelIsSix) {
  // The Java original scores 7; its `continue OUTER` (+1) has no Python spelling.
  EXPECT_EQ(Cognitive("def sum_of_primes(n):\n"
                      "    total = 0\n"
                      "    for i in range(1, n + 1):\n"  // +1
                      "        for j in range(2, i):\n"  // +2
                      "            if i % j == 0:\n"     // +3
                      "                break\n"
                      "        total += i\n"
                      "    return total\n"),
            6);
}

TEST(CognitiveComplexityTest, ElifElseAndBooleanSequences) {
  EXPECT_EQ(Cognitive("def f(a, b, c):\n"
                      "    if a and b and c:\n"  // +1 if, +1 one `and` run
                      "        return 1\n"
                      "    elif a or b and c:\n"  // +1 elif, +2 (`or`, then `and`)
                      "        return 2\n"
                      "    else:\n"                      // +1
                      "        for x in a:\n"            // +2 (nesting 1)
                      "            y = 1 if x else 2\n"  // +3 (nesting 2)
                      "    return 0\n"),
            11);
}

TEST(CognitiveComplexityTest, BooleanRunsAreCountedInReadingOrder) {
  // SonarSource's whitepaper: `a && b && c || d || e && f` is 3.
  EXPECT_EQ(Cognitive("def f(a, b, c, d, e, g):\n    return a and b and c or d or e and g\n"), 3);
  // `and` binds tighter, but the reader meets or, and, or: three runs.
  EXPECT_EQ(Cognitive("def f(a, b, c, d):\n    return a or b and c or d\n"), 3);
  // A parenthesized part is an expression of its own; `not` does not break a run.
  EXPECT_EQ(Cognitive("def f(a, b, c):\n    return a and not (b and c)\n"), 2);
  EXPECT_EQ(Cognitive("def f(a, b, c):\n    return a and not b and c\n"), 1);
}

TEST(CognitiveComplexityTest, ConditionsAndIterablesAreNotNestedInTheirStatement) {
  // The conditional expressions sit in the statements' own tests: +1 each, no nesting.
  EXPECT_EQ(Cognitive("def f(a, xs):\n"
                      "    if (1 if a else 0):\n"  // +1 if, +1 ternary
                      "        pass\n"
                      "    elif (2 if a else 0):\n"  // +1 elif, +1 ternary
                      "        pass\n"
                      "    for x in (xs if a else []):\n"  // +1 for, +1 ternary
                      "        pass\n"
                      "    while (a if a else None):\n"  // +1 while, +1 ternary
                      "        a = None\n"),
            8);
}

TEST(CognitiveComplexityTest, TryAddsNothingAndExceptNests) {
  EXPECT_EQ(Cognitive("def f(a):\n"
                      "    try:\n"
                      "        with open(a) as fh:\n"
                      "            return fh.read()\n"
                      "    except OSError:\n"  // +1
                      "        if a:\n"        // +2
                      "            raise\n"
                      "    finally:\n"
                      "        pass\n"),
            3);
}

TEST(CognitiveComplexityTest, MatchCountsOnceAndNestsItsCases) {
  EXPECT_EQ(Cognitive("def f(p):\n"
                      "    match p:\n"  // +1
                      "        case 1:\n"
                      "            return 1\n"
                      "        case _:\n"
                      "            if p:\n"  // +2
                      "                return 2\n"),
            3);
}

TEST(CognitiveComplexityTest, RecursionCountsOncePerCall) {
  EXPECT_EQ(Cognitive("def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\n"), 2);
  EXPECT_EQ(Cognitive("class T:\n"
                      "    def walk(self, n):\n"
                      "        for c in n.children:\n"  // +1
                      "            self.walk(c)\n"      // +1
                      "        other.walk(n)\n"),
            2);
  // A method named like a module-level function does not recurse by calling it bare.
  EXPECT_EQ(Cognitive("class T:\n    def run(self):\n        return run()\n"), 0);
}

TEST(CognitiveComplexityTest, NestedDefCountsForItselfAndLambdasNest) {
  const ParsedModule module = ParseOrDie(
      "def outer(xs):\n"
      "    def inner(x):\n"
      "        if x:\n"  // inner +1
      "            return 1\n"
      "    key = lambda v: 1 if v else 0\n"  // outer +2 (nesting 1 in a lambda)
      "    return sorted(xs, key=key)\n");
  ASSERT_THAT(module.functions(), SizeIs(2));
  EXPECT_EQ(module.functions()[0].cognitive_complexity, 2);
  EXPECT_EQ(module.functions()[1].cognitive_complexity, 1);
  EXPECT_THAT(module.lambdas(), SizeIs(1));
  EXPECT_EQ(module.lambdas()[0].function, 0);
}

TEST(CognitiveComplexityTest, LoopElseAndComprehensionsAddNothing) {
  EXPECT_EQ(Cognitive("def f(xs):\n"
                      "    for x in xs:\n"  // +1
                      "        pass\n"
                      "    else:\n"
                      "        pass\n"
                      "    return [x for x in xs if x]\n"),
            1);
}

TEST(ModuleIndexTest, ComprehensionClausesRunInTheLoopsBeforeThem) {
  const ParsedModule module =
      ParseOrDie("def f():\n    return [a(x) for x in b() if c(x) for y in d(x) if e(y)]\n");
  ASSERT_THAT(module.loops(), SizeIs(2));
  EXPECT_EQ(module.loops()[1].parent, 0);
  std::vector<std::pair<std::string, int>> calls;
  for (const Site& site : module.calls()) {
    calls.emplace_back(std::string(module.Text(site.node)).substr(0, 1), site.loop);
  }
  // The body runs innermost; the first iterable once, outside; each later clause in the loop
  // of the `for` before it.
  EXPECT_THAT(calls,
              ElementsAre(std::pair<std::string, int>("a", 1), std::pair<std::string, int>("b", -1),
                          std::pair<std::string, int>("c", 0), std::pair<std::string, int>("d", 0),
                          std::pair<std::string, int>("e", 1)));
}

TEST(ModuleIndexTest, AsyncDefIsMarked) {
  const ParsedModule module = ParseOrDie(
      "async def a():\n    pass\n"
      "def b():\n    pass\n"
      "class C:\n    @staticmethod\n    async def c():\n        pass\n");
  ASSERT_THAT(module.functions(), SizeIs(3));
  EXPECT_TRUE(module.functions()[0].is_async);
  EXPECT_FALSE(module.functions()[1].is_async);
  EXPECT_TRUE(module.functions()[2].is_async);
}

TEST(ModuleIndexTest, AttributesAreWholeChains) {
  const ParsedModule module = ParseOrDie(
      "def f(self, x):\n"
      "    for a in x:\n"
      "        self.config.values.get(a)\n"
      "        a.b(x).c\n");
  std::vector<std::string> texts;
  for (const Site& site : module.attributes()) {
    texts.push_back(std::string(module.Text(site.node)));
    EXPECT_EQ(site.loop, 0);
    EXPECT_EQ(site.function, 0);
  }
  EXPECT_THAT(texts, ElementsAre("self.config.values.get", "a.b(x).c", "a.b"));
}

TEST(ModuleIndexTest, WithItemsAreIndexed) {
  const ParsedModule module =
      ParseOrDie("def f(p):\n    with open(p) as fh, lock:\n        return fh.read()\n");
  ASSERT_THAT(module.with_items(), SizeIs(2));
  EXPECT_EQ(module.Text(module.with_items()[0].node), "open(p) as fh");
  EXPECT_EQ(module.Text(module.with_items()[1].node), "lock");
}

TEST(ModuleIndexTest, ImportsAreListedWithLinesAndNames) {
  const ParsedModule module = ParseOrDie(
      "import os.path, sys as system\n"
      "from ..pkg import a, b as c\n"
      "from m import *\n"
      "from . import sibling\n"
      "def f():\n"
      "    import json\n");
  const std::vector<ImportInfo>& imports = module.imports();
  ASSERT_THAT(imports, SizeIs(6));
  EXPECT_EQ(imports[0].module, "os.path");
  EXPECT_FALSE(imports[0].from);
  EXPECT_THAT(imports[0].names, IsEmpty());
  EXPECT_EQ(imports[0].line, 1);
  EXPECT_EQ(imports[1].module, "sys");
  EXPECT_EQ(imports[2].module, "..pkg");
  EXPECT_TRUE(imports[2].from);
  EXPECT_THAT(imports[2].names, ElementsAre("a", "b"));
  EXPECT_EQ(imports[2].line, 2);
  EXPECT_EQ(imports[3].module, "m");
  EXPECT_THAT(imports[3].names, ElementsAre("*"));
  EXPECT_EQ(imports[4].module, ".");
  EXPECT_THAT(imports[4].names, ElementsAre("sibling"));
  EXPECT_EQ(imports[5].module, "json");
  EXPECT_EQ(imports[5].function, 0);
  EXPECT_EQ(imports[0].function, -1);
  // The name map still resolves callees as before.
  EXPECT_EQ(module.ImportedName("system"), "sys");
  EXPECT_EQ(module.ImportedName("os"), "os");
  EXPECT_EQ(module.ImportedName("c"), "..pkg.b");
  EXPECT_EQ(module.ImportedName("nothing"), "");
}

}  // namespace
}  // namespace conclave::analysis
