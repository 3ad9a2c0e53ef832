#include "agents/analysis/parsed_module.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"

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

// Symbols the shared grammar table does not name, looked up once.
struct ExtraSymbols {
  TSSymbol else_clause, lambda, with_item;
  // For the checks CPython makes that the grammar does not (CheckValid).
  TSSymbol module, print_statement, exec_statement, py2_not_equal, return_statement,
      break_statement, continue_statement, nonlocal_statement, named_expression,
      expression_statement, list_splat, dictionary_splat, keyword_separator;
  TSFieldId field_subject;
  static const ExtraSymbols& Get() {
    static const ExtraSymbols symbols = [] {
      const TSLanguage* language = tree_sitter_python();
      auto symbol = [&](std::string_view name) {
        return ts_language_symbol_for_name(language, name.data(),
                                           static_cast<uint32_t>(name.size()), true);
      };
      ExtraSymbols e;
      e.else_clause = symbol("else_clause");
      e.lambda = symbol("lambda");
      e.with_item = symbol("with_item");
      e.module = symbol("module");
      e.print_statement = symbol("print_statement");
      e.exec_statement = symbol("exec_statement");
      e.py2_not_equal = ts_language_symbol_for_name(language, "<>", 2, false);
      e.return_statement = symbol("return_statement");
      e.break_statement = symbol("break_statement");
      e.continue_statement = symbol("continue_statement");
      e.nonlocal_statement = symbol("nonlocal_statement");
      e.named_expression = symbol("named_expression");
      e.expression_statement = symbol("expression_statement");
      e.list_splat = symbol("list_splat");
      e.dictionary_splat = symbol("dictionary_splat");
      e.keyword_separator = symbol("keyword_separator");
      e.field_subject = ts_language_field_id_for_name(language, "subject", 7);
      return e;
    }();
    return symbols;
  }
};

// Builds the index in one WalkTree pass. Each depth has a frame holding the context its
// children see, so entering a node costs O(1) and leaving costs nothing.
class ParsedModule::Indexer {
 public:
  explicit Indexer(ParsedModule& module)
      : m_(module),
        g_(PythonGrammar::Get()),
        x_(ExtraSymbols::Get()),
        tree_has_error_(NodeHasError(module.root())) {}

  bool Enter(Node node, TSFieldId field, int depth) {
    if (tree_has_error_) NoteError(node);
    if (!NodeIsNamed(node)) {  // tokens: no children worth visiting
      if (NodeSymbol(node) == x_.py2_not_equal) {
        NoteInvalid(node, "the Python 2 operator <> (use !=)");
      }
      return false;
    }
    Context ctx = ContextFor(field, depth);
    Frame frame{ctx};
    frame.symbol = NodeSymbol(node);
    Frame* parent = depth > 0 ? &frames_[depth - 1] : nullptr;
    CheckValid(node, parent, ctx, frame.symbol);
    Index(node, field, parent, ctx, frame);
    if (static_cast<int>(frames_.size()) <= depth) frames_.resize(depth + 1);
    frames_[depth] = frame;
    return true;
  }
  void Leave(Node, int) {}

 private:
  struct Context {
    int function = -1;
    int cls = -1;
    int loop = -1;
    int nesting = 0;
    int cognitive_nesting = 0;  // nesting level for cognitive complexity
  };
  struct Frame {
    Context children;
    TSSymbol symbol = 0;
    int body_loop = -1;           // loop whose body (and condition, for while) is a child
    bool loop_condition = false;  // the condition of a while loop runs every iteration
    // A comprehension: its loops are first_loop .. first_loop + loop_count - 1, one per `for`
    // clause in order.
    int first_loop = -1;
    int loop_count = 0;
    int next_clause = 0;  // the clauses seen so far
    // A comprehension's `for` clause: the loop its iterable (right field) runs in, which is
    // the previous clause's (or the comprehension's surroundings for the first clause).
    int right_loop = -2;
    // Cognitive nesting of the children in a condition, left or right field (a statement's
    // own test or iterable, which is not nested in it); -1 when they nest like the others.
    int head_cognitive_nesting = -1;
    // A block or the module: the column its statements start at (that of the first one on a
    // line of its own) and the last row of the latest statement, for CheckIndentation.
    int statement_column = -1;
    int64_t statement_end_row = -1;
  };

