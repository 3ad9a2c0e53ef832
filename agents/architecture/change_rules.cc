#include "agents/architecture/change_rules.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "agents/analysis/review_policy.h"

namespace conclave::architecture {
namespace {

using analysis::ChangeContext;
using analysis::ChangeFile;
using analysis::ChangeFindingCollector;
using analysis::ModuleImport;
using analysis::RuleSpec;
using conclave::v1::SEVERITY_LOW;
using conclave::v1::SEVERITY_MEDIUM;

const RuleSpec kImportCycle = {
    "ARCH005",
    "import-cycle",
    SEVERITY_MEDIUM,
    1047,
    0.85,
    "Modules of the change import each other, directly or through others, when they are "
    "loaded: each can only be understood, tested and loaded together with the others, and the "
    "first to be imported sees the others half-initialized. Imports inside functions and under "
    "`if TYPE_CHECKING:` do not count.",
    "Move what both modules need into a third module they both import, or invert the "
    "dependency (pass the object in, or register a callback) so that imports point one way."};

const RuleSpec kFanOut = {
    "ARCH006",
    "high-fan-out",
    SEVERITY_LOW,
    1048,
    0.85,
    "The module imports more than 20 distinct modules: it depends on too much to be "
    "understood or changed in isolation, and usually mixes several responsibilities.",
    "Split the module along its responsibilities so that each part needs fewer of the "
    "imports, or put a facade in front of a group of modules it uses together."};

const RuleSpec kLayering = {
    "ARCH007",
    "layering-violation",
    SEVERITY_MEDIUM,
    1054,
    0.95,
    "A module of one layer imports a module of a layer the review policy forbids it to import "
    "(review.layers.<layer>.may_not_import, e.g. `api` may not import `db` directly).",
    "Go through the layer in between (e.g. a service the api calls, which uses the db), or "
    "move the code to the layer it belongs to."};

const RuleSpec kDuplicateBlock = {
    "ARCH008",
    "duplicated-block",
    SEVERITY_LOW,
    1041,
    0.90,
    "A block of at least 6 lines of code is repeated, token for token (whitespace and comments "
    "aside), elsewhere in the change: a fix to one copy is easily missed in the other.",
    "Extract the block into a function (or a loop over the varying values) and call it from "
    "both places."};

constexpr int kMaxComponents = 64;

bool IsIdentifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return c == '_' || c >= 0x80 || std::isalnum(c) != 0; });
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (out.size() < static_cast<size_t>(kMaxComponents)) {
    const size_t end = s.find(sep, start);
    std::string_view part = s.substr(start, end == std::string_view::npos ? s.npos : end - start);
    if (!part.empty()) out.push_back(part);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string_view>& parts, size_t from, size_t to, char sep) {
  std::string out;
  for (size_t i = from; i < to; ++i) {
    if (i > from) out += sep;
    out.append(parts[i]);
  }
  return out;
}

std::string_view Stem(std::string_view name) {
  for (std::string_view ext : {".py", ".pyi", ".pyw"}) {
    if (name.ends_with(ext)) return name.substr(0, name.size() - ext.size());
  }
  return name;
}

// A file as a module: its path split into directories, and its module components (the
// directories plus the file's stem, without a trailing __init__).
struct ModuleFile {
  std::vector<std::string_view> dirs;        // directory components of the path
  std::vector<std::string_view> components;  // module components: dirs (+ stem)
  bool importable = false;                   // the stem is an identifier
};

ModuleFile DescribeFile(std::string_view path) {
  ModuleFile m;
  std::vector<std::string_view> parts = Split(path, '/');
  if (parts.empty()) return m;
  const std::string_view stem = Stem(parts.back());
  m.dirs.assign(parts.begin(), parts.end() - 1);
  m.components = m.dirs;
  if (stem != "__init__") m.components.push_back(stem);
  m.importable = IsIdentifier(stem);
  return m;
}

