// The architecture rule pack over small Python sources: each rule's positive and negative
// cases at its threshold, the long-function verdict the demo relies on, and pathological
// inputs that must not crash.
#include "agents/architecture/architecture_pack.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agents/analysis/parsed_module.h"
#include "agents/analysis/rule.h"
#include "agents/analysis/verdict.h"

namespace conclave::architecture {
namespace {

using conclave::v1::Finding;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class ArchitecturePackTest : public ::testing::Test {
 protected:
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

  std::vector<Finding> Check(const std::string& source, std::string_view rule) {
    std::vector<Finding> matching;
    for (const Finding& f : Check(source)) {
      if (f.rule_id() == rule) matching.push_back(f);
    }
    return matching;
  }

  std::unique_ptr<analysis::RulePack> pack_ = NewArchitecturePack();
};

// A class with `methods` methods, the first of which assigns `attributes` self attributes.
std::string ClassWith(int methods, int attributes) {
  std::string source = "class Service:\n";
  for (int m = 0; m < methods; ++m) {
    source += "    def m" + std::to_string(m) + "(self):\n";
    if (m == 0) {
      for (int a = 0; a < attributes; ++a)
        source += "        self.a" + std::to_string(a) + " = 0\n";
    }
    source += "        return None\n";
  }
  return source;
}

// A function spanning exactly `lines` lines, with straight-line code only.
std::string FunctionOfLines(int lines) {
  std::string source = "def long_one(x):\n";
  for (int i = 1; i < lines - 1; ++i) source += "    x = x + " + std::to_string(i) + "\n";
  return source + "    return x\n";
}

// A function whose body nests `depth` if statements, each indented `width` more spaces.
std::string NestedIfs(int depth, int width = 4) {
  std::string source = "def nested(x):\n";
  std::string indent(width, ' ');
  for (int i = 0; i < depth; ++i) {
    source += indent + "if x > " + std::to_string(i) + ":\n";
    indent += std::string(width, ' ');
  }
  return source + indent + "return x\n";
}

// A function with parameters p0..p{count-1} after `first` (when non-empty).
std::string WithParameters(int count, const std::string& first = "") {
  std::string params = first;
  for (int i = 0; i < count; ++i) {
    if (!params.empty()) params += ", ";
    params += "p" + std::to_string(i);
  }
  return "def f(" + params + "):\n    return None\n";
}

TEST_F(ArchitecturePackTest, DescribesItself) {
  EXPECT_EQ(pack_->reviewer(), "architecture");
  EXPECT_FALSE(pack_->version().empty());
  EXPECT_EQ(pack_->reject_policy(), analysis::RejectPolicy::kNeverReject);
  std::vector<std::string> ids;
  for (const analysis::RuleSpec& rule : pack_->rules()) ids.push_back(std::string(rule.id));
  EXPECT_THAT(ids, ElementsAre("ARCH001", "ARCH002", "ARCH003", "ARCH004", "ARCH005", "ARCH006",
                               "ARCH007", "ARCH008"));
  EXPECT_TRUE(pack_->has_change_rules());
}

// --- ARCH001: god class ---

TEST_F(ArchitecturePackTest, ClassWithTwentyOneMethodsIsAGodClass) {
  const std::vector<Finding> f = Check(ClassWith(kMaxMethods + 1, 0), "ARCH001");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].line(), 1);
  EXPECT_EQ(f[0].column(), 7);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.70);
  EXPECT_THAT(f[0].message(), HasSubstr("21 methods"));
}

TEST_F(ArchitecturePackTest, ClassWithTwentyMethodsIsNot) {
  EXPECT_THAT(Check(ClassWith(kMaxMethods, kMaxAttributes), "ARCH001"), IsEmpty());
}

TEST_F(ArchitecturePackTest, ClassWithSixteenAttributesIsAGodClass) {
  const std::vector<Finding> f = Check(ClassWith(2, kMaxAttributes + 1), "ARCH001");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_THAT(f[0].message(), HasSubstr("16 instance attributes"));
}

TEST_F(ArchitecturePackTest, AttributesAreCountedOnceAndOnlyOnSelf) {
  // 15 distinct self attributes, assigned repeatedly, by tuple and augmented assignment and
  // from a nested function; attributes of other objects do not count.
  std::string source =
      "class Cache:\n"
      "    def __init__(me, other):\n";
  for (int a = 0; a < 13; ++a)
    source += "        me.a" + std::to_string(a) + " = other.b" + std::to_string(a) + " = 0\n";
  source +=
      "        me.a0, me.x = 1, 2\n"
      "        me.a1 += 1\n"
      "        other.z = me.q = 3\n"
      "        def later():\n"
      "            me.a2 = 5\n";
  EXPECT_THAT(Check(source, "ARCH001"), IsEmpty());
  EXPECT_THAT(Check(source + "        me.y: int = 0\n", "ARCH001"), SizeIs(1));
}

