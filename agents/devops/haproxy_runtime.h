// HaproxyRuntimeApi: a client of HAProxy's runtime API, the stats socket declared with
// "stats socket ... level admin". Each command opens its own connection, sends one line and
// reads the answer until HAProxy closes the connection (the API's non-interactive mode), so
// the object holds no connection and is thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace conclave::devops {

// A server of a backend as "show servers state" reports it.
struct HaproxyServerState {
  std::string backend;
  std::string server;
  std::string address;
  int user_weight = 0;     // srv_uweight: the weight set by "set weight"
  int initial_weight = 0;  // srv_iweight: the weight in the configuration
  int op_state = 0;        // srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping
  int admin_state = 0;     // srv_admin_state: maintenance and drain flags

  // "UP", "DOWN", "STARTING", "STOPPING", "MAINT" or "DRAIN".
  std::string Health() const;
};

class HaproxyRuntimeApi {
 public:
  // `address` is "ipv4@host:port", "host:port", "unix@/path" or "/path". InvalidArgument
  // when it is none of these.
  static absl::StatusOr<HaproxyRuntimeApi> Create(const std::string& address,
                                                  absl::Duration timeout);

  // Sends one command and returns HAProxy's answer. UNAVAILABLE (naming the address) when
  // HAProxy cannot be reached or does not answer within the timeout.
  absl::StatusOr<std::string> Execute(const std::string& command) const;

  // "set weight <backend>/<server> <weight>". NOT_FOUND for an unknown backend or server;
  // PERMISSION_DENIED when the socket is not at level admin.
  absl::Status SetWeight(const std::string& backend, const std::string& server, int weight) const;

  // "show servers state <backend>", parsed. NOT_FOUND for an unknown backend.
  absl::StatusOr<std::vector<HaproxyServerState>> ServersState(const std::string& backend) const;

  const std::string& address() const { return address_; }

 private:
  HaproxyRuntimeApi(std::string address, std::string unix_path, std::string host, int port,
                    absl::Duration timeout)
      : address_(std::move(address)),
        unix_path_(std::move(unix_path)),
        host_(std::move(host)),
        port_(port),
        timeout_(timeout) {}

  std::string address_;
  std::string unix_path_;  // set for a unix socket; host_/port_ otherwise
  std::string host_;
  int port_ = 0;
  absl::Duration timeout_;
};

// Parses the text of "show servers state" (format version 1). InvalidArgument when it is not
// that format.
absl::StatusOr<std::vector<HaproxyServerState>> ParseServersState(const std::string& text);

}  // namespace conclave::devops
