// AgentProcess: a real process (conclave-metrics, prometheus) started for one test, output to
// a log file in a temporary directory. Destroying it SIGKILLs the process if it still runs;
// PR_SET_PDEATHSIG kills it if the test dies. Not thread-safe.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace conclave::testing {

class AgentProcess {
 public:
  static absl::StatusOr<std::unique_ptr<AgentProcess>> Spawn(const std::string& path,
                                                             const std::vector<std::string>& args,
                                                             const std::string& log_file);
  ~AgentProcess();

  // SIGTERM, then wait up to `grace`: the exit code, or -1 when it had to be killed.
  int Terminate(absl::Duration grace = absl::Seconds(10));
  std::string Log() const;

 private:
  AgentProcess(pid_t pid, std::string log) : pid_(pid), log_(std::move(log)) {}
  pid_t pid_;
  std::string log_;
};

// A fresh temporary directory.
std::string MakeTempDir();
// Waits for the JSON address file written by --addr_file and returns the value of `key`.
absl::StatusOr<std::string> WaitForAddress(const std::string& path, const std::string& key,
                                           absl::Duration timeout);

}  // namespace conclave::testing
