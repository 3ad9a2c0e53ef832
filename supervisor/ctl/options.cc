#include "supervisor/ctl/options.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "supervisor/ctl/internal/rollout_usage.h"

namespace conclave::ctl {
namespace {

using conclave::v1::ChangeState;

// Which commands accept a flag, as a bit set over Command.
constexpr unsigned Bit(Command c) { return 1u << static_cast<unsigned>(c); }
constexpr unsigned kAllCommands = ~0u;

struct FlagSpec {
  const char* name;
  bool takes_value;
  unsigned commands;
  absl::Status (*apply)(Options& options, const std::string& value);
};

absl::Status ParseDurationFlag(const std::string& name, const std::string& value,
                               absl::Duration* out) {
  int64_t seconds = 0;
  if (absl::SimpleAtoi(value, &seconds)) {
    *out = absl::Seconds(seconds);
  } else if (!absl::ParseDuration(value, out)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, "=", value, ": expected a duration such as 30s, 2m or 500ms"));
  }
  if (*out <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat("--", name, " must be positive"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ChangeState> ParseState(const std::string& value) {
  const std::string s = absl::AsciiStrToLower(value);
  if (s == "accepted") return conclave::v1::CHANGE_STATE_ACCEPTED;
  if (s == "reviewing") return conclave::v1::CHANGE_STATE_REVIEWING;
  if (s == "decided") return conclave::v1::CHANGE_STATE_DECIDED;
  return absl::InvalidArgumentError(
      absl::StrCat("--state=", value, ": expected accepted, reviewing or decided"));
}

absl::Status ParseLimit(const std::string& value, int* limit) {
  if (!absl::SimpleAtoi(value, limit) || *limit < 1 || *limit > 1000) {
    return absl::InvalidArgumentError(
        absl::StrCat("--limit=", value, ": expected a number from 1 to 1000"));
  }
  return absl::OkStatus();
}

constexpr unsigned kSubmit = Bit(Command::kSubmit);
constexpr unsigned kWatching =
    Bit(Command::kSubmit) | Bit(Command::kWatch) | Bit(Command::kRolloutWatch);
constexpr unsigned kRolloutActions = Bit(Command::kRolloutApprove) | Bit(Command::kRolloutPromote) |
                                     Bit(Command::kRolloutPause) | Bit(Command::kRolloutResume) |
                                     Bit(Command::kRolloutAbort) | Bit(Command::kRolloutRollback);
// Who acts and why: rollout actions and kill-switch (the group, since on|off is a positional).
constexpr unsigned kActing = kRolloutActions | Bit(Command::kKillSwitch);

const FlagSpec kFlags[] = {
    {"addr", true, kAllCommands,
     [](Options& o, const std::string& v) {
       o.addr = v;
       return absl::OkStatus();
     }},
    {"timeout", true, kAllCommands,
     [](Options& o, const std::string& v) { return ParseDurationFlag("timeout", v, &o.timeout); }},
    {"wait_timeout", true, kWatching,
     [](Options& o, const std::string& v) {
       return ParseDurationFlag("wait_timeout", v, &o.wait_timeout);
     }},
    {"json", false, kAllCommands,
     [](Options& o, const std::string&) {
       o.json = true;
       return absl::OkStatus();
     }},
    {"service", true, kSubmit | Bit(Command::kRolloutList) | Bit(Command::kRolloutStatus),
     [](Options& o, const std::string& v) {
       o.service = v;
       return absl::OkStatus();
     }},
    {"env", true, kSubmit,
     [](Options& o, const std::string& v) {
       o.environment = v;
       return absl::OkStatus();
     }},
    {"title", true, kSubmit,
     [](Options& o, const std::string& v) {
       o.title = v;
       return absl::OkStatus();
     }},
    {"author", true, kSubmit,
     [](Options& o, const std::string& v) {
       o.author = v;
       return absl::OkStatus();
     }},
    {"version", true, kSubmit,
     [](Options& o, const std::string& v) {
       o.version = v;
       return absl::OkStatus();
     }},
    {"base_version", true, kSubmit,
     [](Options& o, const std::string& v) {
       o.base_version = v;
       return absl::OkStatus();
     }},
    {"wait", false, kSubmit,
     [](Options& o, const std::string&) {
       o.wait = true;
       return absl::OkStatus();
     }},
    {"state", true, Bit(Command::kList),
     [](Options& o, const std::string& v) {
       absl::StatusOr<ChangeState> state = ParseState(v);
       if (state.ok()) o.state = *state;
       return state.status();
     }},
    {"limit", true, Bit(Command::kList) | Bit(Command::kRolloutList),
     [](Options& o, const std::string& v) { return ParseLimit(v, &o.limit); }},
    {"all", false, Bit(Command::kAudit),
     [](Options& o, const std::string&) {
       o.all = true;
       return absl::OkStatus();
     }},
    {"actor", true, kActing,
     [](Options& o, const std::string& v) {
       o.actor = v;
       return absl::OkStatus();
     }},
    {"reason", true, kActing,
     [](Options& o, const std::string& v) {
       o.reason = v;
       return absl::OkStatus();
     }},
};

const FlagSpec* FindFlag(const std::string& name) {
  for (const FlagSpec& f : kFlags) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

std::optional<Command> CommandNamed(const std::string& name) {
  if (name == "submit") return Command::kSubmit;
  if (name == "get") return Command::kGet;
  if (name == "list") return Command::kList;
  if (name == "watch") return Command::kWatch;
  if (name == "audit") return Command::kAudit;
  if (name == "help") return Command::kHelp;
  if (name == "rollout") return Command::kRollout;
  if (name == "kill-switch") return Command::kKillSwitch;
  return std::nullopt;
}

std::optional<Command> RolloutCommandNamed(const std::string& name) {
  if (name == "status") return Command::kRolloutStatus;
  if (name == "list") return Command::kRolloutList;
  if (name == "watch") return Command::kRolloutWatch;
  if (name == "approve") return Command::kRolloutApprove;
  if (name == "promote") return Command::kRolloutPromote;
  if (name == "pause") return Command::kRolloutPause;
  if (name == "resume") return Command::kRolloutResume;
  if (name == "abort") return Command::kRolloutAbort;
  if (name == "rollback") return Command::kRolloutRollback;
  return std::nullopt;
}

// State of a parse in progress: the command once seen, and the positionals after it.
struct ParseProgress {
  std::optional<Command> command;
  std::string command_name;
  std::vector<std::string> positionals;
  bool help = false;
};

absl::Status ApplyFlag(const std::vector<std::string>& args, size_t* i, ParseProgress& ps,
                       Options& options) {
  std::string name = args[*i].substr(2), value;
  const size_t eq = name.find('=');
  const bool inline_value = eq != std::string::npos;
  if (inline_value) {
    value = name.substr(eq + 1);
    name.resize(eq);
  }
  const FlagSpec* flag = FindFlag(name);
  const Command command = ps.command.value_or(Command::kHelp);
  if (flag == nullptr || (ps.command && (flag->commands & Bit(command)) == 0) ||
      (!ps.command && flag->commands != kAllCommands)) {
    const std::string where = ps.command ? absl::StrCat(" for ", ps.command_name) : "";
    return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name, where));
  }
  if (!flag->takes_value && inline_value) {
    return absl::InvalidArgumentError(absl::StrCat("flag --", name, " takes no value"));
  }
  if (flag->takes_value && !inline_value) {
    if (*i + 1 >= args.size()) {
      return absl::InvalidArgumentError(absl::StrCat("flag --", name, " needs a value"));
    }
    value = args[++*i];
  }
  return flag->apply(options, value);
}

absl::Status ExpectPositionals(const ParseProgress& ps, size_t count, const char* what) {
  if (ps.positionals.size() == count) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(ps.command_name, " expects ", what, "; got ",
                                                 ps.positionals.size(), " arguments"));
}

std::string EnvOr(const Environment& env, const std::string& name, const std::string& fallback) {
  std::optional<std::string> v = env(name);
  return v && !v->empty() ? *v : fallback;
}

absl::Status FinishSubmit(const ParseProgress& ps, const Environment& env, Options& o) {
  if (ps.positionals.empty()) {
    return absl::InvalidArgumentError("submit expects at least one PATH");
  }
  o.paths = ps.positionals;
  if (o.service.empty()) o.service = EnvOr(env, "CONCLAVE_SERVICE", "default");
  if (o.environment.empty()) o.environment = EnvOr(env, "CONCLAVE_ENV", "dev");
  if (o.author.empty()) o.author = EnvOr(env, "USER", EnvOr(env, "LOGNAME", ""));
  return absl::OkStatus();
}

absl::Status FinishAudit(const ParseProgress& ps, Options& o) {
  if (ps.positionals.size() == 1 && ps.positionals[0] == "verify" && !o.all) {
    o.command = Command::kAuditVerify;
    return absl::OkStatus();
  }
  if (o.all) return ExpectPositionals(ps, 0, "no ID with --all");
  if (absl::Status s = ExpectPositionals(ps, 1, "one change ID, --all, or verify"); !s.ok()) {
    return s;
  }
  o.change_id = ps.positionals[0];
  return absl::OkStatus();
}

absl::Status FinishKillSwitch(const ParseProgress& ps, Options& o) {
  if (absl::Status s = ExpectPositionals(ps, 1, "on, off or status"); !s.ok()) return s;
  const std::string& what = ps.positionals[0];
  if (what == "status") {
    if (!o.reason.empty())
      return absl::InvalidArgumentError("kill-switch status takes no --reason");
    o.command = Command::kKillSwitchStatus;
    return absl::OkStatus();
  }
  if (what != "on" && what != "off") {
    return absl::InvalidArgumentError(
        absl::StrCat("kill-switch expects on, off or status; got \"", what, "\""));
  }
  o.command = Command::kKillSwitchSet;
  o.engaged = what == "on";
  return absl::OkStatus();
}

absl::Status FinishRollout(const ParseProgress& ps, Options& o) {
  switch (o.command) {
    case Command::kRollout:
      return absl::InvalidArgumentError(
          "rollout expects a command: status, list, watch, approve, promote, pause, resume, "
          "abort or rollback (see conclavectl rollout --help)");
    case Command::kRolloutStatus:
      if (ps.positionals.size() > 1) {
        return ExpectPositionals(ps, 1, "at most one rollout or change ID");
      }
      o.rollout_id = ps.positionals.empty() ? "" : ps.positionals[0];
      return absl::OkStatus();
    case Command::kRolloutList:
      return ExpectPositionals(ps, 0, "no arguments");
    default:
      if (absl::Status s = ExpectPositionals(ps, 1, "one rollout or change ID"); !s.ok()) return s;
      o.rollout_id = ps.positionals[0];
      return absl::OkStatus();
  }
}

absl::Status FinishCommand(const ParseProgress& ps, const Environment& env, Options& o) {
  if (IsRolloutAction(o.command) || o.command == Command::kKillSwitch) {
    if (o.actor.empty()) o.actor = EnvOr(env, "USER", EnvOr(env, "LOGNAME", ""));
  }
  switch (o.command) {
    case Command::kHelp:
      // "help COMMAND", or "help rollout COMMAND".
      if (ps.positionals.size() > 2) {
        return absl::InvalidArgumentError("help expects at most one command name");
      }
      o.help_topic = absl::StrJoin(ps.positionals, " ");
      return absl::OkStatus();
    case Command::kSubmit:
      return FinishSubmit(ps, env, o);
    case Command::kGet:
    case Command::kWatch:
      if (absl::Status s = ExpectPositionals(ps, 1, "one change ID"); !s.ok()) return s;
      o.change_id = ps.positionals[0];
      return absl::OkStatus();
    case Command::kList:
      return ExpectPositionals(ps, 0, "no arguments");
    case Command::kAudit:
    case Command::kAuditVerify:
      return FinishAudit(ps, o);
    case Command::kKillSwitch:
    case Command::kKillSwitchSet:
    case Command::kKillSwitchStatus:
      return FinishKillSwitch(ps, o);
    default:
      return FinishRollout(ps, o);
  }
}

absl::Status TakePositional(const std::string& arg, ParseProgress& ps) {
  if (ps.command == Command::kRollout) {
    // The word after "rollout" picks the command; its flags apply from here on.
    ps.command = RolloutCommandNamed(arg);
    if (!ps.command) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown command \"rollout ", arg, "\" (see conclavectl rollout --help)"));
    }
    ps.command_name = absl::StrCat("rollout ", arg);
    return absl::OkStatus();
  }
  if (ps.command) {
    ps.positionals.push_back(arg);
    return absl::OkStatus();
  }
  ps.command = CommandNamed(arg);
  ps.command_name = arg;
  if (!ps.command) {
    return absl::InvalidArgumentError(absl::StrCat("unknown command \"", arg, "\" (see --help)"));
  }
  return absl::OkStatus();
}

