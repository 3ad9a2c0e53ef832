// What the taint engine knows about library calls: the sinks (which call, which argument, which
// kind of flow), the sanitizers (which kinds of flow a call's result is safe for), and the
// route decorators whose functions receive request data as parameters. Static tables built
// once; the lookups are thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "agents/security/taint.h"

namespace conclave::security {

inline constexpr uint16_t kAllKinds = (1u << kFlowKindCount) - 1;

// How a sink call takes its data.
enum class SinkShape : uint8_t {
  kArgument,    // positional `arg` (or keyword `keyword`), and `arg2` when set
  kReceiver,    // the object the method is called on: Path(p).read_text()
  kSubprocess,  // subprocess.*: the command with shell=True, else the program (argv[0])
  kProgram,     // os.exec*/os.spawn*: the program
  kLdapSearch,  // ldap3 conn.search(base, filter): only with a filter argument
  kXpathFind,   // ElementTree find*/iterfind: only a built path expression with a predicate
  kTextClause,  // SQLAlchemy filter/where/order_by...: only a text("...") argument
};

struct SinkSpec {
  std::string_view name;  // callee ("os.system") or method name ("execute")
  FlowKind kind;
  SinkShape shape = SinkShape::kArgument;
  int8_t arg = 0;
  std::string_view keyword;
  int8_t arg2 = -1;
  bool always = false;  // reported even when the argument is a literal (shelve.open)
};

// The sink a call is, from its resolved callee name and, for attribute callees, its method
// name; null when it is none.
const SinkSpec* FindSink(std::string_view callee, std::string_view method, bool attribute_callee);

// Kinds of flow for which a call's result is safe whatever its arguments (int() is safe for
// all, shlex.quote for commands, html.escape for HTML); 0 when the call is no sanitizer.
uint16_t SanitizerMask(std::string_view callee);

// Calls whose result is a normalized absolute path (os.path.realpath, Path.resolve), which a
// later startswith()/is_relative_to() containment check makes safe for path traversal.
bool NormalizesPath(std::string_view callee, std::string_view method);

// Sources that are calls: input(), os.getenv(). Empty when the callee is none.
std::string_view LocalSourceCall(std::string_view callee);

// Whether `attribute` of an object named `request` (Flask, Django, Starlette) holds request
// data: args, form, GET, POST, headers, cookies, body, ...
bool IsRequestDataAttribute(std::string_view attribute);

// Decorator methods that register a web route (app.route, router.get, ...).
bool IsRouteDecoratorMethod(std::string_view method);

// Calls that end the current path: abort(), sys.exit().
bool EndsPath(std::string_view callee);

}  // namespace conclave::security
