#include "agents/devops/exec_driver.h"

#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace conclave::devops {
namespace {

using Env = std::vector<std::pair<std::string, std::string>>;

Env BaseEnv(const char* operation, const ServiceVersions& v, bool dry_run,
            const std::string& operation_id, const std::string& change_id) {
  return {{"CONCLAVE_OPERATION", operation},
          {"CONCLAVE_SERVICE", v.service},
          {"CONCLAVE_STABLE_VERSION", v.stable_version},
          {"CONCLAVE_CANARY_VERSION", v.canary_version},
          {"CONCLAVE_DRY_RUN", dry_run ? "1" : "0"},
          {"CONCLAVE_OPERATION_ID", operation_id},
          {"CONCLAVE_CHANGE_ID", change_id}};
}

Observation Wanted(const ServiceVersions& v, int stable_weight, int canary_weight,
                   int stable_replicas, int canary_replicas) {
  Observation o;
  o.versions.push_back({v.stable_version, "exec", stable_weight, stable_replicas, -1, ""});
  o.versions.push_back({v.canary_version, "exec", canary_weight, canary_replicas, -1, ""});
  return o;
}

const VersionObservation* Find(const Observation& o, const std::string& version) {
  for (const auto& v : o.versions) {
    if (v.version == version) return &v;
  }
  return nullptr;
}

// Whether `actual` shows every weight and replica count `wanted` asks for (-1: don't care).
bool InPlace(const Observation& actual, const Observation& wanted) {
  for (const auto& w : wanted.versions) {
    const VersionObservation* a = Find(actual, w.version);
    if (a == nullptr || (w.weight >= 0 && a->weight != w.weight) ||
        (w.replicas >= 0 && a->replicas != w.replicas)) {
      return false;
    }
  }
  return true;
}

// Keeps only the versions a request named (when it named any).
Observation Select(Observation all, const ServiceVersions& v) {
  if (v.stable_version.empty() && v.canary_version.empty()) return all;
  Observation out;
  out.verified = all.verified;
  for (const std::string* name : {&v.stable_version, &v.canary_version}) {
    const VersionObservation* found = Find(all, *name);
    VersionObservation entry{*name, "exec", -1, -1, -1, ""};
    if (found != nullptr) entry = *found;
    out.versions.push_back(entry);
  }
  return out;
}

}  // namespace

absl::StatusOr<Observation> ParseHookState(const std::string& text) {
  Observation o;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipWhitespace())) {
    line = absl::StripAsciiWhitespace(line);
    if (absl::StartsWith(line, "#")) continue;
    std::vector<std::string> f = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    VersionObservation v{f.empty() ? "" : f[0], "exec", -1, -1, -1, ""};
    const bool ok = f.size() >= 2 && f.size() <= 4 && absl::SimpleAtoi(f[1], &v.weight) &&
                    (f.size() < 3 || absl::SimpleAtoi(f[2], &v.replicas)) &&
                    (f.size() < 4 || absl::SimpleAtoi(f[3], &v.ready_replicas));
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("get_state hook printed '", line,
                       "'; expected '<version> <weight> [<replicas> [<ready-replicas>]]'"));
    }
    o.versions.push_back(std::move(v));
  }
  return o;
}

absl::StatusOr<CommandResult> ExecDriver::RunHook(const char* which,
                                                  const std::vector<std::string>& hook,
                                                  const Env& env) const {
  auto result = RunCommand({hook, env, config_.timeout});
  if (!result.ok()) {
    return absl::Status(result.status().code(),
                        absl::StrCat("exec driver ", which, ": ", result.status().message()));
  }
  if (result->exit_code != 0) {
    return absl::FailedPreconditionError(absl::StrCat("exec driver ", which, " hook ", hook[0],
                                                      " exited with status ", result->exit_code,
                                                      ": ", TailLines(result->stderr_text, 5)));
  }
  return result;
}