constexpr char kOverview[] = R"(conclavectl: the command-line client of the Conclave supervisor.

Usage: conclavectl [global flags] COMMAND [flags] [args]

Commands:
  submit PATH...     submit files, directories or one .diff/.patch for review
  get ID             show a change: its votes and decision
  list               list recent changes, newest first
  watch ID           follow a change's review until it is decided
  audit ID           show a change's audit trail (audit --all: the whole log)
  audit verify       verify the hash chain of the whole audit log
  rollout status [ID]  show a rollout (by rollout or change id), or every active one
  rollout list       list recent rollouts, newest first
  rollout watch ID   follow a rollout step by step until it succeeds or rolls back
  rollout approve|promote|pause|resume ID
                     act on a rollout as a person (see conclavectl rollout --help)
  rollout abort ID   roll back now: all traffic to the stable version
  rollout rollback ID  take a finished rollout back to the version it replaced
  kill-switch on|off|status  stop (or allow again) every automated rollout action
  help [COMMAND]     print this text, or a command's

Global flags:
  --addr HOST:PORT   supervisor address; else $CONCLAVE_ADDR, else the address in
                     var/run/supervisor.addr of the checkout holding this binary
                     (written by deploy/local/up), else 127.0.0.1:7400
  --timeout DURATION deadline of each call (30s, 2m, 500ms; a bare number is seconds);
                     default 30s
  --json             print JSON instead of text
  --help, -h         print usage (conclavectl COMMAND --help for a command's)

Exit status:
  0  success; for submit --wait and watch, the change was APPROVED; for rollout watch,
     the rollout SUCCEEDED
  1  the change was decided otherwise (CHANGES_REQUESTED, REJECTED, ESCALATED),
     audit verify found a broken chain, or the watched rollout was ROLLED_BACK
  2  usage error, local error, or an RPC error (code and message on stderr)
)";

