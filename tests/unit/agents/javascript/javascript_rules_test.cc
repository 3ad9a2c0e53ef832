#include "agents/security/javascript_rules.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "agents/analysis/file_analysis.h"
#include "agents/security/security_pack.h"

namespace conclave::security {
namespace {

using conclave::v1::Finding;

// "SEC103:4" for each finding of the security pack over `code` as app.js.
std::vector<std::string> Found(const std::string& code) {
  static const std::unique_ptr<analysis::RulePack> pack = NewSecurityPack();
  change::ReviewFile file;
  file.path = "app.js";
  file.language = "javascript";
  file.content = code;
  std::vector<std::string> out;
  for (const Finding& f : analysis::AnalyzeFile(*pack, file).findings) {
    out.push_back(f.rule_id() + ":" + std::to_string(f.line()));
  }
  return out;
}

Finding First(const std::string& code) {
  static const std::unique_ptr<analysis::RulePack> pack = NewSecurityPack();
  change::ReviewFile file;
  file.path = "app.js";
  file.language = "javascript";
  file.content = code;
  const std::vector<Finding> all = analysis::AnalyzeFile(*pack, file).findings;
  EXPECT_FALSE(all.empty());
  return all.empty() ? Finding() : all.front();
}

using V = std::vector<std::string>;

TEST(JavaScriptRulesTest, CatalogueHasIdsCwesAndTextsInOrder) {
  std::set<int> cwes;
  std::string last;
  for (const analysis::RuleSpec& r : JavaScriptRules()) {
    EXPECT_GT(std::string(r.id), last);
    last = std::string(r.id);
    EXPECT_EQ(last.substr(0, 4), "SEC1");
    EXPECT_GT(r.cwe, 0) << r.id;
    EXPECT_FALSE(r.description.empty());
    EXPECT_FALSE(r.remediation.empty());
    cwes.insert(r.cwe);
  }
  EXPECT_EQ(JavaScriptRules().size(), 14u);
  EXPECT_EQ(cwes,
            (std::set<int>{95, 78, 89, 22, 79, 601, 918, 328, 330, 614, 295, 798, 502, 943}));
  // The pack lists them, so scan's SARIF carries their metadata.
  const auto pack = NewSecurityPack();
  EXPECT_TRUE(pack->reads_javascript());
  int listed = 0;
  for (const analysis::RuleSpec& r : pack->rules()) listed += r.id.starts_with("SEC1");
  EXPECT_EQ(listed, 14);
}

TEST(JavaScriptRulesTest, CodeInjection) {
  const Finding f = First(
      "app.get('/', (req, res) => {\n"
      "  const e = req.query.e;\n"
      "  res.json(eval(e));\n"
      "});\n");
  EXPECT_EQ(f.rule_id(), "SEC101");
  EXPECT_EQ(f.line(), 3);
  EXPECT_EQ(f.severity(), conclave::v1::SEVERITY_CRITICAL);
  EXPECT_NE(f.message().find("req.query.e` (line 2)"), std::string::npos) << f.message();
  EXPECT_EQ(Found("function f(code) { return new Function('a', code); }"), V{"SEC101:1"});
  EXPECT_EQ(Found("eval('1 + 2'); setTimeout(() => go(), 5); setTimeout(tick, 9);"), V{});
  EXPECT_EQ(Found("const vm = require('vm');\nvm.runInNewContext(process.argv[2]);"),
            V{"SEC101:2"});
}

TEST(JavaScriptRulesTest, CommandInjection) {
  EXPECT_EQ(Found("const { exec } = require('child_process');\n"
                  "function h(req) { exec('ls ' + req.query.d); }"),
            V{"SEC102:2"});
  EXPECT_EQ(Found("const cp = require('child_process');\n"
                  "function h(req) { cp.spawn('find', [req.query.d], { shell: true }); }"),
            V{"SEC102:2"});
  EXPECT_EQ(Found("const cp = require('child_process');\n"
                  "function h(req) { cp.spawn('find', [req.query.d]); cp.execFile('ls', "
                  "[req.query.d]); cp.exec('ls -la'); }"),
            V{});
  EXPECT_EQ(Found("const cp = require('child_process');\n"
                  "function h(req) { const n = parseInt(req.query.n); cp.exec(`head -${n} f`); }"),
            V{});
  EXPECT_EQ(Found("const re = /a/; re.exec(process.argv[2]);"), V{});
}

TEST(JavaScriptRulesTest, SqlInjection) {
  EXPECT_EQ(Found("function h(req) { db.query(`SELECT * FROM t WHERE id = ${req.params.id}`); }"),
            V{"SEC103:1"});
  EXPECT_EQ(Found("function byId(id) {\n  const q = 'SELECT * FROM t WHERE id = ' + id;\n"
                  "  return pool.query(q);\n}"),
            V{"SEC103:3"});
  EXPECT_EQ(Found("function h(req) { db.query('SELECT * FROM t WHERE id = ?', [req.params.id]); "
                  "sql`SELECT ${req.params.id}`; }"),
            V{});
  EXPECT_EQ(Found("function h(req) { const n = Number(req.query.n);\n"
                  "db.query(`SELECT * FROM t LIMIT ${n}`); }"),
            V{});
}

TEST(JavaScriptRulesTest, QueryBuilderRawFragmentsAreSqlWhateverTheyLookLike) {
  EXPECT_EQ(Found("function h(req) {\n"
                  "  return knex('c').whereRaw(`name ILIKE '%${req.query.q}%'`);\n}"),
            V{"SEC103:2"});
  EXPECT_EQ(Found("function h(req) {\n"
                  "  const by = req.query.sort + ' DESC';\n"
                  "  return db('t').orderByRaw(by);\n}"),
            V{"SEC103:3"});
  EXPECT_EQ(Found("function h(req) {\n"
                  "  return knex('a').joinRaw('JOIN b ON b.k = ' + req.params.k);\n}"),
            V{"SEC103:2"});
  // A chain over several lines is reported on the line of the sink's method.
  EXPECT_EQ(Found("function h(req) {\n  return knex('c')\n    .where('a', 1)\n"
                  "    .whereRaw(`x = ${req.query.q}`);\n}"),
            V{"SEC103:4"});
  // Bindings, constants, and a fragment that is not text built here: not reported.
  EXPECT_EQ(Found("function h(req, clause) {\n"
                  "  knex('c').whereRaw('name ILIKE ?', [`%${req.query.q}%`]);\n"
                  "  knex('c').orderByRaw('created_at DESC');\n"
                  "  knex('c').whereRaw(clause);\n"
                  "  knex.raw('??', [req.query.col]);\n}"),
            V{});
}

TEST(JavaScriptRulesTest, PathTraversal) {
  EXPECT_EQ(Found("const fs = require('fs'); const path = require('path');\n"
                  "function h(req, res) { fs.readFileSync(path.join('data', req.query.f)); }"),
            V{"SEC104:2"});
  EXPECT_EQ(Found("const fs = require('fs'); const path = require('path');\n"
                  "function h(req, res) {\n"
                  "  fs.readFileSync(path.join('data', path.basename(req.query.f)));\n"
                  "  res.sendFile(req.params.p, { root: 'public' });\n"
                  "  fs.readFileSync(process.argv[2]);\n"
                  "}"),
            V{});
}

TEST(JavaScriptRulesTest, XssOpenRedirectAndSsrf) {
  EXPECT_EQ(Found("function h(req, res) { res.send('<p>' + req.query.q + '</p>'); }"),
            V{"SEC105:1"});
  EXPECT_EQ(Found("function h(req, res) { res.send({ q: req.query.q }); res.json(req.body); }"),
            V{});
  EXPECT_EQ(Found("el.innerHTML = location.hash;"), V{"SEC105:1"});
  EXPECT_EQ(Found("el.innerHTML = '<b>x</b>';"), V{});
  EXPECT_EQ(Found("function h(req, res) { res.redirect(req.query.next); }"), V{"SEC106:1"});
  EXPECT_EQ(Found("function h(req, res) { res.redirect('/items/' + req.query.id); }"), V{});
  EXPECT_EQ(Found("function h(req, res) { res.redirect('//' + req.query.host); }"),
            V{"SEC106:1"});
  EXPECT_EQ(Found("const axios = require('axios');\n"
                  "async function h(req) { await axios.post(req.body.hook, {}); }"),
            V{"SEC107:2"});
  EXPECT_EQ(Found("async function h(req) { await fetch('https://api.example.com/u/' + "
                  "req.query.id); }"),
            V{});
  EXPECT_EQ(Found("async function h(req) { await fetch('https://api.example.com' + "
                  "req.query.path); }"),
            V{"SEC107:1"})
      << "without a '/' after the host, the client can extend the host name";
}

TEST(JavaScriptRulesTest, ResponsesSentAsPlainTextAreNotXss) {
  EXPECT_EQ(Found("function h(req, res) {\n"
                  "  res.type('text/plain').send(String(req.query.q));\n"
                  "  res.status(200).type('txt').send(req.query.q);\n}"),
            V{});
  EXPECT_EQ(Found("function h(req, res) {\n"
                  "  res.set('Content-Type', 'text/plain; charset=utf-8');\n"
                  "  res.send(req.query.q);\n}"),
            V{});
  EXPECT_EQ(Found("function h(req, res) {\n"
                  "  res.writeHead(200, { 'content-type': 'application/json' });\n"
                  "  res.end(req.query.q);\n}"),
            V{});
  EXPECT_EQ(Found("function h(ctx) {\n  ctx.type = 'text/plain';\n  ctx.body = ctx.query.q;\n}"),
            V{});
  // HTML, SVG or XML, a type set only on one branch, a later HTML type, another response.
  EXPECT_EQ(Found("function h(req, res) {\n"
                  "  res.type('html').send(req.query.q);\n"
                  "  res.set('Content-Type', 'image/svg+xml'); res.send(req.query.q);\n}"),
            (V{"SEC105:2", "SEC105:3"}));
  EXPECT_EQ(Found("function h(req, res) {\n"
                  "  if (req.query.raw) res.type('txt');\n"
                  "  res.send(req.query.q);\n}"),
            V{"SEC105:3"});
  EXPECT_EQ(Found("function h(req, res) {\n"
                  "  res.type('txt');\n"
                  "  res.type('text/html');\n"
                  "  res.send(req.query.q);\n}"),
            V{"SEC105:4"});
  EXPECT_EQ(Found("function h(req, res, other) {\n"
                  "  other.type('txt');\n"
                  "  res.send(req.query.q);\n}"),
            V{"SEC105:3"});
}

TEST(JavaScriptRulesTest, AllowListedRedirectTargetsAreNotOpenRedirects) {
  EXPECT_EQ(Found("const OK = new Set(['/a', '/b']);\n"
                  "function h(req, res) {\n"
                  "  const t = OK.has(req.query.next) ? req.query.next : '/';\n"
                  "  res.redirect(t);\n"
                  "  res.redirect(!['/x'].includes(req.query.n) ? '/' : req.query.n);\n"
                  "  res.redirect(OK_LIST.indexOf(req.query.n) !== -1 ? req.query.n : '/');\n"
                  "  res.redirect(req.query.n === '/home' || req.query.n === '/me' ? req.query.n : '/');\n"
                  "}"),
            V{});
  // The branch that holds the unchecked value, a check of another value, a list the request
  // chose, or a check that does not pin the value (startsWith) still report.
  EXPECT_EQ(Found("const OK = new Set(['/a']);\n"
                  "function a(req, res) { res.redirect(OK.has(req.query.n) ? '/' : req.query.n); }\n"
                  "function b(req, res) { res.redirect(OK.has(req.query.a) ? req.query.b : '/'); }\n"
                  "function c(req, res) {\n"
                  "  res.redirect(req.query.list.includes(req.query.n) ? req.query.n : '/');\n}\n"
                  "function d(req, res) { res.redirect(req.query.n !== '/home' ? req.query.n : '/'); }\n"),
            (V{"SEC106:2", "SEC106:3", "SEC106:5", "SEC106:7"}));
}

TEST(JavaScriptRulesTest, CryptoCookiesTlsSecretsAndDeserialization) {
  EXPECT_EQ(Found("const crypto = require('crypto');\n"
                  "const hashPassword = (p) => crypto.createHash('sha1').update(p).digest();\n"
                  "const etag = crypto.createHash('md5').update(body).digest('hex');"),
            V{"SEC108:2"});
  EXPECT_EQ(Found("const resetToken = Math.random().toString(36);\n"
                  "const delay = Math.random() * 100;"),
            V{"SEC109:1"});
  EXPECT_EQ(Found("function h(req, res) {\n  res.cookie('session', id, { httpOnly: true });\n"
                  "  res.cookie('theme', 'dark');\n"
                  "  res.cookie('token', t, { secure: true, httpOnly: true });\n}"),
            V{"SEC110:2"});
  // Koa's ctx.cookies (the `cookies` package) is httpOnly by default and secure on HTTPS:
  // only an explicit false weakens it. Fastify's setCookie sets neither unless asked.
  EXPECT_EQ(Found("async function h(ctx) {\n"
                  "  ctx.cookies.set('auth_token', t, { httpOnly: false, secure: false });\n"
                  "  ctx.cookies.set('session', t, { secure: false });\n"
                  "  ctx.cookies.set('session', t);\n"
                  "  ctx.cookies.set('theme', 'dark', { httpOnly: false });\n"
                  "  ctx.cookies.set('sid', t, { signed: true, sameSite: 'lax' });\n}\n"
                  "function f(req, reply) { reply.setCookie('token', t, { path: '/' }); }"),
            (V{"SEC110:2", "SEC110:3", "SEC110:8"}));
  EXPECT_NE(First("function h(ctx) { ctx.cookies.set('jwt', t, { httpOnly: false }); }")
                .message()
                .find("ctx.cookies.set('jwt', ...)"),
            std::string::npos);
  EXPECT_EQ(Found("process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\n"
                  "const a = new https.Agent({ rejectUnauthorized: false });\n"
                  "const b = new https.Agent({ rejectUnauthorized: true });"),
            (V{"SEC111:1", "SEC111:2"}));
  EXPECT_EQ(Found("const dbPassword = 'Zx9#kQ2!mP7w';\nconst password = process.env.PW;\n"
                  "const passwordField = 'password_input_field';"),
            V{"SEC112:1"});
  const Finding secret = First("const token = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';");
  EXPECT_EQ(secret.rule_id(), "SEC112");
  EXPECT_EQ(secret.message().find("16C7e42F292c"), std::string::npos) << "the secret is redacted";
  EXPECT_EQ(Found("const s = require('node-serialize');\n"
                  "function h(req) { return s.unserialize(req.cookies.p); }\n"
                  "s.unserialize('{}');"),
            V{"SEC113:2"});
}

TEST(JavaScriptRulesTest, NoSqlOperatorInjection) {
  EXPECT_EQ(Found("async function h(req) {\n  const { user } = req.body;\n"
                  "  return Users.findOne({ user, active: true });\n}"),
            V{"SEC114:3"});
  EXPECT_EQ(Found("async function h(req) { return Users.find(req.query); }"), V{"SEC114:1"});
  EXPECT_EQ(Found("async function h(req) { return c.find({ $where: 'this.a == ' + req.query.a }); }"),
            V{"SEC114:1"});
  // Cast, validated or not a filter.
  EXPECT_EQ(Found("async function h(req) {\n  const user = String(req.body.user);\n"
                  "  await Users.findOne({ user });\n"
                  "  await Users.findById(req.params.id);\n"
                  "  return [1, 2].find((x) => x === req.query.n);\n}"),
            V{});
}

TEST(JavaScriptRulesTest, InlineSuppressionHidesAFinding) {
  EXPECT_EQ(Found("function h(req, res) { res.redirect(req.query.next); } // nosec SEC106"), V{});
}

}  // namespace
}  // namespace conclave::security
