#include "supervisor/ctl/exit_codes.h"

namespace conclave::ctl {

int ExitCodeForOutcome(conclave::v1::Outcome outcome) {
  return outcome == conclave::v1::OUTCOME_APPROVED ? kExitOk : kExitRejected;
}

int ExitCodeForVerify(const conclave::v1::VerifyAuditLogResponse& response) {
  return response.ok() ? kExitOk : kExitRejected;
}

int ExitCodeForRolloutState(conclave::v1::RolloutState state) {
  return state == conclave::v1::ROLLOUT_STATE_SUCCEEDED ? kExitOk : kExitRejected;
}

int ExitCodeForStatus(const absl::Status& status) { return status.ok() ? kExitOk : kExitError; }

}  // namespace conclave::ctl
