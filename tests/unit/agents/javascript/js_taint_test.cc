#include "agents/analysis/javascript/js_taint.h"

#include <gtest/gtest.h>

#include <string>

namespace conclave::analysis::javascript {
namespace {

// The value of the first argument of the last call named `sink` in `code`.
JsValue SinkValue(const std::string& code, const std::string& sink = "sink") {
  absl::StatusOr<JsModule> m = JsModule::Parse("app.js", code);
  EXPECT_TRUE(m.ok());
  const JsTaint taint(*m);
  JsValue out;
  bool found = false;
  for (const JsSite& c : m->calls()) {
    if (m->CalleeName(c.node) != sink) continue;
    out = taint.Evaluate(Argument(c.node, 0), c.function);
    found = true;
  }
  EXPECT_TRUE(found) << "no call to " << sink;
  return out;
}

TEST(JsTaintTest, RequestSourcesFlowThroughStringsAndDestructuring) {
  JsValue v = SinkValue(
      "app.get('/', (req, res) => {\n"
      "  const { id, name: n } = req.query;\n"
      "  const q = `x ${n}`;\n"
      "  let s = 'a';\n"
      "  s += q;\n"
      "  sink(s.trim());\n"
      "});\n");
  EXPECT_EQ(v.origin, Origin::kRequest);
  EXPECT_EQ(v.source_line, 2);
  EXPECT_EQ(v.source_text, "req.query");

  v = SinkValue("function h(req) { const [a] = req.body.list; sink(a || 'x'); }");
  EXPECT_EQ(v.origin, Origin::kRequest);
  v = SinkValue("function h(ctx) { sink(ctx.request.body.url); }");
  EXPECT_EQ(v.origin, Origin::kRequest);
  v = SinkValue("function h(req) { sink(req.get('X-Forwarded-Host')); }");
  EXPECT_EQ(v.origin, Origin::kRequest);
  v = SinkValue("sink(process.argv[2]);");
  EXPECT_EQ(v.origin, Origin::kProcess);
  v = SinkValue("const p = new URLSearchParams(location.search); sink(p.get('q'));");
  EXPECT_EQ(v.origin, Origin::kBrowser);
}

TEST(JsTaintTest, SanitizersPredicatesAndOverwritesEndAFlow) {
  EXPECT_FALSE(SinkValue("function h(req) { sink(parseInt(req.query.n, 10)); }").tainted());
  EXPECT_FALSE(SinkValue("function h(req) { sink(encodeURIComponent(req.query.n)); }").tainted());
  EXPECT_FALSE(SinkValue("const path = require('path');\n"
                         "function h(req) { sink(path.basename(req.params.f)); }")
                   .tainted());
  EXPECT_FALSE(SinkValue("function h(req) { sink(req.query.a === 'x'); }").tainted());
  EXPECT_FALSE(SinkValue("function h(req) { sink(list.includes(req.query.a)); }").tainted());
  // A ternary branch holding the value only when an allow-list accepted it.
  EXPECT_FALSE(SinkValue("const A = new Set(['x']);\n"
                         "function h(req) { sink(A.has(req.query.a) ? req.query.a : 'x'); }")
                   .tainted());
  EXPECT_FALSE(
      SinkValue("function h(req) { sink(['x', 'y'].indexOf(req.query.a) < 0 ? 'x' : req.query.a); }")
          .tainted());
  EXPECT_TRUE(SinkValue("const A = new Set(['x']);\n"
                        "function h(req) { sink(A.has(req.query.a) ? 'x' : req.query.a); }")
                  .tainted());
  EXPECT_FALSE(SinkValue("function h(req) { sink(req.body.items.length); }").tainted());
  const JsValue overwritten =
      SinkValue("function h(req) { let q = req.query.q; q = 'fixed'; sink(q); }");
  EXPECT_FALSE(overwritten.tainted());
  EXPECT_TRUE(overwritten.constant());
  // encodeURI keeps a URL a URL.
  EXPECT_TRUE(SinkValue("function h(req) { sink(encodeURI(req.query.u)); }").tainted());
}

TEST(JsTaintTest, ScopesParametersAndConstants) {
  // A parameter shadows the outer tainted name; it is unknown (dynamic), not tainted.
  const JsValue shadowed = SinkValue(
      "const id = process.argv[2];\n"
      "function f(id) { sink(id); }\n");
  EXPECT_FALSE(shadowed.tainted());
  EXPECT_TRUE(shadowed.dynamic);
  // An inner callback sees the enclosing function's bindings.
  EXPECT_TRUE(SinkValue("function h(req) { const u = req.query.u; run(() => sink(u)); }")
                  .tainted());
  const JsValue constant = SinkValue("const T = 'users'; const n = 3; sink(`${T}:${n + 1}`);");
  EXPECT_TRUE(constant.constant());
  EXPECT_TRUE(SinkValue("function f(x) { sink('a' + x); }").dynamic);
  // An HTTP client's answer is the server's data, not the URL it was given.
  EXPECT_FALSE(SinkValue("async function h(req) { const r = await axios.get(req.query.u);\n"
                         "sink(r.data); }")
                   .tainted());
  // A helper called by name may return its argument.
  EXPECT_TRUE(SinkValue("function h(req) { sink(build(req.query.u)); }").tainted());
}

TEST(JsTaintTest, FunctionsOfTheModuleReturnTheirSources) {
  // A helper that reads the page URL taints its callers, also when defined after them.
  const JsValue v = SinkValue(
      "function render() { sink(getParam('q')); }\n"
      "function getParam(name) {\n"
      "  const params = new URLSearchParams(window.location.search);\n"
      "  return params.get(name);\n"
      "}\n");
  EXPECT_EQ(v.origin, Origin::kBrowser);
  EXPECT_EQ(v.source_line, 3);
  EXPECT_TRUE(SinkValue("const q = (req) => req.query.q;\nfunction h(r) { sink(q(r)); }")
                  .tainted());
  // `new Foo` without an argument list.
  EXPECT_TRUE(SinkValue("const a = new Date; sink(new Foo);").dynamic);
  // One that returns a constant does not.
  EXPECT_FALSE(SinkValue("function label() { return 'x'; }\nsink(label());").tainted());
}

TEST(JsTaintTest, LongConcatenationStaysWithinTheBudget) {
  std::string code = "function h(req) { sink('a'";
  for (int i = 0; i < 20000; ++i) code += " + 'b'";
  code += " + req.query.x); }";
  const JsValue v = SinkValue(code);
  EXPECT_TRUE(v.dynamic) << "past the budget a value is unknown";
}

}  // namespace
}  // namespace conclave::analysis::javascript
