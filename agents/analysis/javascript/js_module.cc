#include "agents/analysis/javascript/js_module.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace conclave::analysis::javascript {
namespace {

// A member chain deeper than this is not resolved (generated code can chain thousands).
constexpr int kMaxChain = 64;

struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};

TSParser* ThreadParser() {
  thread_local std::unique_ptr<TSParser, ParserDeleter> parser = [] {
    std::unique_ptr<TSParser, ParserDeleter> p(ts_parser_new());
    if (!ts_parser_set_language(p.get(), tree_sitter_javascript())) {
      std::fprintf(stderr, "tree-sitter rejected the JavaScript grammar's ABI version\n");
      std::abort();
    }
    return p;
  }();
  return parser.get();
}

// The grammar is compiled into the binary, so a missing name is a build defect.
[[noreturn]] void Missing(const char* name) {
  std::fprintf(stderr, "the JavaScript grammar has no node or field named '%s'\n", name);
  std::abort();
}

TSSymbol Sym(const char* name, bool named = true) {
  const TSSymbol id =
      ts_language_symbol_for_name(tree_sitter_javascript(), name, std::strlen(name), named);
  if (id == 0) Missing(name);
  return id;
}

TSFieldId Fld(const char* name) {
  const TSFieldId id =
      ts_language_field_id_for_name(tree_sitter_javascript(), name, std::strlen(name));
  if (id == 0) Missing(name);
  return id;
}

JsGrammar LookUpGrammar() {
  JsGrammar g;
  g.identifier = Sym("identifier");
  g.property_identifier = Sym("property_identifier");
  g.shorthand_property_identifier = Sym("shorthand_property_identifier");
  g.shorthand_property_identifier_pattern = Sym("shorthand_property_identifier_pattern");
  g.member_expression = Sym("member_expression");
  g.subscript_expression = Sym("subscript_expression");
  g.call_expression = Sym("call_expression");
  g.new_expression = Sym("new_expression");
  g.arguments = Sym("arguments");
  g.string = Sym("string");
  g.string_fragment = Sym("string_fragment");
  g.template_string = Sym("template_string");
  g.template_substitution = Sym("template_substitution");
  g.number = Sym("number");
  g.true_ = Sym("true");
  g.false_ = Sym("false");
  g.null = Sym("null");
  g.undefined = Sym("undefined");
  g.object = Sym("object");
  g.pair = Sym("pair");
  g.array = Sym("array");
  g.object_pattern = Sym("object_pattern");
  g.array_pattern = Sym("array_pattern");
  g.pair_pattern = Sym("pair_pattern");
  g.object_assignment_pattern = Sym("object_assignment_pattern");
  g.assignment_pattern = Sym("assignment_pattern");
  g.rest_pattern = Sym("rest_pattern");
  g.binary_expression = Sym("binary_expression");
  g.unary_expression = Sym("unary_expression");
  g.ternary_expression = Sym("ternary_expression");
  g.parenthesized_expression = Sym("parenthesized_expression");
  g.await_expression = Sym("await_expression");
  g.sequence_expression = Sym("sequence_expression");
  g.spread_element = Sym("spread_element");
  g.assignment_expression = Sym("assignment_expression");
  g.augmented_assignment_expression = Sym("augmented_assignment_expression");
  g.variable_declarator = Sym("variable_declarator");
  g.function_declaration = Sym("function_declaration");
  g.function_expression = Sym("function_expression");
  g.generator_function_declaration = Sym("generator_function_declaration");
  g.generator_function = Sym("generator_function");
  g.arrow_function = Sym("arrow_function");
  g.method_definition = Sym("method_definition");
  g.formal_parameters = Sym("formal_parameters");
  g.class_body = Sym("class_body");
  g.import_statement = Sym("import_statement");
  g.import_clause = Sym("import_clause");
  g.named_imports = Sym("named_imports");
  g.namespace_import = Sym("namespace_import");
  g.import_specifier = Sym("import_specifier");
  g.statement_block = Sym("statement_block");
  g.return_statement = Sym("return_statement");
  g.if_statement = Sym("if_statement");
  g.comment = Sym("comment");
  g.regex = Sym("regex");
  g.error = Sym("ERROR");
  g.field_name = Fld("name");
  g.field_value = Fld("value");
  g.field_left = Fld("left");
  g.field_right = Fld("right");
  g.field_function = Fld("function");
  g.field_arguments = Fld("arguments");
  g.field_object = Fld("object");
  g.field_property = Fld("property");
  g.field_index = Fld("index");
  g.field_operator = Fld("operator");
  g.field_key = Fld("key");
  g.field_body = Fld("body");
  g.field_parameters = Fld("parameters");
  g.field_source = Fld("source");
  g.field_alias = Fld("alias");
  g.field_constructor = Fld("constructor");
  g.field_condition = Fld("condition");
  g.field_consequence = Fld("consequence");
  g.field_alternative = Fld("alternative");
  g.field_argument = Fld("argument");
  return g;
}

