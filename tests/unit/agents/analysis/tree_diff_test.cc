// DumpTree and FirstDifference: a tree equals itself and another parse of the same source, and
// each kind of change a parser can get wrong (a node's type, its extent, its children, a comment,
// the tree's own bookkeeping) is reported at the node where it lies.
#include "agents/analysis/tree_diff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace conclave::analysis {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using NodeData = SyntaxTree::NodeData;

constexpr std::string_view kSource =
    "import os  # first\n"
    "\n"
    "def f(a, b=1):\n"
    "    # inside\n"
    "    x = g(a, b)  # trailing\n"
    "    return x\n";

TreeHandle Parse(std::string_view source) {
  absl::StatusOr<TreeHandle> tree = ParsePythonWithTreeSitter(source);
  EXPECT_TRUE(tree.ok()) << tree.status();
  return tree.ok() ? std::move(*tree) : nullptr;
}

// A copy of `tree` with `edit` applied to its nodes.
TreeHandle Edited(const SyntaxTree& tree, const std::function<void(std::vector<NodeData>&)>& edit) {
  std::vector<NodeData> nodes;
  for (uint32_t i = 0; i < tree.size(); ++i) nodes.push_back(tree.data(i));
  edit(nodes);
  return std::make_unique<const SyntaxTree>(tree.language(), std::move(nodes));
}

// The index of the n-th (0-based) node of type `type`, in document order.
uint32_t Find(const SyntaxTree& tree, std::string_view type, int n = 0) {
  for (uint32_t i = 0; i < tree.size(); ++i) {
    if (NodeType(Node(&tree, i)) == type && n-- == 0) return i;
  }
  ADD_FAILURE() << "no " << type << " node";
  return 0;
}

// Removes the leaf at `index`, keeping sizes, parents and child counts right.
void RemoveLeaf(std::vector<NodeData>& nodes, uint32_t index) {
  const NodeData leaf = nodes[index];
  ASSERT_EQ(leaf.size, 1u);
  NodeData& parent = nodes[leaf.parent];
  --parent.child_count;
  if (leaf.flags & SyntaxTree::kNamed) --parent.named_child_count;
  for (uint32_t p = leaf.parent; p != SyntaxTree::kNone; p = nodes[p].parent) --nodes[p].size;
  nodes.erase(nodes.begin() + index);
  for (NodeData& d : nodes) {
    if (d.parent != SyntaxTree::kNone && d.parent > index) --d.parent;
  }
}

std::string Difference(const SyntaxTree& expected, const SyntaxTree& actual) {
  const std::optional<std::string> difference = FirstDifference(expected, actual, kSource);
  EXPECT_TRUE(difference.has_value()) << "the trees compare equal";
  return difference.value_or("");
}

TEST(TreeDiffTest, TreeEqualsItselfAndAnotherParse) {
  const TreeHandle tree = Parse(kSource);
  const TreeHandle again = Parse(kSource);
  EXPECT_EQ(FirstDifference(*tree, *tree, kSource), std::nullopt);
  EXPECT_EQ(FirstDifference(*tree, *again, kSource), std::nullopt);
  const TreeHandle copy = Edited(*tree, [](std::vector<NodeData>&) {});
  EXPECT_EQ(FindFirstDifference(*tree, *copy, kSource).has_value(), false);
}

TEST(TreeDiffTest, ChangedSymbolNamesTheNodeAndBothTypes) {
  const TreeHandle tree = Parse(kSource);
  const uint32_t call = Find(*tree, "call");
  const TSSymbol identifier = PythonGrammar::Get().identifier;
  const TreeHandle changed = Edited(*tree, [&](auto& nodes) { nodes[call].symbol = identifier; });
  const std::optional<TreeDifference> difference = FindFirstDifference(*tree, *changed, kSource);
  ASSERT_TRUE(difference.has_value());
  EXPECT_EQ(difference->line, 5);
  EXPECT_THAT(difference->message,
              HasSubstr("node module > function_definition > block > expression_statement > "
                        "assignment > call (node "));
  EXPECT_THAT(difference->message, HasSubstr("type: expected call, actual identifier"));
  EXPECT_THAT(difference->message, HasSubstr("source line 5: \"    x = g(a, b)  # trailing\""));
  // Both sides' context, with the node marked.
  EXPECT_THAT(difference->message, HasSubstr("expected tree, the parent's subtree:"));
  EXPECT_THAT(difference->message, HasSubstr("  >   right: call [4:8-4:15]\n"));
  EXPECT_THAT(difference->message, HasSubstr("  >   right: identifier [4:8-4:15]\n"));
}

