#include "tests/integration/metrics/agent_process.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace conclave::testing {

absl::StatusOr<std::unique_ptr<AgentProcess>> AgentProcess::Spawn(
    const std::string& path, const std::vector<std::string>& args, const std::string& log_file) {
  std::vector<std::string> argv_storage = {path};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    const int fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execv(path.c_str(), argv.data());
    _exit(127);
  }
  return std::unique_ptr<AgentProcess>(new AgentProcess(pid, log_file));
}

AgentProcess::~AgentProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

int AgentProcess::Terminate(absl::Duration grace) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + grace;
  int status = 0;
  while (absl::Now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return -1;
}

std::string AgentProcess::Log() const {
  std::ifstream in(log_);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string MakeTempDir() {
  std::string pattern = "/tmp/conclave-metrics-test-XXXXXX";
  return mkdtemp(pattern.data()) ? pattern : "/tmp";
}

absl::StatusOr<std::string> WaitForAddress(const std::string& path, const std::string& key,
                                           absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  const std::string needle = absl::StrCat("\"", key, "\"");
  while (absl::Now() < deadline) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    const std::string text = s.str();
    const size_t k = text.find(needle);
    if (k != std::string::npos) {
      const size_t open = text.find('"', text.find(':', k) + 1);
      const size_t close = text.find('"', open + 1);
      if (open != std::string::npos && close != std::string::npos) {
        return text.substr(open + 1, close - open - 1);
      }
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat("no ", key, " address in ", path));
}

}  // namespace conclave::testing
