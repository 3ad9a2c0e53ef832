#include "agents/security/config_rules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "agents/analysis/expressions.h"
#include "agents/security/code_context.h"

namespace conclave::security {
namespace {

using analysis::Node;
using analysis::Field;
using analysis::FindingCollector;
using analysis::Is;
using analysis::IsConstant;
using analysis::IsLiteralString;
using analysis::ParsedModule;
using analysis::PythonGrammar;
using analysis::Quote;
using analysis::RuleSpec;
using analysis::Site;
using analysis::Unparenthesize;
using conclave::v1::Severity;
using conclave::v1::SEVERITY_HIGH;
using conclave::v1::SEVERITY_LOW;
using conclave::v1::SEVERITY_MEDIUM;

const RuleSpec kXxe = {
    "SEC030",
    "xml-external-entities",
    SEVERITY_HIGH,
    611,
    0.80,
    "An XML parser expands external entities, so a document can read local files or fetch URLs "
    "(XXE): lxml's XMLParser/XMLPullParser with resolve_entities=True or no_network=False, or a "
    "SAX parser with feature_external_ges/feature_external_pes turned on, is HIGH; lxml's "
    "parse/fromstring/XML/iterparse of data that is not a literal with the default parser, which "
    "resolves external entities before lxml 5.0, is MEDIUM with confidence 0.60. The standard "
    "library's xml.etree, xml.dom.minidom, xml.dom.pulldom and xml.sax have expanded no external "
    "entities by default since Python 3.7.1 and are not reported; defusedxml is safe.",
    "Parse untrusted XML with defusedxml (defusedxml.ElementTree.fromstring), or give lxml a "
    "parser that does not resolve entities: etree.XMLParser(resolve_entities=False, "
    "no_network=True)."};

const RuleSpec kWeakHash = {
    "SEC031",
    "weak-hash",
    SEVERITY_MEDIUM,
    328,
    0.75,
    "MD5 or SHA-1 (hashlib.md5/sha1, hashlib.new('md5'), PyCryptodome's MD5/SHA1, "
    "cryptography's hashes.MD5/SHA1), whose collisions are cheap, protects something: the "
    "digest is assigned to, passed as or computed in code named for passwords (HIGH) or for "
    "tokens, signatures, secrets, salts, sessions or API keys (MEDIUM), or hashes such a value. "
    "Digests named for checksums, ETags, cache keys, fingerprints or file content, and calls "
    "with usedforsecurity=False, are not reported; any other use is LOW with confidence 0.40.",
    "For passwords use a slow key-derivation function (hashlib.scrypt, argon2, bcrypt, Django's "
    "make_password); for tokens and signatures use hmac with hashlib.sha256 or stronger; mark a "
    "digest that protects nothing with usedforsecurity=False."};

const RuleSpec kWeakRandom = {
    "SEC032",
    "weak-random",
    SEVERITY_MEDIUM,
    330,
    0.80,
    "The random module (or numpy.random), a Mersenne Twister whose outputs predict the next "
    "ones, makes a value for a token, password, session id, nonce, salt, OTP, PIN, API key or "
    "reset/verification code, judged by the name it is assigned to or passed as, or else by "
    "the enclosing function or class. random.SystemRandom() and secrets are safe; random values "
    "for anything else (simulations, jitter, sampling) and picking one of an existing "
    "collection of tokens or sessions are not reported.",
    "Use the secrets module: secrets.token_urlsafe(32), secrets.token_hex(16), "
    "secrets.choice(alphabet), secrets.randbelow(10**6); or random.SystemRandom()."};

const RuleSpec kInsecureCookie = {
    "SEC033",
    "insecure-cookie",
    SEVERITY_MEDIUM,
    614,
    0.80,
    "A sensitive cookie is set without secure=True or httponly=True (set_cookie/"
    "set_signed_cookie of Flask, Django, Starlette), so it travels over plain HTTP or is "
    "readable by any script injected into the page; or SESSION_COOKIE_SECURE, "
    "SESSION_COOKIE_HTTPONLY, CSRF_COOKIE_SECURE, REMEMBER_COOKIE_SECURE or "
    "REMEMBER_COOKIE_HTTPONLY is set to False. A cookie is sensitive when its literal name "
    "speaks of a session, token, login, user, account or key, or when its name is computed. "
    "Other literal names (theme, lang, consent), CSRF cookies without HttpOnly, calls that "
    "forward *args/**kwargs, http.cookiejar jars, settings files named for dev, local, test or "
    "CI, and branches on environment or debug flags are not reported.",
    "response.set_cookie(name, value, secure=True, httponly=True, samesite=\"Lax\"); in "
    "settings, SESSION_COOKIE_SECURE = True, SESSION_COOKIE_HTTPONLY = True and "
    "CSRF_COOKIE_SECURE = True."};

const RuleSpec kTlsUnverified = {
    "SEC034",
    "tls-verification-disabled",
    SEVERITY_HIGH,
    295,
    0.90,
    "Certificate verification is off, so anyone on the network path can impersonate the "
    "server (HIGH): verify=False on requests/httpx/boto3 calls and clients, session.verify = "
    "False, ssl=False or verify_ssl=False on aiohttp, verify_certs=False (Elasticsearch), "
    "ssl_cert_reqs=None (redis), tlsInsecure=True or tlsAllowInvalidCertificates=True "
    "(pymongo), ssl._create_unverified_context(), verify_mode or cert_reqs set to CERT_NONE, "
    "or an ssl.SSLContext made with PROTOCOL_TLS (or no protocol) that a client uses without "
    "setting verify_mode. check_hostname = False on a context that still checks certificates "
    "and tlsAllowInvalidHostnames=True are MEDIUM. The message says when "
    "urllib3.disable_warnings() also hides the warning. Requests to localhost, a context class "
    "setting its own defaults, and branches on environment or debug flags are not reported.",
    "Keep verification on; trust a private CA with verify=\"/path/to/ca.pem\" (requests, httpx) "
    "or ssl.create_default_context(cafile=...) instead of turning the checks off."};

const RuleSpec kDebugMode = {
    "SEC035",
    "debug-mode",
    SEVERITY_MEDIUM,
    489,
    0.85,
    "Debug mode is on in code that may run in production: app.run(debug=True) or "
    "app.run(host, port, True), run_server(debug=True), werkzeug run_simple(use_debugger=True) "
    "(HIGH when bound to all interfaces, where the Werkzeug debugger runs code for anyone who "
    "reaches it), FastAPI/Starlette/tornado Application(debug=True), bottle.debug(True), "
    "FLASK_DEBUG/DJANGO_DEBUG=1 or FLASK_ENV=development written to os.environ, app.debug = "
    "True, app.config[\"DEBUG\"] = True, config.update(DEBUG=True), or DEBUG = True at module "
    "level of a settings module (settings.py, settings/*.py, *settings*.py, config.py) or in a "
    "*Config/*Settings class. Files and classes named for dev, local, test or CI, and branches "
    "on environment or debug flags, are not reported.",
    "Read the flag from the environment (DEBUG = os.environ.get(\"DJANGO_DEBUG\") == \"1\"), "
    "keep DEBUG = True in a development-only settings file, and serve production with gunicorn "
    "or uwsgi rather than app.run()."};

// ---- small questions about code ----

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsFalse(const ParsedModule& m, Node value) {
  const std::string_view text = TextOf(m, Unparenthesize(value));
  return text == "False" || text == "0";
}

bool IsTrue(const ParsedModule& m, Node value) {
  const std::string_view text = TextOf(m, Unparenthesize(value));
  return text == "True" || text == "1";
}

bool IsNone(const ParsedModule& m, Node value) {
  return TextOf(m, Unparenthesize(value)) == "None";
}

Node Arguments(Node call) { return Field(call, PythonGrammar::Get().field_arguments); }

// Positional argument `index`, else keyword `keyword` (when not empty).
Node Argument(const ParsedModule& m, Node call, int index, std::string_view keyword) {
  const Node args = Arguments(call);
  if (!Is(args, PythonGrammar::Get().argument_list)) return {};
  Node arg = index < 0 ? Node() : analysis::PositionalArgument(args, index);
  if (NodeIsNull(arg) && !keyword.empty()) {
    arg = analysis::KeywordArgument(args, keyword, m.source());
  }
  return arg;
}

Node Keyword(const ParsedModule& m, Node call, std::string_view name) {
  return analysis::KeywordArgument(Arguments(call), name, m.source());
}

std::string Tail(const ParsedModule& m, Node at, int function) {
  return (function < 0 ? std::string(" at module level")
                       : " in " + std::string(m.FunctionName(function)) + "()") +
         " (" + m.path() + ":" + std::to_string(analysis::NodeLine(at)) + ")";
}

std::string Code(const ParsedModule& m, Node node) {
  return "`" + Quote(TextOf(m, node), 80) + "`";
}

template <typename List>
bool InList(std::string_view word, const List& list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

bool In(std::string_view word, std::initializer_list<std::string_view> list) {
  return InList(word, list);
}

template <typename List>
bool AnyWordInList(std::string_view name, const List& list) {
  for (const std::string& w : IdentifierWords(name)) {
    if (InList(w, list)) return true;
  }
  return false;
}

bool AnyWordIn(std::string_view name, std::initializer_list<std::string_view> list) {
  return AnyWordInList(name, list);
}

// ---- what a name says a value is for ----

enum class Purpose { kUnknown, kBenign, kSecret, kPassword };

bool PasswordWord(std::string_view w) {
  return In(w, {"password", "passwords", "passwd", "pwd", "pw", "passphrase"});
}

bool SecretWord(std::string_view w, bool for_hash) {
  if (In(w, {"secret",    "secrets", "token",      "tokens",      "nonce", "nonces",  "salt",
             "otp",       "totp",    "hotp",       "csrf",        "xsrf",  "session", "sessions",
             "sessionid", "apikey",  "credential", "credentials", "pin",   "jwt"})) {
    return true;
  }
  if (for_hash) {
    return In(w, {"signature", "sign", "signed", "signing", "hmac", "auth", "authenticate",
                  "authentication", "login"});
  }
  // A random number in code named for verifying someone is a one-time code.
  return In(w, {"verification", "confirmation", "mfa", "captcha", "passcode"});
}

// "api key", "reset code", "one time": a key or code that is a credential.
bool SecretPair(std::string_view first, std::string_view second) {
  if (first == "one" && second == "time") return true;
  return In(second, {"key", "keys", "code", "codes"}) &&
         In(first, {"api",     "secret",     "signing",  "encryption",   "private", "access",
                    "auth",    "session",    "reset",    "verification", "verify",  "confirmation",
                    "confirm", "activation", "invite",   "invitation",   "login",   "mfa",
                    "sms",     "security",   "recovery", "backup",       "otp",     "email"});
}

// Names of values that protect nothing: checksums and cache keys (hashes), jitter and samples
// (random numbers).
bool BenignWord(std::string_view w, bool for_hash) {
  if (for_hash) {
    return In(w,
              {"checksum", "checksums",   "crc",       "etag",        "etags",        "cache",
               "cached",   "caching",     "cachekey",  "fingerprint", "fingerprints", "dedup",
               "dedupe",   "deduplicate", "duplicate", "duplicates",  "md5sum",       "sha1sum",
               "gravatar", "avatar",      "file",      "files",       "filename",     "content",
               "contents", "chunk",       "chunks",    "shard",       "shards",       "bucket",
               "buckets",  "partition",   "color",     "colour",      "url",          "urls",
               "path",     "paths",       "version",   "revision",    "asset",        "assets",
               "static",   "lock",        "uuid",      "uuid3",       "uuid5",        "boundary"});
  }
  return In(w, {"delay",        "delays",    "jitter",      "backoff",  "sleep",   "wait",
                "timeout",      "interval",  "retry",       "retries",  "sample",  "samples",
                "sampling",     "shuffle",   "shuffled",    "noise",    "color",   "colour",
                "index",        "idx",       "port",        "weight",   "weights", "offset",
                "position",     "latency",   "probability", "prob",     "rate",    "simulate",
                "simulation",   "simulated", "dice",        "roll",     "game",    "mock",
                "fake",         "dummy",     "demo",        "epsilon",  "dropout", "augment",
                "augmentation", "split",     "train",       "training", "batch",   "fuzz",
                "boundary",     "multipart", "mime"});
}

Purpose Classify(std::string_view name, bool for_hash) {
  const std::vector<std::string> words = IdentifierWords(name);
  Purpose purpose = Purpose::kUnknown;
  for (size_t i = 0; i < words.size(); ++i) {
    if (BenignWord(words[i], for_hash)) return Purpose::kBenign;
    if (PasswordWord(words[i])) {
      purpose = Purpose::kPassword;
    } else if (purpose == Purpose::kUnknown &&
               (SecretWord(words[i], for_hash) || (i > 0 && SecretPair(words[i - 1], words[i])))) {
      purpose = Purpose::kSecret;
    }
  }
  return purpose;
}

struct Judgement {
  Purpose purpose = Purpose::kUnknown;
  std::string why;  // "assigned to `reset_token`", "made in generate_password()"
};

// What a value made by `call` is for: the innermost binding around it that names a purpose,
// else the enclosing functions (innermost first) and the class of a method.
Judgement PurposeOf(const ParsedModule& m, const Bindings& bindings, const Site& call,
                    bool for_hash) {
  Judgement bound;
  for (const Bindings::Binding* b : bindings.Enclosing(call.node, 3)) {
    const std::string_view name = TargetName(m, b->target);
    if (name.empty()) continue;
    const Purpose p = Classify(name, for_hash);
    if (p == Purpose::kBenign) return {p, ""};
    if (p != Purpose::kUnknown) {
      bound = {p, std::string(b->how) + " `" + std::string(name) + "`"};
      break;
    }
  }
  // A function named for something harmless overrides a local name: `token` in
  // _make_boundary() is a MIME boundary, not a credential.
  if (bound.purpose != Purpose::kUnknown) {
    if (call.function >= 0 &&
        Classify(m.functions()[call.function].name, for_hash) == Purpose::kBenign) {
      return {Purpose::kBenign, ""};
    }
    return bound;
  }
  int f = call.function;
  for (int depth = 0; f >= 0 && depth < 4; ++depth) {
    const analysis::FunctionInfo& info = m.functions()[f];
    Purpose p = Classify(info.name, for_hash);
    std::string why = "made in " + std::string(info.name) + "()";
    if (p == Purpose::kUnknown && info.owner_class >= 0) {
      p = Classify(m.classes()[info.owner_class].name, for_hash);
      why = "made in class " + std::string(m.classes()[info.owner_class].name);
    }
    if (p == Purpose::kBenign) return {p, ""};
    if (p != Purpose::kUnknown) return {p, why};
    f = info.parent_function;
  }
  return {};
}

// ---- the checks over one module ----

enum class ParserKind { kSafe, kDefault, kUnsafe };

constexpr std::array<std::string_view, 5> kCookieSettings = {
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
    "REMEMBER_COOKIE_SECURE", "REMEMBER_COOKIE_HTTPONLY"};

// The state of one CheckConfigRules call: what later sites need from earlier ones (lxml parser
// names, CERT_NONE contexts, disable_warnings) and findings that wait for the whole module.
class ConfigChecker {
 public:
  ConfigChecker(const ParsedModule& m, FindingCollector& out) : m_(m), out_(out) {
    const FileRole role = RoleOfPath(m.path());
    development_file_ = role.development;
    settings_file_ = role.settings;
  }

  void Run() {
    for (const Site& site : m_.calls()) OnCall(site);
    for (const Site& site : m_.assignments()) OnAssignment(site);
    for (const Site& site : m_.keyword_arguments()) OnKeyword(site);
    for (const Site& site : m_.pairs()) OnPair(site);
    FinishXxe();
    FinishTls();
  }

 private:
  struct PendingParse {
    Site site;
    std::string callee;
    std::string parser;  // name of the parser passed; empty for lxml's default parser
  };
  struct PendingTls {
    Node at;
    int function;
    std::string message;
    Severity severity;
  };

  const Bindings& bindings() {
    if (!bindings_) bindings_.emplace(m_);
    return *bindings_;
  }

  void OnCall(const Site& call) {
    // The last name of every callee some check looks at; any other call costs one lookup.
    // clang-format off
    static const std::unordered_set<std::string_view> kMethods = {
        "md5", "sha1", "new", "MD5", "SHA1",                                    // SEC031
        "random", "randint", "randrange", "choice", "choices", "sample",         // SEC032
        "getrandbits", "shuffle", "uniform", "randbytes", "rand", "random_sample", "bytes",
        "XMLParser", "XMLPullParser", "makeparser", "parse", "fromstring",      // SEC030
        "fromstringlist", "XML", "iterparse", "set_default_parser", "setFeature",
        "set_cookie", "set_signed_cookie",                                      // SEC033
        "_create_unverified_context", "disable_warnings", "SSLContext",         // SEC034
        "wrap_socket", "wrap_bio", "load_cert_chain",
        "run", "debug", "setdefault"};                                          // SEC035
    // clang-format on
    const std::string_view method = m_.MethodName(call.node);
    if (!kMethods.contains(method)) return;
    if (method == "setFeature") return CheckSaxFeature(call);
    if (method == "run") return CheckPositionalRunDebug(call);
    // logger.debug(...) and dict.setdefault(...) are everywhere: look closer only at
    // debug(True) and setdefault("FLASK_DEBUG"/"FLASK_ENV"/"DJANGO_DEBUG", ...).
    if (method == "debug" && !IsTrue(m_, Argument(m_, call.node, 0, "mode"))) return;
    if (method == "setdefault" &&
        !StringValue(m_, Argument(m_, call.node, 0, "")).ends_with("_DEBUG") &&
        StringValue(m_, Argument(m_, call.node, 0, "")) != "FLASK_ENV") {
      return;
    }
    if (method == "wrap_socket" || method == "wrap_bio" || method == "load_cert_chain") {
      return NoteContextUse(call, method);
    }
    if (method == "set_cookie" || method == "set_signed_cookie")
      return CheckSetCookie(call, method);
    const std::string callee = m_.CalleeName(call.node);
    if (callee.empty()) return;
    if (method == "debug" || method == "setdefault") {
      CheckDebugCall(call, callee, method);
    } else if (method == "disable_warnings") {
      if (callee.find("urllib3") != std::string::npos) warnings_disabled_ = true;
    } else if (callee == "ssl._create_unverified_context") {
      AddTls(call.node, call.function,
             Code(m_, call.node) + " makes an SSL context that checks no certificate",
             SEVERITY_HIGH);
    } else if (callee == "ssl.SSLContext") {
      NoteSslContext(call);
    } else if (callee.starts_with("lxml.")) {
      CheckLxml(call, callee, method);
    } else if (callee.starts_with("random.") || callee.starts_with("numpy.random.")) {
      CheckRandom(call, callee, method);
    } else {
      CheckHash(call, callee, method);
    }
  }

  // ---- SEC030 ----

  ParserKind ClassifyParser(Node call, std::string* reason) {
    const Node no_network = Keyword(m_, call, "no_network");
    if (!NodeIsNull(no_network) && IsFalse(m_, no_network)) {
      *reason = "no_network=False";
      return ParserKind::kUnsafe;
    }
    const Node resolve = Keyword(m_, call, "resolve_entities");
    if (NodeIsNull(resolve)) return ParserKind::kDefault;
    if (IsTrue(m_, resolve)) {
      *reason = "resolve_entities=True";
      return ParserKind::kUnsafe;
    }
    return ParserKind::kSafe;
  }

  void CheckLxml(const Site& call, const std::string& callee, std::string_view method) {
    const PythonGrammar& g = PythonGrammar::Get();
    std::string reason;
    if (method == "XMLParser" || method == "XMLPullParser" || method == "makeparser") {
      const ParserKind kind = ClassifyParser(call.node, &reason);
      if (kind == ParserKind::kUnsafe) {
        out_.Add(kXxe, m_.Locate(call.node),
                 Code(m_, call.node) + " makes a parser with " + reason +
                     ": documents it parses can read local files or fetch URLs through "
                     "external entities" +
                     Tail(m_, call.node, call.function),
                 std::string(kXxe.remediation), analysis::NodeLastLine(call.node));
      }
      const Node parent = NodeParent(call.node);
      if (Is(parent, g.assignment) && NodeEq(Field(parent, g.field_right), call.node)) {
        parsers_[std::string(TextOf(m_, Field(parent, g.field_left)))] = kind;
      }
      return;
    }
    if (method == "set_default_parser") {
      const Node parser = Unparenthesize(Argument(m_, call.node, 0, "parser"));
      if (Is(parser, g.call)) {
        default_parser_safe_ = ClassifyParser(parser, &reason) == ParserKind::kSafe;
      } else if (!NodeIsNull(parser)) {
        default_parser_name_ = std::string(TextOf(m_, parser));
      }
      return;
    }
    static const std::unordered_set<std::string_view> kParsers = {
        "lxml.etree.parse",          "lxml.etree.fromstring", "lxml.etree.XML",
        "lxml.etree.fromstringlist", "lxml.etree.iterparse",  "lxml.objectify.parse",
        "lxml.objectify.fromstring", "lxml.objectify.XML"};
    if (!kParsers.contains(callee)) return;
    const Node data =
        Argument(m_, call.node, 0, method == "parse" || method == "iterparse" ? "source" : "text");
    if (NodeIsNull(data) || IsConstant(Unparenthesize(data))) return;
    if (method == "iterparse") {
      const ParserKind kind = ClassifyParser(call.node, &reason);
      if (kind == ParserKind::kSafe) return;
      if (kind == ParserKind::kUnsafe) {
        AddXxe(call, callee, "with " + reason + ", which expands external entities", kind);
      } else {
        AddXxe(call, callee, DefaultParserText(), kind);
      }
      return;
    }
    const Node parser = Unparenthesize(Argument(m_, call.node, 1, "parser"));
    if (NodeIsNull(parser) || IsNone(m_, parser)) {
      pending_parses_.push_back({call, callee, ""});
    } else if (Is(parser, g.call)) {
      // An unsafe inline parser is reported where it is made.
      if (ClassifyParser(parser, &reason) == ParserKind::kDefault) {
        AddXxe(call, callee, "with a parser made with lxml's defaults, " + DefaultTail(),
               ParserKind::kDefault);
      }
    } else {
      pending_parses_.push_back({call, callee, std::string(TextOf(m_, parser))});
    }
  }

  static std::string DefaultTail() {
    return "which resolve external entities (local files) before lxml 5.0";
  }
  static std::string DefaultParserText() {
    return "with lxml's default parser, whose defaults resolve external entities (local files) "
           "before lxml 5.0";
  }

  // A parse reported at its call: HIGH when its parser expands entities whatever the lxml
  // version, MEDIUM (confidence 0.60) when only lxml's pre-5.0 defaults do.
  void AddXxe(const Site& call, const std::string& callee, const std::string& how,
              ParserKind kind) {
    const Node data = Argument(m_, call.node, 0, "");
    conclave::v1::Finding& f =
        out_.Add(kXxe, m_.Locate(call.node),
                 callee + "() parses " + (NodeIsNull(data) ? "data" : Code(m_, data)) + " " +
                     how + Tail(m_, call.node, call.function),
                 std::string(kXxe.remediation), analysis::NodeLastLine(call.node));
    if (kind == ParserKind::kDefault) {
      f.set_severity(SEVERITY_MEDIUM);
      f.set_confidence(0.60);
    }
  }

  void FinishXxe() {
    if (!default_parser_name_.empty()) {
      const auto it = parsers_.find(default_parser_name_);
      default_parser_safe_ = it != parsers_.end() && it->second == ParserKind::kSafe;
    }
    for (const PendingParse& p : pending_parses_) {
      if (p.parser.empty()) {
        if (!default_parser_safe_) {
          AddXxe(p.site, p.callee, DefaultParserText(), ParserKind::kDefault);
        }
        continue;
      }
      const auto it = parsers_.find(p.parser);
      if (it != parsers_.end() && it->second == ParserKind::kDefault) {
        AddXxe(p.site, p.callee,
               "with `" + p.parser + "`, a parser made with lxml's defaults, " + DefaultTail(),
               ParserKind::kDefault);
      }
    }
  }

  void CheckSaxFeature(const Site& call) {
    const Node feature = Argument(m_, call.node, 0, "");
    const Node state = Argument(m_, call.node, 1, "");
    if (NodeIsNull(feature) || NodeIsNull(state) || !IsTrue(m_, state)) return;
    const std::string_view name = TextOf(m_, feature);
    bool external = false;
    for (std::string_view f : {"external_ges", "external_pes", "external-general-entities",
                               "external-parameter-entities"}) {
      if (name.find(f) != std::string_view::npos) external = true;
    }
    if (!external) return;
    out_.Add(kXxe, m_.Locate(call.node),
             Code(m_, call.node) +
                 " turns on external entities for a SAX parser: documents it parses can read "
                 "local files or fetch URLs" +
                 Tail(m_, call.node, call.function),
             std::string(kXxe.remediation), analysis::NodeLastLine(call.node));
  }

  // ---- SEC031 ----

  void CheckHash(const Site& call, const std::string& callee, std::string_view method) {
    std::string algorithm;
    if (callee == "hashlib.md5" || callee == "hashlib.sha1") {
      algorithm = method == "md5" ? "MD5" : "SHA-1";
    } else if (callee == "hashlib.new") {
      const std::string name = Lower(StringValue(m_, Argument(m_, call.node, 0, "name")));
      if (name == "md5") algorithm = "MD5";
      if (name == "sha1") algorithm = "SHA-1";
    } else if (callee == "Crypto.Hash.MD5.new" || callee == "Cryptodome.Hash.MD5.new" ||
               callee == "cryptography.hazmat.primitives.hashes.MD5") {
      algorithm = "MD5";
    } else if (callee == "Crypto.Hash.SHA1.new" || callee == "Cryptodome.Hash.SHA1.new" ||
               callee == "cryptography.hazmat.primitives.hashes.SHA1") {
      algorithm = "SHA-1";
    }
    if (algorithm.empty()) return;
    const Node for_security = Keyword(m_, call.node, "usedforsecurity");
    if (!NodeIsNull(for_security) && IsFalse(m_, for_security)) return;
    Judgement j = PurposeOf(m_, bindings(), call, /*for_hash=*/true);
    const Node data = Argument(m_, call.node, callee == "hashlib.new" ? 1 : 0, "data");
    if (j.purpose == Purpose::kUnknown && !NodeIsNull(data)) {
      j.purpose = Classify(TextOf(m_, data).substr(0, 120), true);
      j.why = "hashes " + Code(m_, data);
    }
    if (j.purpose == Purpose::kBenign) return;
    // cryptography's hashes.SHA1() is an algorithm argument (cert.fingerprint, OID tables):
    // reported only where the code says what it protects.
    if (j.purpose == Purpose::kUnknown && callee.starts_with("cryptography.")) return;
    const Severity severity = j.purpose == Purpose::kPassword ? SEVERITY_HIGH
                              : j.purpose == Purpose::kSecret ? SEVERITY_MEDIUM
                                                              : SEVERITY_LOW;
    const std::string what =
        j.purpose == Purpose::kUnknown
            ? ": if the digest protects anything (a password, token or signature), collisions "
              "are cheap; pass usedforsecurity=False when it does not"
            : ", " + j.why + ": " + algorithm +
                  (j.purpose == Purpose::kPassword
                       ? " is fast and unsalted, so stolen hashes are cracked in bulk"
                       : " collisions are cheap, so the value can be forged");
    conclave::v1::Finding& f = out_.Add(
        kWeakHash, m_.Locate(call.node),
        Code(m_, call.node) + " uses " + algorithm + what + Tail(m_, call.node, call.function),
        std::string(kWeakHash.remediation), analysis::NodeLastLine(call.node));
    f.set_severity(severity);
    if (j.purpose == Purpose::kUnknown) f.set_confidence(0.40);
  }

  // ---- SEC032 ----

  void CheckRandom(const Site& call, const std::string& callee, std::string_view method) {
    const bool stdlib = callee.starts_with("random.");
    if (callee.substr(stdlib ? 7 : 13) != method) return;  // random.Random().x, ...
    const bool weak =
        stdlib ? In(method, {"random", "randint", "randrange", "choice", "choices", "sample",
                             "getrandbits", "shuffle", "uniform", "randbytes"})
               : In(method, {"randint", "rand", "random", "choice", "bytes", "random_sample"});
    if (!weak) return;
    // Picking one of existing tokens or sessions (or words of a vocabulary) makes no secret.
    if (In(method, {"choice", "choices", "sample", "shuffle"})) {
      const Node population = Unparenthesize(Argument(m_, call.node, 0, "population"));
      if (Is(population, PythonGrammar::Get().identifier) ||
          Is(population, PythonGrammar::Get().attribute)) {
        // TOKEN_CHARS is an alphabet to build tokens from; self.tokens, vocab_tokens and
        // pins are the things themselves.
        bool things = false, alphabet = false;
        for (std::string w : IdentifierWords(TextOf(m_, population))) {
          if (In(w, {"chars", "characters", "alphabet", "letters", "digits", "charset", "symbols",
                     "ascii", "hexdigits", "punctuation", "printable"})) {
            alphabet = true;
          }
          if (w.size() > 3 && w.ends_with('s')) w.pop_back();
          if (PasswordWord(w) || SecretWord(w, false) ||
              In(w, {"vocab", "vocabulary", "corpus", "word", "sentence", "dataset"})) {
            things = true;
          }
        }
        if (things && !alphabet) return;
      }
    }
    const Judgement j = PurposeOf(m_, bindings(), call, /*for_hash=*/false);
    if (j.purpose != Purpose::kSecret && j.purpose != Purpose::kPassword) return;
    out_.Add(kWeakRandom, m_.Locate(call.node),
             Code(m_, call.node) + " makes a value " + j.why +
                 " with the random module, whose Mersenne Twister outputs predict the next "
                 "ones" +
                 Tail(m_, call.node, call.function),
             std::string(kWeakRandom.remediation), analysis::NodeLastLine(call.node));
  }

  // ---- SEC033 ----

  void CheckSetCookie(const Site& call, std::string_view method) {
    if (!Is(Field(call.node, PythonGrammar::Get().field_function),
            PythonGrammar::Get().attribute)) {
      return;
    }
    // A response sets a name and a value; http.cookiejar's CookieJar.set_cookie(cookie) stores
    // a client-side Cookie object and sends nothing.
    if (NodeIsNull(Argument(m_, call.node, 1, "value")) &&
        NodeIsNull(Keyword(m_, call.node, "key"))) {
      return;
    }
    // *args or **kwargs may carry the flags: a wrapper forwarding them sets nothing itself.
    bool forwards = false;
    const Node args = Arguments(call.node);
    if (NodeIsNull(args)) return;
    analysis::ForEachChild(args, [&](Node arg, TSFieldId) {
      const std::string_view type = NodeType(arg);
      if (type == "list_splat" || type == "dictionary_splat") forwards = true;
    });
    if (forwards) return;
    const std::string_view name = StringValue(m_, Argument(m_, call.node, 0, "key"));
    const std::string lower = Lower(name);
    const bool csrf =
        lower.find("csrf") != std::string::npos || lower.find("xsrf") != std::string::npos;
    // CWE-614 is about sensitive cookies: a literal name must say it carries a session, a
    // credential or a user's identity ("theme", "lang", "visited" do not). A name computed at
    // run time (settings.SESSION_COOKIE_NAME, a helper's parameter) is reported.
    if (!name.empty() && !csrf && !SensitiveCookieName(name)) return;
    const bool positional = method == "set_cookie";  // key, value, max_age, ..., secure, httponly
    auto flag_set = [&](int index, std::string_view keyword) {
      const Node v = Argument(m_, call.node, positional ? index : -1, keyword);
      return !NodeIsNull(v) && !IsFalse(m_, v) && !IsNone(m_, v);
    };
    std::vector<std::string> missing;
    if (!flag_set(6, "secure")) missing.push_back("secure=True");
    if (!csrf && !flag_set(7, "httponly")) missing.push_back("httponly=True");
    if (missing.empty()) return;
    const Surroundings where = Surround(m_, call.node);
    if (where.development_branch) return;
    const bool both = missing.size() == 2;
    out_.Add(kInsecureCookie, m_.Locate(call.node),
             Code(m_, call.node) + " sets " +
                 (name.empty() ? std::string("a cookie") : "cookie '" + std::string(name) + "'") +
                 " without " + (both ? missing[0] + " and " + missing[1] : missing[0]) + ": " +
                 (both ? "it is sent over plain HTTP and readable by injected scripts"
                  : missing[0] == "secure=True" ? "it is sent over plain HTTP"
                                                : "injected scripts can read it") +
                 Tail(m_, call.node, call.function),
             std::string(kInsecureCookie.remediation), analysis::NodeLastLine(call.node));
  }

  static bool SensitiveCookieName(std::string_view name) {
    const std::string lower = Lower(name);
    for (std::string_view part : {"sess", "token", "auth", "jwt", "login", "remember"}) {
      if (lower.find(part) != std::string::npos) return true;
    }
    return AnyWordIn(
        name, {"sid",        "user",        "uid",      "userid", "access", "refresh", "identity",
               "account",    "secret",      "key",      "api",    "sso",    "saml",    "oauth",
               "credential", "credentials", "password", "pw",     "admin",  "cart"});
  }

  // A setting (DEBUG, SESSION_COOKIE_SECURE, ...) given `value` at `at`: assignment, keyword
  // or dict pair. `plain_name` is a bare `DEBUG = ...`, which counts only in settings modules
  // and *Config/*Settings classes.
  void CheckSetting(std::string_view name, Node value, Node at, int function, bool plain_name) {
    const bool debug = name == "DEBUG";
    const bool cookie = InList(name, kCookieSettings);
    if (!(debug ? IsTrue(m_, value) : cookie && IsFalse(m_, value))) return;
    if (development_file_) return;
    const Surroundings where = Surround(m_, at);
    if (where.development_branch) return;
    const std::string_view cls =
        NodeIsNull(where.cls) ? ""
                                   : TextOf(m_, Field(where.cls, PythonGrammar::Get().field_name));
    if (IsDevelopmentName(cls)) return;  // class DevelopmentConfig
    if (debug && plain_name) {
      const bool config_class = AnyWordIn(cls, {"config", "settings", "configuration"});
      if (!(where.module_level && settings_file_) && !config_class) return;
    }
    if (debug) {
      out_.Add(kDebugMode, m_.Locate(at),
               Code(m_, at) +
                   " turns debug mode on: tracebacks, settings and (Flask) the interactive "
                   "debugger are shown to whoever triggers an error" +
                   Tail(m_, at, function),
               std::string(kDebugMode.remediation), analysis::NodeLastLine(at));
      return;
    }
    out_.Add(kInsecureCookie, m_.Locate(at),
             Code(m_, at) +
                 (name.ends_with("SECURE") ? " lets the cookie travel over plain HTTP"
                                           : " lets injected scripts read the cookie") +
                 Tail(m_, at, function),
             std::string(kInsecureCookie.remediation), analysis::NodeLastLine(at));
  }

  // ---- assignments: SEC033, SEC034, SEC035 ----

  void OnAssignment(const Site& site) {
    const PythonGrammar& g = PythonGrammar::Get();
    const Node target = Field(site.node, g.field_left);
    Node value = Field(site.node, g.field_right);
    // DEBUG = TEMPLATE_DEBUG = True: the value is the innermost right side.
    for (int i = 0; i < 8 && Is(value, g.assignment); ++i) value = Field(value, g.field_right);
    if (NodeIsNull(value)) return;
    const std::string_view name = TargetName(m_, target);
    if (name.empty()) return;
    if ((name == "FLASK_DEBUG" || name == "FLASK_ENV" || name == "DJANGO_DEBUG") &&
        !NodeIsNull(TargetObject(target)) &&
        TextOf(m_, TargetObject(target)).ends_with("environ")) {
      if (!DebugEnvironment(name, StringValue(m_, value))) return;
      if (development_file_ || Surround(m_, site.node).development_branch) return;
      out_.Add(kDebugMode, m_.Locate(site.node),
               Code(m_, site.node) + " turns the framework's debug mode on for the process" +
                   Tail(m_, site.node, site.function),
               std::string(kDebugMode.remediation), analysis::NodeLastLine(site.node));
      return;
    }
    const bool attribute = Is(target, g.attribute);
    if (name == "DEBUG" || InList(name, kCookieSettings)) {
      // Set on an object, it must be a config mapping: app.config["DEBUG"].
      const bool plain = Is(target, g.identifier);
      if (!plain && !Lower(TextOf(m_, TargetObject(target))).ends_with("config")) return;
      return CheckSetting(name, value, site.node, site.function, plain);
    }
    if (name == "debug" && attribute && IsTrue(m_, value)) {
      const std::vector<std::string> words = IdentifierWords(TextOf(m_, TargetObject(target)));
      if (words.empty() || !In(words.back(), {"app", "application"})) return;
      if (development_file_ || Surround(m_, site.node).development_branch) return;
      out_.Add(kDebugMode, m_.Locate(site.node),
               Code(m_, site.node) +
                   " turns Flask's debug mode on: the interactive debugger runs code for "
                   "whoever triggers an error" +
                   Tail(m_, site.node, site.function),
               std::string(kDebugMode.remediation), analysis::NodeLastLine(site.node));
      return;
    }
    if (!attribute && name != "_create_default_https_context") return;
    // `self.verify_mode = ...` is a context class giving itself defaults, not a use of one.
    if (TextOf(m_, TargetObject(target)) == "self" &&
        (name == "verify_mode" || name == "check_hostname")) {
      return;
    }
    if (name == "verify" && IsFalse(m_, value)) {
      AddTls(site.node, site.function,
             Code(m_, site.node) +
                 " turns off certificate verification for every request of "
                 "the session",
             SEVERITY_HIGH);
    } else if (name == "verify_mode") {
      std::pair<int, std::string> context{site.function,
                                          std::string(TextOf(m_, TargetObject(target)))};
      if (TextOf(m_, value).ends_with("CERT_NONE")) {
        cert_none_.push_back(context);
        AddTls(site.node, site.function,
               Code(m_, site.node) + " makes the context accept any certificate", SEVERITY_HIGH);
      }
      configured_contexts_.insert(std::move(context));
    } else if (name == "check_hostname" && IsFalse(m_, value)) {
      hostname_unchecked_.push_back(site);
    } else if (name == "_create_default_https_context" &&
               TextOf(m_, value).ends_with("_create_unverified_context")) {
      AddTls(site.node, site.function,
             Code(m_, site.node) +
                 " turns off certificate verification for every HTTPS "
                 "connection of the process",
             SEVERITY_HIGH);
    }
  }

  // ---- keyword arguments: SEC033, SEC034, SEC035 ----

  void OnKeyword(const Site& site) {
    const PythonGrammar& g = PythonGrammar::Get();
    const std::string_view name = TextOf(m_, Field(site.node, g.field_name));
    const Node value = Field(site.node, g.field_value);
    if (NodeIsNull(value)) return;
    if (name == "context" || name == "ssl_context" || name == "ssl") {
      // An SSL context handed to a client call (urlopen, HTTPSConnection, aiohttp).
      client_contexts_.insert({site.function, std::string(TextOf(m_, value))});
    }
    const bool tls = name == "verify" || name == "ssl" || name == "verify_ssl";
    const bool client_option =
        In(name, {"verify_certs", "ssl_cert_reqs", "tlsInsecure", "tlsAllowInvalidCertificates",
                  "tlsAllowInvalidHostnames"});
    if (!tls && !client_option && name != "cert_reqs" && name != "debug" &&
        name != "use_debugger" && name != "DEBUG" && !InList(name, kCookieSettings)) {
      return;
    }
    const Node call = CallOfKeyword(site.node);
    if (NodeIsNull(call)) return;
    if (name == "DEBUG" || InList(name, kCookieSettings)) {
      return CheckSetting(name, value, call, site.function, false);
    }
    if (name == "debug" || name == "use_debugger") return CheckRunDebug(site, call, value);
    if (name == "cert_reqs") {
      if (!TextOf(m_, value).ends_with("CERT_NONE") && StringValue(m_, value) != "CERT_NONE")
        return;
      AddTls(call, site.function, Code(m_, call) + " accepts any certificate (cert_reqs=CERT_NONE)",
             SEVERITY_HIGH);
      return;
    }
    if (client_option) return CheckClientOption(site, call, name, value);
    if (!IsFalse(m_, value)) return;
    const std::string callee = m_.CalleeName(call);
    const std::string_view method = m_.MethodName(call);
    const bool http_method = In(method, {"get", "post", "put", "patch", "delete", "head", "options",
                                         "request", "send", "stream", "ws_connect"});
    const bool applies = name == "verify"
                             ? callee.starts_with("requests.") || callee.starts_with("httpx.") ||
                                   callee.starts_with("boto3.") || http_method ||
                                   In(method, {"Client", "AsyncClient", "client", "resource"})
                             : callee.starts_with("aiohttp.") || http_method;
    if (!applies || ToLocalhost(call)) return;
    AddTls(call, site.function,
           Code(m_, call) + " turns off certificate verification (" + std::string(name) + "=False)",
           SEVERITY_HIGH);
  }

  // Database and search clients: Elasticsearch(verify_certs=False), redis
  // (ssl_cert_reqs=None/"none"/CERT_NONE), pymongo (tlsInsecure=True,
  // tlsAllowInvalidCertificates=True; tlsAllowInvalidHostnames=True is MEDIUM).
  void CheckClientOption(const Site& site, Node call, std::string_view name, Node value) {
    bool off = false;
    if (name == "verify_certs") {
      off = IsFalse(m_, value);
    } else if (name == "ssl_cert_reqs") {
      off = IsNone(m_, value) || Lower(StringValue(m_, value)) == "none" ||
            TextOf(m_, value).ends_with("CERT_NONE");
    } else {
      off = IsTrue(m_, value);
    }
    if (!off) return;
    AddTls(call, site.function,
           Code(m_, call) + " connects without checking the server's " +
               (name == "tlsAllowInvalidHostnames" ? "host name" : "certificate") + " (" +
               std::string(name) + "=" + std::string(TextOf(m_, value)) + ")",
           name == "tlsAllowInvalidHostnames" ? SEVERITY_MEDIUM : SEVERITY_HIGH);
  }

  // Whether a request's URL (first argument or url=) is a literal on this machine.
  bool ToLocalhost(Node call) {
    const std::string_view url = StringValue(m_, Argument(m_, call, 0, "url"));
    for (std::string_view host : {"://localhost", "://127.0.0.1", "://[::1]"}) {
      if (url.find(host) != std::string_view::npos) return true;
    }
    return false;
  }

  // app.run("0.0.0.0", 5000, True): Flask's run(host, port, debug) with a literal host or one
  // named for a host (HOST, args.host).
  void CheckPositionalRunDebug(const Site& call) {
    const Node debug = Argument(m_, call.node, 2, "");
    if (NodeIsNull(debug) || !IsTrue(m_, debug)) return;
    const std::string_view host = StringValue(m_, Argument(m_, call.node, 0, ""));
    const bool literal_host =
        host == "localhost" || host == "::" ||
        (!host.empty() && host.find_first_not_of("0123456789.") == std::string_view::npos);
    const bool named_host = AnyWordIn(TextOf(m_, Argument(m_, call.node, 0, "")), {"host"});
    if (!(literal_host || named_host) || !NodeIsNull(Keyword(m_, call.node, "debug"))) return;
    CheckRunDebug(call, call.node, debug);
  }

  // bottle.debug(True); os.environ.setdefault("FLASK_DEBUG", "1").
  void CheckDebugCall(const Site& call, const std::string& callee, std::string_view method) {
    if (method == "debug") {
      const Node on = Argument(m_, call.node, 0, "mode");
      if (callee != "bottle.debug" || NodeIsNull(on) || !IsTrue(m_, on)) return;
    } else if (callee != "os.environ.setdefault" ||
               !DebugEnvironment(StringValue(m_, Argument(m_, call.node, 0, "")),
                                 StringValue(m_, Argument(m_, call.node, 1, "")))) {
      return;
    }
    if (development_file_ || Surround(m_, call.node).development_branch) return;
    out_.Add(kDebugMode, m_.Locate(call.node),
             Code(m_, call.node) + " turns the framework's debug mode on for the process" +
                 Tail(m_, call.node, call.function),
             std::string(kDebugMode.remediation), analysis::NodeLastLine(call.node));
  }

  // FLASK_DEBUG=1/true, FLASK_ENV=development, DJANGO_DEBUG=1/true set from code.
  static bool DebugEnvironment(std::string_view name, std::string_view value) {
    const std::string v = Lower(value);
    if (name == "FLASK_ENV") return v == "development";
    return (name == "FLASK_DEBUG" || name == "DJANGO_DEBUG") &&
           (v == "1" || v == "true" || v == "yes" || v == "on");
  }

  void CheckRunDebug(const Site& site, Node call, Node value) {
    const std::string_view method = m_.MethodName(call);
    if (!IsTrue(m_, value)) return;
    const std::string callee = m_.CalleeName(call);
    // Frameworks whose debug mode answers errors with tracebacks (Tornado also reloads code).
    const bool asgi_app = callee == "fastapi.FastAPI" ||
                          callee == "starlette.applications.Starlette" ||
                          callee == "tornado.web.Application";
    if (!asgi_app && method != "run" && method != "run_server" && method != "run_simple") return;
    if (callee == "asyncio.run" || callee.starts_with("subprocess.")) return;
    if (development_file_ || Surround(m_, call).development_branch) return;
    if (asgi_app) {
      out_.Add(kDebugMode, m_.Locate(call),
               Code(m_, call) +
                   " makes every unhandled error answer with its traceback and local source" +
                   Tail(m_, call, site.function),
               std::string(kDebugMode.remediation), analysis::NodeLastLine(call));
      return;
    }
    const std::string_view host = StringValue(m_, Argument(m_, call, 0, "host"));
    const bool exposed = host == "0.0.0.0" || host == "::";
    conclave::v1::Finding& f =
        out_.Add(kDebugMode, m_.Locate(call),
                 Code(m_, call) +
                     (exposed ? " serves the Werkzeug debugger on every interface: anyone who "
                                "reaches the port and triggers an error can run code"
                              : " runs the development server with the interactive debugger, "
                                "which runs code for whoever triggers an error") +
                     Tail(m_, call, site.function),
                 std::string(kDebugMode.remediation), analysis::NodeLastLine(call));
    if (exposed) f.set_severity(SEVERITY_HIGH);
  }

  // ---- dict pairs: SEC033, SEC035 ----

  void OnPair(const Site& site) {
    const PythonGrammar& g = PythonGrammar::Get();
    const std::string_view key = StringValue(m_, Field(site.node, g.field_key));
    if (key != "DEBUG" && !InList(key, kCookieSettings)) return;
    CheckSetting(key, Field(site.node, g.field_value), site.node, site.function, false);
  }

  // ---- SEC034 ----

  void AddTls(Node at, int function, std::string message, Severity severity) {
    pending_tls_.push_back({at, function, std::move(message), severity});
  }

  // ssl.SSLContext(PROTOCOL_TLS), PROTOCOL_SSLv23, a PROTOCOL_TLSv1* or no protocol starts with
  // CERT_NONE and no host name check; PROTOCOL_TLS_CLIENT verifies and PROTOCOL_TLS_SERVER serves.
  void NoteSslContext(const Site& call) {
    const PythonGrammar& g = PythonGrammar::Get();
    const Node protocol = Argument(m_, call.node, 0, "protocol");
    if (!NodeIsNull(protocol)) {
      const std::string_view p = TextOf(m_, protocol);
      if (p.ends_with("PROTOCOL_TLS_CLIENT") || p.ends_with("PROTOCOL_TLS_SERVER") ||
          p.find("PROTOCOL_") == std::string_view::npos) {
        return;
      }
    }
    const Node parent = NodeParent(call.node);
    if (!Is(parent, g.assignment) || !NodeEq(Field(parent, g.field_right), call.node)) return;
    unverified_contexts_.push_back({call, std::string(TextOf(m_, Field(parent, g.field_left)))});
  }

  // ctx.wrap_socket(sock, server_hostname=...) is a client; ctx.load_cert_chain(...) a server.
  void NoteContextUse(const Site& call, std::string_view method) {
    const PythonGrammar& g = PythonGrammar::Get();
    const Node function = Field(call.node, g.field_function);
    if (!Is(function, g.attribute)) return;
    std::pair<int, std::string> key{call.function,
                                    std::string(TextOf(m_, Field(function, g.field_object)))};
    if (method == "load_cert_chain") {
      configured_contexts_.insert(std::move(key));
    } else if (!NodeIsNull(Keyword(m_, call.node, "server_hostname"))) {
      client_contexts_.insert(std::move(key));
    }
  }

  void FinishTls() {
    const PythonGrammar& g = PythonGrammar::Get();
    for (const auto& [site, name] : unverified_contexts_) {
      const std::pair<int, std::string> key{site.function, name};
      if (configured_contexts_.contains(key) || !client_contexts_.contains(key)) continue;
      AddTls(site.node, site.function,
             Code(m_, site.node) +
                 " makes a client context that starts with CERT_NONE and no "
                 "host name check, and `" +
                 name + "` is used unchanged",
             SEVERITY_HIGH);
    }
    for (const Site& site : hostname_unchecked_) {
      const std::string object(TextOf(m_, TargetObject(Field(site.node, g.field_left))));
      const bool covered = std::any_of(cert_none_.begin(), cert_none_.end(), [&](const auto& c) {
        return c.first == site.function && c.second == object;
      });
      if (covered) continue;  // the CERT_NONE finding on the same context says it all
      AddTls(site.node, site.function,
             Code(m_, site.node) + " accepts a valid certificate issued for any host name",
             SEVERITY_MEDIUM);
    }
    for (PendingTls& p : pending_tls_) {
      if (development_file_ || Surround(m_, p.at).development_branch) continue;
      const std::string note =
          warnings_disabled_ ? "; urllib3.disable_warnings() also hides the warning" : "";
      conclave::v1::Finding& f =
          out_.Add(kTlsUnverified, m_.Locate(p.at),
                   p.message + ": anyone on the network path can impersonate the server" + note +
                       Tail(m_, p.at, p.function),
                   std::string(kTlsUnverified.remediation), analysis::NodeLastLine(p.at));
      f.set_severity(p.severity);
    }
  }

  const ParsedModule& m_;
  FindingCollector& out_;
  bool development_file_ = false;
  bool settings_file_ = false;
  std::optional<Bindings> bindings_;
  std::unordered_map<std::string, ParserKind> parsers_;
  std::string default_parser_name_;
  bool default_parser_safe_ = false;
  std::vector<PendingParse> pending_parses_;
  bool warnings_disabled_ = false;
  std::vector<std::pair<int, std::string>> cert_none_;
  std::vector<Site> hostname_unchecked_;
  // SSL contexts by (function, name): made without verification, used by a client, or given a
  // verify_mode or a certificate chain (a server) after all.
  std::vector<std::pair<Site, std::string>> unverified_contexts_;
  std::set<std::pair<int, std::string>> client_contexts_, configured_contexts_;
  std::vector<PendingTls> pending_tls_;
};

}  // namespace

const std::vector<RuleSpec>& ConfigRules() {
  static const std::vector<RuleSpec> rules = {
      kXxe, kWeakHash, kWeakRandom, kInsecureCookie, kTlsUnverified, kDebugMode};
  return rules;
}

void CheckConfigRules(const ParsedModule& m, FindingCollector& out) {
  if (IsTestPath(m.path())) return;
  ConfigChecker(m, out).Run();
}

}  // namespace conclave::security
