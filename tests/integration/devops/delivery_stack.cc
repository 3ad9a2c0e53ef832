#include "tests/integration/devops/delivery_stack.h"

#include <httplib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "tests/support/nats_server.h"

namespace conclave::testing {
namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Waits for a process started with --port_file to write its port.
absl::StatusOr<int> WaitForPortFile(const std::string& path, Subprocess& process,
                                    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    int port = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadFile(path)), &port) && port > 0) {
      return port;
    }
    if (!process.Running()) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat("no port in ", path, "; log: ", process.Log()));
}

absl::StatusOr<std::unique_ptr<Subprocess>> StartVersion(const std::string& dir,
                                                         const std::string& version, int* port) {
  const std::string port_file = absl::StrCat(dir, "/", version, ".port");
  auto process =
      Subprocess::Spawn(BinaryPath("conclave-demo-service"),
                        {"--version", version, "--port_file", port_file, "--log_level", "warn"},
                        absl::StrCat(dir, "/", version, ".log"));
  if (!process.ok()) return process.status();
  auto p = WaitForPortFile(port_file, **process, absl::Seconds(10));
  if (!p.ok()) return p.status();
  *port = *p;
  return process;
}

}  // namespace

std::string BinaryPath(const std::string& name) {
  return absl::StrCat(EnvOr("CONCLAVE_BIN_DIR", "build/bin"), "/", name);
}

absl::StatusOr<std::unique_ptr<DeliveryStack>> DeliveryStack::Start() {
  std::unique_ptr<DeliveryStack> stack(new DeliveryStack());
  char tmpl[] = "/tmp/conclave-delivery-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return absl::InternalError("mkdtemp failed");
  stack->dir_ = tmpl;
  stack->socket_path_ = stack->dir_ + "/admin.sock";
  int stable_port = 0, canary_port = 0;
  auto stable = StartVersion(stack->dir_, "v1", &stable_port);
  if (!stable.ok()) return stable.status();
  stack->stable_ = std::move(*stable);
  auto canary = StartVersion(stack->dir_, "v2", &canary_port);
  if (!canary.ok()) return canary.status();
  stack->canary_ = std::move(*canary);
  auto frontend = PickFreePort();
  auto stats = PickFreePort();
  if (!frontend.ok() || !stats.ok()) return absl::InternalError("no free port");
  stack->frontend_port_ = *frontend;
  const std::string source = EnvOr("CONCLAVE_SOURCE_DIR", ".");
  const std::string tmpl_text = ReadFile(source + "/deploy/local/haproxy.cfg.in");
  if (tmpl_text.empty()) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", source, "/deploy/local/haproxy.cfg.in"));
  }
  const std::string config =
      absl::StrReplaceAll(tmpl_text, {{"@ADMIN_SOCKET@", stack->socket_path_},
                                      {"@FRONTEND_PORT@", absl::StrCat(*frontend)},
                                      {"@STABLE_PORT@", absl::StrCat(stable_port)},
                                      {"@CANARY_PORT@", absl::StrCat(canary_port)},
                                      {"@STATS_PORT@", absl::StrCat(*stats)}});
  const std::string config_path = stack->dir_ + "/haproxy.cfg";
  std::ofstream(config_path) << config;
  auto haproxy = Subprocess::Spawn(EnvOr("CONCLAVE_HAPROXY", "/usr/sbin/haproxy"),
                                   {"-db", "-f", config_path}, stack->dir_ + "/haproxy.log");
  if (!haproxy.ok()) return haproxy.status();
  stack->haproxy_ = std::move(*haproxy);
  if (absl::Status s = stack->WaitUntilServersUp(absl::Seconds(15)); !s.ok()) return s;
  return stack;
}

DeliveryStack::~DeliveryStack() {
  haproxy_.reset();
  stable_.reset();
  canary_.reset();
  if (!dir_.empty() && std::getenv("CONCLAVE_KEEP_TEST_DIRS") == nullptr) {
    (void)std::system(absl::StrCat("rm -rf '", dir_, "'").c_str());
  }
}

absl::Status DeliveryStack::WaitUntilServersUp(absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  std::string last;
  while (absl::Now() < deadline) {
    if (!haproxy_->Running()) break;
    auto answer = RuntimeCommand("show servers state demo");
    if (answer.ok()) {
      last = *answer;
      // Both server lines report srv_op_state 2 (running) after the name and address.
      if (absl::StrContains(*answer, " stable 127.0.0.1 2 ") &&
          absl::StrContains(*answer, " canary 127.0.0.1 2 ")) {
        return absl::OkStatus();
      }
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("HAProxy did not report both demo servers UP: ", last, "; log: ", HaproxyLog()));
}

std::map<std::string, int> DeliveryStack::SendRequests(int n) const {
  httplib::Client client("127.0.0.1", frontend_port_);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  client.set_read_timeout(5, 0);
  std::map<std::string, int> counts;
  for (int i = 0; i < n; ++i) {
    auto result = client.Get("/");
    if (!result || result->status != 200) {
      ++counts["error"];
      continue;
    }
    ++counts[result->get_header_value("X-Version")];
  }
  return counts;
}

absl::StatusOr<std::string> DeliveryStack::RuntimeCommand(const std::string& command) const {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError("socket failed");
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path_.c_str(), sizeof(addr.sun_path) - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return absl::UnavailableError(absl::StrCat("connect ", socket_path_, ": ", strerror(errno)));
  }
  const std::string line = command + "\n";
  (void)::send(fd, line.data(), line.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  for (ssize_t r; (r = ::recv(fd, buf, sizeof(buf), 0)) > 0;) out.append(buf, r);
  ::close(fd);
  return out;
}

void DeliveryStack::KillHaproxy() { haproxy_->Kill(); }

std::string DeliveryStack::HaproxyLog() const { return haproxy_->Log(); }

}  // namespace conclave::testing
