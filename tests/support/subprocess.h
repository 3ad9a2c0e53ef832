// Subprocess: a real process started for a test, its stdout and stderr in a log file.
// Destroying it kills the process (SIGKILL) if it still runs, and the child is SIGKILLed when
// the thread that spawned it exits (PR_SET_PDEATHSIG), so even a crashed or timed-out test
// leaks no processes: spawn from a thread that lives as long as the test.
// Not thread-safe.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace conclave::testing {

class Subprocess {
 public:
  static absl::StatusOr<std::unique_ptr<Subprocess>> Spawn(const std::string& path,
                                                           const std::vector<std::string>& args,
                                                           const std::string& log_file);
  ~Subprocess();

  pid_t pid() const { return pid_; }
  const std::string& log_file() const { return log_file_; }
  bool Running();
  // SIGTERM, then wait up to `grace`; returns the exit code (-1 when it had to be killed).
  int Terminate(absl::Duration grace = absl::Seconds(10));
  // SIGKILL and reap.
  void Kill();
  // Waits up to `timeout` for exit; the exit code, or nullopt on timeout.
  std::optional<int> Wait(absl::Duration timeout);
  // The log so far (for failure messages).
  std::string Log() const;

 private:
  Subprocess(pid_t pid, std::string log_file) : pid_(pid), log_file_(std::move(log_file)) {}
  pid_t pid_;
  std::string log_file_;
  std::optional<int> exit_code_;
};

// Reads a file written by --addr_file and returns the value of `key` ("grpc" or "http"),
// waiting up to `timeout` for it to appear.
absl::StatusOr<std::string> WaitForAddressFile(const std::string& path, const std::string& key,
                                               absl::Duration timeout);

}  // namespace conclave::testing
