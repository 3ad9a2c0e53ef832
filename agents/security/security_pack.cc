#include "agents/security/security_pack.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "agents/analysis/expressions.h"
#include "agents/security/config_rules.h"
#include "agents/security/javascript_rules.h"
#include "agents/security/secrets.h"
#include "agents/security/taint.h"

namespace conclave::security {
namespace {

using analysis::Node;
using analysis::Field;
using analysis::FindingCollector;
using analysis::Is;
using analysis::IsLiteralString;
using analysis::ParsedModule;
using analysis::PythonGrammar;
using analysis::Quote;
using analysis::RuleSpec;
using analysis::Site;
using analysis::Unparenthesize;
using conclave::v1::SEVERITY_CRITICAL;
using conclave::v1::SEVERITY_HIGH;
using conclave::v1::SEVERITY_MEDIUM;

const RuleSpec kEvalInjection = {
    "SEC001",
    "eval-injection",
    SEVERITY_HIGH,
    95,
    0.90,
    "eval(), exec() or compile() runs a string that is not a literal, so whoever controls the "
    "string runs code in the process. CRITICAL when the string comes from request input, "
    "input() or sys.argv in the same function.",
    "Do not evaluate data as code: parse it (json.loads, ast.literal_eval for Python literals, "
    "int()/float()), or dispatch through a dict of allowed operations."};

const RuleSpec kSqlInjection = {
    "SEC002",
    "sql-injection",
    SEVERITY_HIGH,
    89,
    0.85,
    "A SQL statement built by concatenation, % formatting, str.format or an f-string is passed "
    "to execute(), executemany(), executescript() or raw(), directly or through a variable "
    "assigned such a string in the same function; values in it can rewrite the query.",
    "Pass values as query parameters: cursor.execute(\"SELECT ... WHERE id = %s\", (user_id,)) "
    "(placeholder per driver: %s, ?, :name); build identifiers from an allow-list."};

const RuleSpec kCommandInjection = {
    "SEC003",
    "os-command-injection",
    SEVERITY_HIGH,
    78,
    0.85,
    "A shell runs a command that is not a literal: os.system/os.popen, "
    "subprocess.getoutput/getstatusoutput, asyncio.create_subprocess_shell, or a subprocess "
    "call with shell=True; shell metacharacters in the data run other commands.",
    "Run the program without a shell and with a list of arguments: "
    "subprocess.run([\"tar\", \"-xf\", path], check=True); if a shell is unavoidable, "
    "shlex.quote() every interpolated value."};

const RuleSpec kHardcodedSecret = {
    "SEC004",
    "hardcoded-secret",
    SEVERITY_HIGH,
    798,
    0.95,
    "A credential is written in the source: a known token format (AWS, GitHub, Slack, Stripe, "
    "Google API key, private key) is HIGH; a random-looking literal (at least 8 characters and "
    "3.0 bits of entropy per character) assigned to a password/secret/token/api_key name is "
    "MEDIUM with confidence 0.70.",
    "Revoke and rotate the credential, then read it at run time from the environment or a "
    "secret manager (os.environ[\"API_TOKEN\"], Vault, AWS Secrets Manager)."};

const RuleSpec kUnsafeDeserialization = {
    "SEC005",
    "unsafe-deserialization",
    SEVERITY_HIGH,
    502,
    0.80,
    "pickle, cPickle, dill, marshal or shelve loads data; unpickling runs code chosen by "
    "whoever wrote the bytes, so data from outside the process becomes code execution.",
    "Exchange data as JSON (json.loads) or another data-only format; if pickle is needed "
    "between trusted services, sign the bytes (hmac) and verify before loading."};

const RuleSpec kUnsafeYaml = {
    "SEC006",
    "unsafe-yaml-load",
    SEVERITY_HIGH,
    502,
    0.90,
    "yaml.load() or yaml.load_all() without SafeLoader/CSafeLoader (or yaml.unsafe_load) can "
    "construct arbitrary Python objects from a YAML document.",
    "Use yaml.safe_load(data), or yaml.load(data, Loader=yaml.SafeLoader)."};

const RuleSpec kPathTraversal = {
    "SEC010",
    "path-traversal",
    SEVERITY_HIGH,
    22,
    0.90,
    "A file path built from request data reaches open(), send_file(), os/shutil file "
    "operations or a pathlib read/write; `../` in the data reaches files outside the intended "
    "directory.",
    "Keep only the file name (os.path.basename, werkzeug's secure_filename) or resolve the path "
    "(os.path.realpath) and check it stays under the base directory before using it; "
    "send_from_directory() does both."};

const RuleSpec kCrossSiteScripting = {
    "SEC011",
    "cross-site-scripting",
    SEVERITY_HIGH,
    79,
    0.85,
    "Request data reaches an HTML response without escaping: make_response/Response/"
    "HttpResponse/HTMLResponse bodies, Markup/mark_safe, render_template_string, or a str "
    "returned from a Flask route; a script in the data runs in the victim's browser.",
    "Render through a template with autoescaping (render_template with a .html file), or "
    "escape the value first (markupsafe.escape, html.escape); never mark request data safe."};

const RuleSpec kOpenRedirect = {
    "SEC012",
    "open-redirect",
    SEVERITY_MEDIUM,
    601,
    0.85,
    "A redirect target comes from request data (redirect(), HttpResponseRedirect, "
    "RedirectResponse), so a link on this site can send users to any other site.",
    "Redirect only to paths of this site (url_for(...), a fixed \"/prefix/\" + value), or check "
    "the target with url_has_allowed_host_and_scheme() / an allow-list of hosts first."};

const RuleSpec kLdapInjection = {
    "SEC013",
    "ldap-injection",
    SEVERITY_HIGH,
    90,
    0.85,
    "An LDAP search filter built from request data (python-ldap search_s/search_ext, ldap3 "
    "search); `*`, `)` and `(` in the data change which entries match.",
    "Escape every value with ldap.filter.escape_filter_chars (ldap3.utils.conv."
    "escape_filter_chars) or build the filter with ldap.filter.filter_format."};

const RuleSpec kXpathInjection = {
    "SEC014",
    "xpath-injection",
    SEVERITY_HIGH,
    643,
    0.85,
    "An XPath expression built from request data reaches lxml's xpath()/XPath() or an "
    "ElementTree find()/findall() path with a predicate; quotes in the data rewrite the query.",
    "Pass values as XPath variables: tree.xpath(\"//user[@name=$name]\", name=value); do not "
    "splice them into the expression."};

const RuleSpec kServerSideRequestForgery = {
    "SEC015",
    "server-side-request-forgery",
    SEVERITY_HIGH,
    918,
    0.85,
    "The URL or host of an outgoing request (requests, httpx, urllib.request.urlopen, "
    "http.client) comes from request data, so callers make the server fetch internal "
    "addresses (cloud metadata, admin ports).",
    "Fix the scheme and host in the code and put request data only in the path or query, or "
    "check the parsed host against an allow-list before the request."};

const RuleSpec kTrustBoundary = {
    "SEC016",
    "trust-boundary-violation",
    SEVERITY_MEDIUM,
    501,
    0.85,
    "Request data is stored in the session (session[...] = ...); later code trusts session "
    "values as if the server had set them.",
    "Validate the value (cast, allow-list) before storing it, or keep request data out of the "
    "session and store the server's own decision instead."};

// ---- flows (SEC001-SEC003, SEC005, SEC010-SEC016) ----

// The argument a call consumes: positional `index`, or the keyword `keyword`.
Node SinkArgument(const ParsedModule& m, Node call, int index, std::string_view keyword) {
  const PythonGrammar& g = PythonGrammar::Get();
  const Node args = Field(call, g.field_arguments);
  if (!Is(args, g.argument_list)) return {};
  Node arg = analysis::PositionalArgument(args, index);
  if (NodeIsNull(arg) && !keyword.empty()) {
    arg = analysis::KeywordArgument(args, keyword, m.source());
  }
  return arg;
}

std::string InFunction(const ParsedModule& m, int function) {
  return function < 0 ? " at module level" : " in " + std::string(m.FunctionName(function)) + "()";
}

std::string Where(const ParsedModule& m, Node node) {
  return m.path() + ":" + std::to_string(analysis::NodeLine(node));
}

const RuleSpec& RuleOf(FlowKind kind) {
  switch (kind) {
    case FlowKind::kCodeEval:
      return kEvalInjection;
    case FlowKind::kSql:
      return kSqlInjection;
    case FlowKind::kCommand:
      return kCommandInjection;
    case FlowKind::kDeserialization:
      return kUnsafeDeserialization;
    case FlowKind::kPath:
      return kPathTraversal;
    case FlowKind::kXss:
      return kCrossSiteScripting;
    case FlowKind::kRedirect:
      return kOpenRedirect;
    case FlowKind::kLdap:
      return kLdapInjection;
    case FlowKind::kXpath:
      return kXpathInjection;
    case FlowKind::kSsrf:
      return kServerSideRequestForgery;
    case FlowKind::kTrustBoundary:
      return kTrustBoundary;
  }
  return kEvalInjection;
}

bool FromSource(const Flow& flow) {
  return flow.level == FlowLevel::kRemoteSource || flow.level == FlowLevel::kLocalSource;
}

// Which flows each rule reports. Code evaluation and deserialization are dangerous with any
// data that is not a literal; SQL needs a parameter spliced into the statement (a parameter
// passed whole is the caller's query); a shell command a parameter; the program of a
// shell-less subprocess and every web category need request data.
bool Reported(const Flow& flow) {
  switch (flow.kind) {
    case FlowKind::kCodeEval:
    case FlowKind::kDeserialization:
      return true;
    case FlowKind::kSql:
      return FromSource(flow) || (flow.level == FlowLevel::kParameter && flow.spliced);
    case FlowKind::kCommand:
      if (flow.program) return flow.level == FlowLevel::kRemoteSource;
      return FromSource(flow) || flow.level == FlowLevel::kParameter;
    case FlowKind::kTrustBoundary:
      // What a lookup returns for request data (find_user(email).id) is the server's own.
      return flow.level == FlowLevel::kRemoteSource && !flow.opaque;
    default:
      return flow.level == FlowLevel::kRemoteSource;
  }
}

std::string DataDescription(const ParsedModule& m, const Flow& flow) {
  switch (flow.level) {
    case FlowLevel::kRemoteSource:
    case FlowLevel::kLocalSource: {
      std::string text = "data from " + std::string(flow.origin.what);
      if (!flow.origin.detail.empty()) text += " `" + std::string(flow.origin.detail) + "`";
      text += " (line " + std::to_string(flow.origin.line);
      if (flow.caller != flow.function) {
        text += flow.caller >= 0 ? ", read in " + std::string(m.FunctionName(flow.caller)) + "()"
                                 : ", read at module level";
      }
      return text + ")";
    }
    case FlowLevel::kParameter:
      return "parameter `" + std::string(flow.parameter) + "`" +
             (flow.spliced ? " spliced into a string" : "");
    case FlowLevel::kUnknown:
      break;
  }
  // A sink reported whatever its argument (shelve.open) names a file, literal or not.
  if (analysis::IsConstant(Unparenthesize(flow.data))) {
    return "the objects stored in `" + Quote(m.Text(flow.data)) + "`";
  }
  return "`" + Quote(m.Text(flow.data)) + "`, which is not a literal,";
}

std::string Action(const Flow& flow) {
  switch (flow.kind) {
    case FlowKind::kCodeEval:
      return " runs code from ";
    case FlowKind::kSql:
      return " runs SQL built from ";
    case FlowKind::kCommand:
      return flow.program ? " runs a program chosen by " : " runs a shell command built from ";
    case FlowKind::kDeserialization:
      return " deserializes ";
    case FlowKind::kPath:
      return " uses a file path built from ";
    case FlowKind::kXss:
      return " sends HTML built from ";
    case FlowKind::kRedirect:
      return " redirects to a URL from ";
    case FlowKind::kLdap:
      return " runs an LDAP filter built from ";
    case FlowKind::kXpath:
      return " evaluates an XPath expression built from ";
    case FlowKind::kSsrf:
      return " requests a URL built from ";
    case FlowKind::kTrustBoundary:
      return " stores ";
  }
  return " uses ";
}

void ReportFlow(const ParsedModule& m, const Flow& flow, FindingCollector& out) {
  const RuleSpec& rule = RuleOf(flow.kind);
  std::string message = flow.sink + Action(flow) + DataDescription(m, flow);
  if (flow.kind == FlowKind::kTrustBoundary) message += " in the session";
  const bool literal = analysis::IsConstant(Unparenthesize(flow.data));
  if (flow.kind == FlowKind::kDeserialization && !FromSource(flow)) {
    message += literal ? "; whoever can write that file runs code" : "; a crafted payload runs code";
  }
  message += InFunction(m, flow.function) + " (" + Where(m, flow.at) + ")";
  conclave::v1::Finding& f =
      out.Add(rule, m.Locate(flow.at), std::move(message), std::string(rule.remediation),
              analysis::NodeLastLine(flow.at));
  const bool remote = flow.level == FlowLevel::kRemoteSource;
  if ((flow.kind == FlowKind::kCodeEval && FromSource(flow)) ||
      (remote && (flow.kind == FlowKind::kSql || flow.kind == FlowKind::kCommand ||
                  flow.kind == FlowKind::kDeserialization))) {
    f.set_severity(SEVERITY_CRITICAL);
  }
  if (flow.kind == FlowKind::kDeserialization && FromSource(flow)) f.set_confidence(0.95);
  // A fixed file is a risk only where others can write it: worth a look, not a veto.
  if (flow.kind == FlowKind::kDeserialization && literal) f.set_severity(SEVERITY_MEDIUM);
}

void CheckFlows(const ParsedModule& m, FindingCollector& out) {
  for (const Flow& flow : AnalyzeTaint(m)) {
    if (Reported(flow)) ReportFlow(m, flow, out);
  }
}
// ---- SEC004 ----

void CheckKnownTokens(const ParsedModule& m, const Site& site, FindingCollector& out) {
  const std::string_view body = analysis::StringBody(site.node, m.source());
  const TokenMatch token = FindKnownToken(body);
  if (token.kind.empty()) return;
  out.Add(kHardcodedSecret, m.Locate(site.node),
          std::string(token.kind) + " `" + Redact(body.substr(token.offset, token.length)) +
              "` is written in the source" + InFunction(m, site.function) + " (" +
              Where(m, site.node) + ")",
          std::string(kHardcodedSecret.remediation), analysis::NodeLastLine(site.node));
}

// The name a value is bound to: `name = v`, `obj.name = v`, `d["name"] = v`, `f(name=v)`,
// `{"name": v}`. Empty for other targets.
std::string_view TargetName(const ParsedModule& m, Node target) {
  const PythonGrammar& g = PythonGrammar::Get();
  if (Is(target, g.identifier)) return m.Text(target);
  if (Is(target, g.attribute)) return m.Text(Field(target, g.field_attribute));
  if (Is(target, g.string) && IsLiteralString(target)) {
    return analysis::StringBody(target, m.source());
  }
  if (NodeType(target) == std::string_view("subscript")) {
    const Node key = NodeNamedChild(target, 1);
    if (Is(key, g.string) && IsLiteralString(key)) return analysis::StringBody(key, m.source());
  }
  return {};
}

void CheckNamedSecret(const ParsedModule& m, const Site& site, Node target, Node value,
                      FindingCollector& out) {
  const PythonGrammar& g = PythonGrammar::Get();
  value = Unparenthesize(value);
  if (!Is(value, g.string) || !IsLiteralString(value)) return;
  const std::string_view name = TargetName(m, target);
  if (name.empty() || !IsSecretName(name)) return;
  const std::string_view secret = analysis::StringBody(value, m.source());
  if (!LooksLikeSecretValue(secret) || !FindKnownToken(secret).kind.empty()) return;
  conclave::v1::Finding& f =
      out.Add(kHardcodedSecret, m.Locate(value),
              "`" + std::string(name) + "` is set to the literal `" + Redact(secret) +
                  "`, random enough to be a real secret" + InFunction(m, site.function) + " (" +
                  Where(m, value) + ")",
              std::string(kHardcodedSecret.remediation), analysis::NodeLastLine(value));
  f.set_severity(SEVERITY_MEDIUM);
  f.set_confidence(0.70);
}

void CheckSecrets(const ParsedModule& m, FindingCollector& out) {
  const PythonGrammar& g = PythonGrammar::Get();
  for (const Site& site : m.strings()) CheckKnownTokens(m, site, out);
  for (const Site& site : m.assignments()) {
    CheckNamedSecret(m, site, Field(site.node, g.field_left), Field(site.node, g.field_right), out);
  }
  for (const Site& site : m.keyword_arguments()) {
    CheckNamedSecret(m, site, Field(site.node, g.field_name), Field(site.node, g.field_value), out);
  }
  for (const Site& site : m.pairs()) {
    CheckNamedSecret(m, site, Field(site.node, g.field_key), Field(site.node, g.field_value), out);
  }
}

// ---- SEC005, SEC006 ----

bool SafeYamlLoader(std::string_view loader) {
  const size_t dot = loader.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? loader : loader.substr(dot + 1);
  return last == "SafeLoader" || last == "CSafeLoader" || last == "BaseLoader";
}

void CheckYaml(const ParsedModule& m, const Site& call, FindingCollector& out) {
  const std::string callee = m.CalleeName(call.node);
  const bool unsafe_api = callee == "yaml.unsafe_load" || callee == "yaml.unsafe_load_all";
  if (!unsafe_api && callee != "yaml.load" && callee != "yaml.load_all") return;
  const Node loader = SinkArgument(m, call.node, 1, "Loader");
  if (!unsafe_api && !NodeIsNull(loader) && SafeYamlLoader(m.Text(loader))) return;
  const std::string how =
      unsafe_api ? "() constructs arbitrary objects"
      : NodeIsNull(loader)
          ? "() without a Loader uses an unsafe default on PyYAML < 6"
          : "() with Loader=" + std::string(m.Text(loader)) + " constructs arbitrary objects";
  out.Add(kUnsafeYaml, m.Locate(call.node),
          callee + how + InFunction(m, call.function) + " (" + Where(m, call.node) + ")",
          std::string(kUnsafeYaml.remediation), analysis::NodeLastLine(call.node));
}

class SecurityPack final : public analysis::RulePack {
 public:
  std::string_view reviewer() const override { return "security"; }
  std::string_view version() const override { return "2.0.0"; }
  const std::vector<RuleSpec>& rules() const override {
    static const std::vector<RuleSpec> rules = {
        kEvalInjection,         kSqlInjection,  kCommandInjection, kHardcodedSecret,
        kUnsafeDeserialization, kUnsafeYaml,    kPathTraversal,    kCrossSiteScripting,
        kOpenRedirect,          kLdapInjection, kXpathInjection,   kServerSideRequestForgery,
        kTrustBoundary};
    static const std::vector<RuleSpec> all = [] {
      std::vector<RuleSpec> all = rules;
      all.insert(all.end(), ConfigRules().begin(), ConfigRules().end());
      all.insert(all.end(), JavaScriptRules().begin(), JavaScriptRules().end());
      return all;
    }();
    return all;
  }
  analysis::RejectPolicy reject_policy() const override {
    return analysis::RejectPolicy::kMayReject;
  }
  void Check(const ParsedModule& m, FindingCollector& out) const override {
    for (const Site& call : m.calls()) CheckYaml(m, call, out);
    CheckFlows(m, out);
    CheckSecrets(m, out);
    CheckConfigRules(m, out);
  }
  bool reads_javascript() const override { return true; }
  void CheckJavaScript(const analysis::javascript::JsModule& m,
                       FindingCollector& out) const override {
    security::CheckJavaScript(m, out);
  }
};

}  // namespace

std::unique_ptr<analysis::RulePack> NewSecurityPack() { return std::make_unique<SecurityPack>(); }

}  // namespace conclave::security
