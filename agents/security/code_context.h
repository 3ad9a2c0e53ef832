// What code says about itself, for rules that judge a call or a setting by its context rather
// than by data flow: the words of identifiers, whether a file is test code or development-only
// configuration, the names the values around a node are bound to, and whether a statement sits
// in a development-only branch or a class body. Pure functions and immutable indexes over a
// ParsedModule; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agents/analysis/parsed_module.h"

namespace conclave::security {

using analysis::Node;

// The source text of `node`; empty for a null node (a field missing in a tree with syntax
// errors), which ParsedModule::Text must not be given.
std::string_view TextOf(const analysis::ParsedModule& m, Node node);

// The lower-case words of an identifier: "generateAPIToken" and "generate_api_token" both give
// generate, api, token. Reads at most the first 256 characters.
std::vector<std::string> IdentifierWords(std::string_view name);

// Whether `path` is test code: test_*.py, *_test.py, *_tests.py, conftest.py, tests.py, or a
// file directly inside a tests/ or test/ directory.
bool IsTestPath(std::string_view path);

// Whether a file, directory or class name is named for development, local, test or CI use
// ("DevelopmentConfig", "local_settings", "dev").
bool IsDevelopmentName(std::string_view name);

// What a file's path says it is.
struct FileRole {
  // The file is named for development, local, test, CI, debug or example use (settings/dev.py,
  // local_settings.py), or its directory for development, local, testing, sandbox or example
  // use (dev/app.py, examples/server.py).
  bool development = false;
  // A settings module: settings.py, *settings*.py, config.py, or any file in settings/.
  bool settings = false;
};
FileRole RoleOfPath(std::string_view path);

// Whether an if/elif condition selects a development setup: it reads the environment or a
// debug, development, testing or local flag (`os.environ.get("ENV") == "dev"`, `app.debug`).
bool NamesDevelopment(std::string_view condition);

// Where a node sits. Found by climbing at most 48 parents, so only matched sites should ask.
struct Surroundings {
  bool development_branch = false;  // under an if/elif for which NamesDevelopment holds
  bool module_level = true;         // no function or class around it
  Node cls{};                     // the class whose body holds it, outside any function
};
Surroundings Surround(const analysis::ParsedModule& m, Node node);

// The call whose argument list holds `keyword_argument`; null otherwise (a class definition's
// keywords, for one).
Node CallOfKeyword(Node keyword_argument);

// The name a value is bound to: `name = v`, `obj.name = v`, `d["name"] = v`, `f(name=v)`,
// `{"name": v}`. Empty for other targets (tuples, computed keys).
std::string_view TargetName(const analysis::ParsedModule& m, Node target);

// The object of `obj.name` or `obj["key"]`; null for a plain name.
Node TargetObject(Node target);

// The body of a plain string literal (no interpolation), possibly parenthesized; empty otherwise.
std::string_view StringValue(const analysis::ParsedModule& m, Node node);

// The values of a module bound to names (assignments, augmented assignments, keyword arguments,
// dict pairs), ordered by where each value starts, so the names around a node are found with a
// binary search instead of a walk up the tree. Built in O(n log n) over the module's index.
class Bindings {
 public:
  struct Binding {
    uint32_t start = 0;  // byte span of the value
    uint32_t end = 0;
    Node target;         // the name, attribute, subscript, keyword name or dict key
    std::string_view how;  // "assigned to", "added to", "passed as", "stored under"
  };

  explicit Bindings(const analysis::ParsedModule& m);

  // The bindings whose value contains `node`, innermost first: at most `max`, looking back over
  // at most 256 earlier bindings.
  std::vector<const Binding*> Enclosing(Node node, size_t max) const;

 private:
  std::vector<Binding> all_;
};

}  // namespace conclave::security
