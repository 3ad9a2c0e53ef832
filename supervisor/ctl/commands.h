// The commands of conclavectl run against a Supervisor stub: each makes its calls, writes what
// it got to `out` (text or JSON), reports an error as "conclavectl: CODE: message" on `err`,
// and returns the exit status (see exit_codes.h). The stub is any implementation of the
// generated interface, so tests run the commands against an in-process fake supervisor.
// Single-threaded; one call at a time per Commands object.
#pragma once

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "conclave/v1/supervisor.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "supervisor/ctl/options.h"

namespace conclave::ctl {

// grpc::Status as absl::Status; the codes are the same numbers.
absl::Status FromGrpcStatus(const grpc::Status& status);

class Commands {
 public:
  // `stub`, `out` and `err` must outlive this object.
  Commands(conclave::v1::Supervisor::StubInterface* stub, std::ostream* out, std::ostream* err)
      : stub_(stub), out_(out), err_(err) {}

  // Runs options.command (not kHelp) and returns the exit status.
  int Run(const Options& options);

 private:
  // Each returns the exit status of a command that reached the supervisor, or an error.
  absl::StatusOr<int> Submit(const Options& options);
  absl::StatusOr<int> Get(const Options& options);
  absl::StatusOr<int> List(const Options& options);
  absl::StatusOr<int> Watch(const Options& options, const std::string& change_id);
  absl::StatusOr<int> Audit(const Options& options);
  absl::StatusOr<int> AuditVerify(const Options& options);

  // Rollouts and the kill switch (rollout_commands.cc).
  absl::StatusOr<int> RolloutStatus(const Options& options);
  absl::StatusOr<int> RolloutList(const Options& options);
  absl::StatusOr<int> RolloutWatch(const Options& options);
  absl::StatusOr<int> RolloutAction(const Options& options);
  absl::StatusOr<int> SetKillSwitch(const Options& options);
  absl::StatusOr<int> GetKillSwitch(const Options& options);

  // The rollouts ListRollouts returns for `service` (empty: all), at most `limit`.
  absl::StatusOr<conclave::v1::ListRolloutsResponse> ListRollouts(const Options& options, int limit,
                                                                  const std::string& service);
  // The rollout `id` names: GetRollout for a rollout id ("ro_..."), otherwise the newest
  // rollout whose change_id is `id`. NotFound when there is none.
  absl::StatusOr<conclave::v1::Rollout> FindRollout(const Options& options, const std::string& id);

  // Sets the deadline of `context` to `timeout` from now; none for InfiniteDuration.
  static void SetDeadline(grpc::ClientContext& context, absl::Duration timeout);

  conclave::v1::Supervisor::StubInterface* stub_;
  std::ostream* out_;
  std::ostream* err_;
};

}  // namespace conclave::ctl