  Context ContextFor(TSFieldId field, int depth) const {
    if (depth == 0) return Context{};
    const Frame& parent = frames_[depth - 1];
    Context ctx = parent.children;
    if (parent.body_loop >= 0 &&
        (field == g_.field_body || (parent.loop_condition && field == g_.field_condition))) {
      ctx.loop = parent.body_loop;
    }
    if (parent.right_loop != -2 && field == g_.field_right) ctx.loop = parent.right_loop;
    if (parent.head_cognitive_nesting >= 0 &&
        (field == g_.field_condition || field == g_.field_left || field == g_.field_right ||
         field == x_.field_subject)) {
      ctx.cognitive_nesting = parent.head_cognitive_nesting;
    }
    return ctx;
  }

  void NoteError(Node node) {
    if (m_.has_error_) return;
    const bool missing = NodeIsMissing(node);
    if (!missing && NodeSymbol(node) != g_.error) return;
    m_.has_error_ = true;
    m_.first_error_missing_ = missing;
    m_.first_error_ = m_.Locate(missing ? node : MismatchedBracket(node));
    m_.first_error_what_ = missing ? "a missing token" : "unexpected text";
  }

  // Code the grammar accepts and CPython refuses: the first such node in document order is the
  // module's first error, unless an ERROR or MISSING node came before it.
  void NoteInvalid(Node node, std::string_view what) {
    if (m_.has_error_) return;
    m_.has_error_ = true;
    m_.first_error_ = m_.Locate(node);
    m_.first_error_what_ = what;
  }

  // Inside an ERROR node, the first closing bracket that does not match the innermost open
  // one, which is where CPython reports an unbalanced bracket ("closing parenthesis ']' does
  // not match opening parenthesis '{'"); the ERROR node itself when there is none. Walks the
  // node's tokens in order, bounded.
  Node MismatchedBracket(Node error) const {
    struct Visitor {
      std::string_view source;
      std::vector<char> open;
      Node found{};
      int budget = 1 << 16;
      bool Enter(Node node, TSFieldId, int) {
        if (!NodeIsNull(found) || --budget < 0) return false;
        if (NodeChildCount(node) > 0) return true;
        if (NodeEndByte(node) - NodeStartByte(node) != 1) return false;
        const char c = source[NodeStartByte(node)];
        if (c == '(' || c == '[' || c == '{') {
          open.push_back(c);
        } else if (c == ')' || c == ']' || c == '}') {
          const char want = c == ')' ? '(' : c == ']' ? '[' : '{';
          if (!open.empty() && open.back() != want) {
            found = node;
          } else if (!open.empty()) {
            open.pop_back();
          }
        }
        return false;
      }
      void Leave(Node, int) {}
    } visitor{m_.source_};
    WalkTree(error, visitor);
    return NodeIsNull(visitor.found) ? error : visitor.found;
  }

  // The checks CPython's parser and compiler make that tree-sitter-python's grammar leaves
  // out: Python 2 statements and literals, hard keywords used as names, indentation that
  // matches no outer level, and statements outside the construct they belong to.
  void CheckValid(Node node, Frame* parent, const Context& ctx, TSSymbol s) {
    if (m_.has_error_) return;
    if (parent != nullptr && (parent->symbol == g_.block || parent->symbol == x_.module)) {
      CheckIndentation(node, *parent);
    }
    if (s == g_.identifier) {
      if (IsHardKeyword(m_.Text(node))) {
        NoteInvalid(node, "a keyword used as a name");
      }
    } else if (s == x_.print_statement) {
      NoteInvalid(node, "a Python 2 print statement (print is a function)");
    } else if (s == x_.exec_statement) {
      NoteInvalid(node, "a Python 2 exec statement (exec is a function)");
    } else if (s == g_.integer) {
      const std::string_view text = m_.Text(node);
      if (text.size() > 1 && text[0] == '0' && absl::ascii_isdigit(text[1]) &&
          text.find_first_not_of("0_") != std::string_view::npos &&
          text.find_first_not_of("0123456789_") == std::string_view::npos) {
        NoteInvalid(node, "a decimal literal with a leading zero (a Python 2 octal; use 0o)");
      }
    } else if (s == g_.string_start) {
      const std::string_view text = m_.Text(node);
      if (text.size() >= 2 && (text[0] == 'u' || text[0] == 'U') &&
          (text[1] == 'r' || text[1] == 'R')) {
        NoteInvalid(node, "the Python 2 string prefix ur");
      }
    } else if (s == x_.return_statement && ctx.function < 0) {
      NoteInvalid(node, "'return' outside a function");
    } else if ((s == x_.break_statement || s == x_.continue_statement) && ctx.loop < 0) {
      NoteInvalid(node,
                  s == x_.break_statement ? "'break' outside a loop" : "'continue' outside a loop");
    } else if (s == x_.nonlocal_statement && ctx.function < 0) {
      NoteInvalid(node, "'nonlocal' outside a function");
    } else if (s == x_.named_expression && parent != nullptr &&
               parent->symbol == x_.expression_statement) {
      NoteInvalid(node, "an unparenthesized := at statement level");
    } else if (s == x_.list_splat && parent != nullptr &&
               parent->symbol == x_.expression_statement && NodeNamedChildCount(node) > 0 &&
               NodeNamedChildCount(NodeParent(node)) == 1) {
      NoteInvalid(node, "a starred expression on its own");
    } else if (s == g_.parameters) {
      CheckParameters(node);
    } else if (s == g_.argument_list) {
      CheckArguments(node);
    }
  }

