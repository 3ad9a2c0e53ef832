// The command line of conclavectl: parsed into an Options value, with the usage text of each
// command and the rules for finding the supervisor's address (flag, environment, the
// checkout's var/run/supervisor.addr, default). Parsing reads the environment only through
// the Environment function it is given, so tests stay hermetic. Pure functions; thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "conclave/v1/supervisor.pb.h"

namespace conclave::ctl {

inline constexpr char kDefaultAddress[] = "127.0.0.1:7400";

enum class Command {
  kHelp,         // print usage (of `help_topic` when set) and exit 0
  kSubmit,       // submit PATH...
  kGet,          // get ID
  kList,         // list
  kWatch,        // watch ID
  kAudit,        // audit ID | audit --all
  kAuditVerify,  // audit verify

  // Rollouts. kRollout and kKillSwitch name the command groups while parsing; ParseCommandLine
  // never returns them (it returns a command of the group, or an error).
  kRollout,
  kRolloutStatus,    // rollout status [ID]
  kRolloutList,      // rollout list
  kRolloutWatch,     // rollout watch ID
  kRolloutApprove,   // rollout approve ID
  kRolloutPromote,   // rollout promote ID
  kRolloutPause,     // rollout pause ID
  kRolloutResume,    // rollout resume ID
  kRolloutAbort,     // rollout abort ID
  kRolloutRollback,  // rollout rollback ID
  kKillSwitch,
  kKillSwitchSet,     // kill-switch on|off
  kKillSwitchStatus,  // kill-switch status
};

// Whether `command` acts on a rollout through RolloutActionRequest (approve ... rollback).
bool IsRolloutAction(Command command);

// Looks up an environment variable; nullopt when unset.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (getenv).
Environment ProcessEnvironment();

struct Options {
  Command command = Command::kHelp;
  // For kHelp: the command whose usage to print; empty for the overview.
  std::string help_topic;

  // Global. `addr` is empty unless --addr was given (see ResolveAddress).
  std::string addr;
  absl::Duration timeout = absl::Seconds(30);
  // Limit on a whole watch (watch, submit --wait); InfiniteDuration for none.
  absl::Duration wait_timeout = absl::InfiniteDuration();
  bool json = false;

  // submit.
  std::string service;
  std::string environment;
  std::string title;
  std::string version;       // submit --version
  std::string base_version;  // submit --base_version
  std::string author;
  bool wait = false;
  std::vector<std::string> paths;

  // get, watch, audit.
  std::string change_id;
  // audit --all: the whole log.
  bool all = false;

  // list, rollout list.
  conclave::v1::ChangeState state = conclave::v1::CHANGE_STATE_UNSPECIFIED;
  int limit = 50;

  // rollout: a rollout id ("ro_...") or the id of the change that started the rollout; empty
  // for `rollout status` of every active rollout. `service` above filters rollout list/status.
  std::string rollout_id;
  // Rollout actions and kill-switch on|off: who acts (default $USER) and why; both audited.
  std::string actor;
  std::string reason;
  // kill-switch on (true) or off (false).
  bool engaged = false;
};

// Parses the arguments after the program name. Global flags may appear before or after the
// command. `env` supplies CONCLAVE_SERVICE, CONCLAVE_ENV and USER defaults for submit, and the
// USER default of --actor for rollout actions and kill-switch.
// InvalidArgument with a message fit for the user on any mistake.
absl::StatusOr<Options> ParseCommandLine(const std::vector<std::string>& args,
                                         const Environment& env);

// Usage text of `command` ("submit", "list", "rollout", "rollout watch", "kill-switch", ...),
// or the overview for "" or an unknown name.
std::string UsageText(const std::string& command);

// The supervisor's address: `flag_value` when not empty, else CONCLAVE_ADDR, else the address
// in <checkout>/var/run/supervisor.addr where `executable` is <checkout>/build/bin/conclavectl,
// else kDefaultAddress. The file holds "host:port" or the JSON {"grpc": "host:port", ...} that
// processes write with --addr_file.
std::string ResolveAddress(const std::string& flag_value, const Environment& env,
                           const std::string& executable);

// The address file that belongs to `executable` (two directories up, var/run/supervisor.addr).
std::string AddressFileFor(const std::string& executable);

// Reads an address file; NotFound when absent, InvalidArgument when it holds no address.
absl::StatusOr<std::string> ReadAddressFile(const std::string& path);

}  // namespace conclave::ctl