// What the change's modules import, resolved to files of the change where they are in it.
class ModuleGraph {
 public:
  explicit ModuleGraph(std::span<const ChangeFile> files) : files_(files) {
    modules_.reserve(files.size());
    for (size_t i = 0; i < files.size(); ++i) {
      modules_.push_back(DescribeFile(files[i].path));
      const ModuleFile& m = modules_.back();
      // A directory is a package when it has an __init__.py in the change, or when one of its
      // modules imports relatively (only modules of a package can).
      const bool relative =
          std::any_of(files[i].summary.imports.begin(), files[i].summary.imports.end(),
                      [](const ModuleImport& imp) { return imp.level > 0; });
      if (m.components.size() == m.dirs.size() || relative) {
        packages_.insert(Join(m.dirs, 0, m.dirs.size(), '/'));
      }
      if (!m.importable) continue;
      by_path_[Join(m.components, 0, m.components.size(), '/')] = static_cast<int>(i);
      // Every tail of identifier components is a name the module may be imported by.
      for (size_t start = m.components.size(); start-- > 0;) {
        if (!IsIdentifier(m.components[start])) break;
        by_suffix_[Join(m.components, start, m.components.size(), '.')].push_back(
            static_cast<int>(i));
      }
    }
  }

  const ModuleFile& module(size_t i) const { return modules_[i]; }

  // The file `dotted` names when imported from file `importer` with `level` leading dots; -1
  // when it is not a file of the change.
  int Resolve(size_t importer, int level, std::string_view dotted) const {
    if (level > 0) {
      std::vector<std::string_view> base = modules_[importer].dirs;
      if (level - 1 > static_cast<int>(base.size())) return -1;
      base.resize(base.size() - (level - 1));
      for (std::string_view part : Split(dotted, '.')) base.push_back(part);
      const auto it = by_path_.find(Join(base, 0, base.size(), '/'));
      return it == by_path_.end() ? -1 : it->second;
    }
    const auto it = by_suffix_.find(std::string(dotted));
    if (it == by_suffix_.end()) return -1;
    // Of the files the name could mean, the one whose root directory is the nearest
    // ancestor of the importer's (a script's directory, then its parents, on sys.path). A
    // package is never a root: inside it, `import x` means a top-level x, not a sibling.
    const size_t depth = Split(dotted, '.').size();
    int best = -1;
    size_t best_root = 0;
    for (int candidate : it->second) {
      const ModuleFile& m = modules_[candidate];
      const size_t root = m.components.size() - depth;
      const std::vector<std::string_view>& dirs = modules_[importer].dirs;
      if (root > dirs.size() ||
          !std::equal(m.components.begin(), m.components.begin() + root, dirs.begin())) {
        continue;
      }
      if (!packages_.empty() && packages_.contains(Join(m.components, 0, root, '/'))) continue;
      if (best < 0 || root > best_root) {
        best = candidate;
        best_root = root;
      }
    }
    return best;
  }

  // The files an import makes `importer` depend on: the imported module, or for
  // `from M import n` the submodule M.n where it is a file, else M.
  std::vector<int> Targets(size_t importer, const ModuleImport& imp) const {
    std::vector<int> out;
    auto add = [&](int target) {
      if (target >= 0 && target != static_cast<int>(importer) &&
          std::find(out.begin(), out.end(), target) == out.end()) {
        out.push_back(target);
      }
    };
    bool needs_module = imp.names.empty();
    for (const std::string& name : imp.names) {
      const int sub =
          Resolve(importer, imp.level, imp.module.empty() ? name : imp.module + "." + name);
      if (sub >= 0) {
        add(sub);
      } else {
        needs_module = true;
      }
    }
    if (needs_module) add(Resolve(importer, imp.level, imp.module));
    return out;
  }

  // Paths a layer glob is matched against for an import: the file it resolves to, else the
  // paths the module would have ("a/b.py", "a/b/__init__.py"), submodule first.
  std::vector<std::string> CandidatePaths(size_t importer, const ModuleImport& imp,
                                          std::string_view name) const {
    std::string dotted = imp.module;
    if (!name.empty())
      dotted = dotted.empty() ? std::string(name) : dotted + "." + std::string(name);
    const int target = Resolve(importer, imp.level, dotted);
    if (target >= 0) return {files_[target].path};
    std::vector<std::string_view> parts;
    if (imp.level > 0) {
      parts = modules_[importer].dirs;
      if (imp.level - 1 > static_cast<int>(parts.size())) return {};
      parts.resize(parts.size() - (imp.level - 1));
    }
    for (std::string_view part : Split(dotted, '.')) parts.push_back(part);
    if (parts.empty()) return {};
    const std::string base = Join(parts, 0, parts.size(), '/');
    return {base + ".py", base + "/__init__.py"};
  }