  // A parameter without a default may not follow one with a default, until `*` or `*args`
  // starts the keyword-only ones.
  void CheckParameters(Node parameters) {
    bool seen_default = false;
    bool keyword_only = false;
    ForEachChild(parameters, [&](Node child, TSFieldId) {
      if (m_.has_error_ || !NodeIsNamed(child) || NodeIsExtra(child)) return;
      const TSSymbol s = NodeSymbol(child);
      const Node first = NodeNamedChild(child, 0);
      const bool star = s == g_.list_splat_pattern || s == g_.dictionary_splat_pattern ||
                        s == x_.keyword_separator ||
                        (s == g_.typed_parameter && !NodeIsNull(first) &&
                         (Is(first, g_.list_splat_pattern) ||
                          Is(first, g_.dictionary_splat_pattern)));
      if (star) {
        keyword_only = true;
      } else if (s == g_.default_parameter || s == g_.typed_default_parameter) {
        seen_default = true;
      } else if ((s == g_.identifier || s == g_.typed_parameter) && seen_default &&
                 !keyword_only) {
        NoteInvalid(child, "a parameter without a default after one with a default");
      }
    });
  }

  // Call arguments: no positional argument after a keyword argument or `**`, no `*` after
  // `**`, and no keyword given twice. Bounded by the call's own arguments.
  void CheckArguments(Node arguments) {
    bool seen_keyword = false;
    bool seen_double_star = false;
    std::vector<std::string_view> keywords;
    ForEachChild(arguments, [&](Node child, TSFieldId) {
      if (m_.has_error_ || !NodeIsNamed(child) || NodeIsExtra(child)) return;
      const TSSymbol s = NodeSymbol(child);
      if (s == g_.keyword_argument) {
        seen_keyword = true;
        const std::string_view name = m_.Text(Field(child, g_.field_name));
        if (keywords.size() < 256 &&
            std::find(keywords.begin(), keywords.end(), name) != keywords.end()) {
          NoteInvalid(child, "a keyword argument repeated");
        }
        keywords.push_back(name);
      } else if (s == x_.dictionary_splat) {
        seen_double_star = true;
      } else if (s == x_.list_splat) {
        if (seen_double_star) NoteInvalid(child, "*-unpacking after **-unpacking");
      } else if (seen_keyword || seen_double_star) {
        NoteInvalid(child, "a positional argument after a keyword argument");
      }
    });
  }

  // Statements of one block start at one column; a statement that starts a line elsewhere is
  // an unindent that matches no outer level, or tabs and spaces mixed.
  void CheckIndentation(Node node, Frame& block) {
    if (NodeIsExtra(node) || NodeSymbol(node) == g_.error) return;
    const TSPoint start = NodeStartPoint(node);
    const int64_t row = start.row;
    int column = static_cast<int>(start.column);
    // A byte-order mark is not indentation.
    if (row == 0 && m_.source_.starts_with("\xEF\xBB\xBF")) column -= 3;
    if (row != block.statement_end_row) {
      if (block.statement_column < 0) {
        block.statement_column = column;
      } else if (column != block.statement_column) {
        NoteInvalid(node, "indentation that matches no outer level");
      }
    }
    block.statement_end_row = NodeEndPoint(node).row;
  }