bool IsFunctionSymbol(const JsGrammar& g, TSSymbol s) {
  return s == g.function_declaration || s == g.function_expression ||
         s == g.generator_function_declaration || s == g.generator_function ||
         s == g.arrow_function || s == g.method_definition;
}

// "child_process" for 'child_process' and 'node:child_process'.
std::string ModuleName(std::string_view literal) {
  if (literal.starts_with("node:")) literal.remove_prefix(5);
  return std::string(literal);
}

std::string Join(std::string_view head, std::string_view tail) {
  std::string out(head);
  out.append(".").append(tail);
  return out;
}

}  // namespace

const JsGrammar& JsGrammar::Get() {
  static const JsGrammar grammar = LookUpGrammar();
  return grammar;
}

absl::StatusOr<TreeHandle> ParseJavaScript(std::string_view source, absl::Duration timeout) {
  return ParseWith(ThreadParser(), source, timeout);
}

std::string_view StringValue(Node string, std::string_view source) {
  if (!Is(string, JsGrammar::Get().string)) return {};
  std::string_view text = NodeText(string, source);
  if (text.size() < 2) return {};
  return text.substr(1, text.size() - 2);
}

Node StripParens(Node node) {
  const JsGrammar& g = JsGrammar::Get();
  for (int i = 0; i < kMaxChain && Is(node, g.parenthesized_expression); ++i) {
    node = NodeNamedChild(node, 0);
  }
  return node;
}

Node Argument(Node call, int index) {
  const Node args = Field(call, JsGrammar::Get().field_arguments);
  Node found = {};
  if (NodeIsNull(args)) return found;
  int seen = 0;
  ForEachChild(args, [&](Node child, TSFieldId) {
    if (!NodeIsNull(found) || !NodeIsNamed(child) || NodeIsExtra(child)) return;
    if (seen++ == index) found = child;
  });
  return found;
}

Node PropertyValue(Node object, std::string_view key, std::string_view source) {
  const JsGrammar& g = JsGrammar::Get();
  Node found = {};
  object = StripParens(object);
  if (!Is(object, g.object)) return found;
  ForEachChild(object, [&](Node child, TSFieldId) {
    if (Is(child, g.shorthand_property_identifier) && NodeText(child, source) == key) {
      found = child;
    } else if (Is(child, g.pair)) {
      const Node k = Field(child, g.field_key);
      std::string_view name = NodeIsNull(k) ? std::string_view() : NodeText(k, source);
      if (Is(k, g.string)) name = StringValue(k, source);
      if (name == key) found = Field(child, g.field_value);
    }
  });
  return found;
}

// Builds the index in one WalkTree pass; each depth has a frame with the enclosing function its
// children see.
class JsModule::Indexer {
 public:
  explicit Indexer(JsModule& module)
      : m_(module), g_(JsGrammar::Get()), tree_has_error_(NodeHasError(module.root())) {}

