#include "agents/analysis/parsed_module.h"

#include <algorithm>
#include <utility>

namespace conclave::analysis {
namespace {

// "a.b". std::string_view throughout: Debian's abseil has its own string_view, which
// absl::StrCat does not take from std::string_view.
std::string JoinDotted(std::string_view head, std::string_view tail) {
  std::string out;
  out.reserve(head.size() + 1 + tail.size());
  out.append(head).append(".").append(tail);
  return out;
}

}  // namespace

// Builds the index in one WalkTree pass. Each depth has a frame holding the context its
// children see, so entering a node costs O(1) and leaving costs nothing.
class ParsedModule::Indexer {
 public:
  explicit Indexer(ParsedModule& module)
      : m_(module), g_(PythonGrammar::Get()), tree_has_error_(ts_node_has_error(module.root())) {}

  bool Enter(TSNode node, TSFieldId field, int depth) {
    if (tree_has_error_) NoteError(node);
    if (!ts_node_is_named(node)) return false;  // tokens: no children worth visiting
    Context ctx = ContextFor(field, depth);
    Frame frame{ctx};
    Index(node, ctx, frame);
    if (static_cast<int>(frames_.size()) <= depth) frames_.resize(depth + 1);
    frames_[depth] = frame;
    return true;
  }
  void Leave(TSNode, int) {}

 private:
  struct Context {
    int function = -1;
    int cls = -1;
    int loop = -1;
    int nesting = 0;
  };
  struct Frame {
    Context children;
    int body_loop = -1;           // loop whose body (and condition, for while) is a child
    bool loop_condition = false;  // the condition of a while loop runs every iteration
  };

  Context ContextFor(TSFieldId field, int depth) const {
    if (depth == 0) return Context{};
    const Frame& parent = frames_[depth - 1];
    Context ctx = parent.children;
    if (parent.body_loop >= 0 &&
        (field == g_.field_body || (parent.loop_condition && field == g_.field_condition))) {
      ctx.loop = parent.body_loop;
    }
    return ctx;
  }

  void NoteError(TSNode node) {
    if (m_.has_error_) return;
    const bool missing = ts_node_is_missing(node);
    if (!missing && ts_node_symbol(node) != g_.error) return;
    m_.has_error_ = true;
    m_.first_error_missing_ = missing;
    m_.first_error_ = m_.Locate(node);
  }

  void Index(TSNode node, const Context& ctx, Frame& frame) {
    const TSSymbol s = ts_node_symbol(node);
    const Site site{node, ctx.function, ctx.loop};
    if (s == g_.call) {
      m_.calls_.push_back(site);
    } else if (s == g_.string) {
      m_.strings_.push_back(site);
    } else if (s == g_.assignment) {
      m_.assignments_.push_back(site);
    } else if (s == g_.augmented_assignment) {
      m_.augmented_assignments_.push_back(site);
    } else if (s == g_.comparison_operator) {
      m_.comparisons_.push_back(site);
    } else if (s == g_.keyword_argument) {
      m_.keyword_arguments_.push_back(site);
    } else if (s == g_.pair) {
      m_.pairs_.push_back(site);
    } else if (s == g_.comment) {
      m_.comments_.push_back(node);
    } else if (s == g_.function_definition) {
      frame.children = Context{AddFunction(node, ctx), -1, -1, 0};
    } else if (s == g_.class_definition) {
      frame.children = Context{-1, AddClass(node), -1, 0};
    } else if (s == g_.for_statement || s == g_.while_statement) {
      AddDecision(ctx);
      frame.body_loop =
          AddLoop(node, s == g_.for_statement ? Field(node, g_.field_right) : TSNode{}, ctx.loop,
                  ctx.function);
      frame.loop_condition = s == g_.while_statement;
      frame.children.nesting = Nest(node, ctx);
    } else if (s == g_.if_statement) {
      AddDecision(ctx);
      frame.children.nesting = Nest(node, ctx);
    } else if (s == g_.try_statement || s == g_.with_statement || s == g_.match_statement) {
      frame.children.nesting = Nest(node, ctx);
    } else if (s == g_.elif_clause || s == g_.except_clause || s == g_.except_group_clause ||
               s == g_.case_clause || s == g_.conditional_expression || s == g_.if_clause ||
               s == g_.for_in_clause || s == g_.boolean_operator) {
      AddDecision(ctx);
    } else if (s == g_.list_comprehension || s == g_.set_comprehension ||
               s == g_.dictionary_comprehension || s == g_.generator_expression) {
      frame.children.loop = AddComprehensionLoops(node, ctx);
    } else if (s == g_.import_statement || s == g_.import_from_statement) {
      RecordImport(node, s == g_.import_from_statement);
    }
  }

  void AddDecision(const Context& ctx) {
    if (ctx.function >= 0) ++m_.functions_[ctx.function].complexity;
  }

  // Returns the nesting level of a compound statement and records the function's deepest.
  int Nest(TSNode node, const Context& ctx) {
    const int level = ctx.nesting + 1;
    if (ctx.function >= 0) {
      FunctionInfo& f = m_.functions_[ctx.function];
      if (level > f.max_nesting) {
        f.max_nesting = level;
        f.deepest_line = NodeLine(node);
      }
    }
    return level;
  }

  int AddLoop(TSNode node, TSNode iterable, int parent, int function) {
    LoopInfo loop{node, iterable, function, parent, 1};
    if (parent >= 0) loop.depth = m_.loops_[parent].depth + 1;
    m_.loops_.push_back(loop);
    return static_cast<int>(m_.loops_.size()) - 1;
  }

