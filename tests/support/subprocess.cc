#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
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
  const int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  // The child writes errno here when exec fails; a successful exec closes it (O_CLOEXEC).
  int report[2];
  if (log_fd < 0 || null_fd < 0 || ::pipe2(report, O_CLOEXEC) != 0) {
    const int error = errno;
    if (log_fd >= 0) ::close(log_fd);
    if (null_fd >= 0) ::close(null_fd);
    return absl::InternalError(absl::StrCat("cannot start ", path, ": ", strerror(error)));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls from here on. A test process that dies (a crash, a ctest
    // timeout) takes its children with it instead of leaving them bound to ports.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    ::execve(path.c_str(), argv.data(), environ);
    const int error = errno;
    (void)!::write(report[1], &error, sizeof(error));
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(null_fd);
  ::close(report[1]);
  int exec_error = 0;
  const ssize_t n = pid > 0 ? ::read(report[0], &exec_error, sizeof(exec_error)) : 0;
  ::close(report[0]);
  if (pid < 0 || n > 0) {
    if (pid > 0) ::waitpid(pid, nullptr, 0);
    return absl::InternalError(
        absl::StrCat("cannot start ", path, ": ", strerror(pid < 0 ? errno : exec_error)));
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
