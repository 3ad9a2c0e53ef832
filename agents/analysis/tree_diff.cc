#include "agents/analysis/tree_diff.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace conclave::analysis {
namespace {

using NodeData = SyntaxTree::NodeData;

constexpr size_t kLeafTextLimit = 40;
constexpr size_t kSourceLineLimit = 160;
// A context dump shows at most kContextLines lines, kContextBefore of them before the node.
constexpr size_t kContextLines = 30;
constexpr size_t kContextBefore = 10;
constexpr size_t kListedChildren = 12;

// Appends `text` with newlines, tabs, quotes, backslashes and other control bytes escaped.
void AppendEscaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    const char* named = c == '\n'   ? "\\n"
                        : c == '\r' ? "\\r"
                        : c == '\t' ? "\\t"
                        : c == '"'  ? "\\\""
                        : c == '\\' ? "\\\\"
                                    : nullptr;
    if (named != nullptr) {
      out += named;
    } else if (byte < 0x20 || byte == 0x7f) {
      char escape[8];
      std::snprintf(escape, sizeof(escape), "\\x%02x", byte);
      out += escape;
    } else {
      out += c;
    }
  }
}

// `text` escaped and quoted, cut after `limit` bytes (at a character boundary) and marked `...`.
std::string Quote(std::string_view text, size_t limit) {
  bool cut = false;
  if (text.size() > limit) {
    size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
    cut = true;
  }
  std::string out = "\"";
  AppendEscaped(out, text);
  out += '"';
  if (cut) out += "...";
  return out;
}

std::string SymbolName(const TSLanguage* language, TSSymbol symbol) {
  const char* name = ts_language_symbol_name(language, symbol);
  return name != nullptr ? std::string(name) : absl::StrCat("symbol#", symbol);
}

std::string FieldName(const TSLanguage* language, TSFieldId field) {
  if (field == 0) return "none";
  const char* name = ts_language_field_name_for_id(language, field);
  return name != nullptr ? std::string(name) : absl::StrCat("field#", field);
}

std::string PointText(TSPoint point) { return absl::StrCat(point.row, ":", point.column); }

// The node's source text; empty when its bytes lie outside `source`.
std::string_view TextOf(const NodeData& d, std::string_view source) {
  if (d.end_byte <= d.start_byte || d.end_byte > source.size()) return {};
  return source.substr(d.start_byte, d.end_byte - d.start_byte);
}

// A node's type as dumps and messages show it: `call`, `"("`, `MISSING identifier`.
std::string TypeLabel(const SyntaxTree& tree, uint32_t index) {
  const NodeData& d = tree.data(index);
  const std::string name = SymbolName(tree.language(), d.symbol);
  std::string label = (d.flags & SyntaxTree::kNamed) ? name : Quote(name, SIZE_MAX);
  return (d.flags & SyntaxTree::kMissing) ? absl::StrCat("MISSING ", label) : label;
}

// One line of DumpTree, without its newline.
std::string DumpLine(const SyntaxTree& tree, uint32_t index, size_t depth,
                     std::string_view source) {
  const NodeData& d = tree.data(index);
  std::string line(2 * depth, ' ');
  if (d.field != 0) absl::StrAppend(&line, FieldName(tree.language(), d.field), ": ");
  absl::StrAppend(&line, TypeLabel(tree, index), " [", PointText(d.start), "-", PointText(d.end),
                  "]");
  if (d.child_count == 0) {
    // A token whose text is its type (`"("`) would only say it twice.
    const std::string_view text = TextOf(d, source);
    if ((d.flags & SyntaxTree::kNamed) || text != SymbolName(tree.language(), d.symbol)) {
      absl::StrAppend(&line, " ", Quote(text, kLeafTextLimit));
    }
  }
  return line;
}

// Whether the node is an extra that dumps without extras and comparisons leave out: a comment or
// line continuation. An ERROR node tree-sitter marks as extra stays in, as it holds source.
bool LeftOut(const NodeData& d) {
  return (d.flags & SyntaxTree::kExtra) && !(d.flags & SyntaxTree::kHasError);
}

// One past the last node of the subtree at `index`, kept inside the tree even when the tree's
// subtree sizes are wrong.
uint32_t SubtreeEnd(const SyntaxTree& tree, uint32_t index) {
  const uint64_t end = uint64_t{index} + std::max<uint32_t>(tree.data(index).size, 1);
  return static_cast<uint32_t>(std::min<uint64_t>(end, tree.size()));
}

