// NatsServer: a real nats-server with JetStream for one test, on a free loopback port, its
// store in a fresh temporary directory. Start() returns once the server accepts connections.
// Stop/Kill/Restart exercise reconnects and persistence (Restart keeps the port and the
// store). The destructor kills the process and removes the directory; the server is also
// killed if the test process dies (PR_SET_PDEATHSIG), so it never outlives the test; start
// and restart it from a thread that lives as long as the server (the test's main thread).
// Not thread-safe: one test thread drives it.
//
//   auto nats = conclave::testing::NatsServer::Start();
//   ASSERT_TRUE(nats.ok()) << nats.status();
//   auto bus = conclave::bus::ConnectNats({.url = (*nats)->url()});
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace conclave::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
absl::StatusOr<int> PickFreePort();

class NatsServer {
 public:
  struct Options {
    // The nats-server binary; empty: $CONCLAVE_NATS_SERVER, else Debian's /usr/sbin/nats-server,
    // else the first nats-server on $PATH.
    std::string binary;
    // Extra command-line arguments, e.g. {"-c", "server.conf"}.
    std::vector<std::string> extra_args;
    // The largest message the server accepts; as deploy/local/nats.conf, so that a change at
    // the 8 MiB limit fits on the bus. Written to a config file passed with -c.
    int64_t max_payload = 16 << 20;
    absl::Duration start_timeout = absl::Seconds(15);
  };

  static absl::StatusOr<std::unique_ptr<NatsServer>> Start();
  static absl::StatusOr<std::unique_ptr<NatsServer>> Start(const Options& options);

  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;
  ~NatsServer();

  // nats://127.0.0.1:<port>
  std::string url() const;
  int port() const { return port_; }
  // JetStream's store directory (inside the temporary directory).
  std::string store_dir() const;
  bool running() const { return pid_ > 0; }

  // SIGTERM and wait; JetStream flushes its store. SIGKILLs (and says so) past 10 s.
  absl::Status Stop();
  // SIGKILL and wait: a crash.
  void Kill();
  // Stops the server if it runs, then starts it again on the same port and store.
  absl::Status Restart();
  // What the server has logged so far (for failure messages).
  std::string Log() const;

 private:
  NatsServer() = default;
  absl::Status Spawn();
  absl::Status WaitUntilAccepting();
  bool Exited();
  // Whether the process exited within `grace`; SIGKILLs it otherwise.
  bool SignalAndWait(int signal, absl::Duration grace);

  Options options_;
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace conclave::testing
