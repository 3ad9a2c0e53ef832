#include "agents/security/security_pack.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "agents/analysis/expressions.h"
#include "agents/security/secrets.h"

namespace conclave::security {
namespace {

using analysis::Field;
using analysis::FindingCollector;
using analysis::Is;
using analysis::IsConstant;
using analysis::IsInterpolatedString;
using analysis::IsLiteralString;
using analysis::IsStringExpression;
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

// ---- what flows where ----

// Names in one function that hold user input: assigned (before a line) from request.*,
// input() or sys.argv, directly or through another such name.
class UserInput {
 public:
  UserInput(const ParsedModule& m, int function, int before_line) : m_(m) {
    const PythonGrammar& g = PythonGrammar::Get();
    for (const Site& site : m.assignments()) {
      if (site.function != function || analysis::NodeLine(site.node) >= before_line) continue;
      const TSNode left = Field(site.node, g.field_left);
      const TSNode right = Field(site.node, g.field_right);
      if (Is(left, g.identifier) && !ts_node_is_null(right) && Reads(right)) {
        tainted_.insert(std::string(m.Text(left)));
      }
    }
  }

  // Whether `expr` reads user input (bounded walk over its subtree).
  bool Reads(TSNode expr) const {
    const PythonGrammar& g = PythonGrammar::Get();
    std::vector<TSNode> pending = {expr};
    for (int budget = 512; !pending.empty() && budget > 0; --budget) {
      const TSNode node = pending.back();
      pending.pop_back();
      if (Is(node, g.identifier)) {
        const std::string_view name = m_.Text(node);
        if (name == "request" || tainted_.contains(std::string(name))) return true;
      } else if (Is(node, g.attribute) && m_.Text(node) == "sys.argv") {
        return true;
      } else if (Is(node, g.call)) {
        const std::string callee = m_.CalleeName(node);
        if (callee == "input" || callee == "raw_input") return true;
      }
      const uint32_t n = ts_node_named_child_count(node);
      for (uint32_t i = 0; i < n; ++i) pending.push_back(ts_node_named_child(node, i));
    }
    return false;
  }

