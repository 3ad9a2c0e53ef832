#include "agents/devops/haproxy_runtime.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "agents/devops/internal/unique_fd.h"

namespace conclave::devops {
namespace {

using internal::UniqueFd;

// Admin-state flags of HAProxy's server.h (SRV_ADMF_*).
constexpr int kAdminMaint = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
constexpr int kAdminDrain = 0x08 | 0x10;

int MillisLeft(absl::Time deadline) {
  return static_cast<int>(std::max<int64_t>(0, absl::ToInt64Milliseconds(deadline - absl::Now())));
}

// Waits for `events` on `fd` until `deadline`; false on timeout or error.
bool WaitFor(int fd, short events, absl::Time deadline) {
  pollfd p{fd, events, 0};
  while (true) {
    const int r = ::poll(&p, 1, MillisLeft(deadline));
    if (r > 0) return true;
    if (r == 0 || errno != EINTR) return false;
  }
}

// Resolves host:port to a socket address (IPv4 or IPv6).
absl::StatusOr<addrinfo*> Resolve(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &result); rc != 0) {
    return absl::UnavailableError(absl::StrCat("cannot resolve ", host, ": ", gai_strerror(rc)));
  }
  return result;
}

// Starts a non-blocking connect and waits for it to finish.
absl::Status FinishConnect(int fd, const sockaddr* addr, socklen_t len, absl::Time deadline) {
  if (::connect(fd, addr, len) == 0) return absl::OkStatus();
  if (errno != EINPROGRESS && errno != EAGAIN) return absl::UnavailableError(strerror(errno));
  if (!WaitFor(fd, POLLOUT, deadline)) return absl::UnavailableError("connect timed out");
  int error = 0;
  socklen_t error_len = sizeof(error);
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_len);
  if (error != 0) return absl::UnavailableError(strerror(error));
  return absl::OkStatus();
}

absl::StatusOr<UniqueFd> ConnectUnix(const std::string& path, absl::Time deadline) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat("socket path too long: ", path));
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return absl::UnavailableError(strerror(errno));
  absl::Status s =
      FinishConnect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr), deadline);
  if (!s.ok()) return s;
  return fd;
}

absl::StatusOr<UniqueFd> ConnectTcp(const std::string& host, int port, absl::Time deadline) {
  auto resolved = Resolve(host, port);
  if (!resolved.ok()) return resolved.status();
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(*resolved, &::freeaddrinfo);
  absl::Status last = absl::UnavailableError("no address");
  for (addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) {
    UniqueFd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) continue;
    last = FinishConnect(fd.get(), ai->ai_addr, ai->ai_addrlen, deadline);
    if (last.ok()) return fd;
  }
  return last;
}

absl::Status SendAll(int fd, const std::string& data, absl::Time deadline) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
      return absl::UnavailableError(absl::StrCat("send: ", strerror(errno)));
    } else if (!WaitFor(fd, POLLOUT, deadline)) {
      return absl::UnavailableError("send timed out");
    }
  }
  return absl::OkStatus();
}

// Reads until HAProxy closes the connection.
absl::StatusOr<std::string> ReadToEnd(int fd, absl::Time deadline) {
  std::string out;
  char buf[4096];
  while (true) {
    const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
    } else if (n == 0) {
      return out;
    } else if (errno != EAGAIN && errno != EINTR) {
      return absl::UnavailableError(absl::StrCat("recv: ", strerror(errno)));
    } else if (!WaitFor(fd, POLLIN, deadline)) {
      return absl::UnavailableError("no complete answer before the timeout");
    }
  }
}

// HAProxy answers a successful "set weight" with an empty line and anything else with text.
absl::Status AnswerToStatus(const std::string& answer, const std::string& what) {
  const absl::string_view text = absl::StripAsciiWhitespace(answer);
  if (text.empty()) return absl::OkStatus();
  const std::string message = absl::StrCat(what, ": HAProxy says \"", text, "\"");
  if (absl::StrContains(text, "No such") || absl::StrContains(text, "Can't find")) {
    return absl::NotFoundError(message);
  }
  if (absl::StrContains(text, "ermission denied")) {
    return absl::PermissionDeniedError(
        absl::StrCat(message, " (the stats socket needs 'level admin')"));
  }
  return absl::FailedPreconditionError(message);
}

bool ParseInt(const std::map<std::string, std::string>& row, const char* key, int* out) {
  auto it = row.find(key);
  return it != row.end() && absl::SimpleAtoi(it->second, out);
}

}  // namespace

