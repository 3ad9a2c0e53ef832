// ExecDriver: hands each operation to an operator-supplied hook command (a script that drives
// a load balancer, a service mesh, a CD tool...). The step is described only in environment
// variables (CONCLAVE_OPERATION, CONCLAVE_SERVICE, CONCLAVE_STABLE_VERSION,
// CONCLAVE_CANARY_VERSION, CONCLAVE_CANARY_WEIGHT, CONCLAVE_STABLE_WEIGHT,
// CONCLAVE_STABLE_REPLICAS, CONCLAVE_CANARY_REPLICAS, CONCLAVE_DRY_RUN, CONCLAVE_OPERATION_ID,
// CONCLAVE_CHANGE_ID); a non-zero exit fails the step with the tail of the hook's stderr.
// With a get_state hook, state is read back from its stdout, one line per version:
//   <version> <weight> [<replicas> [<ready-replicas>]]
// and an operation already in place is not re-run. Without one, the driver reports what it
// last applied, marked unverified. Thread-compatible; DevopsHandler serializes calls.
#pragma once

#include <map>
#include <optional>

#include "agents/devops/command_runner.h"
#include "agents/devops/devops_config.h"
#include "agents/devops/traffic_driver.h"

namespace conclave::devops {

class ExecDriver final : public TrafficDriver {
 public:
  explicit ExecDriver(ExecConfig config) : config_(std::move(config)) {}

  std::string name() const override { return "exec"; }
  absl::StatusOr<Observation> SetTrafficSplit(const SplitTarget& target) override;
  absl::StatusOr<Observation> ScaleReplicas(const ReplicaTarget& target) override;
  absl::StatusOr<Observation> ReadState(const ServiceVersions& versions) override;

 private:
  using Env = std::vector<std::pair<std::string, std::string>>;

  // Runs `hook`; FAILED_PRECONDITION with the stderr tail on a non-zero exit.
  absl::StatusOr<CommandResult> RunHook(const char* which, const std::vector<std::string>& hook,
                                        const Env& env) const;
  // Reads state through the get_state hook; nullopt when there is none.
  absl::StatusOr<std::optional<Observation>> QueryState(const ServiceVersions& versions) const;
  // Runs the apply hook unless the state hook shows `wanted` in place, then reads back.
  absl::StatusOr<Observation> Apply(const char* which, const std::vector<std::string>& hook,
                                    const ServiceVersions& versions, const Env& env,
                                    const Observation& wanted);

  ExecConfig config_;
  // What the hooks last applied, per service: the state reported without a get_state hook.
  std::map<std::string, Observation> last_applied_;
};

// Parses a get_state hook's stdout. InvalidArgument naming the bad line.
absl::StatusOr<Observation> ParseHookState(const std::string& text);

}  // namespace conclave::devops
