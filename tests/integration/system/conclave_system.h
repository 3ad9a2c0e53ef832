// ConclaveSystem: the whole system started for a test, as real processes: a real nats-server
// (JetStream) on a free loopback port, conclave-supervisor with RocksDB in a temporary
// directory, and reviewer processes, each on free ports found through --addr_file. Tests
// drive it through the supervisor's gRPC API. Destruction stops everything and removes the
// temporary directory. The processes die with the thread that started them (see Subprocess):
// start and restart them from the test's main thread. Not thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "conclave/v1/supervisor.grpc.pb.h"
#include "tests/support/nats_server.h"
#include "tests/support/subprocess.h"

namespace conclave::testing {

// A policy with all three reviewers (weight 1) and the given deadline in every environment;
// `required` lists the required voters.
std::string TestPolicy(absl::Duration deadline, const std::vector<std::string>& required = {
                                                    "security", "performance", "architecture"});

class ConclaveSystem {
 public:
  // Starts nats-server and the supervisor (no reviewers yet).
  static absl::StatusOr<std::unique_ptr<ConclaveSystem>> Start(const std::string& policy_yaml);
  ~ConclaveSystem();

  // Starts one replica of conclave-<name>; extra flags are appended.
  absl::StatusOr<Subprocess*> StartReviewer(const std::string& name,
                                            const std::vector<std::string>& extra_flags = {});
  // Starts one replica of each of the three reviewers.
  absl::Status StartAllReviewers();
  // The replica's HTTP address (/metrics).
  std::string HttpAddress(Subprocess* process) const;

  // Stops the supervisor (kill -9 when `hard`) and starts it again on the same data directory.
  absl::Status RestartSupervisor(bool hard);
  Subprocess* supervisor() { return supervisor_.get(); }
  NatsServer& nats() { return *nats_; }
  const std::string& temp_dir() const { return dir_; }

  conclave::v1::Supervisor::Stub& stub() { return *stub_; }
  // SubmitChange; the gRPC error as a status.
  absl::StatusOr<std::string> Submit(const conclave::v1::Change& change);
  absl::StatusOr<conclave::v1::ChangeRecord> Get(const std::string& id);
  // Polls GetChange until DECIDED or `timeout`.
  absl::StatusOr<conclave::v1::ChangeRecord> WaitForDecision(const std::string& id,
                                                             absl::Duration timeout);
  // All logs, for failure messages.
  std::string Logs() const;

 private:
  ConclaveSystem() = default;
  absl::Status StartSupervisorProcess();

  std::string dir_;
  std::unique_ptr<NatsServer> nats_;
  std::unique_ptr<Subprocess> supervisor_;
  std::vector<std::unique_ptr<Subprocess>> reviewers_;
  std::map<const Subprocess*, std::string> http_addrs_;
  std::unique_ptr<conclave::v1::Supervisor::Stub> stub_;
  int spawned_ = 0;
};

// A change of the given files (path → content) for service "svc" in `environment`.
conclave::v1::Change MakeChange(const std::map<std::string, std::string>& files,
                                const std::string& environment = "prod");
// The files of examples/<name> (relative paths), read from the source tree.
std::map<std::string, std::string> ExampleFiles(const std::string& name);

}  // namespace conclave::testing