constexpr char kSubmitUsage[] = R"(Usage: conclavectl submit [flags] PATH...

Submits a change for review and prints its id. A PATH is a file, a directory (read
recursively; hidden directories such as .git, build/ and build-*/ directories, node_modules
and __pycache__ are skipped; paths in the change are relative to the directory given), or
one .diff or .patch file, sent as the change's unified diff. Files are read as bytes and
checked against the limits before sending: 1 MiB per file, 8 MiB and 1000 files per change.

Flags:
  --service S            target service; default $CONCLAVE_SERVICE, else "default"
  --env E                policy environment (dev, staging, prod); default $CONCLAVE_ENV,
                         else "dev"
  --title T              short title of the change
  --author A             who proposes it; default $USER
  --version V            the version this change deploys; an APPROVED change with a
                         version starts a rollout of the service (conclavectl rollout)
  --base_version B       the version running now that the rollout falls back to; default
                         the version the service's last finished rollout left running
  --wait                 follow the review and print each vote and the decision; exit 0
                         only when APPROVED
  --wait_timeout DURATION  give up waiting after this long (exit 2); default none
  --json                 print the response (with --wait, one JSON event per line)
)";

constexpr char kGetUsage[] = R"(Usage: conclavectl get [--json] ID

Shows a change: target, state, reviewers, each vote with its findings, and the decision.
)";

