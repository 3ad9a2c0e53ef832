#include "supervisor/ctl/rollout_format.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "supervisor/ctl/format.h"

namespace conclave::ctl {
namespace {

using conclave::v1::Rollout;

std::string WithoutPrefix(const std::string& name, absl::string_view prefix) {
  if (name.empty()) return "UNKNOWN";
  return absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name;
}

// Shortest faithful form of a metric value: 912.345, 0.0523, 1200.
std::string Number(double value) { return absl::StrFormat("%.6g", value); }

std::string Weight(int32_t weight) { return absl::StrCat(weight, "%"); }

// "2/4": the current step, from 1, of the rollout's steps; "-" without steps.
std::string StepOf(const Rollout& rollout) {
  if (rollout.steps_size() == 0) return "-";
  return absl::StrCat(rollout.step_index() + 1, "/", rollout.steps_size());
}

std::string Versions(const Rollout& rollout) {
  return absl::StrCat(rollout.stable_version().empty() ? "?" : rollout.stable_version(), " -> ",
                      rollout.canary_version().empty() ? "?" : rollout.canary_version());
}

std::string EnvironmentOf(const Rollout& rollout) {
  std::string out = rollout.environment();
  if (rollout.dry_run()) absl::StrAppend(&out, ", dry run (actions recorded, not applied)");
  if (rollout.manual_promotion()) absl::StrAppend(&out, ", a person approves full promotion");
  return out;
}

std::string StepDetail(const Rollout& rollout) {
  if (rollout.steps_size() == 0) return "-";
  return absl::StrCat(rollout.step_index() + 1, " of ", rollout.steps_size(), " (",
                      absl::StrJoin(rollout.steps(), ", "), " %)");
}

std::string HoldDetail(const Rollout& rollout) {
  const absl::Duration hold =
      absl::Seconds(rollout.step_hold().seconds()) + absl::Nanoseconds(rollout.step_hold().nanos());
  return absl::StrCat(absl::FormatDuration(hold), ", step started ",
                      FormatTimestampMillis(rollout.step_started_at()));
}

std::string JudgedDetail(const Rollout& rollout) {
  if (rollout.last_verdict().empty()) return "-";
  return absl::StrCat(rollout.last_verdict(), " at ",
                      FormatTimestampMillis(rollout.last_judged_at()));
}

}  // namespace

std::string RolloutStateLabel(conclave::v1::RolloutState state) {
  return WithoutPrefix(conclave::v1::RolloutState_Name(state), "ROLLOUT_STATE_");
}

std::string RolloutEventLabel(conclave::v1::RolloutEventType type) {
  return WithoutPrefix(conclave::v1::RolloutEventType_Name(type), "ROLLOUT_EVENT_TYPE_");
}

bool RolloutFinished(conclave::v1::RolloutState state) {
  return state == conclave::v1::ROLLOUT_STATE_SUCCEEDED ||
         state == conclave::v1::ROLLOUT_STATE_ROLLED_BACK;
}

std::string FormatTimestampMillis(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "-";
  const absl::Time t = absl::FromUnixSeconds(time.seconds()) + absl::Nanoseconds(time.nanos());
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

std::string FormatMetricCheck(const conclave::v1::MetricCheck& check) {
  std::string out = absl::StrFormat("  %-12s  %s  canary %s  stable %s  threshold %s",
                                    check.verdict().empty() ? "UNKNOWN" : check.verdict(),
                                    check.name(), Number(check.canary_value()),
                                    Number(check.stable_value()), Number(check.threshold()));
  if (!check.statistic().empty()) {
    absl::StrAppend(&out, "  ", check.statistic(), " ", Number(check.statistic_value()), "/",
                    Number(check.statistic_threshold()));
  }
  absl::StrAppend(&out, "  samples ", check.canary_samples(), "/", check.stable_samples());
  if (!check.reason().empty()) absl::StrAppend(&out, "  ", check.reason());
  return absl::StrCat(out, "\n");
}

std::string FormatRolloutEvent(const conclave::v1::RolloutEvent& event) {
  std::string line =
      absl::StrFormat("%s  %-18s  %4s  %-13s", FormatTimestampMillis(event.time()),
                      RolloutStateLabel(event.state()), Weight(event.canary_weight()),
                      RolloutEventLabel(event.type()));
  if (!event.verdict().empty()) absl::StrAppend(&line, "  ", event.verdict());
  if (!event.reason().empty()) absl::StrAppend(&line, "  ", event.reason());
  std::string out = absl::StrCat(absl::StripTrailingAsciiWhitespace(line), "\n");
  for (const auto& check : event.checks()) absl::StrAppend(&out, FormatMetricCheck(check));
  return out;
}

std::string FormatRollout(const Rollout& rollout) {
  std::vector<std::vector<std::string>> fields = {
      {"rollout", rollout.id()},
      {"change", rollout.change_id()},
      {"service", rollout.service()},
      {"env", EnvironmentOf(rollout)},
      {"versions", absl::StrCat(Versions(rollout), " (stable -> canary)")},
      {"state", RolloutStateLabel(rollout.state())},
      {"weight", Weight(rollout.canary_weight())},
      {"step", StepDetail(rollout)},
      {"step hold", HoldDetail(rollout)},
      {"reason", rollout.reason().empty() ? "-" : rollout.reason()},
      {"judged", JudgedDetail(rollout)},
      {"created", FormatTimestampMillis(rollout.created_at())},
      {"updated", FormatTimestampMillis(rollout.updated_at())},
  };
  if (RolloutFinished(rollout.state())) {
    fields.push_back({"finished", FormatTimestampMillis(rollout.finished_at())});
  }
  std::string out = FormatTable(fields);
  for (const auto& check : rollout.last_checks()) absl::StrAppend(&out, FormatMetricCheck(check));
  return out;
}

std::string FormatRolloutTable(const conclave::v1::ListRolloutsResponse& response) {
  std::vector<std::vector<std::string>> rows = {
      {"ID", "CHANGE", "SERVICE", "ENV", "STATE", "WEIGHT", "STEP", "VERSIONS", "UPDATED"}};
  for (const Rollout& rollout : response.rollouts()) {
    rows.push_back({rollout.id(), rollout.change_id(), rollout.service(), rollout.environment(),
                    RolloutStateLabel(rollout.state()), Weight(rollout.canary_weight()),
                    StepOf(rollout), Versions(rollout), FormatTimestamp(rollout.updated_at())});
  }
  return FormatTable(rows);
}

std::string FormatRolloutSummary(const Rollout& rollout) {
  std::string line = absl::StrCat(rollout.id(), "  ", RolloutStateLabel(rollout.state()), "  ",
                                  Weight(rollout.canary_weight()), "  step ", StepOf(rollout));
  if (!rollout.reason().empty()) absl::StrAppend(&line, "  ", rollout.reason());
  return absl::StrCat(line, "\n");
}

std::string FormatKillSwitch(const conclave::v1::KillSwitch& kill_switch) {
  std::string out = absl::StrCat("kill switch ", kill_switch.engaged() ? "on" : "off");
  const auto& changed = kill_switch.changed_at();
  if (changed.seconds() != 0 || changed.nanos() != 0) {
    absl::StrAppend(&out, "  since ", FormatTimestamp(changed));
  }
  if (!kill_switch.actor().empty()) absl::StrAppend(&out, "  by ", kill_switch.actor());
  if (!kill_switch.reason().empty()) {
    absl::StrAppend(&out, kill_switch.actor().empty() ? "  " : ": ", kill_switch.reason());
  }
  return absl::StrCat(out, "\n");
}

}  // namespace conclave::ctl
