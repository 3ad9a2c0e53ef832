#include "tests/support/nats_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace conclave::testing {

namespace {

namespace fs = std::filesystem;

constexpr absl::Duration kPollEvery = absl::Milliseconds(10);
constexpr int kStartAttempts = 3;
constexpr char kReadyLine[] = "Server is ready";

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr = Loopback(port);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

absl::StatusOr<std::string> MakeTempDir() {
  std::string templ = (fs::temp_directory_path() / "conclave-nats-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", std::strerror(errno)));
  }
  return templ;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// $CONCLAVE_NATS_SERVER, Debian's path, or the first nats-server on $PATH.
std::string FindNatsServer() {
  if (const char* bin = std::getenv("CONCLAVE_NATS_SERVER"); bin != nullptr && *bin != '\0') {
    return bin;
  }
  std::vector<std::string> candidates = {"/usr/sbin/nats-server"};
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    for (absl::string_view dir : absl::StrSplit(path, ':', absl::SkipEmpty())) {
      candidates.push_back(absl::StrCat(dir, "/nats-server"));
    }
  }
  for (const std::string& c : candidates) {
    if (access(c.c_str(), X_OK) == 0) return c;
  }
  return "nats-server";  // exec fails and Start() says the server exited at start
}

}  // namespace

absl::StatusOr<int> PickFreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  sockaddr_in addr = Loopback(0);
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int err = errno;
    close(fd);
    return absl::InternalError(absl::StrCat("bind 127.0.0.1:0: ", std::strerror(err)));
  }
  close(fd);
  return ntohs(addr.sin_port);
}

absl::StatusOr<std::unique_ptr<NatsServer>> NatsServer::Start() { return Start(Options()); }

absl::StatusOr<std::unique_ptr<NatsServer>> NatsServer::Start(const Options& options) {
  std::unique_ptr<NatsServer> server(new NatsServer());
  server->options_ = options;
  if (server->options_.binary.empty()) server->options_.binary = FindNatsServer();
  auto dir = MakeTempDir();
  if (!dir.ok()) return dir.status();
  server->dir_ = *dir;
  absl::Status last;
  // A port picked free can be taken before the server binds it; then try another.
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    auto port = PickFreePort();
    if (!port.ok()) return port.status();
    server->port_ = *port;
    last = server->Spawn();
    if (last.ok()) last = server->WaitUntilAccepting();
    if (last.ok()) return server;
    if (server->running()) server->Kill();
  }
  return last;
}

NatsServer::~NatsServer() {
  if (running()) Kill();
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

std::string NatsServer::url() const { return absl::StrCat("nats://127.0.0.1:", port_); }

std::string NatsServer::store_dir() const { return dir_ + "/jetstream"; }

std::string NatsServer::Log() const { return ReadFile(dir_ + "/nats-server.log"); }

absl::Status NatsServer::Spawn() {
  std::vector<std::string> args = {
      options_.binary, "-js", "-sd", store_dir(), "-a", "127.0.0.1", "-p", absl::StrCat(port_)};
  const std::string conf = dir_ + "/nats.conf";
  {
    std::ofstream out(conf, std::ios::trunc);
    out << "max_payload: " << options_.max_payload << "\n";
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", conf));
  }
  args.insert(args.end(), {"-c", conf});
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string log = dir_ + "/nats-server.log";
  const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0)
    return absl::InternalError(absl::StrCat("open ", log, ": ", std::strerror(errno)));
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls until exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const int fork_errno = errno;
  close(log_fd);
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(fork_errno)));
  pid_ = pid;
  return absl::OkStatus();
}

// Ready means: this run logged "Server is ready" (another test's server that grabbed the port
// would not write to our log) and the port accepts connections.
absl::Status NatsServer::WaitUntilAccepting() {
  const size_t log_start = Log().rfind(kReadyLine);
  const absl::Time deadline = absl::Now() + options_.start_timeout;
  while (absl::Now() < deadline) {
    if (Exited()) {
      return absl::UnavailableError(absl::StrCat(options_.binary, " exited at start: ", Log()));
    }
    const std::string log = Log();
    const size_t ready = log.rfind(kReadyLine);
    const bool new_ready =
        ready != std::string::npos && (log_start == std::string::npos || ready > log_start);
    if (new_ready && Accepts(port_)) return absl::OkStatus();
    absl::SleepFor(kPollEvery);
  }
  return absl::DeadlineExceededError(
      absl::StrCat("nats-server on port ", port_, " not ready in time: ", Log()));
}

bool NatsServer::Exited() {
  if (pid_ <= 0) return true;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return true;
  }
  return false;
}

bool NatsServer::SignalAndWait(int signal, absl::Duration grace) {
  if (pid_ <= 0) return true;
  kill(pid_, signal);
  const absl::Time deadline = absl::Now() + grace;
  while (absl::Now() < deadline) {
    if (Exited()) return true;
    absl::SleepFor(kPollEvery);
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return false;
}

absl::Status NatsServer::Stop() {
  if (SignalAndWait(SIGTERM, absl::Seconds(10))) return absl::OkStatus();
  return absl::DeadlineExceededError("nats-server ignored SIGTERM for 10s; killed it");
}

void NatsServer::Kill() { SignalAndWait(SIGKILL, absl::Seconds(10)); }

absl::Status NatsServer::Restart() {
  if (running()) {
    if (absl::Status s = Stop(); !s.ok()) return s;
  }
  if (absl::Status s = Spawn(); !s.ok()) return s;
  return WaitUntilAccepting();
}

}  // namespace conclave::testing