  static bool IsHardKeyword(std::string_view name) {
    // Python 3.12's keywords, less True/False/None (parsed as literals) and the soft ones.
    static constexpr std::string_view kKeywords[] = {
        "and",    "as",   "assert", "async",  "await",  "break",   "class",    "continue",
        "def",    "del",  "elif",   "else",   "except", "finally", "for",      "from",
        "global", "if",   "import", "in",     "is",     "lambda",  "nonlocal", "not",
        "or",     "pass", "raise",  "return", "try",    "while",   "with",     "yield"};
    if (name.size() < 2 || name.size() > 8 || name[0] < 'a' || name[0] > 'y') return false;
    for (std::string_view keyword : kKeywords) {
      if (name == keyword) return true;
    }
    return false;
  }

  void Index(Node node, TSFieldId field, Frame* parent, const Context& ctx, Frame& frame) {
    const TSSymbol s = frame.symbol;
    const Site site{node, ctx.function, ctx.loop};
    if (s == g_.call) {
      m_.calls_.push_back(site);
      if (ctx.function >= 0 && IsRecursiveCall(node, m_.functions_[ctx.function])) {
        ++m_.functions_[ctx.function].cognitive_complexity;
      }
    } else if (s == g_.attribute) {
      if (parent == nullptr || parent->symbol != g_.attribute || field != g_.field_object) {
        m_.attributes_.push_back(site);
      }
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
      frame.children = Context{AddFunction(node, ctx), -1, -1, 0, 0};
    } else if (s == g_.class_definition) {
      frame.children = Context{-1, AddClass(node), -1, 0, 0};
    } else if (s == g_.for_statement || s == g_.while_statement) {
      AddDecision(ctx);
      AddStructure(ctx, frame);
      frame.body_loop =
          AddLoop(node, s == g_.for_statement ? Field(node, g_.field_right) : Node(), ctx.loop,
                  ctx.function);
      frame.loop_condition = s == g_.while_statement;
      frame.children.nesting = Nest(node, ctx);
    } else if (s == g_.if_statement) {
      AddDecision(ctx);
      AddStructure(ctx, frame);
      frame.children.nesting = Nest(node, ctx);
    } else if (s == g_.match_statement) {
      AddStructure(ctx, frame);
      frame.children.nesting = Nest(node, ctx);
    } else if (s == g_.try_statement || s == g_.with_statement) {
      frame.children.nesting = Nest(node, ctx);
    } else if (s == g_.elif_clause) {
      AddDecision(ctx);
      AddCognitive(ctx, 1);
      // Its body nests like the `if` body (already one level in); its test does not.
      frame.head_cognitive_nesting = ctx.cognitive_nesting > 0 ? ctx.cognitive_nesting - 1 : 0;
    } else if (s == g_.except_clause || s == g_.except_group_clause ||
               s == g_.conditional_expression) {
      AddDecision(ctx);
      AddStructure(ctx, frame);
      frame.head_cognitive_nesting = -1;  // the whole clause is nested
    } else if (s == g_.boolean_operator) {
      AddDecision(ctx);
      // A maximal `and`/`or` expression is scored once, at its root.
      if (parent == nullptr || parent->symbol != g_.boolean_operator) {
        AddCognitive(ctx, BooleanRuns(node));
      }
    } else if (s == g_.for_in_clause) {
      AddDecision(ctx);
      if (parent != nullptr) EnterComprehensionClause(*parent, frame);
    } else if (s == g_.case_clause || s == g_.if_clause) {
      AddDecision(ctx);
    } else if (s == x_.else_clause) {
      if (parent != nullptr && parent->symbol == g_.if_statement) AddCognitive(ctx, 1);
    } else if (s == x_.lambda) {
      m_.lambdas_.push_back(site);
      ++frame.children.cognitive_nesting;
    } else if (s == x_.with_item) {
      m_.with_items_.push_back(site);
    } else if (s == g_.list_comprehension || s == g_.set_comprehension ||
               s == g_.dictionary_comprehension || s == g_.generator_expression) {
      frame.first_loop = static_cast<int>(m_.loops_.size());
      frame.children.loop = AddComprehensionLoops(node, ctx);
      frame.loop_count = static_cast<int>(m_.loops_.size()) - frame.first_loop;
    } else if (s == g_.import_statement || s == g_.import_from_statement) {
      RecordImport(node, s == g_.import_from_statement, ctx.function);
    }
  }

