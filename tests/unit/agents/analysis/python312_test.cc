// Python 3.12 syntax through ParsedModule (tree-sitter-python 0.23.6): what parses cleanly, the
// node it parses to, and the constructs the grammar gets wrong (docs/CORPUS.md lists them under
// INPUT003). A file that does not parse is an INPUT003 finding at the error's line and column.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "agents/analysis/file_analysis.h"
#include "agents/analysis/parsed_module.h"
#include "tests/unit/agents/analysis/test_pack.h"

namespace conclave::analysis {
namespace {

struct Snippet {
  const char* name;
  const char* source;
  // A node type the parse must contain (so a construct is not merely error-free but read as
  // what it is), "" to skip.
  const char* node;
};

bool Contains(Node node, std::string_view type) {
  const SyntaxTree& tree = *node.tree();
  for (uint32_t i = node.index(); i < node.index() + tree.data(node.index()).size; ++i) {
    if (std::string_view(NodeType(Node(&tree, i))) == type) return true;
  }
  return false;
}

class Python312Test : public ::testing::TestWithParam<Snippet> {};

TEST_P(Python312Test, ParsesCleanly) {
  const Snippet& s = GetParam();
  absl::StatusOr<ParsedModule> m = ParsedModule::Parse("py312.py", s.source);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_FALSE(m->has_error()) << s.name << ": first error at line " << m->first_error().line
                               << ", column " << m->first_error().column << "\n"
                               << s.source;
  if (*s.node != '\0') {
    EXPECT_TRUE(Contains(m->root(), s.node)) << s.name << " has no " << s.node << " node";
  }
}

const Snippet kParsesCleanly[] = {
    // PEP 701: the same quote inside a replacement field, nested to any depth.
    {"fstring_same_quotes", "songs = ['a']\nx = f\"{', '.join(f\"'{s}'\" for s in songs)}\"\n",
     "interpolation"},
    {"fstring_nested_deep", "n = 1\nx = f\"{f\"{f\"{f\"{n}\"}\"}\"}\"\n", "interpolation"},
    {"fstring_nested_single", "d = {'k': 1}\nx = f'{d['k']}'\n", "subscript"},
    {"fstring_format_spec", "w, v = 10, 3.14159\nx = f'{v!r:>{w}.{2}f}'\n", "format_specifier"},
    {"fstring_self_documenting", "x = 1\ny = f'{x = }'\n", "interpolation"},
    {"fstring_multiline_expression", "a, b = 1, 2\nx = f\"total: {\n    a\n    + b\n}\"\n",
     "binary_operator"},
    {"fstring_triple_quoted_multiline", "a = 1\nx = f'''{\n  a\n}'''\n", "interpolation"},
    {"fstring_backslash_in_expression", "words = ['a', 'b']\nx = f\"{'\\n'.join(words)}\"\n",
     "call"},
    {"fstring_lambda_in_parens", "x = f'{(lambda y: y * 2)(3)}'\n", "lambda"},
    // match statements (3.10), with every pattern kind.
    {"match_patterns",
     "def f(command, point):\n"
     "    match command.split():\n"
     "        case [action]:\n"
     "            return action\n"
     "        case ['go', ('north' | 'south') as direction] if direction:\n"
     "            return direction\n"
     "        case {'x': x, **rest}:\n"
     "            return x, rest\n"
     "        case Point(x=0, y=0) | None:\n"
     "            return 0\n"
     "        case [1, 2, *others]:\n"
     "            return others\n"
     "        case -1 | 1.5 | 2j | 'text' | b'bytes' | True:\n"
     "            return 1\n"
     "        case _:\n"
     "            return None\n",
     "match_statement"},
    {"match_soft_keyword_as_name", "match = 1\ncase = 2\ntype = 3\nprint(match, case, type)\n", ""},
    // Assignment expressions (3.8).
    {"walrus",
     "import re\n"
     "if (m := re.match('a', 'a')) is not None:\n"
     "    print(m)\n"
     "while (chunk := read()):\n"
     "    pass\n"
     "ys = [y for x in range(3) if (y := x * 2) > 1]\n",
     "named_expression"},
    // PEP 695 type parameters and type aliases (3.12).
    {"type_alias", "type Point = tuple[float, float]\n", "type_alias_statement"},
    {"type_alias_generic", "type Pair[T] = tuple[T, T]\n", "type_alias_statement"},
    {"generic_function", "def first[T](xs: list[T]) -> T:\n    return xs[0]\n", "type_parameter"},
    {"generic_class", "class Box[T]:\n    def get(self) -> T: ...\n", "type_parameter"},
    {"type_param_bound", "def f[T: (int, str)](x: T) -> T:\n    return x\n", "type_parameter"},
    // except* (3.11).
    {"except_star",
     "try:\n    run()\nexcept* ValueError as eg:\n    print(eg)\nexcept* (TypeError, "
     "KeyError):\n    pass\n",
     "except_group_clause"},
    // Other modern syntax a reviewer meets.
    {"positional_only_and_keyword_only", "def f(a, /, b, *, c):\n    return a\n", ""},
    {"parenthesized_context_managers",
     "with (\n    open('a') as a,\n    open('b') as b,\n):\n    pass\n", "with_statement"},
    {"async_comprehension", "async def f(xs):\n    return [x async for x in xs]\n", ""},
    {"star_unpacking_in_index_and_return", "def f(*args):\n    return 1, *args\nx = a[*idx]\n", ""},
    {"comment_in_fstring", "a = 1\nx = f\"{a  # the count\n}\"\n", "interpolation"},
    {"named_unicode_escape", "x = f\"{'\\N{DEGREE SIGN}'}\"\n", "interpolation"},
    {"typevartuple_paramspec", "def f[*Ts, **P](*args: *Ts) -> None:\n    pass\n",
     "type_parameter"},
    {"class_bound", "class A[T: int, U: (str, bytes)]:\n    pass\n", "type_parameter"},
    {"dict_in_fstring", "x = f\"{ {'a': 1}['a'] }\"\n", "dictionary"},
    {"fstring_nested_format_quotes", "v = 1\nx = f\"{v:{\"<\"}10}\"\n", "interpolation"},
    {"type_alias_in_class", "class C:\n    type T = int\n", "type_alias_statement"},
    {"type_soft_kw_call", "print(type(1))\ntype = 5\n", ""},
    {"fstring_string_concat_nested", "x = f\"{\"a\" \"b\"}\"\n", "interpolation"},
    {"fstring_escape_braces", "x = f\"{{literal}} {1}\"\n", "interpolation"},
    {"generic_method", "class C:\n    def m[T](self, x: T) -> T:\n        return x\n",
     "type_parameter"},
    {"match_value_dotted", "match x:\n    case Color.RED:\n        pass\n", "match_statement"},
    {"async_generic", "async def f[T](x: T) -> T:\n    return x\n", "type_parameter"},
    {"global_nonlocal", "def f():\n    global g\n    def h():\n        nonlocal g\n", ""},
    {"decorator_expression", "@buttons[0].clicked.connect\ndef f():\n    pass\n", "decorator"},
};

INSTANTIATE_TEST_SUITE_P(Syntax, Python312Test, ::testing::ValuesIn(kParsesCleanly),
                         [](const auto& info) { return std::string(info.param.name); });

// Code that does not parse is INPUT003 at the first error's line and column (1-based, code
// points), MEDIUM for a whole file, and the rules still run on the recovered tree.
struct BrokenSnippet {
  const char* name;
  const char* source;
  int line;
  int column;
  bool missing;  // tree-sitter reports a missing token rather than unexpected text
};

class DoesNotParseTest : public ::testing::TestWithParam<BrokenSnippet> {};

TEST_P(DoesNotParseTest, IsInput003AtTheErrorsPosition) {
  const BrokenSnippet& s = GetParam();
  change::ReviewFile file;
  file.path = "broken.py";
  file.language = "python";
  file.content = std::string(s.source) + "danger()\n";
  TestPack pack;
  const FileAnalysis r = AnalyzeFile(pack, file);
  ASSERT_FALSE(r.findings.empty());
  const conclave::v1::Finding& f = r.findings.front();
  EXPECT_EQ(f.rule_id(), "INPUT003");
  EXPECT_EQ(f.severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(f.line(), s.line);
  EXPECT_EQ(f.column(), s.column);
  EXPECT_NE(f.message().find(absl::StrCat("line ", s.line, ", column ", s.column)),
            std::string::npos)
      << f.message();
  EXPECT_NE(f.message().find(s.missing ? "a missing token" : "unexpected text"), std::string::npos)
      << f.message();
  EXPECT_EQ(r.findings.back().rule_id(), "TEST001") << "rules run on the recovered tree";
  EXPECT_EQ(r.lines_covered, 0);
}

const BrokenSnippet kDoesNotParse[] = {
    {"def_without_parameter", "def f(:\n    pass\n", 1, 7, true},
    {"unclosed_call", "x = 1\nprint(1\ny = 2\n", 2, 6, false},
    {"unterminated_string", "x = 'abc\ny = 1\n", 1, 5, false},
    {"fstring_empty_replacement_field", "x = f'{}'\n", 1, 8, true},
    {"assignment_to_literal", "1 = x\n", 1, 1, false},
    // PEP 696 type parameter defaults are Python 3.13, not 3.12.
    {"type_parameter_default_is_313", "type A[T = int] = list[T]\n", 1, 8, false},
};

INSTANTIATE_TEST_SUITE_P(Broken, DoesNotParseTest, ::testing::ValuesIn(kDoesNotParse),
                         [](const auto& info) { return std::string(info.param.name); });

// Code CPython 3.12 refuses that tree-sitter-python 0.23.6 parses without an ERROR or MISSING
// node: ParsedModule's own checks (CheckValid) find these and report them as the first error,
// naming what is wrong.
struct InvalidSnippet {
  const char* name;
  const char* source;
  int line;
  int column;
  const char* what;  // a part of first_error_what()
};

const InvalidSnippet kRefusedAfterParsing[] = {
    {"py2_print_statement", "import sys\nprint \"hello\"\n", 2, 1, "print statement"},
    {"py2_exec_statement", "exec \"x = 1\"\n", 1, 1, "exec statement"},
    {"py2_not_equal", "if 1 <> 2:\n    pass\n", 1, 6, "<>"},
    {"py2_octal_literal", "x = 0777\n", 1, 5, "leading zero"},
    {"py2_ur_prefix", "x = ur'a'\n", 1, 5, "prefix ur"},
    {"unindent_matches_no_outer_level", "if x:\n        a = 1\n    b = 2\n", 3, 5,
     "indentation"},
    {"unindent_in_a_function", "def f(x):\n    if x:\n            a()\n        b()\n    return x\n", 4,
     9, "indentation"},
    {"tabs_and_spaces_mixed", "if x:\n        a = 1\n\tb = 2\n", 3, 2, "indentation"},
    {"walrus_as_a_statement", "x := 1\n", 1, 1, ":="},
    {"async_as_a_name", "async = 1\n", 1, 1, "keyword used as a name"},
    {"return_outside_function", "class C:\n    return 1\n", 2, 5, "'return' outside"},
    {"break_outside_loop", "for x in y:\n    pass\nelse:\n    break\n", 4, 5, "'break' outside"},
    {"continue_in_a_nested_function", "for x in y:\n    def f():\n        continue\n", 3, 9,
     "'continue' outside"},
    {"nonlocal_at_module_level", "nonlocal x\n", 1, 1, "'nonlocal' outside"},
    {"keyword_as_parameter_name", "def load(from, to):\n    return from + to\n", 1, 10,
     "keyword used as a name"},
    {"iterable_unpacking_after_kwargs", "f(**k, *a)\n", 1, 8, "*-unpacking after **"},
    {"non_default_after_default", "def f(a=1, b):\n    pass\n", 1, 12, "without a default"},
    {"keyword_argument_repeated", "f(a=1, a=2)\n", 1, 8, "keyword argument repeated"},
    {"positional_after_keyword", "f(a=1, 2)\n", 1, 8, "positional argument after"},
    {"starred_expression_alone", "x = 1\n*a\n", 2, 1, "starred expression"},
};

class RefusedAfterParsingTest : public ::testing::TestWithParam<InvalidSnippet> {};

TEST_P(RefusedAfterParsingTest, IsTheFirstErrorWithWhatIsWrong) {
  const InvalidSnippet& s = GetParam();
  absl::StatusOr<ParsedModule> m = ParsedModule::Parse("invalid.py", s.source);
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_TRUE(m->has_error()) << s.name;
  EXPECT_EQ(m->first_error().line, s.line) << s.name;
  EXPECT_EQ(m->first_error().column, s.column) << s.name;
  EXPECT_NE(m->first_error_what().find(s.what), std::string_view::npos)
      << s.name << ": " << m->first_error_what();
}

INSTANTIATE_TEST_SUITE_P(Checks, RefusedAfterParsingTest, ::testing::ValuesIn(kRefusedAfterParsing),
                         [](const auto& info) { return std::string(info.param.name); });

// Valid code near those checks: none of it is an error.
const Snippet kValidNearTheChecks[] = {
    {"print_and_exec_as_functions", "print('a', file=f)\nexec(code)\nx = print\n", ""},
    {"statements_after_a_continuation", "x = (1,\n     2); y = 3\nz = 4\n", ""},
    {"comments_at_any_indentation", "def f():\n    a = 1\n# flush left\n        # deep\n    return a\n",
     ""},
    {"semicolons_and_one_line_blocks", "if x: a = 1; b = 2\nelse: c = 3\n", ""},
    {"soft_keywords_as_names", "match = 1\ncase = 2\ntype = 3\n_ = 4\n", ""},
    {"break_in_while_and_for", "while x:\n    for y in z:\n        continue\n    break\n", ""},
    {"return_in_a_method", "class C:\n    def m(self):\n        return 1\n", ""},
    {"nonlocal_in_a_closure", "def f():\n    x = 1\n    def g():\n        nonlocal x\n", ""},
    {"walrus_in_parentheses", "(x := 1)\nif (y := f()):\n    pass\n", ""},
    {"zero_literals", "a = 0\nb = 00\nc = 0_0\nd = 0o777\ne = 0.5\nf = 0j\n", ""},
    {"byte_order_mark", "\xEF\xBB\xBFimport os\nx = 1\n", ""},
    {"keyword_only_after_defaults", "def f(a=1, *, b, c=2, d):\n    pass\n", ""},
    {"keyword_only_after_star_args", "def f(a=1, *args: int, b, **kw):\n    pass\n", ""},
    {"positional_only_defaults", "def f(a, b=1, /, c=2):\n    pass\n", ""},
    {"star_after_keyword", "f(a=1, *rest)\nf(*a, *b, c=1, **d, e=2)\n", ""},
    {"class_keywords", "class C(Base, metaclass=M):\n    pass\n", ""},
    {"starred_tuple_statement", "*a, *b\n*a, b = c\n", ""},
};

class ValidNearTheChecksTest : public ::testing::TestWithParam<Snippet> {};

TEST_P(ValidNearTheChecksTest, HasNoError) {
  const Snippet& s = GetParam();
  absl::StatusOr<ParsedModule> m = ParsedModule::Parse("valid.py", s.source);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_FALSE(m->has_error()) << s.name << ": " << m->first_error_what() << " at line "
                               << m->first_error().line << ", column "
                               << m->first_error().column;
}

INSTANTIATE_TEST_SUITE_P(Checks, ValidNearTheChecksTest, ::testing::ValuesIn(kValidNearTheChecks),
                         [](const auto& info) { return std::string(info.param.name); });

// Code CPython 3.12 refuses that neither the grammar nor ParsedModule's checks catch, so no
// INPUT003 is reported: INPUT003's known false negatives (docs/CORPUS.md). When one starts
// being reported, this test fails: move the snippet to kRefusedAfterParsing and update the docs.
const Snippet kAcceptedButInvalid[] = {
    {"py2_backticks", "x = `1`\n", ""},
    {"unparenthesized_lambda_in_fstring", "x = f'{lambda y: y}'\n", ""},
};

class AcceptedButInvalidTest : public ::testing::TestWithParam<Snippet> {};

TEST_P(AcceptedButInvalidTest, ParsesWithoutAnErrorNode) {
  const Snippet& s = GetParam();
  absl::StatusOr<ParsedModule> m = ParsedModule::Parse("invalid.py", s.source);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_FALSE(m->has_error()) << s.name << " now fails to parse at line " << m->first_error().line
                               << ", column " << m->first_error().column
                               << ": move it to kDoesNotParse and update docs/CORPUS.md";
  if (*s.node != '\0') EXPECT_TRUE(Contains(m->root(), s.node)) << s.name;
}

INSTANTIATE_TEST_SUITE_P(KnownGaps, AcceptedButInvalidTest,
                         ::testing::ValuesIn(kAcceptedButInvalid),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace conclave::analysis
