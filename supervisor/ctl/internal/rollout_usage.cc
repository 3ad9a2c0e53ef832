#include "supervisor/ctl/internal/rollout_usage.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace conclave::ctl::internal {
namespace {

constexpr char kRolloutUsage[] = R"(Usage: conclavectl rollout COMMAND [flags] [ID]

An approved change becomes a rollout of its service: the canary version gets a growing share
of traffic (steps such as 10, 25, 50, 100 %) while the metrics agent judges it against the
stable version; a failing metric rolls it back. ID is a rollout id (ro_...) or the id of the
change that started the rollout (its newest rollout is meant).

Commands:
  status [ID]        show one rollout, or every rollout that has not finished
  list               list rollouts, newest first
  watch ID           follow a rollout: a line per step and judgment until it finishes;
                     exit 0 when it SUCCEEDED, 1 when it was ROLLED_BACK
  approve ID         start a rollout AWAITING_APPROVAL, or promote one AWAITING_PROMOTION
  promote ID         skip the remaining steps: canary to 100 % now
  pause ID           hold the rollout at its current weight
  resume ID          continue a PAUSED rollout; the step's analysis starts again
  abort ID           roll back now: all traffic to the stable version
  rollback ID        take a SUCCEEDED rollout back to the version it replaced

conclavectl rollout COMMAND --help prints a command's usage.
)";

constexpr char kStatusUsage[] =
    R"(Usage: conclavectl rollout status [--service S] [--json] [ID]

With ID (a rollout id, or a change id for the change's newest rollout), shows the rollout:
change, service, environment, versions, state, weight and step, the reason for its state,
and the latest judgment with each metric's verdict, values, threshold and sample counts.
Without ID, lists every rollout that has not finished (not SUCCEEDED or ROLLED_BACK).

Flags:
  --service S  without ID: only rollouts of this service
)";

constexpr char kListUsage[] =
    R"(Usage: conclavectl rollout list [--service S] [--limit N] [--json]

Lists rollouts, newest first, as a table: id, change, service, env, state, weight, step,
versions (stable -> canary), last update.

Flags:
  --service S  only rollouts of this service
  --limit N    at most N rollouts (1 to 1000); default 50
)";

constexpr char kWatchUsage[] =
    R"(Usage: conclavectl rollout watch [--json] [--wait_timeout DURATION] ID

Follows a rollout: its past transitions, then each new one and each judgment, one line per
event (time, state, canary weight, event, verdict, reason), each metric of a judgment on a
line of its own (verdict, name, canary and stable values, threshold, statistic, samples
canary/stable, reason). Ends when the rollout finishes.
Exit 0 when it SUCCEEDED, 1 when it was ROLLED_BACK (automatically or by abort or rollback),
2 on error (also when the stream ends before the rollout finishes).

Flags:
  --wait_timeout DURATION  give up after this long (exit 2); default none
  --json                   one RolloutEvent per line
)";

// The flags of the six actions.
constexpr char kActionFlags[] = R"(
Flags:
  --actor A    who acts; default $USER. Recorded in the audit log
  --reason R   why; recorded in the audit log
  --json       print the rollout after the action as JSON
)";

// `what` is the action's paragraph, each line ending in a newline.
std::string ActionUsage(const char* name, const char* what) {
  return absl::StrCat("Usage: conclavectl rollout ", name,
                      " [--actor A] [--reason R] [--json] ID\n\n", what,
                      "ID is a rollout id, or a change id for the change's newest rollout.\n"
                      "Prints the rollout after the action: id, state, weight, step, reason.\n",
                      kActionFlags);
}

constexpr char kKillSwitchUsage[] =
    R"(Usage: conclavectl kill-switch on|off [--actor A] [--reason R] [--json]
       conclavectl kill-switch status [--json]

The global kill switch. While it is on, the supervisor takes no automated rollout action:
no step, no promotion, no automatic rollback. People can still approve, promote, pause,
resume, abort and roll back. Prints the switch: on or off, who set it, when, and why.

Flags:
  --actor A    who sets it; default $USER. Recorded in the audit log
  --reason R   why; recorded in the audit log
)";

}  // namespace

std::string RolloutUsageText(const std::string& topic) {
  if (topic == "rollout") return kRolloutUsage;
  if (topic == "rollout status") return kStatusUsage;
  if (topic == "rollout list") return kListUsage;
  if (topic == "rollout watch") return kWatchUsage;
  if (topic == "rollout approve") {
    return ActionUsage("approve",
                       "A person approves: starts a rollout AWAITING_APPROVAL (its change did not "
                       "pass the\nauto-rollout gate), or takes one AWAITING_PROMOTION (staging) "
                       "to 100 %.\n");
  }
  if (topic == "rollout promote") {
    return ActionUsage("promote",
                       "Skips the remaining steps: the canary gets 100 % of traffic now and the "
                       "rollout\nSUCCEEDED.\n");
  }
  if (topic == "rollout pause") {
    return ActionUsage("pause",
                       "Holds the rollout at its current weight; no automated step until it is "
                       "resumed.\n");
  }
  if (topic == "rollout resume") {
    return ActionUsage("resume",
                       "Continues a PAUSED rollout; the current step's analysis window starts "
                       "again.\n");
  }
  if (topic == "rollout abort") {
    return ActionUsage("abort",
                       "Rolls back now: all traffic to the stable version; the rollout is "
                       "ROLLED_BACK.\n");
  }
  if (topic == "rollout rollback") {
    return ActionUsage("rollback",
                       "Takes a SUCCEEDED rollout back: all traffic to the version it replaced;\n"
                       "the rollout is ROLLED_BACK.\n");
  }
  if (topic == "kill-switch" || absl::StartsWith(topic, "kill-switch ")) return kKillSwitchUsage;
  return "";
}

}  // namespace conclave::ctl::internal
