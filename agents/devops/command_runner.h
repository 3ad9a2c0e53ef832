// RunCommand: runs a hook command as a child process, without a shell, with extra environment
// variables, capturing the tail of its stdout and stderr, and kills its whole process group
// when it outlives its timeout. Data reaches the hook only through the environment, never
// through a command line a shell would interpret. Thread-safe (each call owns its child).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace conclave::devops {

struct CommandSpec {
  // argv[0] is looked up in PATH when it has no '/'.
  std::vector<std::string> argv;
  // Set in the child's environment, on top of (and overriding) the agent's own.
  std::vector<std::pair<std::string, std::string>> env;
  absl::Duration timeout = absl::Seconds(30);
  // At most this many trailing bytes of each stream are kept.
  size_t max_output_bytes = 64 << 10;
};

struct CommandResult {
  // The exit status, or 128 + signal when a signal ended the child.
  int exit_code = 0;
  std::string stdout_text;
  std::string stderr_text;
};

// Runs `spec` to completion. The result for any exit status; NOT_FOUND when the command
// cannot be executed; DEADLINE_EXCEEDED (with the stderr tail) when it was killed for
// running past the timeout.
absl::StatusOr<CommandResult> RunCommand(const CommandSpec& spec);

// The last `lines` non-empty lines of `text`, joined by " | " (for error messages).
std::string TailLines(const std::string& text, int lines);

}  // namespace conclave::devops