TEST_F(ArchitecturePackTest, ManyMethodsButAGetterAndSetterCountOnce) {
  std::string source = ClassWith(kMaxMethods - 1, 0);
  source +=
      "    @property\n"
      "    def size(self):\n"
      "        return 1\n"
      "    @size.setter\n"
      "    def size(self, value):\n"
      "        pass\n";
  EXPECT_THAT(Check(source, "ARCH001"), IsEmpty());
}

TEST_F(ArchitecturePackTest, MethodsOfANestedClassCountForTheNestedClass) {
  std::string source = ClassWith(15, 0);
  source += "    class Inner:\n";
  for (int m = 0; m < 15; ++m) {
    source += "        def i" + std::to_string(m) + "(self):\n            self.v" +
              std::to_string(m) + " = 1\n";
  }
  EXPECT_THAT(Check(source, "ARCH001"), IsEmpty());
}

// --- ARCH002: long function ---

TEST_F(ArchitecturePackTest, FunctionOfFiftyOneLinesIsLong) {
  const std::vector<Finding> f = Check(FunctionOfLines(kMaxFunctionLines + 1), "ARCH002");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].line(), 1);
  EXPECT_EQ(f[0].column(), 5);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.95);
  EXPECT_THAT(f[0].message(), HasSubstr("51 lines"));
}

TEST_F(ArchitecturePackTest, FunctionOfExactlyFiftyLinesIsNot) {
  EXPECT_THAT(Check(FunctionOfLines(kMaxFunctionLines)), IsEmpty());
}

TEST_F(ArchitecturePackTest, LongFunctionFindingCoversTheWholeFunction) {
  const std::string source = "import os\n\n" + FunctionOfLines(60);
  absl::StatusOr<analysis::ParsedModule> module = analysis::ParsedModule::Parse("t.py", source);
  ASSERT_TRUE(module.ok());
  analysis::FindingCollector out("t.py");
  pack_->Check(*module, out);
  ASSERT_THAT(out.findings(), SizeIs(1));
  EXPECT_EQ(out.findings()[0].first_line, 3);
  EXPECT_EQ(out.findings()[0].last_line, 62);
}

TEST_F(ArchitecturePackTest, CleanTwoHundredLineFunctionRequestsChangesAtNinetyFive) {
  // The demo's long-function example: its only finding must make the reviewer request changes
  // with confidence 0.95, enough to outweigh two approvals at 0.90 in the consensus
  // ((0.90 + 0.90) / (0.90 + 0.90 + 0.95) = 0.65 < 2/3).
  analysis::ReviewTally tally;
  tally.findings = Check(FunctionOfLines(200));
  ASSERT_THAT(tally.findings, SizeIs(1));
  EXPECT_EQ(tally.findings[0].rule_id(), "ARCH002");
  const analysis::VerdictOutcome verdict = analysis::DecideVerdict(tally, pack_->reject_policy());
  EXPECT_EQ(verdict.verdict, conclave::v1::VERDICT_REQUEST_CHANGES);
  EXPECT_DOUBLE_EQ(verdict.confidence, 0.95);
  EXPECT_LT((0.90 + 0.90) / (0.90 + 0.90 + verdict.confidence), 0.6667);
}

TEST_F(ArchitecturePackTest, NestedFunctionsAreMeasuredOnTheirOwn) {
  std::string source = "def outer():\n";
  source += "    def inner(x):\n";
  for (int i = 0; i < 55; ++i) source += "        x = x + 1\n";
  source += "        return x\n    return inner\n";
  const std::vector<Finding> f = Check(source, "ARCH002");
  ASSERT_THAT(f, SizeIs(2));
  EXPECT_THAT(f[0].message(), HasSubstr("`outer`"));
  EXPECT_THAT(f[1].message(), HasSubstr("`outer.inner`"));
}

// --- ARCH003: deep nesting ---

TEST_F(ArchitecturePackTest, FiveLevelsOfNestingAreReportedAtTheDeepestStatement) {
  const std::vector<Finding> f = Check(NestedIfs(kMaxNesting + 1), "ARCH003");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].line(), 6);
  EXPECT_EQ(f[0].column(), 21);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.85);
  EXPECT_THAT(f[0].message(), HasSubstr("5 deep"));
}

