#include "agents/analysis/javascript/js_module.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace conclave::analysis::javascript {
namespace {

JsModule Parse(const std::string& source) {
  absl::StatusOr<JsModule> m = JsModule::Parse("app.js", source);
  EXPECT_TRUE(m.ok()) << m.status();
  return std::move(*m);
}

// Resolved callee names of every call, in document order.
std::vector<std::string> Callees(const JsModule& m) {
  std::vector<std::string> out;
  for (const JsSite& c : m.calls()) out.push_back(m.CalleeName(c.node));
  return out;
}

TEST(JsModuleTest, ResolvesRequireAndImportBindings) {
  const std::string src =
      "const cp = require('child_process');\n"
      "const { execSync, spawn: run } = require('node:child_process');\n"
      "const execFile = require('child_process').execFile;\n"
      "import fs from 'fs';\n"
      "import * as vm from 'vm';\n"
      "import { exec as sh, default as d } from 'child_process';\n"
      "cp.exec(a); execSync(b); run(c); execFile(d1); fs.readFile(p); vm.runInNewContext(x);\n"
      "sh(y); require('fs').unlinkSync(z); d.exec(w); local.exec(v);\n";
  std::string code = src;
  const JsModule m = Parse(code);
  EXPECT_FALSE(m.has_error());
  const std::vector<std::string> callees = Callees(m);
  // require(...) calls themselves are calls too; keep the ones after the imports.
  const std::vector<std::string> tail(callees.end() - 11, callees.end());
  EXPECT_EQ(tail, (std::vector<std::string>{
                      "child_process.exec", "child_process.execSync", "child_process.spawn",
                      "child_process.execFile", "fs.readFile", "vm.runInNewContext",
                      "child_process.exec", "fs.unlinkSync", "require", "child_process.exec",
                      "local.exec"}));
  EXPECT_EQ(m.ImportOf("cp"), "child_process");
  EXPECT_EQ(m.ImportOf("run"), "child_process.spawn");
  EXPECT_EQ(m.ImportOf("local"), "");
}

TEST(JsModuleTest, IndexesFunctionsWithTheirNamesAndNesting) {
  const std::string code =
      "function top(a) {\n"
      "  const inner = (b) => b + 1;\n"
      "  return inner(a);\n"
      "}\n"
      "class Repo { find(id) { return db.query(id); } }\n"
      "app.get('/', function (req, res) { res.send('ok'); });\n"
      "exports.handler = async () => {};\n";
  const JsModule m = Parse(code);
  ASSERT_EQ(m.functions().size(), 5u);
  EXPECT_EQ(m.functions()[0].name, "top");
  EXPECT_EQ(m.functions()[0].first_line, 1);
  EXPECT_EQ(m.functions()[0].last_line, 4);
  EXPECT_EQ(m.functions()[1].name, "inner");
  EXPECT_EQ(m.functions()[1].parent, 0);
  EXPECT_EQ(m.functions()[2].name, "find");
  EXPECT_EQ(m.functions()[3].name, "");
  EXPECT_EQ(m.FunctionName(3), "<anonymous>");
  EXPECT_EQ(m.functions()[4].name, "handler");
  EXPECT_EQ(m.FunctionName(-1), "<module>");
  // db.query(id) is inside find.
  bool found = false;
  for (const JsSite& c : m.calls()) {
    if (m.CalleeName(c.node) == "db.query") {
      EXPECT_EQ(c.function, 2);
      EXPECT_EQ(m.MethodName(c.node), "query");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(JsModuleTest, IndexesDeclaratorsAssignmentsMembersTemplatesAndComments) {
  const std::string code =
      "let q = `SELECT ${id}`; // a comment\n"
      "q += ' LIMIT 1';\n"
      "el.innerHTML = q;\n"
      "const o = { key: 'v', 'x': 1 };\n"
      "const s = new Set();\n";
  const JsModule m = Parse(code);
  EXPECT_EQ(m.declarators().size(), 3u);
  EXPECT_EQ(m.assignments().size(), 2u);
  EXPECT_EQ(m.templates().size(), 1u);
  EXPECT_EQ(m.pairs().size(), 2u);
  EXPECT_EQ(m.comments().size(), 1u);
  EXPECT_EQ(m.members().size(), 1u);  // el.innerHTML
  ASSERT_EQ(m.calls().size(), 1u);    // new Set()
  EXPECT_EQ(m.CalleeName(m.calls()[0].node), "Set");
}

TEST(JsModuleTest, HelpersReadArgumentsStringsAndProperties) {
  const std::string code = "f('a\\'b', { root: dir, shell }, ...rest);\n";
  const JsModule m = Parse(code);
  ASSERT_EQ(m.calls().size(), 1u);
  const Node call = m.calls()[0].node;
  EXPECT_EQ(StringValue(Argument(call, 0), m.source()), "a\\'b");
  EXPECT_EQ(m.Text(PropertyValue(Argument(call, 1), "root", m.source())), "dir");
  EXPECT_EQ(m.Text(PropertyValue(Argument(call, 1), "shell", m.source())), "shell");
  EXPECT_TRUE(NodeIsNull(PropertyValue(Argument(call, 1), "secure", m.source())));
  EXPECT_EQ(m.Text(Argument(call, 2)), "...rest");
  EXPECT_TRUE(NodeIsNull(Argument(call, 3)));
}

TEST(JsModuleTest, SyntaxErrorIsReportedWithItsPosition) {
  const std::string code = "const a = 1;\nfunction f( {\n  return 2;\n}\n";
  const JsModule m = Parse(code);
  EXPECT_TRUE(m.has_error());
  EXPECT_GE(m.first_error().line, 2);
  EXPECT_GE(m.first_error().column, 1);
  const JsModule ok = Parse("export const x = async () => { await y?.z ?? 1; };\n");
  EXPECT_FALSE(ok.has_error());
}

TEST(JsModuleTest, DeepNestingIsIndexedWithoutRecursion) {
  std::string code = "x = ";
  for (int i = 0; i < 20000; ++i) code += "(";
  code += "1";
  for (int i = 0; i < 20000; ++i) code += ")";
  code += ";\n";
  std::string chain = "a";
  for (int i = 0; i < 5000; ++i) chain += ".b";
  code += chain + "();\n";
  const JsModule m = Parse(code);
  ASSERT_EQ(m.calls().size(), 1u);
  EXPECT_EQ(m.CalleeName(m.calls()[0].node), "") << "chains past the budget are not resolved";
}

}  // namespace
}  // namespace conclave::analysis::javascript
