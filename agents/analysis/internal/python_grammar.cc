#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "agents/analysis/internal/python_parser_internal.h"

namespace conclave::analysis::internal {

Grammar::Grammar() : language(tree_sitter_python()) {
  const uint32_t count = ts_language_symbol_count(language);
  named.resize(count + 1);
  for (uint32_t i = 0; i < count; ++i) {
    named[i] = ts_language_symbol_type(language, static_cast<TSSymbol>(i)) ==
               TSSymbolTypeRegular;
  }
  // Operators and keywords are anonymous tokens of the grammar, but for `...`, `True`,
  // `False` and `None` (the named leaves ellipsis, true, false and none): those stay 0.
  for (int i = 0; i < op::kOpCount; ++i) {
    const char* name = op::kOpNames[i];
    ops[i] = ts_language_symbol_for_name(language, name,
                                         static_cast<uint32_t>(std::strlen(name)), false);
  }
  module = Named("module");
  expression_statement = Named("expression_statement");
  assignment = Named("assignment");
  augmented_assignment = Named("augmented_assignment");
  pattern_list = Named("pattern_list");
  expression_list = Named("expression_list");
  identifier = Named("identifier");
  integer = Named("integer");
  float_ = Named("float");
  true_ = Named("true");
  false_ = Named("false");
  none = Named("none");
  string = Named("string");
  string_start = Named("string_start");
  string_content = Named("string_content");
  string_end = Named("string_end");
  escape_sequence = Named("escape_sequence");
  escape_interpolation = Named("escape_interpolation");
  not_escape = Anonymous("\\");
  interpolation = Named("interpolation");
  format_specifier = Named("format_specifier");
  format_expression = Named("format_expression");
  type_conversion = Named("type_conversion");
  concatenated_string = Named("concatenated_string");
  call = Named("call");
  argument_list = Named("argument_list");
  keyword_argument = Named("keyword_argument");
  list_splat = Named("list_splat");
  dictionary_splat = Named("dictionary_splat");
  attribute = Named("attribute");
  subscript = Named("subscript");
  slice = Named("slice");
  ellipsis = Named("ellipsis");
  list = Named("list");
  tuple = Named("tuple");
  set = Named("set");
  dictionary = Named("dictionary");
  pair = Named("pair");
  list_comprehension = Named("list_comprehension");
  set_comprehension = Named("set_comprehension");
  dictionary_comprehension = Named("dictionary_comprehension");
  generator_expression = Named("generator_expression");
  for_in_clause = Named("for_in_clause");
  if_clause = Named("if_clause");
  parenthesized_expression = Named("parenthesized_expression");
  binary_operator = Named("binary_operator");
  unary_operator = Named("unary_operator");
  not_operator = Named("not_operator");
  boolean_operator = Named("boolean_operator");
  comparison_operator = Named("comparison_operator");
  not_in = Anonymous("not in");
  is_not = Anonymous("is not");
  conditional_expression = Named("conditional_expression");
  lambda = Named("lambda");
  lambda_parameters = Named("lambda_parameters");
  named_expression = Named("named_expression");
  await = Named("await");
  yield = Named("yield");
  list_splat_pattern = Named("list_splat_pattern");
  dictionary_splat_pattern = Named("dictionary_splat_pattern");
  tuple_pattern = Named("tuple_pattern");
  list_pattern = Named("list_pattern");
  as_pattern = Named("as_pattern");
  as_pattern_target = Named("as_pattern_target");
  import_statement = Named("import_statement");
  import_from_statement = Named("import_from_statement");
  future_import_statement = Named("future_import_statement");
  relative_import = Named("relative_import");
  import_prefix = Named("import_prefix");
  dotted_name = Named("dotted_name");
  aliased_import = Named("aliased_import");
  wildcard_import = Named("wildcard_import");
  assert_statement = Named("assert_statement");
  return_statement = Named("return_statement");
  delete_statement = Named("delete_statement");
  raise_statement = Named("raise_statement");
  pass_statement = Named("pass_statement");
  break_statement = Named("break_statement");
  continue_statement = Named("continue_statement");
  global_statement = Named("global_statement");
  nonlocal_statement = Named("nonlocal_statement");
  if_statement = Named("if_statement");
  elif_clause = Named("elif_clause");
  else_clause = Named("else_clause");
  for_statement = Named("for_statement");
  while_statement = Named("while_statement");
  try_statement = Named("try_statement");
  except_clause = Named("except_clause");
  finally_clause = Named("finally_clause");
  with_statement = Named("with_statement");
  with_clause = Named("with_clause");
  with_item = Named("with_item");
  function_definition = Named("function_definition");
  parameters = Named("parameters");
  default_parameter = Named("default_parameter");
  typed_parameter = Named("typed_parameter");
  typed_default_parameter = Named("typed_default_parameter");
  keyword_separator = Named("keyword_separator");
  positional_separator = Named("positional_separator");
  class_definition = Named("class_definition");
  decorated_definition = Named("decorated_definition");
  decorator = Named("decorator");
  block = Named("block");
  type = Named("type");
  generic_type = Named("generic_type");
  type_parameter = Named("type_parameter");
  union_type = Named("union_type");
  comment = Named("comment");
  line_continuation = Named("line_continuation");
  f_left = Field("left");
  f_right = Field("right");
  f_type = Field("type");
  f_operator = Field("operator");
  f_name = Field("name");
  f_value = Field("value");
  f_alias = Field("alias");
  f_module_name = Field("module_name");
  f_argument = Field("argument");
  f_operators = Field("operators");
  f_function = Field("function");
  f_arguments = Field("arguments");
  f_object = Field("object");
  f_attribute = Field("attribute");
  f_subscript = Field("subscript");
  f_body = Field("body");
  f_condition = Field("condition");
  f_consequence = Field("consequence");
  f_alternative = Field("alternative");
  f_parameters = Field("parameters");
  f_return_type = Field("return_type");
  f_superclasses = Field("superclasses");
  f_definition = Field("definition");
  f_cause = Field("cause");
  f_key = Field("key");
  f_expression = Field("expression");
  f_type_conversion = Field("type_conversion");
  f_format_specifier = Field("format_specifier");
}

const Grammar& Grammar::Get() {
  static const Grammar* grammar = new Grammar();
  return *grammar;
}

TSSymbol Grammar::Lookup(const char* name, bool is_named) {
  const TSSymbol id = ts_language_symbol_for_name(
      language, name, static_cast<uint32_t>(std::strlen(name)), is_named);
  if (id == 0) Missing(name);
  return id;
}

TSFieldId Grammar::Field(const char* name) {
  const TSFieldId id =
      ts_language_field_id_for_name(language, name, static_cast<uint32_t>(std::strlen(name)));
  if (id == 0) Missing(name);
  return id;
}

// The grammar is compiled into the binary, so a missing name is a build defect.
void Grammar::Missing(const char* name) {
  std::fprintf(stderr, "the Python grammar has no node, token or field named '%s'\n", name);
  std::abort();
}

}  // namespace conclave::analysis::internal