TEST_F(ArchitecturePackTest, FourLevelsOfNestingAreNot) {
  EXPECT_THAT(Check(NestedIfs(kMaxNesting)), IsEmpty());
}

TEST_F(ArchitecturePackTest, MixedCompoundStatementsCountAsNesting) {
  EXPECT_THAT(Check("def f(xs, path):\n"
                    "    with open(path) as fh:\n"
                    "        for x in xs:\n"
                    "            try:\n"
                    "                while x:\n"
                    "                    if x:\n"
                    "                        x -= 1\n"
                    "            except ValueError:\n"
                    "                pass\n",
                    "ARCH003"),
              SizeIs(1));
}

TEST_F(ArchitecturePackTest, NestedFunctionStartsItsOwnNesting) {
  EXPECT_THAT(Check("def f(x):\n"
                    "    if x:\n"
                    "        for y in x:\n"
                    "            def g(z):\n"
                    "                if z:\n"
                    "                    while z:\n"
                    "                        z -= 1\n"
                    "            g(y)\n",
                    "ARCH003"),
              IsEmpty());
}

// --- ARCH004: too many parameters ---

TEST_F(ArchitecturePackTest, SevenParametersAreLow) {
  const std::vector<Finding> f = Check(WithParameters(kMaxParameters + 1), "ARCH004");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_LOW);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.80);
  EXPECT_THAT(f[0].message(), HasSubstr("takes 7 parameters"));
}

TEST_F(ArchitecturePackTest, SixParametersAreNot) {
  EXPECT_THAT(Check(WithParameters(kMaxParameters)), IsEmpty());
}

TEST_F(ArchitecturePackTest, SelfClsAndStarredParametersAreNotCounted) {
  EXPECT_THAT(Check("class C:\n"
                    "    def m(self, a, b, c, d, e, f, *args, **kwargs):\n"
                    "        pass\n"
                    "    @classmethod\n"
                    "    def k(cls, a, b: int, c=1, d: int = 2, *, e, f):\n"
                    "        pass\n"),
              IsEmpty());
  EXPECT_THAT(Check("class C:\n"
                    "    def m(self, a, b, c, d, e, f, g):\n"
                    "        pass\n",
                    "ARCH004"),
              SizeIs(1));
}

TEST_F(ArchitecturePackTest, MoreThanTenParametersAreMedium) {
  const std::vector<Finding> f = Check(WithParameters(kManyParameters + 1, "self"), "ARCH004");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_THAT(f[0].message(), HasSubstr("takes 11 parameters"));
}

// --- pathological inputs ---

TEST_F(ArchitecturePackTest, FiveHundredDeepNestingDoesNotCrash) {
  // tree-sitter-python keeps indentation columns in a byte, so past column 255 the parse
  // is an error and the function is not indexed; the pack must still finish.
  Check(NestedIfs(500));
  Check(NestedIfs(500, 1));
}

TEST_F(ArchitecturePackTest, NestingIsMeasuredAsDeepAsTheParserGoes) {
  const std::vector<Finding> f = Check(NestedIfs(200, 1), "ARCH003");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_THAT(f[0].message(), HasSubstr("200 deep"));
  EXPECT_EQ(f[0].line(), 201);
  EXPECT_EQ(f[0].column(), 201);
}

TEST_F(ArchitecturePackTest, FiveHundredDeepNestedFunctionsDoNotCrash) {
  std::string source;
  std::string indent;
  for (int i = 0; i < 500; ++i) {
    source += indent + "def f" + std::to_string(i) + "(self):\n";
    indent += " ";
    source += indent + "self.a" + std::to_string(i) + " = 1\n";
  }
  source += indent + "pass\n";
  Check(source);
}

TEST_F(ArchitecturePackTest, TenThousandLineFileDoesNotCrash) {
  std::string source = "class Huge:\n";
  for (int m = 0; m < 2000; ++m) {
    source += "    def m" + std::to_string(m) + "(self, a, b, c, d, e, f, g):\n";
    source += "        self.x" + std::to_string(m) + " = a\n";
    source += "        if a:\n            if b:\n                return c\n";
  }
  const std::vector<Finding> f = Check(source);
  // One god class (2000 methods) and 2000 long parameter lists; the class is 10001 lines long
  // but is not a function.
  EXPECT_THAT(f, SizeIs(2001));
}

TEST_F(ArchitecturePackTest, SyntaxErrorsDoNotCrash) {
  Check("class C(:\n    def m(self, a, b\n        if x:\n  return\n");
}

}  // namespace
}  // namespace conclave::architecture