absl::StatusOr<std::optional<Observation>> ExecDriver::QueryState(
    const ServiceVersions& versions) const {
  if (config_.get_state.empty()) return std::nullopt;
  auto result =
      RunHook("get_state", config_.get_state, BaseEnv("get_state", versions, false, "", ""));
  if (!result.ok()) return result.status();
  auto parsed = ParseHookState(result->stdout_text);
  if (!parsed.ok()) return parsed.status();
  return Select(std::move(*parsed), versions);
}

absl::StatusOr<Observation> ExecDriver::Apply(const char* which,
                                              const std::vector<std::string>& hook,
                                              const ServiceVersions& versions, const Env& env,
                                              const Observation& wanted) {
  if (hook.empty()) {
    return absl::UnimplementedError(
        absl::StrCat("exec driver: no ", which, " hook is configured (exec.", which, ")"));
  }
  auto before = QueryState(versions);
  if (!before.ok()) return before.status();
  if (before->has_value() && InPlace(**before, wanted)) return **before;
  if (auto ran = RunHook(which, hook, env); !ran.ok()) return ran.status();
  auto after = QueryState(versions);
  if (!after.ok()) return after.status();
  if (!after->has_value()) {
    Observation remembered = wanted;
    remembered.verified = false;
    remembered.changed = true;
    last_applied_[versions.service] = remembered;
    return remembered;
  }
  if (!InPlace(**after, wanted)) {
    return absl::AbortedError(absl::StrCat("exec driver: the ", which,
                                           " hook succeeded but get_state does not show the "
                                           "requested state for ",
                                           versions.service));
  }
  (*after)->changed = true;
  last_applied_[versions.service] = **after;
  return **after;
}

absl::StatusOr<Observation> ExecDriver::SetTrafficSplit(const SplitTarget& t) {
  if (t.dry_run && !config_.run_in_dry_run) return ReadState(t.versions);
  Env env = BaseEnv("set_traffic_split", t.versions, t.dry_run, t.operation_id, t.change_id);
  env.emplace_back("CONCLAVE_CANARY_WEIGHT", absl::StrCat(t.canary_percent));
  env.emplace_back("CONCLAVE_STABLE_WEIGHT", absl::StrCat(100 - t.canary_percent));
  if (t.dry_run) {
    if (auto ran = RunHook("set_traffic", config_.set_traffic, env); !ran.ok()) {
      return ran.status();
    }
    return ReadState(t.versions);
  }
  return Apply("set_traffic", config_.set_traffic, t.versions, env,
               Wanted(t.versions, 100 - t.canary_percent, t.canary_percent, -1, -1));
}

absl::StatusOr<Observation> ExecDriver::ScaleReplicas(const ReplicaTarget& t) {
  if (t.dry_run && !config_.run_in_dry_run) return ReadState(t.versions);
  Env env = BaseEnv("scale_replicas", t.versions, t.dry_run, t.operation_id, t.change_id);
  env.emplace_back("CONCLAVE_STABLE_REPLICAS", absl::StrCat(t.stable_replicas));
  env.emplace_back("CONCLAVE_CANARY_REPLICAS", absl::StrCat(t.canary_replicas));
  if (t.dry_run) {
    if (auto ran = RunHook("scale", config_.scale, env); !ran.ok()) return ran.status();
    return ReadState(t.versions);
  }
  return Apply("scale", config_.scale, t.versions, env,
               Wanted(t.versions, -1, -1, t.stable_replicas, t.canary_replicas));
}

absl::StatusOr<Observation> ExecDriver::ReadState(const ServiceVersions& versions) {
  auto state = QueryState(versions);
  if (!state.ok()) return state.status();
  if (state->has_value()) return **state;
  auto it = last_applied_.find(versions.service);
  if (it == last_applied_.end()) {
    return absl::NotFoundError(absl::StrCat(
        "exec driver: no get_state hook is configured and nothing has been applied to ",
        versions.service, " yet"));
  }
  Observation remembered = Select(it->second, versions);
  remembered.verified = false;
  remembered.changed = false;
  return remembered;
}

}  // namespace conclave::devops
