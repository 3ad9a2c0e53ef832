// DeliveryStack: the local progressive-delivery setup, started for a test on free loopback
// ports: two conclave-demo-service processes (stable v1, canary v2) behind a real HAProxy run
// from deploy/local/haproxy.cfg.in, with its admin runtime API on a unix socket in a fresh
// temporary directory. Destroying it kills every process it started. Not thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/support/subprocess.h"

namespace conclave::testing {

class DeliveryStack {
 public:
  // Starts the two versions and HAProxy, and waits until HAProxy reports both servers UP.
  static absl::StatusOr<std::unique_ptr<DeliveryStack>> Start();
  ~DeliveryStack();

  // The runtime API address for conclave-devops: "unix@<dir>/admin.sock".
  std::string runtime_api() const { return "unix@" + socket_path_; }
  const std::string& socket_path() const { return socket_path_; }
  int frontend_port() const { return frontend_port_; }
  const std::string& dir() const { return dir_; }

  // Sends `n` GET / through HAProxy and counts the answers by X-Version ("error" for a
  // failure).
  std::map<std::string, int> SendRequests(int n) const;
  // One runtime API command through a plain socket, independent of the code under test.
  absl::StatusOr<std::string> RuntimeCommand(const std::string& command) const;

  // Kills HAProxy (as a crash would); the socket file is left behind.
  void KillHaproxy();
  std::string HaproxyLog() const;

 private:
  DeliveryStack() = default;
  absl::Status WaitUntilServersUp(absl::Duration timeout) const;

  std::string dir_;
  std::string socket_path_;
  int frontend_port_ = 0;
  std::unique_ptr<Subprocess> stable_;
  std::unique_ptr<Subprocess> canary_;
  std::unique_ptr<Subprocess> haproxy_;
};

// $CONCLAVE_BIN_DIR/<name>, where the build puts conclave's executables.
std::string BinaryPath(const std::string& name);

}  // namespace conclave::testing