constexpr char kListUsage[] =
    R"(Usage: conclavectl list [--state accepted|reviewing|decided] [--limit N] [--json]

Lists changes, newest first, as a table: id, state, outcome, service, env, title.

Flags:
  --state S    only changes in this state
  --limit N    at most N changes (1 to 1000); default 50
)";

constexpr char kWatchUsage[] = R"(Usage: conclavectl watch [--json] [--wait_timeout DURATION] ID

Follows a change: prints its past events, then each new one, until it is decided.
Exit 0 when APPROVED, 1 for any other decision, 2 on error.
)";

constexpr char kAuditUsage[] = R"(Usage: conclavectl audit [--json] ID
       conclavectl audit [--json] --all
       conclavectl audit [--json] verify

audit ID prints the change's audit records: sequence, time, action, actor, detail and the
first 12 hex digits of the record's hash. --all prints the whole log.
audit verify recomputes the hash chain of the whole log and prints "ok" or the first bad
sequence; exit 0 when the chain verifies, 1 when it is broken, 2 on error.
)";

}  // namespace

bool IsRolloutAction(Command command) { return (Bit(command) & kRolloutActions) != 0; }

Environment ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

absl::StatusOr<Options> ParseCommandLine(const std::vector<std::string>& args,
                                         const Environment& env) {
  Options options;
  ParseProgress ps;
  bool flags_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    absl::Status s;
    if (!flags_done && arg == "--") {
      flags_done = true;
    } else if (!flags_done && (arg == "--help" || arg == "-h")) {
      ps.help = true;
    } else if (!flags_done && absl::StartsWith(arg, "--")) {
      s = ApplyFlag(args, &i, ps, options);
    } else if (!flags_done && absl::StartsWith(arg, "-") && arg != "-") {
      s = absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg, " (flags start with --)"));
    } else {
      s = TakePositional(arg, ps);
    }
    if (!s.ok()) return s;
  }
  if (ps.help) {
    options.command = Command::kHelp;
    options.help_topic = ps.command_name;
    return options;
  }
  if (!ps.command) return absl::InvalidArgumentError("no command given (see --help)");
  options.command = *ps.command;
  if (absl::Status s = FinishCommand(ps, env, options); !s.ok()) return s;
  return options;
}

