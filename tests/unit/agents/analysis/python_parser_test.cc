// Conclave's Python parser: it builds tree-sitter's tree for what it takes, and declines, with a
// reason, what it leaves to tree-sitter. Whole directories are compared by the parse_diff ctests
// and by python_parser_fuzzer; these cases pin the shapes and refusals that were hardest to get.
#include "agents/analysis/python_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "agents/analysis/tree_diff.h"

namespace conclave::analysis {
namespace {

struct Case {
  const char* name;
  const char* source;
};

class SameTreeTest : public ::testing::TestWithParam<Case> {};

TEST_P(SameTreeTest, BuildsTreeSittersTree) {
  const std::string source = GetParam().source;
  ParseDeclined why;
  const TreeHandle fast = ParsePythonFast(source, &why);
  ASSERT_NE(fast, nullptr) << "declined at line " << why.line << ": " << why.what;
  absl::StatusOr<TreeHandle> expected = ParsePythonWithTreeSitter(source);
  ASSERT_TRUE(expected.ok());
  ASSERT_FALSE(NodeHasError((*expected)->root())) << DumpTree((*expected)->root(), source, true);
  const std::optional<std::string> difference = FirstDifference(**expected, *fast, source);
  EXPECT_FALSE(difference.has_value()) << *difference;
}

INSTANTIATE_TEST_SUITE_P(
    Python, SameTreeTest,
    ::testing::Values(
        Case{"precedence", "x = -a ** -b, await c ** 2, a & b ^ c, not a == b or c and d\n"},
        Case{"comparison_chain", "a < b not in c is not d\n"},
        Case{"targets", "a, *b = c\n(d, e), [f] = g\nx = y = yield z\nfor k, v in d: pass\n"},
        Case{"annotations",
             "def f(a: list[int] | None, b: X | dict[str, int], c: Callable[[int], str] = g,"
             " *args: int, **kw: str) -> tuple[int, ...]: pass\nx: int = 1\n"},
        Case{"strings",
             "s = 'a\\n\\d' r'\\\\' rb'\\\\' f\"{x!r:>{w}.2f} {{ }} {y=}\" u'''x\ny''' ''\n"},
        Case{"raw_string_of_backslashes", "s = r'\\\\'\n"},
        Case{"line_continuation_before_string", "s = 'a' \\\n    'b'\nt = 1 + \\\n    2\n"},
        Case{"comprehensions",
             "z = [i for i in range(3) if i], {k: v for k, v in d}, {1, *s}, (i for i in x)\n"
             "f(i for i in x)\n"},
        Case{"starred_call_in_arguments", "f(*g(x), *a.b, **k)\n"},
        Case{"with_items", "with open(p) as f, (yield):\n    pass\nwith (a as b, c):\n    pass\n"
                           "with a if b else c as d:\n    pass\n"},
        Case{"try_statement",
             "try:\n    pass\nexcept (A, B) as e:\n    pass\nexcept C:\n    pass\nelse:\n"
             "    pass\nfinally:\n    pass\n"},
        Case{"imports", "from . import a\nfrom ..b.c import (d as e, f,)\nfrom ... import g\n"
                        "from __future__ import annotations\nimport os.path as p, sys\n"},
        Case{"comments_extend_blocks",
             "def f():  # c\n    # lead\n    x = 1  # t\n    # trail\n# out\n\n"
             "@dec  # d\n# between\nclass A(B, metaclass=M):\n    pass\n"},
        Case{"soft_keywords", "print(x)\ntype = 1\ntype: int\nmatch = re.match(p, s)\n"},
        Case{"empty_and_blank", "\n\n   \n"},
        Case{"byte_order_mark", "\xEF\xBB\xBF\"\"\"doc\"\"\"\nimport os\n"},
        Case{"tabs", "if x:\n\ty = 1\n\tif y:\n\t\tz = 2\n"}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

struct Declined {
  const char* name;
  const char* source;
  const char* reason;  // a part of ParseDeclined::what
  int line;
};

class DeclinedTest : public ::testing::TestWithParam<Declined> {};

TEST_P(DeclinedTest, LeavesItToTreeSitterWithTheReason) {
  ParseDeclined why;
  EXPECT_EQ(ParsePythonFast(GetParam().source, &why), nullptr);
  EXPECT_NE(why.what.find(GetParam().reason), std::string::npos) << why.what;
  EXPECT_EQ(why.line, GetParam().line) << why.what;
}

INSTANTIATE_TEST_SUITE_P(
    Python, DeclinedTest,
    ::testing::Values(
        Declined{"syntax_error", "x = (1,\n", "never closed", 2},
        Declined{"python2_print", "x = 1\nprint x\n", "print statement", 2},
        Declined{"python2_not_equal", "if a <> b: pass\n", "<>", 1},
        Declined{"backtick", "x = `y`\n", "character", 1},
        Declined{"match_statement", "match x:\n    case 1:\n        pass\n", "match statement", 1},
        Declined{"type_alias", "type X = int\n", "type", 1},
        Declined{"type_parameters", "def f[T](x: T): pass\n", "type parameters", 1},
        Declined{"except_star", "try:\n    pass\nexcept* E:\n    pass\n", "except*", 3},
        Declined{"starred_call_in_list", "x = [*f(y)]\n", "starred call", 1},
        Declined{"starred_literal", "d, *2\n", "starred expression", 1},
        Declined{"augmented_assignment_to_call", "f() += 1\n", "augmented assignment", 1},
        Declined{"try_without_handler", "try:\n    pass\n", "without except", 1},
        Declined{"non_ascii_name", "caf\xC3\xA9 = 1\n", "non-ASCII", 1},
        Declined{"dedented_line_in_brackets", "if 1:\n    (a -\nb)\n", "inside brackets", 3},
        Declined{"comment_below_decorator",
                 "class C:\n    @property\n  # c\n    def p(self):\n        return 1\n",
                 "decorator", 3},
        Declined{"trailing_comma_statement", "x,\ny = 1\n", "ends in a comma", 1},
        Declined{"inconsistent_dedent", "if x:\n        a\n    b\n", "indentation", 3}),
    [](const ::testing::TestParamInfo<Declined>& info) { return std::string(info.param.name); });

TEST(SyntaxTreeTest, NullNodeReadsAsAnEmptyNode) {
  const Node null;
  EXPECT_TRUE(NodeIsNull(null));
  EXPECT_EQ(NodeStartByte(null), 0u);
  EXPECT_EQ(NodeChildCount(null), 0u);
  EXPECT_STREQ(NodeType(null), "");
  EXPECT_TRUE(NodeIsNull(NodeParent(null)));
  EXPECT_TRUE(NodeIsNull(NodeNamedChild(null, 0)));
  EXPECT_TRUE(NodeIsNull(NodeNextSibling(null)));
  EXPECT_TRUE(NodeIsNull(Field(null, PythonGrammar::Get().field_name)));
}

TEST(PythonParserTest, NulByteIsDeclined) {
  const std::string source("x = 1  # \0\n", 11);
  ParseDeclined why;
  EXPECT_EQ(ParsePythonFast(source, &why), nullptr);
  EXPECT_NE(why.what.find("NUL"), std::string::npos) << why.what;
}

TEST(PythonParserTest, DeepNestingIsDeclinedNotACrash) {
  const std::string source = "x = " + std::string(150, '(') + "1" + std::string(150, ')') + "\n";
  const std::string deeper = "x = " + std::string(100000, '-') + "1\n";
  ParseDeclined why;
  EXPECT_NE(ParsePythonFast(source), nullptr);
  EXPECT_EQ(ParsePythonFast(deeper, &why), nullptr);
  EXPECT_NE(why.what.find("nesting"), std::string::npos) << why.what;
}

}  // namespace
}  // namespace conclave::analysis
