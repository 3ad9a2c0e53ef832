#include "agents/devops/command_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "agents/devops/internal/unique_fd.h"

extern char** environ;

namespace conclave::devops {
namespace {

using internal::UniqueFd;

constexpr absl::Duration kKillGrace = absl::Seconds(1);

// The agent's environment with `extra` added, as "KEY=VALUE" strings.
std::vector<std::string> ChildEnvironment(
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::set<std::string> overridden;
  for (const auto& [key, value] : extra) overridden.insert(key);
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    if (overridden.count(entry.substr(0, entry.find('='))) == 0) out.push_back(entry);
  }
  for (const auto& [key, value] : extra) out.push_back(absl::StrCat(key, "=", value));
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// A spawned child in its own process group, reaped (killed first if need be) on destruction.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  ~Child() {
    if (!reaped_) {
      ::kill(-pid_, SIGKILL);
      Reap();
    }
  }
  pid_t pid() const { return pid_; }
  int Reap() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  }

 private:
  pid_t pid_;
  bool reaped_ = false;
};

absl::Status MakePipe(UniqueFd* read_end, UniqueFd* write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return absl::InternalError(strerror(errno));
  *read_end = UniqueFd(fds[0]);
  *write_end = UniqueFd(fds[1]);
  return absl::OkStatus();
}

absl::StatusOr<pid_t> Spawn(const CommandSpec& spec, int out_fd, int err_fd) {
  std::vector<std::string> argv = spec.argv;
  std::vector<std::string> envp = ChildEnvironment(spec.env);
  std::vector<char*> argv_ptrs = Pointers(argv);
  std::vector<char*> envp_ptrs = Pointers(envp);
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);  // the agent blocks SIGTERM in its threads
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  pid_t pid = 0;
  const int rc =
      ::posix_spawnp(&pid, argv_ptrs[0], &actions, &attr, argv_ptrs.data(), envp_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return absl::NotFoundError(absl::StrCat("cannot run hook ", spec.argv[0], ": ", strerror(rc)));
  }
  return pid;
}

void AppendTail(std::string* out, const char* data, size_t n, size_t max) {
  out->append(data, n);
  if (out->size() > max) out->erase(0, out->size() - max);
}

// Reads both pipes until the child exits (its pidfd turns readable) or the deadline passes;
// false on timeout. Output left in the pipes after the exit is drained; a grandchild that
// keeps a pipe open does not hold the hook past its own exit.
bool Collect(int pidfd, int out_fd, int err_fd, absl::Time deadline, size_t max,
             CommandResult* result) {
  pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {pidfd, POLLIN, 0}};
  std::string* sinks[2] = {&result->stdout_text, &result->stderr_text};
  bool exited = false;
  while (true) {
    const int64_t ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (!exited && ms <= 0) return false;
    const int r = ::poll(fds, 3, exited ? 0 : static_cast<int>(ms));
    if (r < 0 && errno == EINTR) continue;
    bool read_any = false;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        AppendTail(sinks[i], buf, static_cast<size_t>(n), max);
        read_any = true;
      } else if (n == 0) {
        fds[i].fd = -1;
      }
    }
    if (fds[2].revents & POLLIN) exited = true;
    if (exited && !read_any) return true;
  }
}

}  // namespace

absl::StatusOr<CommandResult> RunCommand(const CommandSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty()) {
    return absl::InvalidArgumentError("empty hook command");
  }
  UniqueFd out_read, out_write, err_read, err_write;
  if (absl::Status s = MakePipe(&out_read, &out_write); !s.ok()) return s;
  if (absl::Status s = MakePipe(&err_read, &err_write); !s.ok()) return s;
  auto pid = Spawn(spec, out_write.get(), err_write.get());
  if (!pid.ok()) return pid.status();
  Child child(*pid);
  out_write.Reset();
  err_write.Reset();
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, *pid, 0)));
  if (!pidfd.valid()) return absl::InternalError(absl::StrCat("pidfd_open: ", strerror(errno)));
  CommandResult result;
  const absl::Time deadline = absl::Now() + spec.timeout;
  if (!Collect(pidfd.get(), out_read.get(), err_read.get(), deadline, spec.max_output_bytes,
               &result)) {
    ::kill(-*pid, SIGTERM);
    pollfd p{pidfd.get(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(kKillGrace))) <= 0) {
      ::kill(-*pid, SIGKILL);
    }
    child.Reap();
    return absl::DeadlineExceededError(absl::StrCat(
        "hook ", spec.argv[0], " ran past its timeout of ", absl::FormatDuration(spec.timeout),
        " and was killed; stderr: ", TailLines(result.stderr_text, 5)));
  }
  result.exit_code = child.Reap();
  return result;
}

std::string TailLines(const std::string& text, int lines) {
  std::vector<std::string> all = absl::StrSplit(text, '\n', absl::SkipWhitespace());
  const size_t from = all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0;
  return absl::StrJoin(all.begin() + from, all.end(), " | ");
}

}  // namespace conclave::devops