  void AddDecision(const Context& ctx) {
    if (ctx.function >= 0) ++m_.functions_[ctx.function].complexity;
  }

  void AddCognitive(const Context& ctx, int amount) {
    if (ctx.function >= 0) m_.functions_[ctx.function].cognitive_complexity += amount;
  }

  // A structure that breaks the linear flow and nests what it holds: +1, plus its nesting.
  // Its test or iterable stays at its own level.
  void AddStructure(const Context& ctx, Frame& frame) {
    AddCognitive(ctx, 1 + ctx.cognitive_nesting);
    frame.children.cognitive_nesting = ctx.cognitive_nesting + 1;
    frame.head_cognitive_nesting = ctx.cognitive_nesting;
  }

  // The runs of one operator in a boolean expression read left to right, as SonarSource
  // counts them: `a and b and c` 1, `a and b or c` 2, `a or b and c or d` 3. An iterative
  // in-order walk over the expression's boolean_operator nodes (each belongs to one maximal
  // expression, so the whole pass stays linear); a parenthesized part is its own expression.
  int BooleanRuns(Node root) const {
    constexpr int kMaxOperators = 100000;
    int runs = 0;
    std::string_view previous;
    std::vector<Node> stack;
    Node node = root;
    for (int visited = 0; visited < kMaxOperators;) {
      if (Is(node, g_.boolean_operator)) {
        stack.push_back(node);
        node = Field(node, g_.field_left);
        continue;
      }
      if (stack.empty()) break;
      const Node op = stack.back();
      stack.pop_back();
      ++visited;
      const std::string_view text = m_.Text(Field(op, g_.field_operator));
      if (text != previous) ++runs;
      previous = text;
      node = Field(op, g_.field_right);
    }
    return runs;
  }

  // `f(...)` inside function f, or `self.m(...)` / `cls.m(...)` inside method m.
  bool IsRecursiveCall(Node call, const FunctionInfo& f) const {
    const Node callee = Field(call, g_.field_function);
    if (Is(callee, g_.identifier)) return f.owner_class < 0 && m_.Text(callee) == f.name;
    if (!Is(callee, g_.attribute) || f.owner_class < 0) return false;
    if (m_.Text(Field(callee, g_.field_attribute)) != f.name) return false;
    const Node object = Field(callee, g_.field_object);
    if (!Is(object, g_.identifier)) return false;
    const std::string_view receiver = m_.Text(object);
    return receiver == "self" || receiver == "cls";
  }