// The nodes DumpTree shows for the subtree at `root`, as (index, depth) in document order.
std::vector<std::pair<uint32_t, size_t>> DumpOrder(const SyntaxTree& tree, uint32_t root,
                                                   bool with_extras) {
  std::vector<std::pair<uint32_t, size_t>> order;
  std::vector<uint32_t> open;  // subtree ends of the nodes enclosing the current one
  const uint32_t end = SubtreeEnd(tree, root);
  for (uint32_t i = root; i < end;) {
    while (!open.empty() && open.back() <= i) open.pop_back();
    const uint32_t subtree_end = SubtreeEnd(tree, i);
    if (i != root && !with_extras && LeftOut(tree.data(i))) {
      i = subtree_end;
      continue;
    }
    order.emplace_back(i, open.size());
    open.push_back(subtree_end);
    ++i;
  }
  return order;
}

// Types from the root down to the node: `module > function_definition > block`.
std::string PathOf(const SyntaxTree& tree, uint32_t index) {
  std::vector<uint32_t> chain;
  for (uint32_t i = index; i != SyntaxTree::kNone && chain.size() < tree.size();
       i = tree.data(i).parent) {
    chain.push_back(i);
  }
  std::string path;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    absl::StrAppend(&path, path.empty() ? "" : " > ", TypeLabel(tree, *it));
  }
  return path;
}

int LineOf(const NodeData& d) { return static_cast<int>(d.start.row) + 1; }

// `source line 3: "    return f(x)"`, the line the node starts on.
std::string SourceLineText(std::string_view source, const NodeData& d) {
  if (d.start_byte > source.size() || d.start.column > d.start_byte) return "";
  const size_t begin = d.start_byte - d.start.column;
  size_t end = source.find('\n', begin);
  if (end == std::string_view::npos) end = source.size();
  std::string_view line = source.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return absl::StrCat("source line ", LineOf(d), ": ", Quote(line, kSourceLineLimit), "\n");
}

// Up to kContextLines lines of the dump of the subtree at `shown` (extras included), around the
// node at `focus`, marked with `>` when `mark`.
std::string ContextDump(const std::string& title, const SyntaxTree& tree, uint32_t shown,
                        uint32_t focus, bool mark, std::string_view source) {
  const auto order = DumpOrder(tree, shown, /*with_extras=*/true);
  size_t at = 0;
  while (at < order.size() && order[at].first != focus) ++at;
  if (at == order.size()) at = 0;
  size_t begin = 0, end = order.size();
  if (order.size() > kContextLines) {
    begin = at > kContextBefore ? at - kContextBefore : 0;
    end = std::min(begin + kContextLines, order.size());
    begin = end - kContextLines;
  }
  std::string out = absl::StrCat(title, ":\n");
  if (begin > 0) absl::StrAppend(&out, "    ... ", begin, " lines above\n");
  for (size_t i = begin; i < end; ++i) {
    const bool marked = mark && order[i].first == focus;
    absl::StrAppend(&out, marked ? "  > " : "    ",
                    DumpLine(tree, order[i].first, order[i].second, source), "\n");
  }
  if (end < order.size()) absl::StrAppend(&out, "    ... ", order.size() - end, " lines below\n");
  return out;
}

// The dump of the parent's subtree (the whole tree for the root) around the node at `index`.
std::string ParentContext(const std::string& side, const SyntaxTree& tree, uint32_t index,
                          std::string_view source) {
  const uint32_t parent = tree.data(index).parent;
  if (parent == SyntaxTree::kNone) {
    return ContextDump(absl::StrCat(side, " tree"), tree, index, index, true, source);
  }
  return ContextDump(absl::StrCat(side, " tree, the parent's subtree"), tree, parent, index, true,
                     source);
}

TreeDifference Broken(const std::string& side, const SyntaxTree& tree, uint32_t index,
                      const std::string& what) {
  const NodeData& d = tree.data(index);
  return {LineOf(d),
          absl::StrCat("the ", side, " tree is malformed: node ", index, " (",
                       TypeLabel(tree, index), " at line ", LineOf(d), ") ", what, "\n")};
}