  bool Enter(Node node, TSFieldId, int depth) {
    if (tree_has_error_) NoteError(node);
    if (!NodeIsNamed(node)) return false;
    int function = depth == 0 ? -1 : functions_[depth - 1];
    const JsSite site{node, function};
    const TSSymbol s = NodeSymbol(node);
    if (s == g_.call_expression || s == g_.new_expression) {
      m_.calls_.push_back(site);
    } else if (s == g_.member_expression) {
      m_.members_.push_back(site);
    } else if (s == g_.assignment_expression || s == g_.augmented_assignment_expression) {
      m_.assignments_.push_back(site);
    } else if (s == g_.variable_declarator) {
      m_.declarators_.push_back(site);
      m_.RecordRequire(node);
    } else if (s == g_.template_string) {
      m_.templates_.push_back(site);
    } else if (s == g_.pair) {
      m_.pairs_.push_back(site);
    } else if (s == g_.string) {
      m_.strings_.push_back(site);
    } else if (s == g_.return_statement) {
      m_.returns_.push_back(site);
    } else if (s == g_.comment) {
      m_.comments_.push_back(node);
    } else if (s == g_.import_statement) {
      m_.RecordImport(node);
    } else if (IsFunctionSymbol(g_, s)) {
      function = AddFunction(node, function);
    }
    if (static_cast<int>(functions_.size()) <= depth) functions_.resize(depth + 1);
    functions_[depth] = function;
    return true;
  }
  void Leave(Node, int) {}

 private:
  void NoteError(Node node) {
    if (m_.has_error_) return;
    const bool missing = NodeIsMissing(node);
    if (!missing && NodeSymbol(node) != g_.error) return;
    m_.has_error_ = true;
    m_.first_error_missing_ = missing;
    m_.first_error_ = m_.Locate(node);
  }

  int AddFunction(Node node, int parent) {
    JsFunction f{node, m_.Text(Field(node, g_.field_name)), parent, NodeLine(node),
                 NodeLastLine(node)};
    if (f.name.empty()) f.name = BoundName(node);
    m_.functions_.push_back(f);
    return static_cast<int>(m_.functions_.size()) - 1;
  }

  // `const handler = () => {}`, `{ handler: function () {} }`, `exports.handler = ...`.
  std::string_view BoundName(Node function) const {
    const Node parent = NodeParent(function);
    if (Is(parent, g_.variable_declarator)) return m_.Text(Field(parent, g_.field_name));
    if (Is(parent, g_.pair)) return m_.Text(Field(parent, g_.field_key));
    if (Is(parent, g_.assignment_expression)) {
      Node left = Field(parent, g_.field_left);
      if (Is(left, g_.member_expression)) left = Field(left, g_.field_property);
      return m_.Text(left);
    }
    return {};
  }

  JsModule& m_;
  const JsGrammar& g_;
  const bool tree_has_error_;
  std::vector<int> functions_;  // per depth: the function the node's children are in
};

JsModule::JsModule(std::string path, std::string_view source, TreeHandle tree)
    : SourceModule(std::move(path), source, std::move(tree)) {}

absl::StatusOr<JsModule> JsModule::Parse(std::string path, std::string_view source) {
  absl::StatusOr<TreeHandle> tree = ParseJavaScript(source);
  if (!tree.ok()) return tree.status();
  JsModule module(std::move(path), source, std::move(*tree));
  Indexer indexer(module);
  WalkTree(module.root(), indexer);
  return module;
}

// `const cp = require('child_process')`, `const {exec, spawn: sp} = require('child_process')`,
// `const exec = require('child_process').exec`.
void JsModule::RecordRequire(Node declarator) {
  const JsGrammar& g = JsGrammar::Get();
  Node value = StripParens(Field(declarator, g.field_value));
  std::string member;
  if (Is(value, g.member_expression)) {
    member = std::string(Text(Field(value, g.field_property)));
    value = StripParens(Field(value, g.field_object));
  }
  if (Is(value, g.call_expression) && member.empty() && RecordPromisify(declarator, value)) return;
  if (!Is(value, g.call_expression) || Text(Field(value, g.field_function)) != "require") return;
  const Node source = Argument(value, 0);
  if (!Is(source, g.string)) return;
  std::string module = ModuleName(StringValue(source, source_));
  if (!member.empty()) module = Join(module, member);
  const Node name = Field(declarator, g.field_name);
  if (Is(name, g.identifier)) {
    imports_[std::string(Text(name))] = module;
    return;
  }
  if (!Is(name, g.object_pattern)) return;
  ForEachChild(name, [&](Node child, TSFieldId) {
    if (Is(child, g.shorthand_property_identifier_pattern)) {
      imports_[std::string(Text(child))] = Join(module, Text(child));
    } else if (Is(child, g.pair_pattern)) {
      const Node local = Field(child, g.field_value);
      if (Is(local, g.identifier)) {
        imports_[std::string(Text(local))] = Join(module, Text(Field(child, g.field_key)));
      }
    }
  });
}

