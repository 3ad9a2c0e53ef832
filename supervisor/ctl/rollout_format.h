// How conclavectl prints rollouts and the kill switch for people: one rollout in full, tables
// of rollouts, a line per watch event with a line per metric of a judgment, the result of an
// action, and the kill switch. JSON goes through ToJson (format.h). Every function returns
// text ending in a newline. Pure functions; thread-safe.
#pragma once

#include <string>

#include "conclave/v1/supervisor.pb.h"

namespace conclave::ctl {

// Enum values without their prefix: "PROGRESSING", "ROLLED_BACK"; "JUDGED", "STEP".
std::string RolloutStateLabel(conclave::v1::RolloutState state);
std::string RolloutEventLabel(conclave::v1::RolloutEventType type);

// Whether a rollout in `state` has finished (SUCCEEDED or ROLLED_BACK).
bool RolloutFinished(conclave::v1::RolloutState state);

// "2024-05-01T12:00:00.250Z" (UTC, milliseconds), or "-" for an unset timestamp.
std::string FormatTimestampMillis(const google::protobuf::Timestamp& time);

// "  VERDICT  NAME  canary C  stable S  threshold T  STATISTIC V/THRESHOLD  samples N/M  REASON"
// (the statistic is left out when the check has none, the reason when empty).
std::string FormatMetricCheck(const conclave::v1::MetricCheck& check);

// "TIME  STATE  W%  EVENT  [VERDICT  ]REASON", then one FormatMetricCheck line per check.
std::string FormatRolloutEvent(const conclave::v1::RolloutEvent& event);

// Everything `rollout status ID` shows: a field table, then the latest judgment's checks.
std::string FormatRollout(const conclave::v1::Rollout& rollout);

// The table of `rollout list` and `rollout status`: id, change, service, env, state, weight,
// step, versions, updated. Just the header for no rollouts.
std::string FormatRolloutTable(const conclave::v1::ListRolloutsResponse& response);

// After an action: "ID  STATE  W%  step I/N  REASON".
std::string FormatRolloutSummary(const conclave::v1::Rollout& rollout);

// "kill switch on  since TIME  by ACTOR: REASON" (or "off"; unknown parts left out).
std::string FormatKillSwitch(const conclave::v1::KillSwitch& kill_switch);

}  // namespace conclave::ctl