  // Returns the nesting level of a compound statement and records the function's deepest.
  int Nest(Node node, const Context& ctx) {
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

  int AddLoop(Node node, Node iterable, int parent, int function) {
    LoopInfo loop{node, iterable, function, parent, 1};
    if (parent >= 0) loop.depth = m_.loops_[parent].depth + 1;
    m_.loops_.push_back(loop);
    return static_cast<int>(m_.loops_.size()) - 1;
  }

  // The body of a comprehension (first in the source) runs in its innermost loop; each `for`
  // clause's iterable runs in the loop of the clause before it, and an `if` clause in the loop
  // of the last `for` before it. Entering clause k moves the comprehension's context to loop k
  // for the clauses after it.
  void EnterComprehensionClause(Frame& comprehension, Frame& frame) {
    if (comprehension.next_clause >= comprehension.loop_count) return;
    const int loop = comprehension.first_loop + comprehension.next_clause++;
    comprehension.children.loop = loop;
    frame.children.loop = loop;
    frame.right_loop = m_.loops_[loop].parent;
  }

  // Each `for` clause of a comprehension is a loop nested in the previous one. Returns the
  // innermost, the loop the comprehension's body runs in.
  int AddComprehensionLoops(Node node, const Context& ctx) {
    int loop = ctx.loop;
    ForEachChild(node, [&](Node child, TSFieldId) {
      if (Is(child, g_.for_in_clause)) {
        loop = AddLoop(child, Field(child, g_.field_right), loop, ctx.function);
      }
    });
    return loop;
  }

  int AddFunction(Node node, const Context& ctx) {
    FunctionInfo f;
    f.node = node;
    const Node name = Field(node, g_.field_name);
    f.name = m_.Text(name);
    f.first_line = NodeLine(node);
    f.last_line = NodeLastLine(node);
    const Location at = m_.Locate(NodeIsNull(name) ? node : name);
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
    const Node first = NodeChild(node, 0);
    f.is_async = !NodeIsNull(first) && !NodeIsNamed(first) &&
                 std::string_view(NodeType(first)) == "async";
    m_.functions_.push_back(std::move(f));
    return static_cast<int>(m_.functions_.size()) - 1;
  }

  std::vector<std::string_view> Parameters(Node parameters) const {
    std::vector<std::string_view> names;
    if (NodeIsNull(parameters)) return names;
    ForEachChild(parameters, [&](Node p, TSFieldId) {
      const TSSymbol s = NodeSymbol(p);
      if (s == g_.identifier) {
        names.push_back(m_.Text(p));
      } else if (s == g_.default_parameter || s == g_.typed_default_parameter) {
        names.push_back(m_.Text(Field(p, g_.field_name)));
      } else if (s == g_.typed_parameter) {
        const Node first = NodeNamedChild(p, 0);
        if (Is(first, g_.identifier)) names.push_back(m_.Text(first));
      }
    });
    return names;
  }

  int AddClass(Node node) {
    ClassInfo c;
    c.node = node;
    const Node name = Field(node, g_.field_name);
    c.name = m_.Text(name);
    c.first_line = NodeLine(node);
    c.last_line = NodeLastLine(node);
    const Location at = m_.Locate(NodeIsNull(name) ? node : name);
    c.name_line = at.line;
    c.name_column = at.column;
    m_.classes_.push_back(c);
    return static_cast<int>(m_.classes_.size()) - 1;
  }

  void RecordImport(Node node, bool from, int function) {
    const int line = NodeLine(node);
    std::string module;
    if (from) {
      module = std::string(m_.Text(Field(node, g_.field_module_name)));
      m_.import_list_.push_back(ImportInfo{module, {}, line, true, function});
    }
    ForEachChild(node, [&](Node child, TSFieldId field) {
      if (from && NodeIsNamed(child) && !NodeIsExtra(child) &&
          field != g_.field_name && field != g_.field_module_name) {
        m_.import_list_.back().names.push_back("*");  // wildcard_import
        return;
      }
      if (field != g_.field_name) return;
      std::string_view target = m_.Text(child);
      std::string_view local = target;
      if (Is(child, g_.aliased_import)) {
        target = m_.Text(Field(child, g_.field_name));
        local = m_.Text(Field(child, g_.field_alias));
      }
      if (from) {
        if (!target.empty()) m_.import_list_.back().names.push_back(target);
      } else {
        if (!target.empty())
          m_.import_list_.push_back(ImportInfo{std::string(target), {}, line, false, function});
        // `import os.path` binds `os`.
        if (!Is(child, g_.aliased_import)) target = local = target.substr(0, target.find('.'));
      }
      if (local.empty() || target.empty()) return;
      m_.imports_[std::string(local)] = from ? JoinDotted(module, target) : std::string(target);
    });
  }

  ParsedModule& m_;
  const PythonGrammar& g_;
  const ExtraSymbols& x_;
  const bool tree_has_error_;
  std::vector<Frame> frames_;
};

ParsedModule::ParsedModule(std::string path, std::string_view source, TreeHandle tree)
    : SourceModule(std::move(path), source, std::move(tree)) {}

absl::StatusOr<ParsedModule> ParsedModule::Parse(std::string path, std::string_view source) {
  absl::StatusOr<TreeHandle> tree = ParsePython(source);
  if (!tree.ok()) return tree.status();
  ParsedModule module(std::move(path), source, std::move(*tree));
  Indexer indexer(module);
  WalkTree(module.root(), indexer);
  return module;
}

std::string ParsedModule::CalleeName(Node call) const {
  const PythonGrammar& g = PythonGrammar::Get();
  std::vector<std::string_view> parts;
  Node node = Field(call, g.field_function);
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

std::string_view ParsedModule::MethodName(Node call) const {
  const PythonGrammar& g = PythonGrammar::Get();
  const Node function = Field(call, g.field_function);
  if (Is(function, g.identifier)) return Text(function);
  if (Is(function, g.attribute)) return Text(Field(function, g.field_attribute));
  return {};
}

std::string_view ParsedModule::ImportedName(std::string_view local) const {
  const auto it = imports_.find(std::string(local));
  return it == imports_.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view ParsedModule::FunctionName(int index) const {
  if (index < 0 || index >= static_cast<int>(functions_.size())) return "<module>";
  return functions_[index].qualified_name;
}

}  // namespace conclave::analysis