// Checks the tree's own bookkeeping: each node's parent is the node whose subtree directly holds
// it, subtrees nest, and child counts match the children.
std::optional<TreeDifference> CheckBookkeeping(const std::string& side, const SyntaxTree& tree) {
  const uint32_t n = static_cast<uint32_t>(tree.size());
  if (n == 0) return TreeDifference{1, absl::StrCat("the ", side, " tree has no nodes\n")};
  if (tree.data(0).parent != SyntaxTree::kNone) {
    return Broken(side, tree, 0,
                  absl::StrCat("is the root but records parent ", tree.data(0).parent));
  }
  if (tree.data(0).size != n) {
    return Broken(side, tree, 0,
                  absl::StrCat("is the root but its subtree size is ", tree.data(0).size,
                               " in a tree of ", n, " nodes"));
  }
  std::vector<uint32_t> children(n, 0), named(n, 0);
  std::vector<uint32_t> open = {0};
  auto end_of = [&](uint32_t i) { return uint64_t{i} + tree.data(i).size; };
  for (uint32_t i = 1; i < n; ++i) {
    while (end_of(open.back()) <= i) open.pop_back();  // the root's subtree holds every node
    const uint32_t parent = open.back();
    const NodeData& d = tree.data(i);
    if (d.size == 0 || end_of(i) > end_of(parent)) {
      return Broken(side, tree, i,
                    absl::StrCat("has subtree size ", d.size, ", which runs past the subtree of ",
                                 "its parent, node ", parent, " (", TypeLabel(tree, parent), ")"));
    }
    if (d.parent != parent) {
      return Broken(side, tree, i,
                    absl::StrCat("records parent ", d.parent, " but lies directly inside node ",
                                 parent, " (", TypeLabel(tree, parent), ")"));
    }
    ++children[parent];
    if (d.flags & SyntaxTree::kNamed) ++named[parent];
    open.push_back(i);
  }
  for (uint32_t i = 0; i < n; ++i) {
    const NodeData& d = tree.data(i);
    if (d.child_count != children[i] || d.named_child_count != named[i]) {
      return Broken(side, tree, i,
                    absl::StrCat("records ", d.child_count, " children (", d.named_child_count,
                                 " named) but has ", children[i], " (", named[i], " named)"));
    }
  }
  return std::nullopt;
}

// A tree seen without its extras: the other nodes in document order, and the extras apart.
struct Flattened {
  struct Entry {
    uint32_t index;     // in the tree
    uint32_t depth;     // below the root
    uint32_t children;  // children other than extras
  };
  struct Extra {
    uint32_t start_byte, end_byte;
    TSSymbol symbol;
    uint32_t index;
    auto Key() const { return std::tie(start_byte, end_byte, symbol); }
  };
  std::vector<Entry> nodes;
  std::vector<Extra> extras;  // by position, then symbol
};

// Flattens a tree whose bookkeeping CheckBookkeeping accepted.
Flattened Flatten(const SyntaxTree& tree) {
  struct Open {
    uint32_t entry, end;
  };
  Flattened f;
  std::vector<Open> open;
  for (uint32_t i = 0; i < tree.size();) {
    const NodeData& d = tree.data(i);
    while (!open.empty() && open.back().end <= i) open.pop_back();
    if (LeftOut(d)) {
      f.extras.push_back({d.start_byte, d.end_byte, d.symbol, i});
      i += d.size;
      continue;
    }
    if (!open.empty()) ++f.nodes[open.back().entry].children;
    open.push_back({static_cast<uint32_t>(f.nodes.size()), i + d.size});
    f.nodes.push_back({i, static_cast<uint32_t>(open.size() - 1), 0});
    ++i;
  }
  std::stable_sort(
      f.extras.begin(), f.extras.end(),
      [](const Flattened::Extra& a, const Flattened::Extra& b) { return a.Key() < b.Key(); });
  return f;
}

// `3 (identifier "=" call)`: the children other than extras.
std::string ChildList(const SyntaxTree& tree, const Flattened::Entry& entry) {
  std::string list;
  size_t listed = 0;
  const uint32_t end = SubtreeEnd(tree, entry.index);
  for (uint32_t i = entry.index + 1; i < end; i = SubtreeEnd(tree, i)) {
    if (LeftOut(tree.data(i))) continue;
    if (listed++ == kListedChildren) {
      absl::StrAppend(&list, " ...");
      break;
    }
    absl::StrAppend(&list, list.empty() ? "" : " ", TypeLabel(tree, i));
  }
  return absl::StrCat(entry.children, " (", list, ")");
}

// How a node of the actual tree differs from its counterpart; `shape` when anything but its
// extent differs.
struct NodeComparison {
  std::vector<std::string> lines;
  bool shape = false;
};

