#include "agents/security/taint_catalog.h"

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace conclave::security {
namespace {

using K = FlowKind;
using S = SinkShape;

constexpr uint16_t kSqlBit = KindBit(K::kSql);
constexpr uint16_t kCommandBit = KindBit(K::kCommand);
constexpr uint16_t kPathBit = KindBit(K::kPath);
constexpr uint16_t kXssBit = KindBit(K::kXss);
constexpr uint16_t kLdapBit = KindBit(K::kLdap);
constexpr uint16_t kXpathBit = KindBit(K::kXpath);

// Sinks matched on the whole resolved callee name.
const SinkSpec kCalleeSinks[] = {
    // SEC001
    {"eval", K::kCodeEval, S::kArgument, 0, "source"},
    {"exec", K::kCodeEval, S::kArgument, 0, "source"},
    {"compile", K::kCodeEval, S::kArgument, 0, "source"},
    {"builtins.eval", K::kCodeEval, S::kArgument, 0, "source"},
    {"builtins.exec", K::kCodeEval, S::kArgument, 0, "source"},
    {"builtins.compile", K::kCodeEval, S::kArgument, 0, "source"},
    // SEC002
    {"pandas.read_sql", K::kSql, S::kArgument, 0, "sql"},
    {"pandas.read_sql_query", K::kSql, S::kArgument, 0, "sql"},
    {"django.db.models.expressions.RawSQL", K::kSql, S::kArgument, 0, "sql"},
    {"django.db.models.RawSQL", K::kSql, S::kArgument, 0, "sql"},
    // SEC003
    {"os.system", K::kCommand, S::kArgument, 0, "command"},
    {"os.popen", K::kCommand, S::kArgument, 0, "cmd"},
    {"subprocess.getoutput", K::kCommand, S::kArgument, 0, "cmd"},
    {"subprocess.getstatusoutput", K::kCommand, S::kArgument, 0, "cmd"},
    {"commands.getoutput", K::kCommand, S::kArgument, 0, "cmd"},
    {"asyncio.create_subprocess_shell", K::kCommand, S::kArgument, 0, "cmd"},
    {"subprocess.run", K::kCommand, S::kSubprocess, 0, "args"},
    {"subprocess.call", K::kCommand, S::kSubprocess, 0, "args"},
    {"subprocess.Popen", K::kCommand, S::kSubprocess, 0, "args"},
    {"subprocess.check_call", K::kCommand, S::kSubprocess, 0, "args"},
    {"subprocess.check_output", K::kCommand, S::kSubprocess, 0, "args"},
    {"asyncio.create_subprocess_exec", K::kCommand, S::kProgram, 0, "program"},
    {"os.execv", K::kCommand, S::kProgram, 0, "path"},
    {"os.execve", K::kCommand, S::kProgram, 0, "path"},
    {"os.execvp", K::kCommand, S::kProgram, 0, "file"},
    {"os.execvpe", K::kCommand, S::kProgram, 0, "file"},
    {"os.execl", K::kCommand, S::kProgram, 0, "path"},
    {"os.execlp", K::kCommand, S::kProgram, 0, "file"},
    {"os.spawnv", K::kCommand, S::kProgram, 1, "path"},
    {"os.spawnl", K::kCommand, S::kProgram, 1, "path"},
    {"os.spawnvp", K::kCommand, S::kProgram, 1, "file"},
    {"os.spawnlp", K::kCommand, S::kProgram, 1, "file"},
    // SEC005
    {"pickle.load", K::kDeserialization, S::kArgument, 0, "file"},
    {"pickle.loads", K::kDeserialization, S::kArgument, 0, "data"},
    {"pickle.Unpickler", K::kDeserialization, S::kArgument, 0, "file"},
    {"cPickle.load", K::kDeserialization, S::kArgument, 0, "file"},
    {"cPickle.loads", K::kDeserialization, S::kArgument, 0, "data"},
    {"cPickle.Unpickler", K::kDeserialization, S::kArgument, 0, "file"},
    {"_pickle.load", K::kDeserialization, S::kArgument, 0, "file"},
    {"_pickle.loads", K::kDeserialization, S::kArgument, 0, "data"},
    {"dill.load", K::kDeserialization, S::kArgument, 0, "file"},
    {"dill.loads", K::kDeserialization, S::kArgument, 0, "str"},
    {"marshal.load", K::kDeserialization, S::kArgument, 0, "file"},
    {"marshal.loads", K::kDeserialization, S::kArgument, 0, "bytes"},
    {"shelve.open", K::kDeserialization, S::kArgument, 0, "filename", -1, true},
    {"pandas.read_pickle", K::kDeserialization, S::kArgument, 0, "filepath_or_buffer"},
    {"jsonpickle.decode", K::kDeserialization, S::kArgument, 0, "string"},
    // SEC010
    {"open", K::kPath, S::kArgument, 0, "file"},
    {"builtins.open", K::kPath, S::kArgument, 0, "file"},
    {"io.open", K::kPath, S::kArgument, 0, "file"},
    {"codecs.open", K::kPath, S::kArgument, 0, "filename"},
    {"os.open", K::kPath, S::kArgument, 0, "path"},
    {"os.remove", K::kPath, S::kArgument, 0, "path"},
    {"os.unlink", K::kPath, S::kArgument, 0, "path"},
    {"os.rmdir", K::kPath, S::kArgument, 0, "path"},
    {"os.removedirs", K::kPath, S::kArgument, 0, "name"},
    {"os.rename", K::kPath, S::kArgument, 0, "src", 1},
    {"os.replace", K::kPath, S::kArgument, 0, "src", 1},
    {"shutil.rmtree", K::kPath, S::kArgument, 0, "path"},
    {"shutil.copy", K::kPath, S::kArgument, 0, "src", 1},
    {"shutil.copy2", K::kPath, S::kArgument, 0, "src", 1},
    {"shutil.copyfile", K::kPath, S::kArgument, 0, "src", 1},
    {"shutil.copytree", K::kPath, S::kArgument, 0, "src", 1},
    {"shutil.move", K::kPath, S::kArgument, 0, "src", 1},
    {"flask.send_file", K::kPath, S::kArgument, 0, "path_or_file"},
    {"django.http.FileResponse", K::kPath, S::kArgument, 0, "streaming_content"},
    {"fastapi.responses.FileResponse", K::kPath, S::kArgument, 0, "path"},
    {"starlette.responses.FileResponse", K::kPath, S::kArgument, 0, "path"},
    // SEC011
    {"flask.make_response", K::kXss, S::kArgument, 0, ""},
    {"flask.Response", K::kXss, S::kArgument, 0, "response"},
    {"werkzeug.Response", K::kXss, S::kArgument, 0, "response"},
    {"werkzeug.wrappers.Response", K::kXss, S::kArgument, 0, "response"},
    {"flask.render_template_string", K::kXss, S::kArgument, 0, "source"},
    {"jinja2.Template", K::kXss, S::kArgument, 0, "source"},
    {"flask.Markup", K::kXss, S::kArgument, 0, ""},
    {"markupsafe.Markup", K::kXss, S::kArgument, 0, ""},
    {"django.http.HttpResponse", K::kXss, S::kArgument, 0, "content"},
    {"django.utils.safestring.mark_safe", K::kXss, S::kArgument, 0, "s"},
    // format_html escapes its arguments, not its format string.
    {"django.utils.html.format_html", K::kXss, S::kArgument, 0, "format_string"},
    {"fastapi.responses.HTMLResponse", K::kXss, S::kArgument, 0, "content"},
    {"aiohttp.web.Response", K::kXss, S::kArgument, 0, "text"},
    {"starlette.responses.HTMLResponse", K::kXss, S::kArgument, 0, "content"},
    // SEC012
    {"flask.redirect", K::kRedirect, S::kArgument, 0, "location"},
    {"django.shortcuts.redirect", K::kRedirect, S::kArgument, 0, "to"},
    {"django.http.HttpResponseRedirect", K::kRedirect, S::kArgument, 0, "redirect_to"},
    {"django.http.HttpResponsePermanentRedirect", K::kRedirect, S::kArgument, 0, "redirect_to"},
    {"fastapi.responses.RedirectResponse", K::kRedirect, S::kArgument, 0, "url"},
    {"starlette.responses.RedirectResponse", K::kRedirect, S::kArgument, 0, "url"},
    // SEC014
    {"lxml.etree.XPath", K::kXpath, S::kArgument, 0, "path"},
    {"lxml.etree.ETXPath", K::kXpath, S::kArgument, 0, "path"},
    // SEC015
    {"requests.get", K::kSsrf, S::kArgument, 0, "url"},
    {"requests.post", K::kSsrf, S::kArgument, 0, "url"},
    {"requests.put", K::kSsrf, S::kArgument, 0, "url"},
    {"requests.patch", K::kSsrf, S::kArgument, 0, "url"},
    {"requests.delete", K::kSsrf, S::kArgument, 0, "url"},
    {"requests.head", K::kSsrf, S::kArgument, 0, "url"},
    {"requests.options", K::kSsrf, S::kArgument, 0, "url"},
    {"requests.request", K::kSsrf, S::kArgument, 1, "url"},
    {"httpx.get", K::kSsrf, S::kArgument, 0, "url"},
    {"httpx.post", K::kSsrf, S::kArgument, 0, "url"},
    {"httpx.put", K::kSsrf, S::kArgument, 0, "url"},
    {"httpx.patch", K::kSsrf, S::kArgument, 0, "url"},
    {"httpx.delete", K::kSsrf, S::kArgument, 0, "url"},
    {"httpx.head", K::kSsrf, S::kArgument, 0, "url"},
    {"httpx.stream", K::kSsrf, S::kArgument, 1, "url"},
    {"httpx.request", K::kSsrf, S::kArgument, 1, "url"},
    {"urllib.request.urlopen", K::kSsrf, S::kArgument, 0, "url"},
    {"urllib.request.Request", K::kSsrf, S::kArgument, 0, "url"},
    {"urllib.urlopen", K::kSsrf, S::kArgument, 0, "url"},
    {"urllib2.urlopen", K::kSsrf, S::kArgument, 0, "url"},
    {"http.client.HTTPConnection", K::kSsrf, S::kArgument, 0, "host"},
    {"http.client.HTTPSConnection", K::kSsrf, S::kArgument, 0, "host"},
};

// Sinks matched on the last component of the callee when the module does not import it under
// a full name (`from flask import redirect` resolves fully; a bare or re-exported name does not).
const SinkSpec kBareSinks[] = {
    {"make_response", K::kXss, S::kArgument, 0, ""},
    {"render_template_string", K::kXss, S::kArgument, 0, "source"},
    {"HttpResponse", K::kXss, S::kArgument, 0, "content"},
    {"HTMLResponse", K::kXss, S::kArgument, 0, "content"},
    {"mark_safe", K::kXss, S::kArgument, 0, "s"},
    {"format_html", K::kXss, S::kArgument, 0, "format_string"},
    {"Markup", K::kXss, S::kArgument, 0, ""},
    {"redirect", K::kRedirect, S::kArgument, 0, "location"},
    {"HttpResponseRedirect", K::kRedirect, S::kArgument, 0, "redirect_to"},
    {"HttpResponsePermanentRedirect", K::kRedirect, S::kArgument, 0, "redirect_to"},
    {"RedirectResponse", K::kRedirect, S::kArgument, 0, "url"},
    {"send_file", K::kPath, S::kArgument, 0, "path_or_file"},
    {"FileResponse", K::kPath, S::kArgument, 0, "path"},
    {"urlopen", K::kSsrf, S::kArgument, 0, "url"},
};

// Sinks matched on the method name of an attribute callee (`cursor.execute(...)`).
const SinkSpec kMethodSinks[] = {
    {"execute", K::kSql, S::kArgument, 0, "sql"},
    {"executemany", K::kSql, S::kArgument, 0, "sql"},
    {"executescript", K::kSql, S::kArgument, 0, "sql_script"},
    {"exec_driver_sql", K::kSql, S::kArgument, 0, "statement"},
    {"raw", K::kSql, S::kArgument, 0, "raw_query"},
    {"extra", K::kSql, S::kArgument, 0, "where"},
    // SQLAlchemy clauses given a text() fragment: filter(text(f"...")).
    {"filter", K::kSql, S::kTextClause, 0, ""},
    {"where", K::kSql, S::kTextClause, 0, ""},
    {"order_by", K::kSql, S::kTextClause, 0, ""},
    {"group_by", K::kSql, S::kTextClause, 0, ""},
    {"having", K::kSql, S::kTextClause, 0, ""},
    {"from_statement", K::kSql, S::kTextClause, 0, ""},
    {"read_text", K::kPath, S::kReceiver},
    {"read_bytes", K::kPath, S::kReceiver},
    {"write_text", K::kPath, S::kReceiver},
    {"write_bytes", K::kPath, S::kReceiver},
    {"unlink", K::kPath, S::kReceiver},
    {"open", K::kPath, S::kReceiver},
    {"save", K::kPath, S::kArgument, 0, "dst"},  // werkzeug FileStorage.save(dst)
    {"search_s", K::kLdap, S::kArgument, 2, "filterstr"},
    {"search_st", K::kLdap, S::kArgument, 2, "filterstr"},
    {"search_ext", K::kLdap, S::kArgument, 2, "filterstr"},
    {"search_ext_s", K::kLdap, S::kArgument, 2, "filterstr"},
    {"search", K::kLdap, S::kLdapSearch, 1, "search_filter"},
    {"xpath", K::kXpath, S::kArgument, 0, "_path"},
    {"find", K::kXpath, S::kXpathFind, 0, "path"},
    {"findall", K::kXpath, S::kXpathFind, 0, "path"},
    {"findtext", K::kXpath, S::kXpathFind, 0, "path"},
    {"iterfind", K::kXpath, S::kXpathFind, 0, "path"},
};

template <size_t N>
absl::flat_hash_map<std::string_view, const SinkSpec*> Index(const SinkSpec (&specs)[N]) {
  absl::flat_hash_map<std::string_view, const SinkSpec*> index;
  for (const SinkSpec& spec : specs) index.emplace(spec.name, &spec);
  return index;
}

std::string_view LastComponent(std::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

}  // namespace

const SinkSpec* FindSink(std::string_view callee, std::string_view method, bool attribute_callee) {
  static const auto* callees = new auto(Index(kCalleeSinks));
  static const auto* bare = new auto(Index(kBareSinks));
  static const auto* methods = new auto(Index(kMethodSinks));
  if (!callee.empty()) {
    if (auto it = callees->find(callee); it != callees->end()) return it->second;
    if (auto it = bare->find(LastComponent(callee)); it != bare->end()) return it->second;
    // re.search / re.compile(...).find are not LDAP or XPath; the module prefix says so.
    if (callee.starts_with("re.") || callee.starts_with("os.path.")) return nullptr;
  }
  if (attribute_callee && !method.empty()) {
    if (auto it = methods->find(method); it != methods->end()) return it->second;
  }
  return nullptr;
}

uint16_t SanitizerMask(std::string_view callee) {
  static const auto* masks = new absl::flat_hash_map<std::string_view, uint16_t>{
      // Casts and values that carry no attacker text.
      {"int", kAllKinds},
      {"float", kAllKinds},
      {"bool", kAllKinds},
      {"len", kAllKinds},
      {"abs", kAllKinds},
      {"round", kAllKinds},
      {"ord", kAllKinds},
      {"hash", kAllKinds},
      {"id", kAllKinds},
      {"isinstance", kAllKinds},
      {"hasattr", kAllKinds},
      {"callable", kAllKinds},
      {"uuid.UUID", kAllKinds},
      {"decimal.Decimal", kAllKinds},
      {"datetime.date.fromisoformat", kAllKinds},
      {"datetime.datetime.fromisoformat", kAllKinds},
      {"hashlib.md5", kAllKinds},
      {"hashlib.sha1", kAllKinds},
      {"hashlib.sha256", kAllKinds},
      {"hashlib.sha512", kAllKinds},
      {"hashlib.new", kAllKinds},
      {"hmac.new", kAllKinds},
      {"hmac.compare_digest", kAllKinds},
      {"secrets.compare_digest", kAllKinds},
      // Internal URLs and rendered templates (Jinja2 and Django autoescape).
      {"flask.url_for", kAllKinds},
      {"url_for", kAllKinds},
      {"django.urls.reverse", kAllKinds},
      {"flask.render_template", kAllKinds},
      {"render_template", kAllKinds},
      {"django.shortcuts.render", kAllKinds},
      {"flask.jsonify", kXssBit},
      {"jsonify", kXssBit},
      // Commands.
      {"shlex.quote", kCommandBit},
      {"shlex.join", kCommandBit},
      {"pipes.quote", kCommandBit},
      // HTML.
      {"html.escape", kXssBit},
      {"cgi.escape", kXssBit},
      {"markupsafe.escape", kXssBit},
      {"flask.escape", kXssBit},
      {"jinja2.escape", kXssBit},
      {"escape", kXssBit},
      {"bleach.clean", kXssBit},
      {"django.utils.html.escape", kXssBit},
      {"django.utils.html.conditional_escape", kXssBit},
      {"xml.sax.saxutils.escape", kXssBit | kXpathBit},
      // Paths.
      {"os.path.basename", kPathBit},
      {"werkzeug.utils.secure_filename", kPathBit},
      {"secure_filename", kPathBit},
      {"flask.safe_join", kPathBit},
      {"werkzeug.utils.safe_join", kPathBit},
      {"werkzeug.security.safe_join", kPathBit},
      // LDAP filters.
      {"ldap.filter.escape_filter_chars", kLdapBit},
      {"ldap3.utils.conv.escape_filter_chars", kLdapBit},
      {"escape_filter_chars", kLdapBit},
      {"ldap.filter.filter_format", kLdapBit},
      // SQL quoting by the driver.
      {"psycopg2.sql.Literal", kSqlBit},
      {"psycopg2.sql.Identifier", kSqlBit},
      {"psycopg.sql.Literal", kSqlBit},
      {"psycopg.sql.Identifier", kSqlBit},
      {"MySQLdb.escape_string", kSqlBit},
      {"pymysql.converters.escape_string", kSqlBit},
  };
  const auto it = masks->find(callee);
  return it == masks->end() ? 0 : it->second;
}

bool NormalizesPath(std::string_view callee, std::string_view method) {
  return callee == "os.path.realpath" || callee == "os.path.abspath" ||
         callee == "os.path.normpath" || callee == "posixpath.realpath" ||
         callee == "posixpath.abspath" || callee == "posixpath.normpath" || method == "resolve" ||
         method == "absolute";
}

std::string_view LocalSourceCall(std::string_view callee) {
  if (callee == "input" || callee == "builtins.input") return "input()";
  if (callee == "raw_input") return "raw_input()";
  if (callee == "os.getenv") return "os.getenv()";
  if (callee == "os.environ.get") return "os.environ";
  return {};
}

bool IsRequestDataAttribute(std::string_view attribute) {
  static const auto* names = new absl::flat_hash_set<std::string_view>{
      // Flask / Werkzeug
      "args", "form", "values", "headers", "cookies", "json", "files", "data", "get_json",
      "get_data", "stream", "query_string", "view_args", "referrer",
      // aiohttp
      "match_info", "query", "post", "text", "read", "content",
      // Django
      "GET", "POST", "COOKIES", "META", "body", "FILES",
      // Starlette / FastAPI
      "query_params", "path_params", "form_data"};
  return names->contains(attribute);
}

bool IsRouteDecoratorMethod(std::string_view method) {
  return method == "route" || method == "get" || method == "post" || method == "put" ||
         method == "patch" || method == "delete" || method == "api_route" || method == "websocket";
}

bool EndsPath(std::string_view callee) {
  return callee == "abort" || callee == "flask.abort" || callee == "werkzeug.exceptions.abort" ||
         callee == "sys.exit" || callee == "exit" || callee == "quit" || callee == "os._exit" ||
         callee == "os.abort";
}

}  // namespace conclave::security