std::string HaproxyServerState::Health() const {
  if (admin_state & kAdminMaint) return "MAINT";
  if (admin_state & kAdminDrain) return "DRAIN";
  switch (op_state) {
    case 1:
      return "STARTING";
    case 2:
      return "UP";
    case 3:
      return "STOPPING";
    default:
      return "DOWN";
  }
}

absl::StatusOr<HaproxyRuntimeApi> HaproxyRuntimeApi::Create(const std::string& address,
                                                            absl::Duration timeout) {
  absl::string_view rest = address;
  if (absl::ConsumePrefix(&rest, "unix@") || absl::StartsWith(rest, "/")) {
    return HaproxyRuntimeApi(address, std::string(rest), "", 0, timeout);
  }
  absl::ConsumePrefix(&rest, "ipv4@");
  const size_t colon = rest.rfind(':');
  int port = 0;
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(rest.substr(colon + 1), &port) || port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("HAProxy runtime API address '", address,
                     "' is not ipv4@host:port, host:port, unix@/path or /path"));
  }
  return HaproxyRuntimeApi(address, "", std::string(rest.substr(0, colon)), port, timeout);
}

absl::StatusOr<std::string> HaproxyRuntimeApi::Execute(const std::string& command) const {
  const absl::Time deadline = absl::Now() + timeout_;
  auto fd =
      unix_path_.empty() ? ConnectTcp(host_, port_, deadline) : ConnectUnix(unix_path_, deadline);
  absl::StatusOr<std::string> answer = absl::UnknownError("not sent");
  if (!fd.ok()) {
    answer = fd.status();
  } else if (absl::Status sent = SendAll(fd->get(), command + "\n", deadline); !sent.ok()) {
    answer = sent;
  } else {
    answer = ReadToEnd(fd->get(), deadline);
  }
  if (!answer.ok()) {
    return absl::UnavailableError(absl::StrCat("HAProxy runtime API at ", address_, " (", command,
                                               "): ", answer.status().message(),
                                               "; is haproxy running?"));
  }
  return answer;
}

absl::Status HaproxyRuntimeApi::SetWeight(const std::string& backend, const std::string& server,
                                          int weight) const {
  const std::string command = absl::StrCat("set weight ", backend, "/", server, " ", weight);
  auto answer = Execute(command);
  if (!answer.ok()) return answer.status();
  return AnswerToStatus(*answer, command);
}

absl::StatusOr<std::vector<HaproxyServerState>> HaproxyRuntimeApi::ServersState(
    const std::string& backend) const {
  const std::string command = absl::StrCat("show servers state ", backend);
  auto answer = Execute(command);
  if (!answer.ok()) return answer.status();
  if (!absl::StartsWith(*answer, "1\n")) return AnswerToStatus(*answer, command);
  return ParseServersState(*answer);
}

absl::StatusOr<std::vector<HaproxyServerState>> ParseServersState(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipWhitespace());
  if (lines.size() < 2 || absl::StripAsciiWhitespace(lines[0]) != "1" ||
      !absl::StartsWith(lines[1], "# ")) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a 'show servers state' answer (version 1): ", text.substr(0, 200)));
  }
  const std::vector<std::string> names =
      absl::StrSplit(absl::string_view(lines[1]).substr(2), ' ', absl::SkipEmpty());
  std::vector<HaproxyServerState> servers;
  for (size_t i = 2; i < lines.size(); ++i) {
    const std::vector<std::string> fields = absl::StrSplit(lines[i], ' ', absl::SkipEmpty());
    std::map<std::string, std::string> row;
    for (size_t f = 0; f < fields.size() && f < names.size(); ++f) row[names[f]] = fields[f];
    HaproxyServerState s;
    s.backend = row["be_name"];
    s.server = row["srv_name"];
    s.address = row["srv_addr"];
    if (s.server.empty() || !ParseInt(row, "srv_uweight", &s.user_weight) ||
        !ParseInt(row, "srv_iweight", &s.initial_weight) ||
        !ParseInt(row, "srv_op_state", &s.op_state) ||
        !ParseInt(row, "srv_admin_state", &s.admin_state)) {
      return absl::InvalidArgumentError(absl::StrCat("malformed server state line: ", lines[i]));
    }
    servers.push_back(std::move(s));
  }
  return servers;
}

}  // namespace conclave::devops