NodeComparison CompareNode(const SyntaxTree& expected, const Flattened::Entry& e,
                           const SyntaxTree& actual, const Flattened::Entry& a) {
  const NodeData& ed = expected.data(e.index);
  const NodeData& ad = actual.data(a.index);
  const TSLanguage* language = expected.language();
  NodeComparison c;
  auto differ = [&c](bool shape, const char* what, const std::string& want,
                     const std::string& got) {
    c.lines.push_back(absl::StrCat(what, ": expected ", want, ", actual ", got));
    c.shape = c.shape || shape;
  };
  if (ed.symbol != ad.symbol) {
    differ(true, "type", TypeLabel(expected, e.index), TypeLabel(actual, a.index));
  }
  if (ed.field != ad.field) {
    differ(true, "field", FieldName(language, ed.field), FieldName(language, ad.field));
  }
  const std::pair<SyntaxTree::Flags, const char*> flags[] = {
      {SyntaxTree::kNamed, "named"},
      {SyntaxTree::kMissing, "missing"},
      {SyntaxTree::kHasError, "has an error"}};
  for (const auto& [flag, name] : flags) {
    if ((ed.flags & flag) != (ad.flags & flag)) {
      differ(true, name, (ed.flags & flag) ? "yes" : "no", (ad.flags & flag) ? "yes" : "no");
    }
  }
  if (e.children != a.children) {
    differ(true, "children other than extras", ChildList(expected, e), ChildList(actual, a));
  }
  if (ed.start_byte != ad.start_byte) {
    differ(false, "start byte", absl::StrCat(ed.start_byte), absl::StrCat(ad.start_byte));
  }
  if (ed.end_byte != ad.end_byte) {
    differ(false, "end byte", absl::StrCat(ed.end_byte), absl::StrCat(ad.end_byte));
  }
  if (ed.start.row != ad.start.row || ed.start.column != ad.start.column) {
    differ(false, "start point", PointText(ed.start), PointText(ad.start));
  }
  if (ed.end.row != ad.end.row || ed.end.column != ad.end.column) {
    differ(false, "end point", PointText(ed.end), PointText(ad.end));
  }
  return c;
}

TreeDifference ReportNode(const SyntaxTree& expected, uint32_t e, const SyntaxTree& actual,
                          uint32_t a, const NodeComparison& c, int enclosing,
                          std::string_view source) {
  const NodeData& d = expected.data(e);
  std::string message =
      absl::StrCat("first difference at line ", LineOf(d), ", node ", PathOf(expected, e),
                   " (node ", e, " of the expected tree, ", a, " of the actual tree)\n");
  for (const std::string& line : c.lines) absl::StrAppend(&message, "  ", line, "\n");
  if (enclosing > 0) {
    absl::StrAppend(&message, "  (the extent of ", enclosing,
                    " enclosing node(s) differs too, which follows from this node's)\n");
  }
  absl::StrAppend(&message, SourceLineText(source, d),
                  ParentContext("expected", expected, e, source),
                  ParentContext("actual", actual, a, source));
  return {LineOf(d), std::move(message)};
}

// The first node that differs in document order; a node whose extent alone differs gives way to
// the first node inside it that differs.
std::optional<TreeDifference> CompareNodes(const SyntaxTree& expected, const Flattened& fe,
                                           const SyntaxTree& actual, const Flattened& fa,
                                           std::string_view source) {
  std::optional<size_t> candidate;
  NodeComparison candidate_comparison;
  int enclosing = -1;
  const size_t count = std::min(fe.nodes.size(), fa.nodes.size());
  for (size_t k = 0; k < count; ++k) {
    if (candidate && fe.nodes[k].depth <= fe.nodes[*candidate].depth) break;
    NodeComparison c = CompareNode(expected, fe.nodes[k], actual, fa.nodes[k]);
    if (c.lines.empty()) continue;
    if (c.shape) {
      return ReportNode(expected, fe.nodes[k].index, actual, fa.nodes[k].index, c,
                        std::max(enclosing + 1, 0), source);
    }
    candidate = k;
    candidate_comparison = std::move(c);
    ++enclosing;
  }
  if (candidate) {
    return ReportNode(expected, fe.nodes[*candidate].index, actual, fa.nodes[*candidate].index,
                      candidate_comparison, enclosing, source);
  }
  if (fe.nodes.size() != fa.nodes.size()) {
    // Unreachable when the roots' children match, kept so that a miscount cannot pass as equal.
    return TreeDifference{
        1, absl::StrCat("the expected tree has ", fe.nodes.size(),
                        " nodes other than extras, the actual tree ", fa.nodes.size(), "\n")};
  }
  return std::nullopt;
}