 private:
  const ParsedModule& m_;
  absl::flat_hash_set<std::string> tainted_;
};

// The argument a sink consumes: positional `index`, or the keyword `keyword`.
TSNode SinkArgument(const ParsedModule& m, TSNode call, int index, std::string_view keyword) {
  const PythonGrammar& g = PythonGrammar::Get();
  const TSNode args = Field(call, g.field_arguments);
  if (!Is(args, g.argument_list)) return {};
  TSNode arg = analysis::PositionalArgument(args, index);
  if (ts_node_is_null(arg) && !keyword.empty()) {
    arg = analysis::KeywordArgument(args, keyword, m.source());
  }
  return arg;
}

bool IsNonLiteral(TSNode arg) { return !ts_node_is_null(arg) && !IsConstant(Unparenthesize(arg)); }

std::string InFunction(const ParsedModule& m, int function) {
  return function < 0 ? " at module level" : " in " + std::string(m.FunctionName(function)) + "()";
}

std::string Where(const ParsedModule& m, TSNode node) {
  return m.path() + ":" + std::to_string(analysis::NodeLine(node));
}

// ---- SEC001 ----

void CheckEval(const ParsedModule& m, const Site& call, FindingCollector& out) {
  const std::string callee = m.CalleeName(call.node);
  std::string name = callee.starts_with("builtins.") ? callee.substr(9) : callee;
  if (name != "eval" && name != "exec" && name != "compile") return;
  const TSNode arg = SinkArgument(m, call.node, 0, "source");
  if (!IsNonLiteral(arg)) return;
  const bool from_user = UserInput(m, call.function, analysis::NodeLine(call.node)).Reads(arg);
  conclave::v1::Finding& f =
      out.Add(kEvalInjection, m.Locate(call.node),
              name + "() runs `" + Quote(m.Text(arg)) + "`" +
                  (from_user ? ", which comes from user input," : ", which is not a literal,") +
                  InFunction(m, call.function) + " (" + Where(m, call.node) + ")",
              std::string(kEvalInjection.remediation), analysis::NodeLastLine(call.node));
  if (from_user) f.set_severity(SEVERITY_CRITICAL);
}

// ---- SEC002 ----

// A str expression with data spliced in: f-string, `"..." + x`, `"..." % x`, "...".format(x).
bool IsBuiltString(const ParsedModule& m, TSNode expr) {
  const PythonGrammar& g = PythonGrammar::Get();
  expr = Unparenthesize(expr);
  if (ts_node_is_null(expr) || IsConstant(expr)) return false;
  if (IsInterpolatedString(expr)) return true;
  if (Is(expr, g.binary_operator)) {
    const std::string_view op = m.Text(Field(expr, g.field_operator));
    if (op == "%") return IsStringExpression(Field(expr, g.field_left), m.source());
    if (op == "+") {
      return IsStringExpression(Field(expr, g.field_left), m.source()) ||
             IsStringExpression(Field(expr, g.field_right), m.source());
    }
    return false;
  }
  return Is(expr, g.call) && m.MethodName(expr) == "format" && IsStringExpression(expr, m.source());
}

// Whether `name` is assigned a built string, or extended with `+=`, in `function` before
// `line`.
bool NameHoldsBuiltString(const ParsedModule& m, std::string_view name, int function, int line) {
  const PythonGrammar& g = PythonGrammar::Get();
  auto assigns = [&](const Site& site) {
    return site.function == function && analysis::NodeLine(site.node) < line &&
           m.Text(Field(site.node, g.field_left)) == name;
  };
  for (const Site& site : m.assignments()) {
    if (assigns(site) && IsBuiltString(m, Field(site.node, g.field_right))) return true;
  }
  for (const Site& site : m.augmented_assignments()) {
    if (assigns(site) && IsNonLiteral(Field(site.node, g.field_right))) return true;
  }
  return false;
}

void CheckSql(const ParsedModule& m, const Site& call, FindingCollector& out) {
  const PythonGrammar& g = PythonGrammar::Get();
  if (!Is(Field(call.node, g.field_function), g.attribute)) return;
  const std::string_view method = m.MethodName(call.node);
  if (method != "execute" && method != "executemany" && method != "executescript" &&
      method != "raw") {
    return;
  }
  TSNode arg = SinkArgument(m, call.node, 0, "sql");
  if (ts_node_is_null(arg)) arg = SinkArgument(m, call.node, 0, "query");
  arg = Unparenthesize(arg);
  if (ts_node_is_null(arg)) return;
  const int line = analysis::NodeLine(call.node);
  const bool via_name = Is(arg, g.identifier);
  if (via_name ? !NameHoldsBuiltString(m, m.Text(arg), call.function, line)
               : !IsBuiltString(m, arg)) {
    return;
  }
  out.Add(kSqlInjection, m.Locate(call.node),
          std::string(method) + "() runs SQL " +
              (via_name ? "held in `" + std::string(m.Text(arg)) + "`, built from data earlier"
                        : "built from data: `" + Quote(m.Text(arg)) + "`") +
              InFunction(m, call.function) + " (" + Where(m, call.node) + ")",
          std::string(kSqlInjection.remediation), analysis::NodeLastLine(call.node));
}

// ---- SEC003 ----

bool AlwaysShell(std::string_view callee) {
  return callee == "os.system" || callee == "os.popen" || callee == "subprocess.getoutput" ||
         callee == "subprocess.getstatusoutput" || callee == "commands.getoutput" ||
         callee == "asyncio.create_subprocess_shell";
}

bool SubprocessCall(std::string_view callee) {
  return callee == "subprocess.run" || callee == "subprocess.call" ||
         callee == "subprocess.Popen" || callee == "subprocess.check_call" ||
         callee == "subprocess.check_output";
}

// shell= set to anything but False, None or 0.
bool ShellEnabled(const ParsedModule& m, TSNode call) {
  const PythonGrammar& g = PythonGrammar::Get();
  const TSNode shell =
      analysis::KeywordArgument(Field(call, g.field_arguments), "shell", m.source());
  if (ts_node_is_null(shell)) return false;
  const std::string_view text = m.Text(shell);
  return text != "False" && text != "None" && text != "0";
}

void CheckCommand(const ParsedModule& m, const Site& call, FindingCollector& out) {
  const std::string callee = m.CalleeName(call.node);
  const bool always = AlwaysShell(callee);
  if (!always && !(SubprocessCall(callee) && ShellEnabled(m, call.node))) return;
  const TSNode arg = SinkArgument(m, call.node, 0, always ? "cmd" : "args");
  if (!IsNonLiteral(arg)) return;
  out.Add(kCommandInjection, m.Locate(call.node),
          callee + (always ? "()" : "(shell=True)") + " runs the shell command `" +
              Quote(m.Text(arg)) + "`, which is not a literal," + InFunction(m, call.function) +
              " (" + Where(m, call.node) + ")",
          std::string(kCommandInjection.remediation), analysis::NodeLastLine(call.node));
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
std::string_view TargetName(const ParsedModule& m, TSNode target) {
  const PythonGrammar& g = PythonGrammar::Get();
  if (Is(target, g.identifier)) return m.Text(target);
  if (Is(target, g.attribute)) return m.Text(Field(target, g.field_attribute));
  if (Is(target, g.string) && IsLiteralString(target)) {
    return analysis::StringBody(target, m.source());
  }
  if (ts_node_type(target) == std::string_view("subscript")) {
    const TSNode key = ts_node_named_child(target, 1);
    if (Is(key, g.string) && IsLiteralString(key)) return analysis::StringBody(key, m.source());
  }
  return {};
}

void CheckNamedSecret(const ParsedModule& m, const Site& site, TSNode target, TSNode value,
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

bool LoadsPickle(std::string_view callee) {
  static const absl::flat_hash_set<std::string> kLoaders = {
      "pickle.load",   "pickle.loads",       "pickle.Unpickler", "cPickle.load",
      "cPickle.loads", "cPickle.Unpickler",  "_pickle.load",     "_pickle.loads",
      "dill.load",     "dill.loads",         "marshal.load",     "marshal.loads",
      "shelve.open",   "pandas.read_pickle", "jsonpickle.decode"};
  return kLoaders.contains(std::string(callee));
}

void CheckDeserialization(const ParsedModule& m, const Site& call, FindingCollector& out) {
  const std::string callee = m.CalleeName(call.node);
  if (!LoadsPickle(callee)) return;
  const TSNode arg = SinkArgument(m, call.node, 0, "");
  if (!ts_node_is_null(arg) && IsConstant(Unparenthesize(arg)) && callee != "shelve.open") return;
  out.Add(kUnsafeDeserialization, m.Locate(call.node),
          callee + "() deserializes `" + Quote(ts_node_is_null(arg) ? "" : m.Text(arg)) +
              "`; a crafted payload runs code" + InFunction(m, call.function) + " (" +
              Where(m, call.node) + ")",
          std::string(kUnsafeDeserialization.remediation), analysis::NodeLastLine(call.node));
}

bool SafeYamlLoader(std::string_view loader) {
  const size_t dot = loader.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? loader : loader.substr(dot + 1);
  return last == "SafeLoader" || last == "CSafeLoader" || last == "BaseLoader";
}

void CheckYaml(const ParsedModule& m, const Site& call, FindingCollector& out) {
  const std::string callee = m.CalleeName(call.node);
  const bool unsafe_api = callee == "yaml.unsafe_load" || callee == "yaml.unsafe_load_all";
  if (!unsafe_api && callee != "yaml.load" && callee != "yaml.load_all") return;
  const TSNode loader = SinkArgument(m, call.node, 1, "Loader");
  if (!unsafe_api && !ts_node_is_null(loader) && SafeYamlLoader(m.Text(loader))) return;
  const std::string how =
      unsafe_api ? "() constructs arbitrary objects"
      : ts_node_is_null(loader)
          ? "() without a Loader uses an unsafe default on PyYAML < 6"
          : "() with Loader=" + std::string(m.Text(loader)) + " constructs arbitrary objects";
  out.Add(kUnsafeYaml, m.Locate(call.node),
          callee + how + InFunction(m, call.function) + " (" + Where(m, call.node) + ")",
          std::string(kUnsafeYaml.remediation), analysis::NodeLastLine(call.node));
}

class SecurityPack final : public analysis::RulePack {
 public:
  std::string_view reviewer() const override { return "security"; }
  std::string_view version() const override { return "1.0.0"; }
  const std::vector<RuleSpec>& rules() const override {
    static const std::vector<RuleSpec> rules = {kEvalInjection,         kSqlInjection,
                                                kCommandInjection,      kHardcodedSecret,
                                                kUnsafeDeserialization, kUnsafeYaml};
    return rules;
  }
  analysis::RejectPolicy reject_policy() const override {
    return analysis::RejectPolicy::kMayReject;
  }
  void Check(const ParsedModule& m, FindingCollector& out) const override {
    for (const Site& call : m.calls()) {
      CheckEval(m, call, out);
      CheckSql(m, call, out);
      CheckCommand(m, call, out);
      CheckDeserialization(m, call, out);
      CheckYaml(m, call, out);
    }
    CheckSecrets(m, out);
  }
};

}  // namespace

std::unique_ptr<analysis::RulePack> NewSecurityPack() { return std::make_unique<SecurityPack>(); }

}  // namespace conclave::security
