#include "agents/security/javascript_rules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "agents/analysis/javascript/js_taint.h"
#include "agents/security/secrets.h"

namespace conclave::security {
namespace {

using analysis::Node;
using analysis::Field;
using analysis::FindingCollector;
using analysis::Is;
using analysis::Quote;
using analysis::RuleSpec;
using analysis::javascript::Argument;
using analysis::javascript::JsGrammar;
using analysis::javascript::JsModule;
using analysis::javascript::JsSite;
using analysis::javascript::JsTaint;
using analysis::javascript::JsValue;
using analysis::javascript::Origin;
using analysis::javascript::OriginName;
using analysis::javascript::PropertyValue;
using analysis::javascript::StringValue;
using analysis::javascript::StripParens;
using conclave::v1::SEVERITY_CRITICAL;
using conclave::v1::SEVERITY_HIGH;
using conclave::v1::SEVERITY_MEDIUM;

const RuleSpec kJsCodeInjection = {
    "SEC101",
    "js-code-injection",
    SEVERITY_HIGH,
    95,
    0.90,
    "eval(), new Function(), vm.runInNewContext/runInContext/runInThisContext, new vm.Script, "
    "or setTimeout/setInterval given a string, runs code that is not a literal. CRITICAL when "
    "it comes from request data or process input in the same function.",
    "Do not evaluate data as code: JSON.parse for data, a lookup table of allowed operations, "
    "and a function (not a string) for setTimeout."};

const RuleSpec kJsCommandInjection = {
    "SEC102",
    "js-command-injection",
    SEVERITY_HIGH,
    78,
    0.85,
    "A shell runs a command that is not a literal: child_process.exec/execSync, shelljs.exec, "
    "or spawn/spawnSync/execFile with `shell: true` or a shell (`sh -c`) as the program. "
    "CRITICAL when the command holds request data or process input.",
    "Run the program without a shell and pass user values as separate arguments: "
    "execFile('git', ['log', '--', file]); check values against an allow-list."};

const RuleSpec kJsSqlInjection = {
    "SEC103",
    "js-sql-injection",
    SEVERITY_HIGH,
    89,
    0.85,
    "A SQL statement built with a template string or `+` from values that are not literals is "
    "passed to query(), execute(), raw(), whereRaw(), prepare() or $queryRawUnsafe(), directly "
    "or through a variable; the values can rewrite the query. A query builder's raw fragment "
    "(knex whereRaw, orderByRaw, joinRaw, havingRaw, raw, ...) is SQL whatever it looks like. "
    "CRITICAL when they are request data.",
    "Use placeholders and pass values separately: db.query('SELECT * FROM users WHERE id = ?', "
    "[id]) (or $1 for pg, :name for named binds, sql`...` tagged templates)."};

const RuleSpec kJsPathTraversal = {
    "SEC104",
    "js-path-traversal",
    SEVERITY_HIGH,
    22,
    0.85,
    "A file path built from request data reaches fs (readFile, createReadStream, writeFile, "
    "unlink, ...) or res.sendFile/res.download: `../` sequences read or write any file.",
    "Keep the file name only (path.basename), or resolve the path and check it stays under the "
    "base directory (resolved.startsWith(base + path.sep)); res.sendFile(name, { root }) refuses "
    "`..` itself."};

const RuleSpec kJsXss = {
    "SEC105",
    "js-xss",
    SEVERITY_HIGH,
    79,
    0.85,
    "Request data is written into an HTML response (res.send, res.write, res.end, Koa's "
    "ctx.body) without escaping, or data from the request or the page URL is written into the "
    "DOM (innerHTML, outerHTML, document.write, insertAdjacentHTML). A response the handler "
    "first gives a type that is not markup (res.type('text/plain'), Content-Type: "
    "application/json) is not reported.",
    "Render through a template engine that escapes, escape with an HTML encoder (escape-html, "
    "he.encode), send JSON with res.json, or set textContent instead of innerHTML."};

const RuleSpec kJsOpenRedirect = {
    "SEC106",
    "js-open-redirect",
    SEVERITY_MEDIUM,
    601,
    0.85,
    "res.redirect()/res.location() (or Koa's ctx.redirect) sends the browser to a URL taken "
    "from request data, so a link on your domain can lead to any site. A target checked "
    "against an allow-list first (ALLOWED.has(next) ? next : '/') is not reported.",
    "Redirect to a path you build (`/items/${encodeURIComponent(id)}`), or check the target "
    "against an allow-list of paths or hosts first."};

const RuleSpec kJsSsrf = {
    "SEC107",
    "js-ssrf",
    SEVERITY_HIGH,
    918,
    0.85,
    "An outgoing HTTP request (fetch, axios, got, http.get/request, request, superagent, "
    "needle) goes to a URL or host taken from request data, so a client can reach internal "
    "services. A URL whose scheme and host are fixed literals is not reported.",
    "Fix the scheme and host in code and put request data only in the path or query "
    "(encodeURIComponent), or check the host against an allow-list."};

const RuleSpec kJsWeakHash = {
    "SEC108",
    "js-weak-hash",
    SEVERITY_MEDIUM,
    328,
    0.80,
    "crypto.createHash() with MD5, MD4 or SHA-1, which are broken for signatures, passwords "
    "and integrity. Hashes bound to a name that says they are not for security (etag, cache "
    "key, checksum, fingerprint) are not reported.",
    "Use SHA-256 or better (crypto.createHash('sha256')); for passwords use scrypt, argon2 or "
    "bcrypt."};

const RuleSpec kJsWeakRandom = {
    "SEC109",
    "js-weak-random",
    SEVERITY_MEDIUM,
    330,
    0.85,
    "Math.random() makes a value whose name says it is a secret (token, password, salt, nonce, "
    "session id, OTP, reset code): Math.random is predictable.",
    "Use crypto.randomBytes(32).toString('hex'), crypto.randomUUID() or crypto.randomInt()."};

const RuleSpec kJsInsecureCookie = {
    "SEC110",
    "js-insecure-cookie",
    SEVERITY_MEDIUM,
    614,
    0.85,
    "res.cookie() (or Fastify's reply.setCookie) sets a session or token cookie without "
    "`secure: true` (sent over plain HTTP) or without `httpOnly: true` (readable by any script "
    "on the page); Koa's ctx.cookies.set, httpOnly by default, with `secure: false` or "
    "`httpOnly: false`. Cookies whose name and value do not look like credentials are not "
    "reported.",
    "Pass { secure: true, httpOnly: true, sameSite: 'lax' } for cookies that carry credentials."};

const RuleSpec kJsTlsDisabled = {
    "SEC111",
    "js-tls-verification-disabled",
    SEVERITY_HIGH,
    295,
    0.90,
    "TLS certificate verification is turned off: `rejectUnauthorized: false`, `strictSSL: "
    "false`, or NODE_TLS_REJECT_UNAUTHORIZED set to '0', so any server can impersonate the "
    "peer.",
    "Keep verification on; for a private CA pass its certificate with the `ca` option or "
    "NODE_EXTRA_CA_CERTS."};

const RuleSpec kJsHardcodedSecret = {
    "SEC112",
    "js-hardcoded-secret",
    SEVERITY_HIGH,
    798,
    0.85,
    "A credential is written in the source: a known key format (AWS, GitHub, Slack, Stripe, "
    "Google, private keys) or a URL with a password (`mongodb://user:pass@host`) in any string, "
    "or a random-looking literal bound to a name such as password, apiKey, secret or token.",
    "Read secrets from the environment or a secret manager (process.env.API_KEY), and rotate "
    "the leaked one."};

const RuleSpec kJsUnsafeDeserialization = {
    "SEC113",
    "js-unsafe-deserialization",
    SEVERITY_HIGH,
    502,
    0.90,
    "node-serialize's unserialize() (or funcster's deepDeserialize) runs functions embedded "
    "in the data (`_$$ND_FUNC$$_`), so deserializing anything not a literal runs code. CRITICAL "
    "when the data is request input.",
    "Use JSON.parse for data, and never deserialize functions."};

// String building over std::string_view: Debian's abseil has its own string_view, which
// absl::StrCat does not take.
void AppendPiece(std::string& out, std::string_view piece) { out.append(piece); }
void AppendPiece(std::string& out, const char* piece) { out.append(piece); }
void AppendPiece(std::string& out, const std::string& piece) { out.append(piece); }
void AppendPiece(std::string& out, int number) { out.append(std::to_string(number)); }

template <typename... Pieces>
void Append(std::string* out, const Pieces&... pieces) {
  (AppendPiece(*out, pieces), ...);
}

template <typename... Pieces>
std::string Cat(const Pieces&... pieces) {
  std::string out;
  Append(&out, pieces...);
  return out;
}

const RuleSpec kJsNoSqlInjection = {
    "SEC114",
    "js-nosql-injection",
    SEVERITY_HIGH,
    943,
    0.80,
    "A MongoDB/Mongoose query filter takes request data as the framework parsed it "
    "(`find({ user: req.body.user })`, `findOne(req.query)`): Express and body parsers turn "
    "`user[$ne]=x` or JSON into an object, so a client sends operators ($ne, $gt, $regex) "
    "and matches any document. A `$where` clause with request data runs it as JavaScript.",
    "Cast each value to the field's type (String(x), Number(x)) or validate it (Joi, "
    "express-validator), or enable Mongoose's sanitizeFilter / mongo-sanitize; never build "
    "$where from input."};

template <size_t N>
bool OneOf(std::string_view s, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The letters and digits of `s`, lower case: "USE_CREDENTIALS" and "use-credentials" agree.
std::string Letters(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  }
  return out;
}

// Lower-case words joined by '.', '-' or '_' with at least one separator: a name or a key
// path ("constant.language.escape", "session-cookie"), not a secret.
bool IsDottedWords(std::string_view s) {
  bool separator = false;
  for (unsigned char c : s) {
    if (c == '.' || c == '-' || c == '_') {
      separator = true;
    } else if (!std::islower(c)) {
      return false;
    }
  }
  return separator;
}

// Whether a private key header is followed by key material (64 base64 characters before the
// footer), not a placeholder such as "...KEY-----\nXXXX\n-----END...".
bool HasKeyMaterial(std::string_view text, size_t header) {
  const size_t body = text.find("-----", text.find("PRIVATE KEY", header));
  if (body == std::string_view::npos) return false;
  int base64 = 0, x = 0;
  for (size_t i = body + 5; i < text.size() && base64 < 64; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (text.substr(i, 5) == "-----") break;
    if (c == '\\' && i + 1 < text.size() && text[i + 1] == 'n') {
      ++i;  // an escaped newline in the literal
      continue;
    }
    if (std::isalnum(c) || c == '+' || c == '/' || c == '=') {
      ++base64;
      x += c == 'X' || c == 'x';
    }
  }
  return base64 >= 64 && x * 2 < base64;
}

// "apiKey" -> "api_key", "dbPassword" -> "db_password", for secrets.h's snake_case words.
std::string SnakeCase(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (std::isupper(c) && i > 0 && std::islower(static_cast<unsigned char>(name[i - 1]))) {
      out += '_';
    }
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

constexpr std::array<std::string_view, 6> kFsReadWrite = {"fs.", "fs.promises.",
                                                          "fs/promises.", "fs-extra.",
                                                          "graceful-fs.", "fsPromises."};
constexpr std::array<std::string_view, 26> kFsPathFunctions = {
    "readFile",   "readFileSync",  "createReadStream", "createWriteStream", "writeFile",
    "writeFileSync", "appendFile", "appendFileSync",  "unlink",            "unlinkSync",
    "rm",         "rmSync",        "readdir",          "readdirSync",       "open",
    "openSync",   "stat",          "statSync",         "access",            "existsSync",
    "mkdir",      "mkdirSync",     "copyFile",         "copyFileSync",      "rename",
    "renameSync"};
constexpr std::array<std::string_view, 19> kSqlMethods = {
    "query",      "execute",     "raw",        "whereRaw",   "orWhereRaw",
    "andWhereRaw", "whereNotRaw", "havingRaw",  "orHavingRaw", "orderByRaw",
    "groupByRaw", "joinRaw",     "fromRaw",    "onRaw",      "orOnRaw",
    "jsonbRaw",   "$queryRawUnsafe", "$executeRawUnsafe", "prepare"};
// Query-builder methods (knex, objection, bookshelf) whose argument is a piece of SQL by
// definition — a condition, an ORDER BY list, a JOIN clause — that need not look like a
// statement: `whereRaw(`name ILIKE '%${q}%'`)`.
constexpr std::array<std::string_view, 14> kSqlFragmentMethods = {
    "whereRaw", "orWhereRaw", "andWhereRaw", "whereNotRaw", "havingRaw", "orHavingRaw",
    "orderByRaw", "groupByRaw", "joinRaw", "fromRaw", "onRaw", "orOnRaw", "jsonbRaw", "raw"};
constexpr std::array<std::string_view, 9> kHttpClients = {
    "fetch", "axios", "got", "node-fetch", "request", "superagent", "needle", "undici.request",
    "undici.fetch"};
constexpr std::array<std::string_view, 9> kHttpMethods = {"get",   "post",    "put",
                                                          "patch", "delete",  "head",
                                                          "request", "options", "stream"};
constexpr std::array<std::string_view, 7> kShells = {"sh",  "bash",    "/bin/sh", "/bin/bash",
                                                     "cmd", "cmd.exe", "powershell"};
constexpr std::array<std::string_view, 12> kNotForSecurity = {
    "etag",   "cache",    "checksum", "fingerprint", "dedup", "shard",
    "bucket", "filename", "gravatar", "path",        "tmp",   "temp"};
constexpr std::array<std::string_view, 15> kMongoFilterMethods = {
    "find",       "findOne",    "findOneAndUpdate", "findOneAndDelete", "findOneAndReplace",
    "findOneAndRemove", "updateOne", "updateMany", "deleteOne", "deleteMany",
    "replaceOne", "countDocuments", "count", "exists", "remove"};
constexpr std::array<std::string_view, 6> kJqueryHtmlMethods = {"html",   "append", "prepend",
                                                                "before", "after",  "replaceWith"};
constexpr std::array<std::string_view, 10> kRandomSecretWords = {
    "salt", "nonce", "otp", "csrf", "session", "sid", "resetcode", "verificationcode",
    "captcha", "secret"};
constexpr std::array<std::string_view, 8> kCredentialCookieWords = {
    "session", "sid", "token", "auth", "jwt", "remember", "login", "connect."};

class JsChecker {
 public:
  JsChecker(const JsModule& m, FindingCollector& out)
      : m_(m), g_(JsGrammar::Get()), taint_(m), out_(out), guards_(CollectGuards()) {}

  void Run() {
    for (const JsSite& call : m_.calls()) CheckCall(call);
    for (const JsSite& a : m_.assignments()) CheckAssignment(a);
    for (const JsSite& d : m_.declarators()) {
      CheckSecret(Field(d.node, g_.field_name), Field(d.node, g_.field_value));
    }
    for (const JsSite& p : m_.pairs()) CheckPair(p);
    for (const JsSite& s : m_.strings()) CheckKnownToken(s.node);
    for (const JsSite& t : m_.templates()) CheckKnownToken(t.node);
  }

 private:
  void CheckCall(const JsSite& site) {
    const Node call = site.node;
    const std::string name = m_.CalleeName(call);
    const std::string_view method = m_.MethodName(call);
    const bool is_new = Is(call, g_.new_expression);
    if (name == "eval" || (name == "Function") || name == "vm.runInNewContext" ||
        name == "vm.runInContext" || name == "vm.runInThisContext" ||
        name == "vm.compileFunction" || (is_new && name == "vm.Script")) {
      CheckCode(site, name);
    } else if (name == "setTimeout" || name == "setInterval" || name == "setImmediate") {
      CheckTimerString(site, name);
    } else if (name == "child_process.exec" || name == "child_process.execSync" ||
               name == "shelljs.exec") {
      CheckCommand(site, Argument(call, 0), name + "()");
    } else if (name == "child_process.spawn" || name == "child_process.spawnSync" ||
               name == "child_process.execFile" || name == "child_process.execFileSync") {
      CheckSpawn(site, name);
    } else if (name == "node-serialize.unserialize" || name == "funcster.deepDeserialize") {
      CheckDeserialize(site, name);
    } else if (name == "crypto.createHash") {
      CheckHash(site);
    } else if (name == "Math.random") {
      CheckRandom(site);
    } else if (IsFsCall(name)) {
      CheckPath(site, Argument(call, 0), name);
    } else if (IsResponseMethod(call, {"sendFile", "download"})) {
      // With { root }, send refuses paths that climb out of it.
      if (NodeIsNull(PropertyValue(Argument(call, 1), "root", m_.source()))) {
        CheckPath(site, Argument(call, 0), std::string(m_.Text(Field(call, g_.field_function))));
      }
    } else if (IsResponseMethod(call, {"send", "write", "end"})) {
      CheckHtmlResponse(site);
    } else if (IsResponseMethod(call, {"redirect", "location"}) ||
               (method == "redirect" && ReceiverText(call) == "ctx")) {
      CheckRedirect(site);
    } else if (IsResponseMethod(call, {"cookie", "setCookie"})) {
      CheckCookie(site, /*safe_defaults=*/false);
    } else if (method == "set" && IsCookieJar(call)) {
      CheckCookie(site, /*safe_defaults=*/true);
    } else if (name == "document.write" || name == "document.writeln") {
      CheckDom(site, Argument(call, 0), name);
    } else if (method == "insertAdjacentHTML") {
      CheckDom(site, Argument(call, 1), "insertAdjacentHTML");
    } else if (OneOf(method, kJqueryHtmlMethods) && IsJqueryCall(call)) {
      CheckDom(site, Argument(call, 0), Cat("jQuery .", method, "()"));
    } else if (IsHttpClient(name)) {
      CheckSsrf(site, name);
    } else if (OneOf(method, kSqlMethods)) {
      CheckSql(site, method);
    } else if (OneOf(method, kMongoFilterMethods) && !is_new) {
      CheckMongoFilter(site, method);
    }
  }

  // ---- helpers ----

  std::string_view ReceiverText(Node call) const {
    const Node callee = StripParens(Field(call, g_.field_function));
    if (!Is(callee, g_.member_expression)) return {};
    return m_.Text(StripParens(Field(callee, g_.field_object)));
  }

  // The object at the root of a chain of method calls: `res` for `res.status(500).send(x)`.
  std::string_view ChainRoot(Node call) const {
    Node node = call;
    for (int i = 0; i < 16; ++i) {
      const Node callee = StripParens(Field(node, g_.field_function));
      if (!Is(callee, g_.member_expression)) return {};
      const Node object = StripParens(Field(callee, g_.field_object));
      if (!Is(object, g_.call_expression)) return m_.Text(object);
      node = object;
    }
    return {};
  }

  bool IsResponseMethod(Node call, std::initializer_list<std::string_view> methods) const {
    if (Is(call, g_.new_expression)) return false;
    const std::string_view receiver = ChainRoot(call);
    if (receiver != "res" && receiver != "response" && receiver != "reply") return false;
    const std::string_view method = m_.MethodName(call);
    return std::find(methods.begin(), methods.end(), method) != methods.end();
  }

  // Koa's `ctx.cookies` (and `this.cookies` in Koa 1), or a jar of the `cookies` package
  // they are (`const cookies = new Cookies(req, res)`): `.set(name, value, options)`.
  bool IsCookieJar(Node call) const {
    const std::string_view receiver = ReceiverText(call);
    return receiver == "ctx.cookies" || receiver == "this.cookies" ||
           receiver == "context.cookies" || receiver == "cookies";
  }

  // `$('#out').html(x)`, `jQuery(el).append(x)`.
  bool IsJqueryCall(Node call) const {
    const std::string_view receiver = ReceiverText(call);
    return receiver.starts_with("$(") || receiver.starts_with("jQuery(");
  }

  static bool IsFsCall(std::string_view name) {
    for (std::string_view prefix : kFsReadWrite) {
      if (name.starts_with(prefix) && OneOf(name.substr(prefix.size()), kFsPathFunctions)) {
        return true;
      }
    }
    return false;
  }

  static bool IsHttpClient(std::string_view name) {
    if (OneOf(name, kHttpClients)) return true;
    for (std::string_view client :
         {"axios.", "got.", "request.", "superagent.", "needle.", "http.", "https."}) {
      if (name.starts_with(client) && OneOf(name.substr(client.size()), kHttpMethods)) {
        return true;
      }
    }
    return false;
  }

  // " from request data req.query.id (line 4)".
  static std::string FromSource(const JsValue& v) {
    if (!v.tainted()) return "";
    return Cat(" from ", OriginName(v.origin), " `", Quote(v.source_text, 40),
                        "` (line ", v.source_line, ")");
  }

  // Whether a name in `value` (the expression passed to a sink) was checked before the sink in
  // the same function: `allowed.includes(name)`, `name.startsWith(base)`, `/^\w+$/.test(name)`.
  bool Guarded(Node value, int function, Node sink) const {
    absl::flat_hash_set<std::string_view> names;
    std::vector<Node> stack = {value};
    for (int budget = 256; !stack.empty() && --budget >= 0;) {
      const Node n = stack.back();
      stack.pop_back();
      if (Is(n, g_.identifier)) {
        names.insert(m_.Text(n));
      } else if (Is(n, g_.member_expression)) {
        names.insert(m_.Text(n));
        stack.push_back(Field(n, g_.field_object));
      } else if (!NodeIsNull(n)) {
        analysis::ForEachChild(n, [&](Node child, TSFieldId) {
          if (NodeIsNamed(child)) stack.push_back(child);
        });
      }
    }
    if (names.empty()) return false;
    const auto guards = guards_.find(function);
    if (guards == guards_.end()) return false;
    const uint32_t before = NodeStartByte(sink);
    for (const Guard& g : guards->second) {
      if (g.at >= before) break;
      if (names.contains(g.receiver) || names.contains(g.argument)) return true;
    }
    return false;
  }

  // A check call (`x.includes(...)`, `allowed.has(x)`, `/re/.test(x)`): where, on what, of what.
  struct Guard {
    uint32_t at;
    std::string_view receiver;
    std::string_view argument;
  };

  // The check calls of each function, in document order, collected once.
  absl::flat_hash_map<int, std::vector<Guard>> CollectGuards() const {
    absl::flat_hash_map<int, std::vector<Guard>> out;
    for (const JsSite& c : m_.calls()) {
      const std::string_view method = m_.MethodName(c.node);
      if (method != "includes" && method != "startsWith" && method != "test" &&
          method != "has" && method != "indexOf" && method != "match") {
        continue;
      }
      out[c.function].push_back(Guard{NodeStartByte(c.node), ReceiverText(c.node),
                                      m_.Text(StripParens(Argument(c.node, 0)))});
    }
    return out;
  }

  // The leftmost literal text of a template string or `+` chain (through one variable).
  std::string_view LeadingLiteral(Node expr, int function) const {
    for (int step = 0; step < 64; ++step) {
      expr = StripParens(expr);
      if (Is(expr, g_.identifier)) {
        const Node bound = taint_.BoundExpression(expr, function);
        if (NodeIsNull(bound)) return {};
        expr = bound;
        continue;
      }
      if (Is(expr, g_.string)) return StringValue(expr, m_.source());
      if (Is(expr, g_.template_string)) {
        const Node first = NodeNamedChild(expr, 0);
        if (Is(first, g_.string_fragment)) return m_.Text(first);
        return {};
      }
      if (Is(expr, g_.binary_expression) && m_.Text(Field(expr, g_.field_operator)) == "+") {
        expr = Field(expr, g_.field_left);
        continue;
      }
      return {};
    }
    return {};
  }

  // A URL whose scheme and host are literals: "https://api.example.com/..." (the host ends at
  // a '/', '?' or '#'), or a path on this site: "/items/..." (not "//host").
  static bool FixedOrigin(std::string_view lead, bool allow_relative) {
    if (allow_relative && lead.size() >= 2 && lead[0] == '/' && lead[1] != '/' &&
        lead[1] != '\\') {
      return true;
    }
    const size_t scheme = lead.find("://");
    if (scheme == std::string_view::npos || scheme == 0) return false;
    const std::string_view rest = lead.substr(scheme + 3);
    const size_t end = rest.find_first_of("/?#");
    return end != std::string_view::npos && end > 0;
  }

  // The words of the nearest name a value is bound to: variable, property, assignment target,
  // or the enclosing function when the value is returned.
  std::string BindingName(Node node, int function) const {
    Node n = node;
    for (int i = 0; i < 12 && !NodeIsNull(n); ++i) {
      const Node parent = NodeParent(n);
      if (NodeIsNull(parent)) break;
      if (Is(parent, g_.variable_declarator)) return std::string(m_.Text(Field(parent, g_.field_name)));
      if (Is(parent, g_.pair)) return std::string(m_.Text(Field(parent, g_.field_key)));
      if (Is(parent, g_.assignment_expression)) {
        Node left = Field(parent, g_.field_left);
        if (Is(left, g_.member_expression)) left = Field(left, g_.field_property);
        return std::string(m_.Text(left));
      }
      if (Is(parent, g_.return_statement)) {
        return function < 0 ? std::string() : std::string(m_.functions()[function].name);
      }
      if (Is(parent, g_.statement_block)) break;
      n = parent;
    }
    return {};
  }

  // "in handler()", "in the function at line 12", "at module level".
  std::string Where(int function) const {
    if (function < 0) return "at module level";
    const analysis::javascript::JsFunction& f = m_.functions()[function];
    if (f.name.empty()) return Cat("in the function at line ", f.first_line);
    return Cat("in ", f.name, "()");
  }

  // Where a finding on `node` is reported: the node's start, except for a method call whose
  // chain spans lines (`db('t')\n  .where(...)\n  .orderByRaw(x)`), reported at its method's
  // name, the line that holds the sink.
  analysis::Location SinkLocation(Node node) const {
    const Node callee = StripParens(Field(node, g_.field_function));
    if (Is(node, g_.call_expression) && Is(callee, g_.member_expression)) {
      const Node property = Field(callee, g_.field_property);
      if (!NodeIsNull(property) &&
          NodeStartPoint(property).row != NodeStartPoint(node).row) {
        return m_.Locate(property);
      }
    }
    return m_.Locate(node);
  }

  // ---- rules ----

  void ReportInjection(const RuleSpec& rule, const JsSite& site, Node arg, const JsValue& v,
                       std::string_view what) {
    analysis::Location at = SinkLocation(site.node);
    conclave::v1::Finding& f = out_.Add(
        rule, at,
        Cat(what, " runs `", Quote(m_.Text(arg)), "`",
            v.tainted() ? FromSource(v) : std::string(", which is not a literal,"), " ",
            Where(site.function)),
        std::string(rule.remediation), analysis::NodeLastLine(site.node));
    if (v.tainted()) f.set_severity(SEVERITY_CRITICAL);
  }

  void CheckCode(const JsSite& site, std::string_view name) {
    // new Function(a, b, body): every argument is code; eval(x), vm.*(code, ...): the first.
    const int count = name == "Function" ? 8 : 1;
    for (int i = 0; i < count; ++i) {
      const Node arg = Argument(site.node, i);
      if (NodeIsNull(arg)) break;
      const JsValue v = taint_.Evaluate(arg, site.function);
      if (v.constant()) continue;
      ReportInjection(kJsCodeInjection, site, arg, v, Cat(name, "()"));
      return;
    }
  }

  void CheckTimerString(const JsSite& site, std::string_view name) {
    Node arg = StripParens(Argument(site.node, 0));
    Node shape = arg;
    if (Is(arg, g_.identifier)) shape = StripParens(taint_.BoundExpression(arg, site.function));
    const bool stringy = Is(shape, g_.string) || Is(shape, g_.template_string) ||
                         (Is(shape, g_.binary_expression) &&
                          m_.Text(Field(shape, g_.field_operator)) == "+");
    if (!stringy) return;  // a function: nothing is evaluated
    const JsValue v = taint_.Evaluate(arg, site.function);
    if (v.constant()) return;
    ReportInjection(kJsCodeInjection, site, arg, v, Cat(name, "() with a string"));
  }

  // Returns whether it reported.
  bool CheckCommand(const JsSite& site, Node command, std::string_view name) {
    if (NodeIsNull(command)) return false;
    const JsValue v = taint_.Evaluate(command, site.function);
    if (v.constant() || Guarded(command, site.function, site.node)) return false;
    ReportInjection(kJsCommandInjection, site, command, v, Cat(name, " (a shell)"));
    return true;
  }

  void CheckSpawn(const JsSite& site, std::string_view name) {
    const Node program = StripParens(Argument(site.node, 0));
    bool shell = false;
    for (int i = 1; i <= 2; ++i) {
      const Node s = PropertyValue(Argument(site.node, i), "shell", m_.source());
      if (Is(s, g_.true_) || Is(s, g_.string)) shell = true;
    }
    const bool shell_program =
        Is(program, g_.string) && OneOf(StringValue(program, m_.source()), kShells);
    if (!shell && !shell_program) return;
    // With shell: true the program and its arguments are joined into one command line.
    if (shell && CheckCommand(site, program, Cat(name, "() with shell: true"))) return;
    const Node args = StripParens(Argument(site.node, 1));
    if (!Is(args, g_.array)) return;
    bool reported = false;
    analysis::ForEachChild(args, [&](Node element, TSFieldId) {
      if (reported || !NodeIsNamed(element)) return;  // one finding per call
      reported = CheckCommand(site, element,
                              Cat(name, shell ? "() with shell: true" : "() of a shell"));
    });
  }

  void CheckDeserialize(const JsSite& site, std::string_view name) {
    const Node arg = Argument(site.node, 0);
    if (NodeIsNull(arg)) return;
    const JsValue v = taint_.Evaluate(arg, site.function);
    if (v.constant()) return;
    ReportInjection(kJsUnsafeDeserialization, site, arg, v, Cat(name, "()"));
  }

  // A SQL text: a statement keyword in the literal parts of the argument or of the variable it
  // names.
  bool LooksLikeSql(Node arg, int function) const {
    arg = StripParens(arg);
    std::string text;
    if (Is(arg, g_.identifier)) {
      for (Node piece : taint_.BoundPieces(arg, function)) text += Lower(m_.Text(piece));
    } else {
      text = Lower(m_.Text(arg));
    }
    for (std::string_view keyword :
         {"select ", "insert ", "update ", "delete ", " where ", " from ", "order by", "drop "}) {
      if (text.find(keyword) != std::string::npos) return true;
    }
    return false;
  }

  // Whether `arg` is text assembled from pieces: a template string with a substitution, or a
  // `+` with a string piece, itself or as the value its variable was bound to.
  bool BuildsText(Node arg, int function) const {
    Node expr = StripParens(arg);
    if (Is(expr, g_.identifier)) expr = StripParens(taint_.BoundExpression(expr, function));
    if (Is(expr, g_.template_string)) {
      bool substitution = false;
      analysis::ForEachChild(expr, [&](Node child, TSFieldId) {
        substitution = substitution || Is(child, g_.template_substitution);
      });
      return substitution;
    }
    for (int i = 0; i < 64 && Is(expr, g_.binary_expression) &&
                    m_.Text(Field(expr, g_.field_operator)) == "+";
         ++i) {
      const Node right = StripParens(Field(expr, g_.field_right));
      if (Is(right, g_.string) || Is(right, g_.template_string)) return true;
      expr = StripParens(Field(expr, g_.field_left));
      if (Is(expr, g_.string) || Is(expr, g_.template_string)) return true;
    }
    return false;
  }

  void CheckSql(const JsSite& site, std::string_view method) {
    const Node arg = Argument(site.node, 0);
    if (NodeIsNull(arg) || Is(Field(site.node, g_.field_arguments), g_.template_string)) {
      return;  // sql`...` tagged templates are parameterized
    }
    const JsValue v = taint_.Evaluate(arg, site.function);
    if (v.constant() || Guarded(arg, site.function, site.node)) return;
    // SQL text built from values, or request data passed as the whole statement; a query
    // builder's raw fragment is SQL whatever it looks like, once it is text built from values
    // (a template with substitutions or a `+` chain, directly or through its variable).
    const bool fragment = OneOf(method, kSqlFragmentMethods) && BuildsText(arg, site.function);
    if (!fragment && !LooksLikeSql(arg, site.function) && taint_.SourceOf(arg) == Origin::kNone) {
      return;
    }
    ReportInjection(kJsSqlInjection, site, arg, v, Cat(method, "()"));
  }

  // A query filter with request data that may be an object of operators, or a $where with
  // request data. One finding per call, for the first such value.
  void CheckMongoFilter(const JsSite& site, std::string_view method) {
    const Node filter = StripParens(Argument(site.node, 0));
    if (NodeIsNull(filter)) return;
    if (!Is(filter, g_.object)) {
      if (!taint_.IsRawRequestData(filter, site.function)) return;
      Report(kJsNoSqlInjection, site,
             Cat(method, "() takes its whole filter `", Quote(m_.Text(filter)),
                 "` from the request: a client can send query operators"));
      return;
    }
    bool reported = false;
    analysis::ForEachChild(filter, [&](Node child, TSFieldId) {
      if (reported) return;
      Node key = child, value = child;
      if (Is(child, g_.pair)) {
        key = Field(child, g_.field_key);
        value = Field(child, g_.field_value);
      } else if (!Is(child, g_.shorthand_property_identifier)) {
        return;
      }
      const std::string_view k = Is(key, g_.string) ? StringValue(key, m_.source()) : m_.Text(key);
      if (k == "$where") {
        const JsValue v = taint_.Evaluate(value, site.function);
        if (v.origin != Origin::kRequest) return;
        reported = true;
        Report(kJsNoSqlInjection, site,
               Cat(method, "() runs a $where clause built", FromSource(v), " as JavaScript"));
        return;
      }
      if (Is(child, g_.pair) && !taint_.IsRawRequestData(value, site.function)) return;
      if (Is(child, g_.shorthand_property_identifier) &&
          !taint_.IsRawRequestData(child, site.function)) {
        return;
      }
      reported = true;
      Report(kJsNoSqlInjection, site,
             Cat(method, "() matches `", k, "` against `", Quote(m_.Text(value)),
                 "`, request data that may be an object of query operators ($ne, $gt, $regex)"));
    });
  }

  // Sinks fed by request data only (a CLI reading the file it was given is not a flaw).
  bool RequestTainted(const JsSite& site, Node arg, JsValue& v) const {
    if (NodeIsNull(arg)) return false;
    v = taint_.Evaluate(arg, site.function);
    return v.origin == Origin::kRequest && !Guarded(arg, site.function, site.node);
  }

  void Report(const RuleSpec& rule, const JsSite& site, std::string message) {
    out_.Add(rule, SinkLocation(site.node), std::move(message), std::string(rule.remediation),
             analysis::NodeLastLine(site.node));
  }

  void CheckPath(const JsSite& site, Node arg, std::string_view name) {
    JsValue v;
    if (!RequestTainted(site, arg, v)) return;
    Report(kJsPathTraversal, site,
           Cat(name, "() opens the path `", Quote(m_.Text(arg)), "` built", FromSource(v), " ",
               Where(site.function)));
  }

  // The content type a header-setting call or assignment gives a response whose root object
  // is `root`, when it is a literal: res.type('txt'), res.contentType('text/plain'),
  // res.set/header/setHeader('Content-Type', t), res.set({ 'Content-Type': t }),
  // res.writeHead(200, { 'Content-Type': t }), Koa's ctx.set(...) and `ctx.type = t`.
  // Empty when the node sets none (or one the code computes).
  std::string DeclaredType(Node node, std::string_view root) const {
    auto literal = [&](Node v) {
      v = StripParens(v);
      return Is(v, g_.string) ? Lower(StringValue(v, m_.source())) : std::string();
    };
    auto from_headers = [&](Node object) {
      std::string type;
      object = StripParens(object);
      if (!Is(object, g_.object)) return type;
      analysis::ForEachChild(object, [&](Node pair, TSFieldId) {
        if (!Is(pair, g_.pair)) return;
        const Node key = Field(pair, g_.field_key);
        const std::string k =
            Lower(Is(key, g_.string) ? StringValue(key, m_.source()) : m_.Text(key));
        if (k == "content-type") type = literal(Field(pair, g_.field_value));
      });
      return type;
    };
    if (Is(node, g_.assignment_expression)) {
      const std::string_view target = m_.Text(Field(node, g_.field_left));
      if (target == Cat(root, ".type") || target == Cat(root, ".response.type")) {
        return literal(Field(node, g_.field_right));
      }
      return {};
    }
    if (!Is(node, g_.call_expression) || ChainRoot(node) != root) return {};
    const std::string_view method = m_.MethodName(node);
    if (method == "type" || method == "contentType") return literal(Argument(node, 0));
    if (method == "set" || method == "header" || method == "setHeader") {
      const Node first = StripParens(Argument(node, 0));
      if (Is(first, g_.object)) return from_headers(first);
      if (literal(first) == "content-type") return literal(Argument(node, 1));
      return {};
    }
    if (method == "writeHead") {
      for (int i = 1; i <= 2; ++i) {
        const std::string type = from_headers(Argument(node, i));
        if (!type.empty()) return type;
      }
    }
    return {};
  }

  // Whether a content type (a MIME type or Express's extension shorthand, 'txt', 'json') is
  // one a browser does not render as markup: not HTML, XHTML, SVG or XML, which run scripts.
  static bool NonMarkupType(std::string_view type) {
    if (type.empty()) return false;
    for (std::string_view markup : {"htm", "xht", "xml", "svg"}) {
      if (type.find(markup) != std::string_view::npos) return false;
    }
    return true;
  }

  // Whether the statement holding `node` runs whenever `sink` does: `node` is part of the
  // sink's own chain (`res.type('txt').send(x)`), or a statement of a block that holds the
  // sink (not one inside an `if` the sink is outside of).
  bool RunsBefore(Node node, Node sink) const {
    const Node callee = Field(sink, g_.field_function);
    if (!NodeIsNull(callee) && NodeStartByte(node) >= NodeStartByte(callee) &&
        NodeEndByte(node) <= NodeEndByte(callee)) {
      return true;
    }
    Node n = node;
    for (int i = 0; i < 16 && !NodeIsNull(n); ++i) {
      const Node parent = NodeParent(n);
      if (NodeIsNull(parent)) return false;
      if (Is(parent, g_.statement_block) || std::string_view(NodeType(parent)) == "program") {
        return NodeStartByte(sink) >= NodeStartByte(parent) &&
               NodeEndByte(sink) <= NodeEndByte(parent);
      }
      const std::string_view type = NodeType(parent);
      if (type != "expression_statement" && type != "call_expression" &&
          type != "member_expression" && type != "await_expression" &&
          type != "assignment_expression" && type != "parenthesized_expression") {
        return false;  // inside a condition, a loop, a `&&` or a ternary: may not run
      }
      n = parent;
    }
    return false;
  }

  // Whether the response the sink writes was given a non-markup content type by the last
  // statement before it in the same function that sets one, and that statement always runs
  // before the sink.
  bool SentAsNonMarkup(const JsSite& site, std::string_view root, Node written) const {
    if (root.empty()) return false;
    const uint32_t limit = NodeStartByte(written);
    Node last = {};
    std::string last_type;
    auto consider = [&](const JsSite& s) {
      if (s.function != site.function || NodeEndByte(s.node) > limit ||
          NodeEq(s.node, site.node)) {
        return;
      }
      const std::string type = DeclaredType(s.node, root);
      if (type.empty()) return;
      if (NodeIsNull(last) || NodeEndByte(s.node) > NodeEndByte(last)) {
        last = s.node;
        last_type = type;
      }
    };
    for (const JsSite& c : m_.calls()) consider(c);
    for (const JsSite& a : m_.assignments()) consider(a);
    return !NodeIsNull(last) && NonMarkupType(last_type) && RunsBefore(last, site.node);
  }

  void CheckHtmlResponse(const JsSite& site) {
    const Node arg = StripParens(Argument(site.node, 0));
    if (Is(arg, g_.object) || Is(arg, g_.array)) return;  // sent as JSON
    JsValue v;
    if (!RequestTainted(site, arg, v)) return;
    if (SentAsNonMarkup(site, ChainRoot(site.node), arg)) return;
    Report(kJsXss, site,
           Cat(m_.Text(Field(site.node, g_.field_function)), "() writes `",
                        Quote(m_.Text(arg)), "`", FromSource(v),
                        " into the response without HTML escaping"));
  }

  // Koa: `ctx.body = '<p>' + ctx.query.q` is the HTML response.
  void CheckKoaBody(const JsSite& site, Node value) {
    const Node v = StripParens(value);
    if (Is(v, g_.object) || Is(v, g_.array)) return;
    JsValue taint;
    if (!RequestTainted(site, v, taint)) return;
    const Node left = Field(site.node, g_.field_left);
    if (SentAsNonMarkup(site, m_.Text(Field(left, g_.field_object)), v)) return;
    Report(kJsXss, site,
           Cat(m_.Text(Field(site.node, g_.field_left)), " = `", Quote(m_.Text(v)), "`",
               FromSource(taint), " writes it into the response without HTML escaping"));
  }

  void CheckDom(const JsSite& site, Node value, std::string_view sink) {
    if (NodeIsNull(value)) return;
    const JsValue v = taint_.Evaluate(value, site.function);
    if (!v.tainted()) return;
    Report(kJsXss, site,
           Cat(sink, " receives `", Quote(m_.Text(value)), "`", FromSource(v),
                        ", which the browser parses as HTML"));
  }

  void CheckRedirect(const JsSite& site) {
    // res.redirect([status,] url): the URL is the last argument.
    Node url = {};
    for (int i = 0; i < 2; ++i) {
      const Node a = Argument(site.node, i);
      if (!NodeIsNull(a)) url = a;
    }
    JsValue v;
    if (!RequestTainted(site, url, v)) return;
    if (FixedOrigin(LeadingLiteral(url, site.function), /*allow_relative=*/true)) return;
    Report(kJsOpenRedirect, site,
           Cat(m_.Text(Field(site.node, g_.field_function)), "() sends the client to `",
                        Quote(m_.Text(url)), "`", FromSource(v)));
  }

  void CheckSsrf(const JsSite& site, std::string_view name) {
    Node target = Argument(site.node, 0);
    if (Is(StripParens(target), g_.object)) {
      Node found = {};
      for (std::string_view key : {"url", "baseURL", "host", "hostname", "uri"}) {
        const Node v = PropertyValue(target, key, m_.source());
        if (!NodeIsNull(v) && NodeIsNull(found)) found = v;
      }
      target = found;
    }
    JsValue v;
    if (!RequestTainted(site, target, v)) return;
    if (FixedOrigin(LeadingLiteral(target, site.function), /*allow_relative=*/false)) return;
    Report(kJsSsrf, site,
           Cat(name, "() requests `", Quote(m_.Text(target)), "`", FromSource(v),
                        "; the client chooses the host"));
  }

  void CheckHash(const JsSite& site) {
    const Node algo = StripParens(Argument(site.node, 0));
    if (!Is(algo, g_.string)) return;
    const std::string name = Lower(StringValue(algo, m_.source()));
    if (name != "md5" && name != "md4" && name != "sha1" && name != "sha-1" && name != "rsa-md5") {
      return;
    }
    // The name the digest is bound to, and the function it is made in (gravatarUrl, etagFor).
    std::string bound = SnakeCase(BindingName(site.node, site.function));
    if (site.function >= 0) bound += " " + SnakeCase(m_.functions()[site.function].name);
    for (std::string_view word : kNotForSecurity) {
      if (bound.find(word) != std::string::npos) return;
    }
    Report(kJsWeakHash, site,
           Cat("crypto.createHash('", StringValue(algo, m_.source()),
                        "'): ", name == "sha1" || name == "sha-1" ? "SHA-1" : "MD4/MD5",
                        " is broken for security uses"));
  }

  void CheckRandom(const JsSite& site) {
    std::string bound = BindingName(site.node, site.function);
    if (!SoundsSecret(bound)) {
      // `const code = ...` inside sendVerificationCode(): the function says what it makes.
      if (site.function < 0) return;
      bound = std::string(m_.functions()[site.function].name);
      if (!SoundsSecret(bound)) return;
    }
    Report(kJsWeakRandom, site,
           Cat("Math.random() makes `", bound,
                        "`, a value that must be unpredictable; Math.random is not"));
  }

  static bool SoundsSecret(std::string_view name) {
    if (name.empty()) return false;
    const std::string words = SnakeCase(name);
    if (IsSecretName(words)) return true;
    std::string joined;
    for (char c : words) {
      if (c != '_') joined += c;
    }
    for (std::string_view word : kRandomSecretWords) {
      if (joined.find(word) != std::string::npos) return true;
    }
    return false;
  }

  // `safe_defaults`: the `cookies` package (Koa's ctx.cookies) makes a cookie httpOnly unless
  // told otherwise, and secure on an HTTPS request, so only an explicit `false` weakens it;
  // Express's res.cookie() and Fastify's setCookie() set neither unless asked.
  void CheckCookie(const JsSite& site, bool safe_defaults) {
    const Node name = StripParens(Argument(site.node, 0));
    const Node value = Argument(site.node, 1);
    const std::string words =
        Lower(Cat(Is(name, g_.string) ? StringValue(name, m_.source()) : m_.Text(name),
                           " ", m_.Text(value)));
    bool credential = false;
    for (std::string_view word : kCredentialCookieWords) {
      if (words.find(word) != std::string::npos) credential = true;
    }
    if (!credential) return;
    const Node options = StripParens(Argument(site.node, 2));
    if (!NodeIsNull(options) && !Is(options, g_.object)) return;  // built elsewhere
    std::string missing;
    for (std::string_view flag : {"secure", "httpOnly"}) {
      const Node v = PropertyValue(options, flag, m_.source());
      if ((NodeIsNull(v) && !safe_defaults) || Is(StripParens(v), g_.false_)) {
        Append(&missing, missing.empty() ? "" : " and ", flag, ": true");
      }
    }
    if (missing.empty()) return;
    Report(kJsInsecureCookie, site,
           Cat(m_.Text(Field(site.node, g_.field_function)), "(", Quote(m_.Text(name), 30),
               ", ...) sets a credential cookie without ", missing));
  }

  void CheckAssignment(const JsSite& site) {
    const Node left = Field(site.node, g_.field_left);
    const Node right = Field(site.node, g_.field_right);
    if (Is(left, g_.member_expression)) {
      const std::string_view property = m_.Text(Field(left, g_.field_property));
      if ((property == "innerHTML" || property == "outerHTML") &&
          Is(site.node, g_.assignment_expression)) {
        CheckDom(site, right, property);
      }
    }
    const std::string_view target = m_.Text(left);
    if ((target == "ctx.body" || target == "this.body") &&
        Is(site.node, g_.assignment_expression)) {
      CheckKoaBody(site, right);
    }
    if (target == "process.env.NODE_TLS_REJECT_UNAUTHORIZED" ||
        target == "process.env['NODE_TLS_REJECT_UNAUTHORIZED']" ||
        target == "process.env[\"NODE_TLS_REJECT_UNAUTHORIZED\"]") {
      const Node v = StripParens(right);
      if ((Is(v, g_.string) && StringValue(v, m_.source()) == "0") || m_.Text(v) == "0") {
        Report(kJsTlsDisabled, site,
               "NODE_TLS_REJECT_UNAUTHORIZED = '0' turns off certificate verification for every "
               "TLS connection of the process");
      }
    }
    if (Is(site.node, g_.assignment_expression)) {
      Node name = left;
      if (Is(name, g_.member_expression)) name = Field(name, g_.field_property);
      CheckSecret(name, right);
    }
  }

  void CheckPair(const JsSite& site) {
    const Node key = Field(site.node, g_.field_key);
    const Node value = StripParens(Field(site.node, g_.field_value));
    std::string_view k = Is(key, g_.string) ? StringValue(key, m_.source()) : m_.Text(key);
    if ((k == "rejectUnauthorized" || k == "strictSSL") &&
        (Is(value, g_.false_) || m_.Text(value) == "0")) {
      Report(kJsTlsDisabled, site,
             Cat("`", k, ": ", m_.Text(value),
                          "` turns off TLS certificate verification for this connection"));
      return;
    }
    CheckSecret(key, value);
  }

  void CheckSecret(Node name, Node value) {
    value = StripParens(value);
    if (NodeIsNull(name) || NodeIsNull(value)) return;
    std::string_view literal;
    if (Is(value, g_.string)) {
      literal = StringValue(value, m_.source());
    } else if (Is(value, g_.template_string) && NodeNamedChildCount(value) <= 1) {
      const Node only = NodeNamedChild(value, 0);
      if (!Is(only, g_.string_fragment)) return;
      literal = m_.Text(only);
    } else {
      return;
    }
    std::string_view n = Is(name, g_.string) ? StringValue(name, m_.source()) : m_.Text(name);
    if (!IsSecretName(SnakeCase(n)) || !LooksLikeSecretValue(literal)) return;
    if (Letters(n) == Letters(literal)) return;  // USE_CREDENTIALS = 'use-credentials'
    if (IsDottedWords(literal)) return;            // token: 'comment.doc.tag' (an editor mode)

    if (!FindKnownToken(literal).kind.empty()) return;  // reported by CheckKnownToken
    reported_lines_.insert(NodeLine(value));
    out_.Add(kJsHardcodedSecret, m_.Locate(value),
             Cat("`", Quote(n, 40), "` is set to a literal that looks like a secret (",
                          Redact(literal), ")"),
             std::string(kJsHardcodedSecret.remediation));
  }

  // "mongodb://admin:S3cret@db:27017/app": the password part of a URL's user info.
  static std::string_view UrlPassword(std::string_view text) {
    const size_t scheme = text.find("://");
    if (scheme == std::string_view::npos) return {};
    const std::string_view rest = text.substr(scheme + 3);
    const size_t at = rest.find('@');
    if (at == std::string_view::npos || rest.substr(0, at).find_first_of("/?#") !=
                                            std::string_view::npos) {
      return {};
    }
    const std::string_view userinfo = rest.substr(0, at);
    const size_t colon = userinfo.find(':');
    if (colon == std::string_view::npos) return {};
    const std::string_view password = userinfo.substr(colon + 1);
    if (password.size() < 6 || password.find_first_of("${}<>% ") != std::string_view::npos) {
      return {};
    }
    const std::string lower = Lower(password);
    for (std::string_view placeholder : {"password", "passwd", "secret", "changeme", "xxxxxx",
                                         "example"}) {
      if (lower.find(placeholder) != std::string::npos) return {};
    }
    return password;
  }

  void CheckKnownToken(Node literal) {
    const std::string_view text = m_.Text(literal);
    const TokenMatch match = FindKnownToken(text);
    if (match.kind.empty()) {
      const std::string_view password = UrlPassword(text);
      if (password.empty() || !reported_lines_.insert(NodeLine(literal)).second) return;
      out_.Add(kJsHardcodedSecret, m_.Locate(literal),
               Cat("a URL carries a password in its user info (", Redact(password), ")"),
               std::string(kJsHardcodedSecret.remediation));
      return;
    }
    if (std::string_view(match.kind).find("private key") != std::string_view::npos &&
        !HasKeyMaterial(text, match.offset)) {
      return;
    }
    if (!reported_lines_.insert(NodeLine(literal)).second) return;
    out_.Add(kJsHardcodedSecret, m_.Locate(literal),
             Cat("a credential is written in the source: ", match.kind, " (",
                          Redact(text.substr(match.offset, match.length)), ")"),
             std::string(kJsHardcodedSecret.remediation));
  }

  static int NodeLine(Node n) { return analysis::NodeLine(n); }

  const JsModule& m_;
  const JsGrammar& g_;
  const JsTaint taint_;
  FindingCollector& out_;
  absl::flat_hash_set<int> reported_lines_;  // lines with a hardcoded-secret finding
  const absl::flat_hash_map<int, std::vector<Guard>> guards_;
};

}  // namespace

const std::vector<RuleSpec>& JavaScriptRules() {
  static const std::vector<RuleSpec> rules = {
      kJsCodeInjection, kJsCommandInjection, kJsSqlInjection,  kJsPathTraversal,
      kJsXss,           kJsOpenRedirect,     kJsSsrf,          kJsWeakHash,
      kJsWeakRandom,    kJsInsecureCookie,   kJsTlsDisabled,   kJsHardcodedSecret,
      kJsUnsafeDeserialization, kJsNoSqlInjection};
  return rules;
}

void CheckJavaScript(const JsModule& module, FindingCollector& out) {
  JsChecker(module, out).Run();
}

}  // namespace conclave::security
