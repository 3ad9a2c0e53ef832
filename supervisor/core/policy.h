// Policy: who votes on a change in each environment, how much each vote weighs, and the
// thresholds consensus and auto-rollout apply. Parsed once from a YAML file (docs/POLICY.md)
// and immutable afterwards, so a loaded Policy may be read from any thread without locking.
// Its version() names the exact content, and every decision records it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace conclave::supervisor {

// One reviewer's say in an environment.
struct VoterPolicy {
  // Multiplies the vote's confidence in the approval share; > 0.
  double weight = 1.0;
  // A required voter's silence (no vote by the deadline, or a failed review) escalates the
  // change to a person instead of letting the others decide.
  bool required = false;
};

// When an APPROVED change may roll out without a person: all three must hold.
struct AutoRolloutGate {
  double min_confidence = 0.85;  // decision confidence >= this
  double max_risk = 5;           // decision risk < this (0..10)
  double max_complexity = 8;     // decision complexity < this (0..10)
};

// How an APPROVED change with a version reaches all of its service's traffic (docs/ROLLOUTS.md).
struct RolloutPolicy {
  enum class Mode {
    // Every action is recorded and judged as usual, but no traffic is moved.
    kDryRun,
    // Steps below 100 % run on their own; a person approves the move to 100 %.
    kManualPromotion,
    // Promotes through every step, and rolls back, on its own.
    kAutomatic,
  };
  // Canary weight of each step in percent: strictly increasing, in 1..100, ending at 100.
  std::vector<int> steps = {10, 25, 50, 100};
  // How long each step below 100 % is held and judged before the next.
  absl::Duration step_hold = absl::Seconds(10);
  // How often the metrics agent is asked to judge the canary during a hold.
  absl::Duration judge_interval = absl::Seconds(1);
  // How long one call to the devops or metrics agent may take before it counts as failed.
  absl::Duration agent_timeout = absl::Seconds(5);
  // Traffic moves that fail this many times in a row pause a progressing rollout for a
  // person (a rollback is retried for as long as it takes).
  int max_action_attempts = 5;
  // The environment's default: dev kDryRun, staging kManualPromotion, prod kAutomatic.
  Mode mode = Mode::kAutomatic;
};

// "dry_run", "manual_promotion" or "automatic".
const char* RolloutModeName(RolloutPolicy::Mode mode);

struct EnvironmentPolicy {
  // Reviewer name -> its voting policy; ordered by name, so iteration is deterministic.
  std::map<std::string, VoterPolicy> voters;
  // Σ w·c of APPROVE votes / Σ w·c of all votes must reach this to approve; in (0, 1].
  double approval_share = 2.0 / 3.0;
  // A REJECT vote at or above this confidence vetoes the change; in (0, 1].
  double reject_min_confidence = 0.8;
  // How long votes are waited for before deciding with what has arrived.
  absl::Duration review_deadline = absl::Seconds(30);
  AutoRolloutGate auto_rollout;
  RolloutPolicy rollout;
};

class Policy {
 public:
  // The environments every policy must define.
  static const std::vector<std::string>& EnvironmentNames();

  // Parses a policy document. `source` names it in error messages (usually the file path).
  // Errors are InvalidArgument and say where and what was expected, e.g.
  // "policy.yaml: environments.prod.voters.security.weight: expected a positive number, got -1".
  static absl::StatusOr<Policy> Parse(std::string_view yaml, std::string_view source = "policy");
  // Reads and parses a policy file; NotFound when it cannot be read.
  static absl::StatusOr<Policy> LoadFile(const std::string& path);

  // The file's `version` plus '+' and the first 8 hex digits of the SHA-256 of the policy's
  // canonical content, e.g. "2026-11-22.1+ab12cd34". Comments and formatting do not change
  // it; any change to a voter or threshold does.
  const std::string& version() const { return version_; }

  // The environment's policy, or null when the policy has no such environment.
  const EnvironmentPolicy* Find(std::string_view environment) const;
  // The environment's voters in name order; empty for an unknown environment.
  std::vector<std::string> Reviewers(std::string_view environment) const;
  const std::map<std::string, EnvironmentPolicy, std::less<>>& environments() const {
    return environments_;
  }

 private:
  friend class PolicyParser;

  std::string version_;
  std::map<std::string, EnvironmentPolicy, std::less<>> environments_;
};

}  // namespace conclave::supervisor
