#include "agents/security/code_context.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "agents/analysis/expressions.h"

namespace conclave::security {
namespace {

using analysis::Node;
using analysis::Field;
using analysis::Is;
using analysis::ParsedModule;
using analysis::PythonGrammar;
using analysis::Site;

// The last component of a path, of its directory, and the file name without its extension.
struct PathParts {
  std::string_view file, dir, stem;
};

PathParts SplitPath(std::string_view path) {
  PathParts p;
  const size_t slash = path.find_last_of("/\\");
  p.file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (slash != std::string_view::npos) {
    const std::string_view parent = path.substr(0, slash);
    const size_t up = parent.find_last_of("/\\");
    p.dir = up == std::string_view::npos ? parent : parent.substr(up + 1);
  }
  p.stem = p.file.substr(0, p.file.rfind('.'));
  return p;
}

constexpr std::array<std::string_view, 14> kDevelopmentWords = {
    "dev", "develop", "development", "local",   "test",   "tests", "testing",
    "ci",  "debug",   "sandbox",     "example", "sample", "mock",  "fake"};

bool IsSubscript(Node node) {
  return !NodeIsNull(node) && NodeType(node) == std::string_view("subscript");
}

// A directory says less than a file name: "debug/" or "test_data/" may hold production code.
constexpr std::array<std::string_view, 8> kDevelopmentDirectories = {
    "dev", "develop", "development", "local", "testing", "sandbox", "example", "examples"};

bool IsDevelopmentDirectory(std::string_view name) {
  for (const std::string& w : IdentifierWords(name)) {
    if (std::find(kDevelopmentDirectories.begin(), kDevelopmentDirectories.end(), w) !=
        kDevelopmentDirectories.end()) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view TextOf(const ParsedModule& m, Node node) {
  return NodeIsNull(node) ? std::string_view() : m.Text(node);
}

std::vector<std::string> IdentifierWords(std::string_view name) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  };
  const size_t n = std::min<size_t>(name.size(), 256);
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (!std::isalnum(c)) {
      flush();
      continue;
    }
    if (std::isupper(c) && !current.empty()) {
      const unsigned char prev = static_cast<unsigned char>(name[i - 1]);
      const bool next_lower = i + 1 < n && std::islower(static_cast<unsigned char>(name[i + 1]));
      if (std::islower(prev) || std::isdigit(prev) || (std::isupper(prev) && next_lower)) flush();
    }
    current += static_cast<char>(std::tolower(c));
  }
  flush();
  return words;
}

bool IsDevelopmentName(std::string_view name) {
  for (const std::string& w : IdentifierWords(name)) {
    if (std::find(kDevelopmentWords.begin(), kDevelopmentWords.end(), w) !=
        kDevelopmentWords.end()) {
      return true;
    }
  }
  return false;
}

bool IsTestPath(std::string_view path) {
  const PathParts p = SplitPath(path);
  return (p.file.starts_with("test_") && p.file.ends_with(".py")) || p.file.ends_with("_test.py") ||
         p.file.ends_with("_tests.py") || p.file == "conftest.py" || p.file == "tests.py" ||
         p.dir == "tests" || p.dir == "test";
}

FileRole RoleOfPath(std::string_view path) {
  const PathParts p = SplitPath(path);
  FileRole role;
  role.development = IsDevelopmentName(p.stem) || IsDevelopmentDirectory(p.dir);
  const std::vector<std::string> words = IdentifierWords(p.stem);
  role.settings = p.stem == "config" || p.dir == "settings" ||
                  std::find(words.begin(), words.end(), "settings") != words.end();
  return role;
}

bool NamesDevelopment(std::string_view condition) {
  std::string text(condition.substr(0, 300));
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view word : {"env", "debug", "develop", "testing", "local"}) {
    if (text.find(word) != std::string::npos) return true;
  }
  return false;
}

Surroundings Surround(const ParsedModule& m, Node node) {
  const PythonGrammar& g = PythonGrammar::Get();
  Surroundings s;
  bool in_function = false;
  Node n = node;
  for (int i = 0; i < 48; ++i) {
    n = NodeParent(n);
    if (NodeIsNull(n)) break;
    const TSSymbol symbol = NodeSymbol(n);
    if (symbol == g.function_definition) {
      in_function = true;
      s.module_level = false;
    } else if (symbol == g.class_definition) {
      if (!in_function && NodeIsNull(s.cls)) s.cls = n;
      s.module_level = false;
    } else if ((symbol == g.if_statement || symbol == g.elif_clause) &&
               NamesDevelopment(TextOf(m, Field(n, g.field_condition)))) {
      s.development_branch = true;
    }
  }
  return s;
}

Node CallOfKeyword(Node keyword_argument) {
  const PythonGrammar& g = PythonGrammar::Get();
  const Node args = NodeParent(keyword_argument);
  if (!Is(args, g.argument_list)) return {};
  const Node call = NodeParent(args);
  return Is(call, g.call) ? call : Node();
}

std::string_view StringValue(const ParsedModule& m, Node node) {
  node = analysis::Unparenthesize(node);
  if (!Is(node, PythonGrammar::Get().string) || !analysis::IsLiteralString(node)) return {};
  return analysis::StringBody(node, m.source());
}

std::string_view TargetName(const ParsedModule& m, Node target) {
  const PythonGrammar& g = PythonGrammar::Get();
  if (Is(target, g.identifier)) return TextOf(m, target);
  if (Is(target, g.attribute)) return TextOf(m, Field(target, g.field_attribute));
  if (Is(target, g.string)) return StringValue(m, target);
  if (IsSubscript(target)) return StringValue(m, NodeNamedChild(target, 1));
  return {};
}

Node TargetObject(Node target) {
  const PythonGrammar& g = PythonGrammar::Get();
  if (Is(target, g.attribute)) return Field(target, g.field_object);
  if (IsSubscript(target)) return NodeNamedChild(target, 0);
  return {};
}

Bindings::Bindings(const ParsedModule& m) {
  const PythonGrammar& g = PythonGrammar::Get();
  auto add = [&](const std::vector<Site>& sites, TSFieldId target, TSFieldId value,
                 std::string_view how) {
    for (const Site& site : sites) {
      const Node t = Field(site.node, target);
      const Node v = Field(site.node, value);
      if (NodeIsNull(t) || NodeIsNull(v)) continue;
      all_.push_back({NodeStartByte(v), NodeEndByte(v), t, how});
    }
  };
  add(m.assignments(), g.field_left, g.field_right, "assigned to");
  add(m.augmented_assignments(), g.field_left, g.field_right, "added to");
  add(m.keyword_arguments(), g.field_name, g.field_value, "passed as");
  add(m.pairs(), g.field_key, g.field_value, "stored under");
  // Outer values first among those starting at the same byte, so a walk back meets inner first.
  std::sort(all_.begin(), all_.end(), [](const Binding& a, const Binding& b) {
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
}

std::vector<const Bindings::Binding*> Bindings::Enclosing(Node node, size_t max) const {
  const uint32_t start = NodeStartByte(node);
  const uint32_t end = NodeEndByte(node);
  auto it = std::upper_bound(all_.begin(), all_.end(), start,
                             [](uint32_t s, const Binding& b) { return s < b.start; });
  std::vector<const Binding*> out;
  for (int budget = 256; it != all_.begin() && budget > 0 && out.size() < max; --budget) {
    --it;
    if (it->end >= end) out.push_back(&*it);
  }
  return out;
}

}  // namespace conclave::security
