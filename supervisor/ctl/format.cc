#include "supervisor/ctl/format.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"

namespace conclave::ctl {
namespace {

std::string WithoutPrefix(const std::string& name, absl::string_view prefix) {
  if (name.empty()) return "UNKNOWN";
  return absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name;
}

std::string Plural(uint64_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

// Appends each line of `text` to `out`, indented by `indent`.
void AppendIndented(absl::string_view text, absl::string_view indent, std::string* out) {
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    absl::StrAppend(out, indent, line, "\n");
  }
}

std::string Truncate(const std::string& text, size_t width) {
  const std::string first_line = text.substr(0, text.find('\n'));
  if (first_line.size() <= width) return first_line;
  return absl::StrCat(first_line.substr(0, width - 3), "...");
}

std::string ContentSummary(const conclave::v1::Change& change) {
  if (!change.unified_diff().empty()) {
    return absl::StrCat("unified diff, ", change.unified_diff().size(), " bytes");
  }
  size_t bytes = 0;
  for (const auto& file : change.files()) bytes += file.content().size();
  return absl::StrCat(Plural(change.files_size(), "file", "files"), ", ", bytes, " bytes");
}

std::string EventLine(absl::string_view what, const std::string& detail) {
  return detail.empty() ? absl::StrCat(what, "\n") : absl::StrCat(what, "  ", detail, "\n");
}

}  // namespace

std::string VerdictLabel(conclave::v1::Verdict verdict) {
  return WithoutPrefix(conclave::v1::Verdict_Name(verdict), "VERDICT_");
}

std::string OutcomeLabel(conclave::v1::Outcome outcome) {
  return WithoutPrefix(conclave::v1::Outcome_Name(outcome), "OUTCOME_");
}

std::string SeverityLabel(conclave::v1::Severity severity) {
  return WithoutPrefix(conclave::v1::Severity_Name(severity), "SEVERITY_");
}

std::string StateLabel(conclave::v1::ChangeState state) {
  return WithoutPrefix(conclave::v1::ChangeState_Name(state), "CHANGE_STATE_");
}

std::string FormatTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      const bool last = i + 1 == row.size();
      absl::StrAppend(&line, row[i], last ? "" : std::string(widths[i] - row[i].size() + 2, ' '));
    }
    absl::StrAppend(&out, absl::StripTrailingAsciiWhitespace(line), "\n");
  }
  return out;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "-";
  const absl::Time t = absl::FromUnixSeconds(time.seconds()) + absl::Nanoseconds(time.nanos());
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string FormatFinding(const conclave::v1::Finding& finding) {
  const std::string where =
      finding.line() > 0 ? absl::StrCat(finding.file(), ":", finding.line()) : finding.file();
  return absl::StrCat("  ", SeverityLabel(finding.severity()), " ", finding.rule_id(), " ", where,
                      " ", finding.message(), "\n");
}

std::string FormatVote(const conclave::v1::Vote& vote) {
  std::string out =
      absl::StrFormat("vote  %s  %s  confidence %.2f  risk %.1f  complexity %.1f  %s\n",
                      vote.reviewer(), VerdictLabel(vote.verdict()), vote.confidence(), vote.risk(),
                      vote.complexity(), Plural(vote.findings_size(), "finding", "findings"));
  for (const auto& finding : vote.findings()) absl::StrAppend(&out, FormatFinding(finding));
  return out;
}

std::string FormatDecision(const conclave::v1::Decision& decision) {
  std::string out =
      absl::StrFormat("decision  %s  approval %.2f  confidence %.2f  auto_rollout %s\n",
                      OutcomeLabel(decision.outcome()), decision.approval_share(),
                      decision.confidence(), decision.auto_rollout() ? "yes" : "no");
  if (!decision.vetoed_by().empty())
    absl::StrAppend(&out, "  vetoed by ", decision.vetoed_by(), "\n");
  if (decision.missing_voters_size() > 0) {
    absl::StrAppend(&out, "  missing voters: ", absl::StrJoin(decision.missing_voters(), ", "),
                    "\n");
  }
  AppendIndented(decision.explanation(), "  ", &out);
  return out;
}

