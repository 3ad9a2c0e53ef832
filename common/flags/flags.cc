#include "common/flags/flags.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace conclave::flags {
namespace {

const char* KindName(int kind) {
  static const char* kNames[] = {"string", "int", "number", "bool", "duration"};
  return kNames[kind];
}

bool ParseBool(const std::string& v, bool* out) {
  const std::string s = absl::AsciiStrToLower(v);
  if (s == "1" || s == "true" || s == "yes" || s == "on") return *out = true, true;
  if (s == "0" || s == "false" || s == "no" || s == "off") return *out = false, true;
  return false;
}

}  // namespace

FlagSet::FlagSet(std::string program, std::string usage)
    : program_(std::move(program)), usage_(std::move(usage)) {}

void FlagSet::Add(const std::string& name, Kind kind, const std::string& env,
                  const std::string& help, std::string default_text,
                  std::function<bool(const std::string&)> set) {
  flags_.push_back(Flag{name, kind, env, help, std::move(default_text), std::move(set)});
}

void FlagSet::String(const std::string& name, std::string* target, const std::string& env,
                     const std::string& help) {
  Add(name, Kind::kString, env, help, "\"" + *target + "\"", [target](const std::string& v) {
    *target = v;
    return true;
  });
}

void FlagSet::Int(const std::string& name, int* target, const std::string& env,
                  const std::string& help) {
  Add(name, Kind::kInt, env, help, absl::StrCat(*target),
      [target](const std::string& v) { return absl::SimpleAtoi(v, target); });
}

void FlagSet::Double(const std::string& name, double* target, const std::string& env,
                     const std::string& help) {
  Add(name, Kind::kDouble, env, help, absl::StrCat(*target),
      [target](const std::string& v) { return absl::SimpleAtod(v, target); });
}

void FlagSet::Bool(const std::string& name, bool* target, const std::string& env,
                   const std::string& help) {
  Add(name, Kind::kBool, env, help, *target ? "true" : "false",
      [target](const std::string& v) { return ParseBool(v, target); });
}

void FlagSet::Duration(const std::string& name, absl::Duration* target, const std::string& env,
                       const std::string& help) {
  Add(name, Kind::kDuration, env, help, absl::FormatDuration(*target),
      [target](const std::string& v) { return absl::ParseDuration(v, target); });
}

const FlagSet::Flag* FlagSet::Find(const std::string& name) const {
  for (const Flag& f : flags_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

absl::Status FlagSet::ApplyEnvironment() {
  for (const Flag& f : flags_) {
    if (f.env.empty()) continue;
    const char* v = std::getenv(f.env.c_str());
    if (v == nullptr) continue;
    if (!f.set(v)) {
      return absl::InvalidArgumentError(absl::StrCat("environment ", f.env, "=", v,
                                                     ": expected a ", KindName(int(f.kind)),
                                                     " for --", f.name));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> FlagSet::Parse(int argc, char** argv, int first) {
  if (absl::Status s = ApplyEnvironment(); !s.ok()) return s;
  std::vector<std::string> positional;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      for (++i; i < argc; ++i) positional.push_back(argv[i]);
      break;
    }
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      positional.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2), value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (name == "help") {
      help_requested_ = true;
      return positional;
    }
    const Flag* flag = Find(name);
    if (flag == nullptr && !has_value && name.rfind("no", 0) == 0) {
      const Flag* negated = Find(name.substr(2));
      if (negated != nullptr && negated->kind == Kind::kBool) {
        negated->set("false");
        continue;
      }
    }
    if (flag == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name, " (see --help)"));
    }
    if (!has_value) {
      if (flag->kind == Kind::kBool) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return absl::InvalidArgumentError(absl::StrCat("flag --", name, " needs a value"));
      }
    }
    if (!flag->set(value)) {
      return absl::InvalidArgumentError(absl::StrCat("flag --", name, "=", value,
                                                     ": expected a ", KindName(int(flag->kind))));
    }
  }
  return positional;
}

std::string FlagSet::Usage() const {
  std::string out = absl::StrCat("Usage: ", program_, " ", usage_, "\n\nFlags:\n");
  for (const Flag& f : flags_) {
    absl::StrAppendFormat(&out, "  --%s (%s, default %s%s)\n      %s\n", f.name,
                          KindName(int(f.kind)), f.default_text,
                          f.env.empty() ? "" : absl::StrCat("; env ", f.env), f.help);
  }
  absl::StrAppend(&out, "  --help\n      Print this text.\n");
  return out;
}

}  // namespace conclave::flags
