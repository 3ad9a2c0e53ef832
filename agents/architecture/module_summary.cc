#include "agents/architecture/module_summary.h"

#include <cstring>
#include <string>
#include <vector>

#include "agents/analysis/syntax_tree.h"

namespace conclave::architecture {
namespace {

using analysis::Node;
using analysis::BlockWindow;
using analysis::FileSummary;
using analysis::ModuleImport;
using analysis::ParsedModule;
using analysis::PythonGrammar;

// Grammar ids the shared PythonGrammar does not name.
struct SummaryGrammar {
  TSSymbol relative_import, import_prefix, future_import_statement, wildcard_import;
  TSFieldId field_consequence;

  static const SummaryGrammar& Get() {
    static const SummaryGrammar g = [] {
      const TSLanguage* lang = tree_sitter_python();
      auto symbol = [&](const char* name) {
        return ts_language_symbol_for_name(lang, name, static_cast<uint32_t>(std::strlen(name)),
                                           true);
      };
      SummaryGrammar out;
      out.relative_import = symbol("relative_import");
      out.import_prefix = symbol("import_prefix");
      out.future_import_statement = symbol("future_import_statement");
      out.wildcard_import = symbol("wildcard_import");
      out.field_consequence = ts_language_field_id_for_name(lang, "consequence", 11);
      return out;
    }();
    return g;
  }
};

uint64_t Mix(uint64_t h, uint64_t v) {
  // splitmix64 over the running hash and the next value.
  uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t HashText(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// A dotted name without the spaces or comments `a . b` may hold.
std::string CompactName(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\\' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

// One physical line of code as seen by ARCH008.
struct CodeLine {
  int line = 0;
  int column = 0;
  int scope = 0;
  int tokens = 0;
  uint64_t hash = 0;
  bool starts_statement = false;
};

class Summarizer {
 public:
  explicit Summarizer(const ParsedModule& module)
      : m_(module), g_(PythonGrammar::Get()), s_(SummaryGrammar::Get()) {}

  FileSummary Run() {
    analysis::WalkTree(m_.root(), *this);
    BuildWindows();
    return std::move(out_);
  }

  bool Enter(Node node, TSFieldId field, int depth) {
    Frame frame = depth > 0 ? frames_[depth - 1] : Frame{};
    const Frame parent = frame;
    frame.container = false;
    frame.type_checking_if = false;
    frame.main_if = false;
    const TSSymbol symbol = NodeSymbol(node);
    if (NodeIsExtra(node)) return false;  // comments and line continuations are no code
    if (parent.type_checking_if && field == s_.field_consequence) frame.type_checking = true;
    if (parent.main_if && field == s_.field_consequence) frame.main_guard = true;
    if (parent.container && NodeIsNamed(node)) statement_pending_ = true;
    if (symbol == g_.import_statement || symbol == g_.import_from_statement) {
      RecordImport(node, symbol == g_.import_from_statement, frame);
      statement_pending_ = false;
      return false;
    }
    if (symbol == s_.future_import_statement) {
      statement_pending_ = false;
      return false;
    }
    if (symbol == g_.string || NodeChildCount(node) == 0) {
      AddToken(node, frame.scope);
      return false;
    }
    if (symbol == g_.function_definition || symbol == g_.class_definition) {
      frame.scope = ++scopes_;
      if (symbol == g_.function_definition) frame.in_function = true;
    }
    // The root (module) and blocks hold statements.
    frame.container = depth == 0 || symbol == g_.block;
    if (symbol == g_.if_statement) {
      frame.type_checking_if = IsTypeChecking(node);
      frame.main_if = IsMainGuard(node);
    }
    if (static_cast<int>(frames_.size()) <= depth) frames_.resize(depth + 1);
    frames_[depth] = frame;
    return true;
  }
  void Leave(Node, int) {}

 private:
  struct Frame {
    int scope = 0;
    bool in_function = false;
    bool type_checking = false;     // under `if TYPE_CHECKING:`
    bool type_checking_if = false;  // an `if TYPE_CHECKING:` statement
    bool main_if = false;           // `if __name__ == "__main__":`, `if False:` or `if 0:`
    bool main_guard = false;        // under it: never runs when the module is imported
    bool container = false;         // module or block: its named children are statements
  };

  // `if __name__ == "__main__":` runs only as a script; `if False:` and `if 0:` never.
  bool IsMainGuard(Node if_statement) const {
    const std::string condition = CompactName(m_.Text(Field(if_statement, g_.field_condition)));
    return condition == "__name__==\"__main__\"" || condition == "__name__=='__main__'" ||
           condition == "\"__main__\"==__name__" || condition == "'__main__'==__name__" ||
           condition == "False" || condition == "0";
  }

  bool IsTypeChecking(Node if_statement) const {
    const std::string condition = CompactName(m_.Text(Field(if_statement, g_.field_condition)));
    return condition == "TYPE_CHECKING" || condition.ends_with(".TYPE_CHECKING");
  }

  static Node Field(Node node, TSFieldId field) { return analysis::Field(node, field); }

  // The dotted name an import clause names: `a.b` or the name of `a.b as c`.
  std::string ImportedName(Node clause) const {
    if (analysis::Is(clause, g_.aliased_import)) clause = Field(clause, g_.field_name);
    return CompactName(m_.Text(clause));
  }

  void RecordImport(Node node, bool from, const Frame& frame) {
    if (out_.imports.size() >= kMaxImportsPerModule) return;
    ModuleImport base;
    base.line = analysis::NodeLine(node);
    base.column = analysis::NodeColumn(node, m_.source());
    base.at_import_time = !frame.in_function && !frame.type_checking && !frame.main_guard;
    std::vector<Node> names;
    Node module_name{};
    bool has_module_name = false;
    analysis::ForEachChild(node, [&](Node child, TSFieldId field) {
      if (field == g_.field_module_name) {
        module_name = child;
        has_module_name = true;
      } else if (field == g_.field_name) {
        names.push_back(child);
      }
    });
    if (!from) {
      for (Node name : names) {
        if (out_.imports.size() >= kMaxImportsPerModule) return;
        ModuleImport one = base;
        one.module = ImportedName(name);
        one.column = analysis::NodeColumn(name, m_.source());
        if (!one.module.empty()) out_.imports.push_back(std::move(one));
      }
      return;
    }
    if (!has_module_name) return;
    if (analysis::Is(module_name, s_.relative_import)) {
      analysis::ForEachChild(module_name, [&](Node child, TSFieldId) {
        if (analysis::Is(child, s_.import_prefix)) {
          for (char c : m_.Text(child)) base.level += c == '.' ? 1 : 0;
        } else if (analysis::Is(child, g_.dotted_name)) {
          base.module = CompactName(m_.Text(child));
        }
      });
    } else {
      base.module = CompactName(m_.Text(module_name));
    }
    for (Node name : names) base.names.push_back(ImportedName(name));
    if (base.module.empty() && base.level == 0) return;
    out_.imports.push_back(std::move(base));
  }

  void AddToken(Node leaf, int scope) {
    const std::string_view text = m_.Text(leaf);
    if (text.empty()) return;  // MISSING tokens and the like
    const int line = analysis::NodeLine(leaf);
    if (lines_.empty() || lines_.back().line != line || lines_.back().scope != scope) {
      CodeLine& fresh = lines_.emplace_back();
      fresh.line = line;
      fresh.column = analysis::NodeColumn(leaf, m_.source());
      fresh.scope = scope;
    }
    CodeLine& current = lines_.back();
    if (statement_pending_) {
      current.starts_statement = true;
      statement_pending_ = false;
    }
    current.hash = Mix(current.hash, HashText(text));
    ++current.tokens;
  }

  void BuildWindows() {
    const size_t n = lines_.size();
    for (size_t i = 0; i + kWindowLines <= n && out_.windows.size() < kMaxWindowsPerModule; ++i) {
      if (!lines_[i].starts_statement) continue;
      uint64_t hash = 0;
      int tokens = 0;
      bool one_scope = true;
      for (size_t k = i; k < i + kWindowLines; ++k) {
        one_scope = one_scope && lines_[k].scope == lines_[i].scope;
        hash = Mix(hash, lines_[k].hash);
        tokens += lines_[k].tokens;
      }
      if (!one_scope || tokens < kMinWindowTokens) continue;
      out_.windows.push_back(
          BlockWindow{hash, lines_[i].line, lines_[i + kWindowLines - 1].line, lines_[i].column});
    }
  }

  const ParsedModule& m_;
  const PythonGrammar& g_;
  const SummaryGrammar& s_;
  std::vector<Frame> frames_;
  std::vector<CodeLine> lines_;
  bool statement_pending_ = false;
  int scopes_ = 0;
  FileSummary out_;
};

}  // namespace

FileSummary SummarizeModule(const ParsedModule& module) { return Summarizer(module).Run(); }

}  // namespace conclave::architecture
