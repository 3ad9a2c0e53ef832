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
};

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
  std::string author;
  bool wait = false;
  std::vector<std::string> paths;

  // get, watch, audit.
  std::string change_id;
  // audit --all: the whole log.
  bool all = false;

  // list.
  conclave::v1::ChangeState state = conclave::v1::CHANGE_STATE_UNSPECIFIED;
  int limit = 50;
};

// Parses the arguments after the program name. Global flags may appear before or after the
// command. `env` supplies CONCLAVE_SERVICE, CONCLAVE_ENV and USER defaults for submit.
// InvalidArgument with a message fit for the user on any mistake.
absl::StatusOr<Options> ParseCommandLine(const std::vector<std::string>& args,
                                         const Environment& env);

// Usage text of `command` ("submit", "list", ...), or the overview for "" or an unknown name.
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