// The node of `to` at the place of node `index` of `from`, when the two trees' nodes other than
// extras are the same.
uint32_t Counterpart(const Flattened& from, const Flattened& to, uint32_t index) {
  const auto it =
      std::lower_bound(from.nodes.begin(), from.nodes.end(), index,
                       [](const Flattened::Entry& entry, uint32_t i) { return entry.index < i; });
  if (it == from.nodes.end() || it->index != index) return 0;
  return to.nodes[it - from.nodes.begin()].index;
}

std::string ExtraLabel(const SyntaxTree& tree, uint32_t index, std::string_view source) {
  const NodeData& d = tree.data(index);
  return absl::StrCat(TypeLabel(tree, index), " [", PointText(d.start), "-", PointText(d.end), "] ",
                      Quote(TextOf(d, source), kLeafTextLimit), " (in ",
                      d.parent == SyntaxTree::kNone ? "no parent" : PathOf(tree, d.parent), ")");
}

// The first extra one tree has and the other lacks, once all other nodes are the same.
std::optional<TreeDifference> CompareExtras(const SyntaxTree& expected, const Flattened& fe,
                                            const SyntaxTree& actual, const Flattened& fa,
                                            std::string_view source) {
  const auto& ex = fe.extras;
  const auto& ax = fa.extras;
  size_t i = 0;
  while (i < ex.size() && i < ax.size() && ex[i].Key() == ax[i].Key()) ++i;
  if (i == ex.size() && i == ax.size()) return std::nullopt;
  const bool only_expected = i < ex.size() && (i == ax.size() || ex[i].Key() < ax[i].Key());
  const SyntaxTree& has = only_expected ? expected : actual;
  const SyntaxTree& lacks = only_expected ? actual : expected;
  const Flattened& fhas = only_expected ? fe : fa;
  const Flattened& flacks = only_expected ? fa : fe;
  const uint32_t extra = only_expected ? ex[i].index : ax[i].index;
  const NodeData& d = has.data(extra);
  const char* has_side = only_expected ? "expected" : "actual";
  const char* lacks_side = only_expected ? "actual" : "expected";
  std::string message =
      absl::StrCat("first difference at line ", LineOf(d), ": the ", has_side, " tree has ",
                   ExtraLabel(has, extra, source), ", the ", lacks_side, " tree does not\n");
  const auto& other = only_expected ? ax : ex;
  if (i < other.size()) {
    absl::StrAppend(&message, "  the ", lacks_side, " tree's next extra is ",
                    ExtraLabel(lacks, other[i].index, source), "\n");
  }
  absl::StrAppend(&message, "  extras: ", ex.size(), " expected, ", ax.size(), " actual\n",
                  SourceLineText(source, d), ParentContext(has_side, has, extra, source));
  // Where the extra would be in the other tree: its parent's counterpart, around the first node
  // that starts at or after the extra.
  const uint32_t shown = Counterpart(fhas, flacks, d.parent);
  uint32_t focus = shown;
  for (const auto& [index, depth] : DumpOrder(lacks, shown, true)) {
    if (lacks.data(index).start_byte >= d.start_byte && index != shown) {
      focus = index;
      break;
    }
  }
  absl::StrAppend(&message, ContextDump(absl::StrCat(lacks_side, " tree, the same subtree"), lacks,
                                        shown, focus, false, source));
  return TreeDifference{LineOf(d), std::move(message)};
}

}  // namespace

std::string DumpTree(Node root, std::string_view source, bool with_extras) {
  if (root.is_null()) return "";
  const SyntaxTree& tree = *root.tree();
  std::string out;
  for (const auto& [index, depth] : DumpOrder(tree, root.index(), with_extras)) {
    absl::StrAppend(&out, DumpLine(tree, index, depth, source), "\n");
  }
  return out;
}

std::optional<TreeDifference> FindFirstDifference(const SyntaxTree& expected,
                                                  const SyntaxTree& actual,
                                                  std::string_view source) {
  if (expected.language() != actual.language()) {
    return TreeDifference{1, "the two trees follow different grammars\n"};
  }
  if (auto broken = CheckBookkeeping("expected", expected)) return broken;
  if (auto broken = CheckBookkeeping("actual", actual)) return broken;
  const Flattened fe = Flatten(expected);
  const Flattened fa = Flatten(actual);
  if (auto difference = CompareNodes(expected, fe, actual, fa, source)) return difference;
  return CompareExtras(expected, fe, actual, fa, source);
}

std::optional<std::string> FirstDifference(const SyntaxTree& expected, const SyntaxTree& actual,
                                           std::string_view source) {
  std::optional<TreeDifference> difference = FindFirstDifference(expected, actual, source);
  if (!difference) return std::nullopt;
  return std::move(difference->message);
}

}  // namespace conclave::analysis