 private:
  std::span<const ChangeFile> files_;
  std::vector<ModuleFile> modules_;
  absl::flat_hash_map<std::string, int> by_path_;
  absl::flat_hash_map<std::string, std::vector<int>> by_suffix_;
  absl::flat_hash_set<std::string> packages_;
};

std::string Quoted(std::string_view s) { return "`" + std::string(s) + "`"; }

// ---- ARCH005 ----

struct Edge {
  int to = 0;
  int line = 0;
  int column = 0;
};

// Strongly connected components of size > 1 (Tarjan, iterative), each sorted.
std::vector<std::vector<int>> Tangles(const std::vector<std::vector<Edge>>& edges) {
  const int n = static_cast<int>(edges.size());
  std::vector<int> index(n, -1), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<int> stack;
  std::vector<std::vector<int>> out;
  int counter = 0;
  struct Call {
    int node;
    size_t next_edge;
  };
  for (int root = 0; root < n; ++root) {
    if (index[root] >= 0) continue;
    std::vector<Call> calls = {{root, 0}};
    index[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!calls.empty()) {
      Call& call = calls.back();
      const int v = call.node;
      if (call.next_edge < edges[v].size()) {
        const int w = edges[v][call.next_edge++].to;
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack.push_back(w);
          on_stack[w] = true;
          calls.push_back({w, 0});
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      if (low[v] == index[v]) {
        std::vector<int> component;
        int w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          component.push_back(w);
        } while (w != v);
        if (component.size() > 1) {
          std::sort(component.begin(), component.end());
          out.push_back(std::move(component));
        }
      }
      calls.pop_back();
      if (!calls.empty()) low[calls.back().node] = std::min(low[calls.back().node], low[v]);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The shortest cycle through `start` within `component` (breadth-first), as the nodes in
// order with the edge leaving each.
std::vector<std::pair<int, Edge>> ShortestCycle(const std::vector<std::vector<Edge>>& edges,
                                                const std::vector<int>& component, int start) {
  absl::flat_hash_map<int, std::pair<int, Edge>> parent;  // node -> (from, edge)
  std::vector<int> queue = {start};
  for (size_t head = 0; head < queue.size(); ++head) {
    const int v = queue[head];
    for (const Edge& e : edges[v]) {
      if (!std::binary_search(component.begin(), component.end(), e.to)) continue;
      if (e.to == start) {
        std::vector<std::pair<int, Edge>> cycle = {{v, e}};
        for (int at = v; at != start;) {
          const auto& [from, edge] = parent.at(at);
          cycle.push_back({from, edge});
          at = from;
        }
        std::reverse(cycle.begin(), cycle.end());
        return cycle;
      }
      if (parent.contains(e.to)) continue;
      parent[e.to] = {v, e};
      queue.push_back(e.to);
    }
  }
  return {};
}

// The shortest name that tells the cycle's modules apart: module components below their
// common directory.
std::string CycleName(const ModuleGraph& graph, const std::vector<std::pair<int, Edge>>& cycle) {
  size_t common = SIZE_MAX;
  const std::vector<std::string_view>& first = graph.module(cycle.front().first).dirs;
  for (const auto& [node, edge] : cycle) {
    const std::vector<std::string_view>& dirs = graph.module(node).dirs;
    size_t k = 0;
    while (k < std::min({first.size(), dirs.size(), common}) && first[k] == dirs[k]) ++k;
    common = std::min(common, k);
  }
  // A package at the common directory keeps its own name.
  auto name = [&](int node) {
    const std::vector<std::string_view>& c = graph.module(node).components;
    const size_t from = std::min(common, c.empty() ? 0 : c.size() - 1);
    return Join(c, from, c.size(), '.');
  };
  std::string out;
  for (const auto& [node, edge] : cycle) out += name(node) + " -> ";
  return out + name(cycle.front().first);
}

void CheckImportCycles(const ChangeContext& change, const ModuleGraph& graph,
                       ChangeFindingCollector& out) {
  std::vector<std::vector<Edge>> edges(change.files.size());
  for (size_t i = 0; i < change.files.size(); ++i) {
    for (const ModuleImport& imp : change.files[i].summary.imports) {
      if (!imp.at_import_time) continue;
      for (int target : graph.Targets(i, imp)) {
        const bool known = std::any_of(edges[i].begin(), edges[i].end(),
                                       [&](const Edge& e) { return e.to == target; });
        if (!known) edges[i].push_back({target, imp.line, imp.column});
      }
    }
  }
  for (const std::vector<int>& component : Tangles(edges)) {
    std::vector<std::pair<int, Edge>> cycle = ShortestCycle(edges, component, component.front());
    if (cycle.empty()) continue;
    // Report at the first edge a diff touched (the first edge for whole files), naming the
    // cycle from there.
    size_t at = 0;
    for (size_t k = 0; k < cycle.size(); ++k) {
      const Edge& e = cycle[k].second;
      if (change.files[cycle[k].first].SpanInScope(e.line, e.line)) {
        at = k;
        break;
      }
    }
    std::rotate(cycle.begin(), cycle.begin() + at, cycle.end());
    const auto& [file, edge] = cycle.front();
    std::string message = "import cycle " + CycleName(graph, cycle);
    if (component.size() > cycle.size()) {
      message += " (one cycle of " + std::to_string(component.size()) +
                 " modules that all import each other)";
    }
    out.Add(kImportCycle, file, {edge.line, edge.column}, message,
            "Break the cycle: move what these modules share into a module they both import, or "
            "import lazily inside the function that needs it.");
  }
}

// ---- ARCH006 ----

bool IsPackageInit(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return Stem(name) == "__init__";
}

void CheckFanOut(const ChangeContext& change, ChangeFindingCollector& out) {
  for (size_t i = 0; i < change.files.size(); ++i) {
    const ChangeFile& file = change.files[i];
    // A package's __init__ re-exporting its own submodules is the package's facade, the very
    // remedy for fan-out; its relative imports do not count.
    const bool package_init = IsPackageInit(file.path);
    std::set<std::string> modules;
    std::vector<std::string> in_order;
    const ModuleImport* report_at = nullptr;
    for (const ModuleImport& imp : file.summary.imports) {
      if (package_init && imp.level > 0) continue;
      const std::string dots(imp.level, '.');
      std::vector<std::string> names;
      if (imp.module.empty()) {
        for (const std::string& n : imp.names) names.push_back(dots + n);
      } else {
        names.push_back(dots + imp.module);
      }
      for (std::string& name : names) {
        if (modules.insert(name).second) in_order.push_back(std::move(name));
      }
      if (report_at == nullptr && file.SpanInScope(imp.line, imp.line)) report_at = &imp;
    }
    if (static_cast<int>(modules.size()) <= kMaxFanOut) continue;
    if (report_at == nullptr) {
      for (const ModuleImport& imp : file.summary.imports) {
        if (!(package_init && imp.level > 0)) {
          report_at = &imp;
          break;
        }
      }
    }
    std::string listed;
    for (size_t k = 0; k < in_order.size() && k < 8; ++k) listed += (k ? ", " : "") + in_order[k];
    if (in_order.size() > 8) listed += ", ...";
    out.Add(kFanOut, i, {report_at->line, report_at->column},
            "module imports " + std::to_string(modules.size()) + " distinct modules (limit " +
                std::to_string(kMaxFanOut) + "): " + listed,
            "Split the module so that each part imports at most " + std::to_string(kMaxFanOut) +
                " modules.");
  }
}

// ---- ARCH007 ----

void CheckLayering(const ChangeContext& change, const ModuleGraph& graph,
                   ChangeFindingCollector& out) {
  const std::vector<analysis::Layer>& layers = change.policy.layers();
  if (layers.empty()) return;
  for (size_t i = 0; i < change.files.size(); ++i) {
    const int from = change.policy.LayerOf(change.files[i].path);
    if (from < 0 || layers[from].may_not_import.empty()) continue;
    for (const ModuleImport& imp : change.files[i].summary.imports) {
      std::vector<std::string> names = {""};
      if (!imp.names.empty()) names = imp.names;
      std::set<int> reported;
      for (const std::string& name : names) {
        // The module M of `from M import n` when M is in a layer (n may be a class), else
        // the submodule M.n (`from app import db`).
        int to = -1;
        bool submodule = false;
        if (!imp.module.empty() || name.empty()) {
          for (const std::string& path : graph.CandidatePaths(i, imp, "")) {
            if ((to = change.policy.LayerOf(path)) >= 0) break;
          }
        }
        if (to < 0 && !name.empty()) {
          for (const std::string& path : graph.CandidatePaths(i, imp, name)) {
            if ((to = change.policy.LayerOf(path)) >= 0) break;
          }
          submodule = to >= 0;
        }
        const std::vector<int>& forbidden = layers[from].may_not_import;
        if (to < 0 || std::find(forbidden.begin(), forbidden.end(), to) == forbidden.end() ||
            !reported.insert(to).second) {
          continue;
        }
        std::string module = std::string(imp.level, '.') + imp.module;
        if (submodule) module += (imp.module.empty() ? "" : ".") + name;
        out.Add(kLayering, i, {imp.line, imp.column},
                "layer " + Quoted(layers[from].name) + " imports " + Quoted(module) + " of layer " +
                    Quoted(layers[to].name) + ", which the policy forbids (" + "review.layers." +
                    layers[from].name + ".may_not_import)",
                "Reach " + Quoted(layers[to].name) +
                    " through the layer between them, or move "
                    "this code to the layer it belongs to.");
      }
    }
  }
}

// ---- ARCH008 ----

void CheckDuplicates(const ChangeContext& change, ChangeFindingCollector& out) {
  struct Seen {
    uint32_t file;
    uint32_t window;
  };
  absl::flat_hash_map<uint64_t, Seen> first;
  // The run of matching windows being extended: file, window range, and its first copy.
  struct Run {
    size_t file = 0;
    size_t begin = 0, end = 0;  // windows [begin, end) of `file`
    Seen copy{};
  };
  auto report = [&](const Run& run) {
    const std::vector<analysis::BlockWindow>& here = change.files[run.file].summary.windows;
    const std::vector<analysis::BlockWindow>& there = change.files[run.copy.file].summary.windows;
    const analysis::BlockWindow& start = here[run.begin];
    const int last = here[run.end - 1].last_line;
    const analysis::BlockWindow& copy = there[run.copy.window];
    const int copy_last = there[run.copy.window + (run.end - run.begin) - 1].last_line;
    const std::string where =
        run.copy.file == run.file
            ? "lines " + std::to_string(copy.first_line) + "-" + std::to_string(copy_last)
            : change.files[run.copy.file].path + ":" + std::to_string(copy.first_line) + "-" +
                  std::to_string(copy_last);
    out.Add(kDuplicateBlock, run.file, {start.first_line, start.column},
            "lines " + std::to_string(start.first_line) + "-" + std::to_string(last) +
                " duplicate " + where,
            "Extract the repeated lines into one function called from both places.", last);
  };
  for (size_t f = 0; f < change.files.size(); ++f) {
    const std::vector<analysis::BlockWindow>& windows = change.files[f].summary.windows;
    std::optional<Run> run;
    for (size_t w = 0; w < windows.size(); ++w) {
      const auto it = first.find(windows[w].hash);
      if (it == first.end()) {
        if (first.size() < kMaxRememberedWindows) {
          first.emplace(windows[w].hash, Seen{static_cast<uint32_t>(f), static_cast<uint32_t>(w)});
        }
        if (run) report(*run);
        run.reset();
        continue;
      }
      const Seen copy = it->second;
      const bool overlaps =
          copy.file == f &&
          change.files[f].summary.windows[copy.window].last_line >= windows[w].first_line;
      if (overlaps) {
        if (run) report(*run);
        run.reset();
        continue;
      }
      if (run && run->end == w && run->copy.file == copy.file &&
          run->copy.window + (w - run->begin) == copy.window) {
        run->end = w + 1;
        continue;
      }
      if (run) report(*run);
      run = Run{f, w, w + 1, copy};
    }
    if (run) report(*run);
  }
}

}  // namespace

const std::vector<RuleSpec>& ChangeRuleSpecs() {
  static const std::vector<RuleSpec> rules = {kImportCycle, kFanOut, kLayering, kDuplicateBlock};
  return rules;
}

void CheckChangeRules(const ChangeContext& change, ChangeFindingCollector& out) {
  const ModuleGraph graph(change.files);
  CheckImportCycles(change, graph, out);
  CheckFanOut(change, out);
  CheckLayering(change, graph, out);
  CheckDuplicates(change, out);
}

std::string ModuleNameOfPath(std::string_view path) {
  const ModuleFile m = DescribeFile(path);
  size_t start = m.components.size();
  while (start > 0 && IsIdentifier(m.components[start - 1])) --start;
  return Join(m.components, start, m.components.size(), '.');
}

}  // namespace conclave::architecture