  // Each `for` clause of a comprehension is a loop nested in the previous one. Returns the
  // innermost, the loop the comprehension's body and conditions run in.
  int AddComprehensionLoops(TSNode node, const Context& ctx) {
    int loop = ctx.loop;
    ForEachChild(node, [&](TSNode child, TSFieldId) {
      if (Is(child, g_.for_in_clause)) {
        loop = AddLoop(child, Field(child, g_.field_right), loop, ctx.function);
      }
    });
    return loop;
  }

  int AddFunction(TSNode node, const Context& ctx) {
    FunctionInfo f;
    f.node = node;
    const TSNode name = Field(node, g_.field_name);
    f.name = m_.Text(name);
    f.first_line = NodeLine(node);
    f.last_line = NodeLastLine(node);
    const Location at = m_.Locate(ts_node_is_null(name) ? node : name);
    f.name_line = at.line;
    f.name_column = at.column;
    f.parent_function = ctx.function;
    f.owner_class = ctx.function < 0 ? ctx.cls : -1;
    if (f.owner_class >= 0) {
      f.qualified_name = JoinDotted(m_.classes_[f.owner_class].name, f.name);
    } else if (f.parent_function >= 0) {
      f.qualified_name = JoinDotted(m_.functions_[f.parent_function].qualified_name, f.name);
    } else {
      f.qualified_name = std::string(f.name);
    }
    f.parameters = Parameters(Field(node, g_.field_parameters));
    m_.functions_.push_back(std::move(f));
    return static_cast<int>(m_.functions_.size()) - 1;
  }

  std::vector<std::string_view> Parameters(TSNode parameters) const {
    std::vector<std::string_view> names;
    if (ts_node_is_null(parameters)) return names;
    ForEachChild(parameters, [&](TSNode p, TSFieldId) {
      const TSSymbol s = ts_node_symbol(p);
      if (s == g_.identifier) {
        names.push_back(m_.Text(p));
      } else if (s == g_.default_parameter || s == g_.typed_default_parameter) {
        names.push_back(m_.Text(Field(p, g_.field_name)));
      } else if (s == g_.typed_parameter) {
        const TSNode first = ts_node_named_child(p, 0);
        if (Is(first, g_.identifier)) names.push_back(m_.Text(first));
      }
    });
    return names;
  }

  int AddClass(TSNode node) {
    ClassInfo c;
    c.node = node;
    const TSNode name = Field(node, g_.field_name);
    c.name = m_.Text(name);
    c.first_line = NodeLine(node);
    c.last_line = NodeLastLine(node);
    const Location at = m_.Locate(ts_node_is_null(name) ? node : name);
    c.name_line = at.line;
    c.name_column = at.column;
    m_.classes_.push_back(c);
    return static_cast<int>(m_.classes_.size()) - 1;
  }

  void RecordImport(TSNode node, bool from) {
    const std::string module = from ? std::string(m_.Text(Field(node, g_.field_module_name))) : "";
    ForEachChild(node, [&](TSNode child, TSFieldId field) {
      if (field != g_.field_name) return;
      std::string_view target = m_.Text(child);
      std::string_view local = target;
      if (Is(child, g_.aliased_import)) {
        target = m_.Text(Field(child, g_.field_name));
        local = m_.Text(Field(child, g_.field_alias));
      } else if (!from) {
        // `import os.path` binds `os`.
        target = local = target.substr(0, target.find('.'));
      }
      if (local.empty() || target.empty()) return;
      m_.imports_[std::string(local)] = from ? JoinDotted(module, target) : std::string(target);
    });
  }

  ParsedModule& m_;
  const PythonGrammar& g_;
  const bool tree_has_error_;
  std::vector<Frame> frames_;
};

ParsedModule::ParsedModule(std::string path, std::string_view source, TreePtr tree)
    : path_(std::move(path)), source_(source), tree_(std::move(tree)) {}

absl::StatusOr<ParsedModule> ParsedModule::Parse(std::string path, std::string_view source) {
  absl::StatusOr<TreePtr> tree = ParsePython(source);
  if (!tree.ok()) return tree.status();
  ParsedModule module(std::move(path), source, std::move(*tree));
  Indexer indexer(module);
  WalkTree(module.root(), indexer);
  return module;
}

std::string ParsedModule::CalleeName(TSNode call) const {
  const PythonGrammar& g = PythonGrammar::Get();
  std::vector<std::string_view> parts;
  TSNode node = Field(call, g.field_function);
  // Bounded: a chain longer than this is not a name any rule looks for.
  for (int i = 0; i < 32; ++i) {
    if (Is(node, g.identifier)) {
      const auto import = imports_.find(std::string(Text(node)));
      std::string name = import != imports_.end() ? import->second : std::string(Text(node));
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) name = JoinDotted(name, *it);
      return name;
    }
    if (!Is(node, g.attribute)) return "";
    parts.push_back(Text(Field(node, g.field_attribute)));
    node = Field(node, g.field_object);
  }
  return "";
}

std::string_view ParsedModule::MethodName(TSNode call) const {
  const PythonGrammar& g = PythonGrammar::Get();
  const TSNode function = Field(call, g.field_function);
  if (Is(function, g.identifier)) return Text(function);
  if (Is(function, g.attribute)) return Text(Field(function, g.field_attribute));
  return {};
}

std::string_view ParsedModule::FunctionName(int index) const {
  if (index < 0 || index >= static_cast<int>(functions_.size())) return "<module>";
  return functions_[index].qualified_name;
}

}  // namespace conclave::analysis