std::string AddressFileFor(const std::string& executable) {
  namespace fs = std::filesystem;
  const fs::path checkout = fs::path(executable).parent_path().parent_path().parent_path();
  return (checkout / "var" / "run" / "supervisor.addr").string();
}

absl::StatusOr<std::string> ReadAddressFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("no address file at ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text(absl::StripAsciiWhitespace(buffer.str()));
  if (absl::StartsWith(text, "{")) {
    const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    const bool has_grpc = doc.is_object() && doc.contains("grpc") && doc["grpc"].is_string();
    text = has_grpc ? doc["grpc"].get<std::string>() : "";
  }
  if (text.empty() || text.find_first_of(" \t\n") != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("no address in ", path));
  }
  return text;
}

std::string ResolveAddress(const std::string& flag_value, const Environment& env,
                           const std::string& executable) {
  if (!flag_value.empty()) return flag_value;
  if (std::optional<std::string> v = env("CONCLAVE_ADDR"); v && !v->empty()) return *v;
  if (!executable.empty()) {
    absl::StatusOr<std::string> from_file = ReadAddressFile(AddressFileFor(executable));
    if (from_file.ok()) return *from_file;
  }
  return kDefaultAddress;
}

std::string UsageText(const std::string& command) {
  constexpr char kGlobal[] =
      "\nGlobal flags --addr, --timeout and --json apply too; see conclavectl --help.\n";
  if (command == "submit") return absl::StrCat(kSubmitUsage, kGlobal);
  if (command == "get") return absl::StrCat(kGetUsage, kGlobal);
  if (command == "list") return absl::StrCat(kListUsage, kGlobal);
  if (command == "watch") return absl::StrCat(kWatchUsage, kGlobal);
  if (command == "audit") return absl::StrCat(kAuditUsage, kGlobal);
  if (const std::string rollout = internal::RolloutUsageText(command); !rollout.empty()) {
    return absl::StrCat(rollout, kGlobal);
  }
  return kOverview;
}

}  // namespace conclave::ctl