// `const run = util.promisify(cp.exec)` or `promisify(exec)`: `run` calls child_process.exec.
bool JsModule::RecordPromisify(Node declarator, Node call) {
  const JsGrammar& g = JsGrammar::Get();
  const std::string callee = ResolvedName(Field(call, g.field_function));
  if (callee != "util.promisify" && callee != "promisify") return false;
  const Node name = Field(declarator, g.field_name);
  const std::string wrapped = ResolvedName(Argument(call, 0));
  if (!Is(name, g.identifier) || wrapped.empty() || wrapped.find('.') == std::string::npos) {
    return false;
  }
  imports_[std::string(Text(name))] = wrapped;
  return true;
}

// `import cp from 'child_process'`, `import * as cp from ...`, `import {exec as run} from ...`.
void JsModule::RecordImport(Node statement) {
  const JsGrammar& g = JsGrammar::Get();
  const Node source = Field(statement, g.field_source);
  if (!Is(source, g.string)) return;
  const std::string module = ModuleName(StringValue(source, source_));
  ForEachChild(statement, [&](Node clause, TSFieldId) {
    if (!Is(clause, g.import_clause)) return;
    ForEachChild(clause, [&](Node part, TSFieldId) {
      if (Is(part, g.identifier)) {
        imports_[std::string(Text(part))] = module;
      } else if (Is(part, g.namespace_import)) {
        const Node local = NodeNamedChild(part, 0);
        if (Is(local, g.identifier)) imports_[std::string(Text(local))] = module;
      } else if (Is(part, g.named_imports)) {
        ForEachChild(part, [&](Node spec, TSFieldId) {
          if (!Is(spec, g.import_specifier)) return;
          const Node name = Field(spec, g.field_name);
          const Node alias = Field(spec, g.field_alias);
          std::string_view imported = Is(name, g.string) ? StringValue(name, source_) : Text(name);
          const std::string_view local = NodeIsNull(alias) ? Text(name) : Text(alias);
          imports_[std::string(local)] =
              imported == "default" ? module : Join(module, imported);
        });
      }
    });
  });
}

std::string JsModule::ResolvedName(Node expression) const {
  const JsGrammar& g = JsGrammar::Get();
  std::vector<std::string_view> tail;
  Node node = StripParens(expression);
  for (int i = 0; i < kMaxChain; ++i) {
    if (Is(node, g.member_expression)) {
      tail.push_back(Text(Field(node, g.field_property)));
      node = StripParens(Field(node, g.field_object));
      continue;
    }
    std::string head;
    if (Is(node, g.identifier)) {
      const std::string_view name = Text(node);
      const std::string_view imported = ImportOf(name);
      head = std::string(imported.empty() ? name : imported);
    } else if (std::string_view(NodeType(node)) == "this") {
      head = "this";
    } else if (Is(node, g.call_expression) &&
               Text(Field(node, g.field_function)) == "require" &&
               Is(Argument(node, 0), g.string)) {
      head = ModuleName(StringValue(Argument(node, 0), source_));
    } else {
      return {};
    }
    for (auto it = tail.rbegin(); it != tail.rend(); ++it) head = Join(head, *it);
    return head;
  }
  return {};
}

std::string JsModule::CalleeName(Node call) const {
  const JsGrammar& g = JsGrammar::Get();
  const Node callee = Is(call, g.new_expression) ? Field(call, g.field_constructor)
                                                   : Field(call, g.field_function);
  return ResolvedName(callee);
}

std::string_view JsModule::MethodName(Node call) const {
  const JsGrammar& g = JsGrammar::Get();
  Node callee = StripParens(Is(call, g.new_expression) ? Field(call, g.field_constructor)
                                                         : Field(call, g.field_function));
  if (Is(callee, g.member_expression)) return Text(Field(callee, g.field_property));
  if (Is(callee, g.identifier)) return Text(callee);
  return {};
}

std::string_view JsModule::ImportOf(std::string_view local) const {
  const auto it = imports_.find(std::string(local));
  return it == imports_.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view JsModule::FunctionName(int index) const {
  if (index < 0 || index >= static_cast<int>(functions_.size())) return "<module>";
  const std::string_view name = functions_[index].name;
  return name.empty() ? "<anonymous>" : name;
}

}  // namespace conclave::analysis::javascript
