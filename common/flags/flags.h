// FlagSet: command-line flags with environment-variable fallbacks, in the order
// flag > environment > default, and a --help text generated from the definitions.
// Accepts --name=value, --name value, and for booleans --name / --noname.
// Not thread-safe; define and parse on the main thread before starting others.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace conclave::flags {

class FlagSet {
 public:
  // `usage` is the text printed above the flag list by Usage().
  FlagSet(std::string program, std::string usage);

  // `env` may be empty for flags without an environment fallback.
  void String(const std::string& name, std::string* target, const std::string& env,
              const std::string& help);
  void Int(const std::string& name, int* target, const std::string& env, const std::string& help);
  void Double(const std::string& name, double* target, const std::string& env,
              const std::string& help);
  void Bool(const std::string& name, bool* target, const std::string& env,
            const std::string& help);
  // Durations as "500ms", "30s", "2m", "1h" (absl::ParseDuration).
  void Duration(const std::string& name, absl::Duration* target, const std::string& env,
                const std::string& help);

  // Parses argv[first..argc). Returns the positional arguments. InvalidArgument naming the flag
  // for an unknown flag or a bad value (from argv or the environment). After --help,
  // help_requested() is true and parsing stops.
  absl::StatusOr<std::vector<std::string>> Parse(int argc, char** argv, int first = 1);

  bool help_requested() const { return help_requested_; }
  std::string Usage() const;

 private:
  enum class Kind { kString, kInt, kDouble, kBool, kDuration };
  struct Flag {
    std::string name;
    Kind kind;
    std::string env;
    std::string help;
    std::string default_text;
    std::function<bool(const std::string&)> set;
  };
  void Add(const std::string& name, Kind kind, const std::string& env, const std::string& help,
           std::string default_text, std::function<bool(const std::string&)> set);
  absl::Status ApplyEnvironment();
  const Flag* Find(const std::string& name) const;

  std::string program_;
  std::string usage_;
  std::vector<Flag> flags_;
  bool help_requested_ = false;
};

}  // namespace conclave::flags
