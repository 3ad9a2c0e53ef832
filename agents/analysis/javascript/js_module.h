// JsModule: one JavaScript file (.js, .mjs, .cjs) parsed once with tree-sitter-javascript and
// indexed in a single iterative pass, the JavaScript counterpart of ParsedModule. The index
// holds the functions (declarations, expressions, arrows, methods), calls (`f()` and `new F()`),
// assignments, variable declarators, member expressions, template strings, object pairs,
// returns and comments, each with its enclosing function, and the module's imports: `require(...)` and
// `import` bindings, so that `cp.exec`, `exec` or `require('child_process').exec` all resolve to
// "child_process.exec"; `const run = util.promisify(exec)` makes `run` child_process.exec.
// A JsModule borrows its source text, which must outlive it. Immutable once built; safe to read
// from several threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agents/analysis/parsed_module.h"
#include "agents/analysis/syntax_tree.h"

extern "C" const TSLanguage* tree_sitter_javascript();

namespace conclave::analysis::javascript {

// Parses JavaScript with a parser owned by the calling thread; DeadlineExceeded past `timeout`.
absl::StatusOr<TreeHandle> ParseJavaScript(std::string_view source,
                                        absl::Duration timeout = absl::Seconds(10));

// Symbol and field ids of the JavaScript grammar, looked up once by name.
struct JsGrammar {
  static const JsGrammar& Get();

  TSSymbol identifier, property_identifier, shorthand_property_identifier,
      shorthand_property_identifier_pattern, member_expression, subscript_expression,
      call_expression, new_expression, arguments, string, string_fragment, template_string,
      template_substitution, number, true_, false_, null, undefined, object, pair, array,
      object_pattern, array_pattern, pair_pattern, object_assignment_pattern, assignment_pattern,
      rest_pattern, binary_expression, unary_expression, ternary_expression,
      parenthesized_expression, await_expression, sequence_expression, spread_element,
      assignment_expression, augmented_assignment_expression, variable_declarator,
      function_declaration, function_expression, generator_function_declaration,
      generator_function, arrow_function, method_definition, formal_parameters, class_body,
      import_statement, import_clause, named_imports, namespace_import, import_specifier,
      statement_block, return_statement, if_statement, comment, regex, error;
  TSFieldId field_name, field_value, field_left, field_right, field_function, field_arguments,
      field_object, field_property, field_index, field_operator, field_key, field_body,
      field_parameters, field_source, field_alias, field_constructor, field_condition,
      field_consequence, field_alternative, field_argument;
};

struct JsFunction {
  Node node;
  // The declared name, the method name, or the name of the variable, property or assignment
  // target an anonymous function is bound to; empty for an anonymous callback.
  std::string_view name;
  int parent = -1;  // index in functions() of the enclosing function, -1 at module level
  int first_line = 0;
  int last_line = 0;
};

// A node and the index in functions() of its innermost enclosing function (-1: module level).
struct JsSite {
  Node node;
  int function = -1;
};

class JsModule : public SourceModule {
 public:
  // Parses and indexes `source`. DeadlineExceeded when parsing times out; a file with syntax
  // errors is returned with has_error() true and the first error's position.
  static absl::StatusOr<JsModule> Parse(std::string path, std::string_view source);

  JsModule(JsModule&&) = default;
  JsModule& operator=(JsModule&&) = default;

  const std::vector<JsFunction>& functions() const { return functions_; }
  // call_expression and new_expression nodes.
  const std::vector<JsSite>& calls() const { return calls_; }
  // assignment_expression and augmented_assignment_expression nodes.
  const std::vector<JsSite>& assignments() const { return assignments_; }
  const std::vector<JsSite>& declarators() const { return declarators_; }
  const std::vector<JsSite>& members() const { return members_; }
  const std::vector<JsSite>& templates() const { return templates_; }
  const std::vector<JsSite>& pairs() const { return pairs_; }
  // string literals (not template strings).
  const std::vector<JsSite>& strings() const { return strings_; }
  // return statements, with the function they return from.
  const std::vector<JsSite>& returns() const { return returns_; }

  // The dotted name an expression (identifier or member chain) refers to, with its head
  // resolved through the imports: with `const cp = require('child_process')`, `cp.exec` gives
  // "child_process.exec"; `require('fs').readFile` gives "fs.readFile"; `this.x` gives
  // "this.x". Module names lose a "node:" prefix. Empty when the expression is not such a
  // chain (a call result, a computed member).
  std::string ResolvedName(Node expression) const;
  // ResolvedName of a call's callee (call_expression) or constructor (new_expression).
  std::string CalleeName(Node call) const;
  // The callee's last name: "query" for `db.query(...)`, "eval" for `eval(...)`.
  std::string_view MethodName(Node call) const;
  // The module an import binds `local` to ("child_process", "child_process.exec"); empty when
  // `local` is not bound by an import or require.
  std::string_view ImportOf(std::string_view local) const;

  // Name of the function at `index` for messages, or "<module>" for -1.
  std::string_view FunctionName(int index) const;

 private:
  class Indexer;
  JsModule(std::string path, std::string_view source, TreeHandle tree);
  void RecordRequire(Node declarator);
  bool RecordPromisify(Node declarator, Node call);
  void RecordImport(Node import_statement);

  std::vector<JsFunction> functions_;
  std::vector<JsSite> calls_, assignments_, declarators_, members_, templates_, pairs_,
      strings_, returns_;
  absl::flat_hash_map<std::string, std::string> imports_;
};

// The text of a string literal without its quotes (escapes as written); empty for other nodes.
std::string_view StringValue(Node string, std::string_view source);

// `node` without enclosing parentheses.
Node StripParens(Node node);

// The argument at `index` (0-based, spread elements included) of a call's arguments node.
Node Argument(Node call, int index);

// The value of property `key` in an object literal (`{key: v}` or shorthand `{key}`); null when
// absent or when `object` is not an object literal.
Node PropertyValue(Node object, std::string_view key, std::string_view source);

}  // namespace conclave::analysis::javascript
