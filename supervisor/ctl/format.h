// How conclavectl prints what the supervisor returns: text for people (events, votes with
// their findings, decisions, change tables, audit trails) and JSON for machines. Every
// function returns the text, ending in a newline, for the caller to write. Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <vector>

#include "conclave/v1/supervisor.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"

namespace conclave::ctl {

// Enum values without their prefix: "APPROVE", "REJECTED", "CRITICAL", "DECIDED".
std::string VerdictLabel(conclave::v1::Verdict verdict);
std::string OutcomeLabel(conclave::v1::Outcome outcome);
std::string SeverityLabel(conclave::v1::Severity severity);
std::string StateLabel(conclave::v1::ChangeState state);

// Left-aligned columns, as wide as their widest cell, two spaces apart; one line per row.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows);

// "2024-05-01T12:00:00Z" (UTC), or "-" for an unset timestamp.
std::string FormatTimestamp(const google::protobuf::Timestamp& time);

// "  SEVERITY RULE file:line message" (":line" left out for a whole-file finding).
std::string FormatFinding(const conclave::v1::Finding& finding);

// "vote  REVIEWER  VERDICT  confidence C  risk R  complexity X  N findings", then one line per
// finding.
std::string FormatVote(const conclave::v1::Vote& vote);

// "decision  OUTCOME  approval S  confidence C  auto_rollout yes|no", then the veto, missing
// voters and the explanation, indented.
std::string FormatDecision(const conclave::v1::Decision& decision);

// One event of a watch: a vote or decision as above, otherwise one line naming the event.
std::string FormatEvent(const conclave::v1::ChangeEvent& event);

// Everything `get` shows about a change.
std::string FormatChangeRecord(const conclave::v1::ChangeRecord& record);

// The table of `list`: id, state, outcome, service, env, title.
std::string FormatChangeTable(const conclave::v1::ListChangesResponse& response);

// The table of `audit`: sequence, time, action, actor, short hash, detail.
std::string FormatAuditTrail(const conclave::v1::GetAuditTrailResponse& response);

// "ok: N records verified" or "broken at sequence S: message".
std::string FormatVerifyResult(const conclave::v1::VerifyAuditLogResponse& response);

// The message as JSON with proto field names, enums by name and default values printed, on
// one line (for streams, one object per line) or indented.
std::string ToJson(const google::protobuf::Message& message, bool pretty);

}  // namespace conclave::ctl