TEST(TreeDiffTest, ChangedEndByteOfALeaf) {
  const TreeHandle tree = Parse(kSource);
  const uint32_t integer = Find(*tree, "integer");  // the `1` of `b=1`
  const TreeHandle changed = Edited(*tree, [&](auto& nodes) { ++nodes[integer].end_byte; });
  const std::string message = Difference(*tree, *changed);
  EXPECT_THAT(message, HasSubstr("first difference at line 3, node module > function_definition "
                                 "> parameters > default_parameter > integer"));
  EXPECT_THAT(message, HasSubstr("end byte: expected 32, actual 33"));
  EXPECT_THAT(message, Not(HasSubstr("start byte")));
  EXPECT_THAT(message, Not(HasSubstr("end point")));
}

// A parser that ends a leaf one byte late ends every node around it late too: the message names
// the leaf, where the mistake is, not the module.
TEST(TreeDiffTest, ExtentDifferenceIsTracedToTheInnermostNode) {
  const TreeHandle tree = Parse(kSource);
  const uint32_t close = Find(*tree, ")", 1);  // the `)` of `g(a, b)`
  const uint32_t end = tree->data(close).end_byte;
  const TreeHandle changed = Edited(*tree, [&](auto& nodes) {
    for (uint32_t i = close; i != SyntaxTree::kNone; i = nodes[i].parent) {
      if (nodes[i].end_byte == end) {
        ++nodes[i].end_byte;
        ++nodes[i].end.column;
      }
    }
  });
  const std::string message = Difference(*tree, *changed);
  EXPECT_THAT(message, HasSubstr("> assignment > call > argument_list > \")\" (node "));
  EXPECT_THAT(message, HasSubstr("end point: expected 4:15, actual 4:16"));
  EXPECT_THAT(message, HasSubstr("the extent of 4 enclosing node(s) differs too"));
}

TEST(TreeDiffTest, MissingChildIsADifferenceOfItsParent) {
  const TreeHandle tree = Parse(kSource);
  const uint32_t equals = Find(*tree, "=", 1);  // the `=` of `x = g(a, b)`
  const TreeHandle changed = Edited(*tree, [&](auto& nodes) { RemoveLeaf(nodes, equals); });
  const std::string message = Difference(*tree, *changed);
  EXPECT_THAT(message, HasSubstr("> expression_statement > assignment (node "));
  EXPECT_THAT(message, HasSubstr("children other than extras: expected 3 (identifier \"=\" call), "
                                 "actual 2 (identifier call)"));
}

TEST(TreeDiffTest, DroppedCommentIsADifference) {
  const TreeHandle tree = Parse(kSource);
  const uint32_t comment = Find(*tree, "comment", 2);  // `# trailing`
  const TreeHandle changed = Edited(*tree, [&](auto& nodes) { RemoveLeaf(nodes, comment); });
  const std::optional<TreeDifference> difference = FindFirstDifference(*tree, *changed, kSource);
  ASSERT_TRUE(difference.has_value());
  EXPECT_EQ(difference->line, 5);
  EXPECT_THAT(difference->message,
              HasSubstr("the expected tree has comment [4:17-4:27] \"# trailing\""));
  EXPECT_THAT(difference->message, HasSubstr("the actual tree does not"));
  EXPECT_THAT(difference->message, HasSubstr("extras: 3 expected, 2 actual"));
  // And the other way round: a comment the parser made up.
  const std::optional<std::string> added = FirstDifference(*changed, *tree, kSource);
  ASSERT_TRUE(added.has_value());
  EXPECT_THAT(*added, HasSubstr("the actual tree has comment [4:17-4:27] \"# trailing\""));
}

// Where a comment hangs does not matter, as long as every other node is the same.
TEST(TreeDiffTest, CommentsAreComparedWhereverTheyHang) {
  constexpr std::string_view kFlat = "x = 1\n# c\ny = 2\n";
  const TreeHandle tree = Parse(kFlat);
  ASSERT_EQ(FirstDifference(*tree, *tree, kFlat), std::nullopt);
  const uint32_t comment = Find(*tree, "comment");
  ASSERT_EQ(tree->data(comment).parent, 0u);
  // Move the comment to the end of the tree, still a child of the module.
  const TreeHandle moved = Edited(*tree, [&](auto& nodes) {
    const NodeData c = nodes[comment];
    RemoveLeaf(nodes, comment);
    ++nodes[0].size;
    ++nodes[0].child_count;
    ++nodes[0].named_child_count;
    nodes.push_back(c);
  });
  EXPECT_EQ(FirstDifference(*tree, *moved, kFlat), std::nullopt);
}

