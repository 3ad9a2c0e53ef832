// The exit status of conclavectl, so that scripts and CI can gate on a review or a rollout:
// 0 success, APPROVED or SUCCEEDED; 1 decided otherwise, a broken audit chain or ROLLED_BACK;
// 2 any error. Pure functions.
#pragma once

#include "absl/status/status.h"
#include "conclave/v1/supervisor.pb.h"

namespace conclave::ctl {

inline constexpr int kExitOk = 0;
// The change was decided but not approved, the audit chain is broken, or the watched rollout
// was rolled back.
inline constexpr int kExitRejected = 1;
// Usage, local or RPC error.
inline constexpr int kExitError = 2;

// 0 for APPROVED, 1 for every other outcome (CHANGES_REQUESTED, REJECTED, ESCALATED, unset).
int ExitCodeForOutcome(conclave::v1::Outcome outcome);

// 0 when the chain verifies, 1 when it is broken.
int ExitCodeForVerify(const conclave::v1::VerifyAuditLogResponse& response);

// For a finished rollout: 0 for SUCCEEDED, 1 for ROLLED_BACK (automatic, abort or rollback).
int ExitCodeForRolloutState(conclave::v1::RolloutState state);

// 0 for OK, 2 for any error.
int ExitCodeForStatus(const absl::Status& status);

}  // namespace conclave::ctl
