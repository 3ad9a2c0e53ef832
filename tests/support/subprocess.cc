#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace conclave::testing {

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Spawn(const std::string& path,
                                                              const std::vector<std::string>& args,
                                                              const std::string& log_file) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return absl::InternalError(absl::StrCat("cannot start ", path, ": ", strerror(rc)));
  }
  return std::unique_ptr<Subprocess>(new Subprocess(pid, log_file));
}

Subprocess::~Subprocess() {
  if (Running()) Kill();
}

bool Subprocess::Running() {
  if (exit_code_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return false;
  }
  return true;
}

std::optional<int> Subprocess::Wait(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (Running()) {
    if (absl::Now() >= deadline) return std::nullopt;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return exit_code_;
}

int Subprocess::Terminate(absl::Duration grace) {
  if (!Running()) return *exit_code_;
  kill(pid_, SIGTERM);
  if (auto code = Wait(grace)) return *code;
  Kill();
  return -1;
}

void Subprocess::Kill() {
  if (!Running()) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_code_ = -1;
}

std::string Subprocess::Log() const {
  std::ifstream in(log_file_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::StatusOr<std::string> WaitForAddressFile(const std::string& path, const std::string& key,
                                               absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  const std::string needle = absl::StrCat("\"", key, "\":\"");
  while (absl::Now() < deadline) {
    std::ifstream in(path);
    std::string line;
    if (std::getline(in, line)) {
      const size_t at = line.find(needle);
      if (at != std::string::npos) {
        const size_t start = at + needle.size();
        return line.substr(start, line.find('"', start) - start);
      }
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("no address in ", path, " after ", absl::FormatDuration(timeout)));
}

}  // namespace conclave::testing