TEST(TreeDiffTest, BrokenBookkeepingIsReported) {
  const TreeHandle tree = Parse(kSource);
  const uint32_t call = Find(*tree, "call");
  const TreeHandle changed = Edited(*tree, [&](auto& nodes) { nodes[call + 1].parent = 0; });
  EXPECT_THAT(Difference(*tree, *changed),
              HasSubstr("the actual tree is malformed: node " + std::to_string(call + 1) +
                        " (identifier at line 5) records parent 0 but lies directly inside node " +
                        std::to_string(call) + " (call)"));
  const TreeHandle miscounted =
      Edited(*tree, [&](auto& nodes) { ++nodes[call].named_child_count; });
  EXPECT_THAT(Difference(*tree, *miscounted),
              HasSubstr("records 2 children (3 named) but has 2 (2 named)"));
}

TEST(TreeDiffTest, DumpTreeShowsFieldsExtentsAndLeafText) {
  constexpr std::string_view kLine = "x = f(1)  # c\n";
  const TreeHandle tree = Parse(kLine);
  const std::string dump = DumpTree(tree->root(), kLine, /*with_extras=*/true);
  EXPECT_THAT(dump, HasSubstr("module [0:0-1:0]\n"));
  EXPECT_THAT(dump, HasSubstr("\n    assignment [0:0-0:8]\n"
                              "      left: identifier [0:0-0:1] \"x\"\n"
                              "      \"=\" [0:2-0:3]\n"
                              "      right: call [0:4-0:8]\n"
                              "        function: identifier [0:4-0:5] \"f\"\n"
                              "        arguments: argument_list [0:5-0:8]\n"
                              "          \"(\" [0:5-0:6]\n"
                              "          integer [0:6-0:7] \"1\"\n"
                              "          \")\" [0:7-0:8]\n"));
  EXPECT_THAT(dump, HasSubstr("comment [0:10-0:13] \"# c\"\n"));
  const std::string without = DumpTree(tree->root(), kLine, /*with_extras=*/false);
  EXPECT_THAT(without, Not(HasSubstr("comment")));
  EXPECT_THAT(without, HasSubstr("integer [0:6-0:7] \"1\"\n"));
}

TEST(TreeDiffTest, DumpTreeEscapesAndCutsLongText) {
  constexpr std::string_view kString =
      "s = \"\"\"a\tb\n\"0123456789012345678901234567890123456789\"\"\"\n";
  const TreeHandle tree = Parse(kString);
  const std::string dump = DumpTree(tree->root(), kString, false);
  EXPECT_THAT(dump, HasSubstr("string_content [0:7-1:41] \"a\\tb\\n\\\"012345678901234567890"
                              "12345678901234\"...\n"));
  EXPECT_THAT(dump, HasSubstr("string_start [0:4-0:7] \"\\\"\\\"\\\"\"\n"));
}

TEST(TreeDiffTest, DumpTreeShowsMissingAndErrorNodes) {
  constexpr std::string_view kBroken = "f(1\nx = = 2\n";
  const TreeHandle tree = Parse(kBroken);
  // tree-sitter marks these ERROR nodes extra; they show without extras all the same.
  const std::string dump = DumpTree(tree->root(), kBroken, /*with_extras=*/false);
  EXPECT_THAT(dump, HasSubstr("\n  ERROR [0:0-1:7]\n    identifier [0:0-0:1] \"f\"\n"));
  EXPECT_THAT(dump, HasSubstr("\n      ERROR [1:4-1:5]\n        \"=\" [1:4-1:5]\n"));
  constexpr std::string_view kMissing = "def f(:\n  pass\n";
  const TreeHandle missing = Parse(kMissing);
  EXPECT_THAT(DumpTree(missing->root(), kMissing, false),
              HasSubstr("\n      \"(\" [0:5-0:6]\n      MISSING \")\" [0:6-0:6] \"\"\n"));
}

}  // namespace
}  // namespace conclave::analysis