std::string FormatEvent(const conclave::v1::ChangeEvent& event) {
  using conclave::v1::EventType;
  switch (event.type()) {
    case conclave::v1::EVENT_TYPE_VOTE_RECEIVED:
      return FormatVote(event.vote());
    case conclave::v1::EVENT_TYPE_DECIDED:
      return FormatDecision(event.decision());
    case conclave::v1::EVENT_TYPE_SUBMITTED:
      return EventLine(absl::StrCat("submitted  ", event.change_id()), event.detail());
    case conclave::v1::EVENT_TYPE_DISPATCHED:
      return EventLine("dispatched", event.detail());
    case conclave::v1::EVENT_TYPE_REVIEWER_FAILED:
      return EventLine("reviewer failed", event.detail());
    case conclave::v1::EVENT_TYPE_RESUMED:
      return EventLine("resumed", event.detail());
    default:
      return EventLine(absl::StrCat("event ", static_cast<int>(event.type())), event.detail());
  }
}

std::string FormatChangeRecord(const conclave::v1::ChangeRecord& record) {
  const conclave::v1::Change& change = record.change();
  std::vector<std::vector<std::string>> fields = {
      {"change", change.id()},
      {"title", change.title()},
      {"service", change.target_service()},
      {"env", change.environment()},
      {"author", change.author()},
      {"content", ContentSummary(change)},
      {"submitted", FormatTimestamp(change.submitted_at())},
      {"state", StateLabel(record.state())},
      {"policy", record.policy_version()},
      {"reviewers", absl::StrJoin(record.reviewers(), ", ")},
      {"deadline", FormatTimestamp(record.deadline())},
      {"dispatches", absl::StrCat(record.dispatch_count())},
      {"traceparent", record.traceparent()},
  };
  std::string out = FormatTable(fields);
  for (const auto& vote : record.votes()) absl::StrAppend(&out, FormatVote(vote));
  for (const auto& error : record.reviewer_errors()) {
    absl::StrAppend(&out, "reviewer failed  ", error, "\n");
  }
  if (record.state() == conclave::v1::CHANGE_STATE_DECIDED) {
    absl::StrAppend(&out, FormatDecision(record.decision()));
  }
  return out;
}

std::string FormatChangeTable(const conclave::v1::ListChangesResponse& response) {
  std::vector<std::vector<std::string>> rows = {
      {"ID", "STATE", "OUTCOME", "SERVICE", "ENV", "TITLE"}};
  for (const auto& record : response.changes()) {
    const bool decided = record.state() == conclave::v1::CHANGE_STATE_DECIDED;
    rows.push_back({record.change().id(), StateLabel(record.state()),
                    decided ? OutcomeLabel(record.decision().outcome()) : "-",
                    record.change().target_service(), record.change().environment(),
                    Truncate(record.change().title(), 60)});
  }
  return FormatTable(rows);
}

std::string FormatAuditTrail(const conclave::v1::GetAuditTrailResponse& response) {
  std::vector<std::vector<std::string>> rows = {
      {"SEQ", "TIME", "ACTION", "ACTOR", "HASH", "DETAIL"}};
  for (const auto& record : response.records()) {
    rows.push_back({absl::StrCat(record.sequence()), FormatTimestamp(record.time()),
                    record.action(), record.actor(), record.hash().substr(0, 12),
                    record.detail_json()});
  }
  return FormatTable(rows);
}

std::string FormatVerifyResult(const conclave::v1::VerifyAuditLogResponse& response) {
  if (response.ok()) {
    return absl::StrCat("ok: ", Plural(response.records(), "record", "records"), " verified\n");
  }
  std::string out = absl::StrCat("broken at sequence ", response.first_bad_sequence());
  if (!response.message().empty()) absl::StrAppend(&out, ": ", response.message());
  return absl::StrCat(out, "\n");
}

std::string ToJson(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  // Printing a generated message cannot fail short of a protobuf bug; say so in JSON if it does.
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::StrCat(R"({"error": )", nlohmann::json(status.ToString()).dump(), "}\n");
  }
  if (!pretty || json.empty() || json.back() != '\n') json.push_back('\n');
  return json;
}

}  // namespace conclave::ctl
