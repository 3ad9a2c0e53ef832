// Consensus: the decision rule of docs/POLICY.md as pure functions of the recorded votes and
// an environment's policy. No state, clock or I/O, so every function is thread-safe and a
// decision can be replayed later from its record and get the same result.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conclave/v1/change.pb.h"
#include "supervisor/core/policy.h"

namespace conclave::supervisor {

// True when consensus may be computed: every voter of the policy has voted or failed, or the
// review deadline has passed. Votes from reviewers outside the policy do not count.
bool ReadyToDecide(const EnvironmentPolicy& policy, const std::vector<conclave::v1::Vote>& votes,
                   const std::vector<std::string>& failed_reviewers, bool deadline_passed);

// Decides a change from its votes, in this order:
//  1. a REJECT with confidence >= reject_min_confidence vetoes: REJECTED (vetoed_by set);
//  2. a required voter without a vote (silent or failed): ESCALATED;
//  3. no vote carries weight (Σ w·c == 0): ESCALATED;
//  4. approval share Σ_APPROVE w·c / Σ_all w·c >= approval_share: APPROVED, else
//     CHANGES_REQUESTED.
// Votes from reviewers outside the policy, second votes from one reviewer and votes without a
// verdict are ignored and named in the explanation. The result does not depend on the order
// of `votes`. missing_voters lists the required voters without a vote whatever the outcome;
// decided_at is left unset: the caller stamps it.
conclave::v1::Decision Decide(const EnvironmentPolicy& policy, std::string_view environment,
                              std::string_view policy_version,
                              const std::vector<conclave::v1::Vote>& votes,
                              const std::vector<std::string>& failed_reviewers);

}  // namespace conclave::supervisor
