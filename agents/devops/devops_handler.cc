#include "agents/devops/devops_handler.h"

#include <cmath>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log/log.h"

namespace conclave::devops {
namespace {

using conclave::v1::TrafficState;

absl::Status ValidateVersions(const ServiceVersions& v) {
  if (v.service.empty()) return absl::InvalidArgumentError("no service named");
  if (v.stable_version.empty() || v.canary_version.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(v.service, ": both stable_version and canary_version are required"));
  }
  if (v.stable_version == v.canary_version) {
    return absl::InvalidArgumentError(
        absl::StrCat(v.service, ": stable and canary are both ", v.stable_version));
  }
  return absl::OkStatus();
}

absl::Status ValidateOperation(const std::string& operation_id, const ServiceVersions& v) {
  if (!operation_id.empty() && !ValidOperationId(operation_id)) {
    return absl::InvalidArgumentError(absl::StrCat("operation_id '", operation_id,
                                                   "' must be 1..128 letters, digits, '-' or '_'"));
  }
  return ValidateVersions(v);
}

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t nanos = absl::ToUnixNanos(t);
  out->set_seconds(nanos / 1000000000);
  out->set_nanos(static_cast<int32_t>(nanos % 1000000000));
}

conclave::v1::VersionRole RoleOf(const std::string& version, const ServiceVersions& v) {
  if (version == v.stable_version) return conclave::v1::VERSION_ROLE_STABLE;
  if (version == v.canary_version) return conclave::v1::VERSION_ROLE_CANARY;
  return conclave::v1::VERSION_ROLE_UNSPECIFIED;
}

// The driver's error with the service and driver named, for callers who see only the message.
absl::Status Annotate(const absl::Status& s, const std::string& service,
                      const std::string& driver) {
  return absl::Status(s.code(), absl::StrCat(service, " via ", driver, ": ", s.message()));
}

std::string OutcomeOf(const absl::Status& s) {
  return absl::AsciiStrToLower(absl::StatusCodeToString(s.code()));
}

}  // namespace

bool ValidOperationId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_') return false;
  }
  return true;
}

TrafficState ToTrafficState(const Observation& observation, const std::string& driver,
                            const ServiceVersions& versions) {
  TrafficState state;
  state.set_service(versions.service);
  state.set_driver(driver);
  state.set_changed(observation.changed);
  state.set_verified(observation.verified);
  SetTimestamp(absl::Now(), state.mutable_observed_at());
  int64_t total = 0;
  for (const auto& v : observation.versions) total += std::max(0, v.weight);
  for (const auto& v : observation.versions) {
    auto* out = state.add_versions();
    out->set_version(v.version);
    out->set_role(RoleOf(v.version, versions));
    out->set_target(v.target);
    out->set_weight(v.weight);
    out->set_weight_percent(
        total > 0 && v.weight > 0
            ? static_cast<int>(std::lround(100.0 * static_cast<double>(v.weight) / total))
            : 0);
    out->set_replicas(v.replicas);
    out->set_ready_replicas(v.ready_replicas);
    out->set_health(v.health);
    if (out->role() == conclave::v1::VERSION_ROLE_CANARY) {
      state.set_canary_weight_percent(out->weight_percent());
    }
  }
  return state;
}

DevopsHandler::DevopsHandler(TrafficDriver* driver, metrics::Registry* registry,
                             size_t remembered_operations)
    : driver_(driver),
      driver_name_(driver->name()),
      remembered_limit_(std::max<size_t>(1, remembered_operations)) {
  operations_ = registry->AddCounter(
      "conclave_devops_operations_total",
      "Devops operations by outcome (applied, unchanged, dry_run, replayed, read, or an error "
      "code).",
      {"operation", "driver", "transport", "outcome"});
  seconds_ =
      registry->AddHistogram("conclave_devops_operation_seconds",
                             "Time to apply and read back an operation.", {"operation", "driver"});
  weight_percent_ = registry->AddGauge(
      "conclave_devops_weight_percent",
      "Share of a service's traffic per version, as last read back from the system.",
      {"service", "version"});
}

absl::StatusOr<TrafficState> DevopsHandler::SetTrafficSplit(
    const conclave::v1::SetTrafficSplitRequest& request, const std::string& transport) {
  const absl::Time start = absl::Now();
  SplitTarget target{{request.service(), request.stable_version(), request.canary_version()},
                     request.canary_weight_percent(),
                     request.dry_run(),
                     request.operation_id(),
                     request.change_id()};
  absl::Status valid = ValidateOperation(request.operation_id(), target.versions);
  if (valid.ok() && (target.canary_percent < 0 || target.canary_percent > 100)) {
    valid = absl::InvalidArgumentError(absl::StrCat(request.service(), ": canary_weight_percent ",
                                                    target.canary_percent, " is not 0..100"));
  }
  if (!valid.ok()) {
    Record("SetTrafficSplit", transport, OutcomeOf(valid), absl::Now() - start, nullptr);
    return valid;
  }
  const std::string fingerprint = absl::StrCat("split:", request.SerializeAsString());
  absl::MutexLock lock(&mu_);
  auto replay = Replay(request.operation_id(), fingerprint);
  if (!replay.ok() || replay->has_value()) {
    Record("SetTrafficSplit", transport, replay.ok() ? "replayed" : OutcomeOf(replay.status()),
           absl::Now() - start, nullptr);
    if (!replay.ok()) return replay.status();
    return **replay;
  }
  auto observed = driver_->SetTrafficSplit(target);
  if (!observed.ok()) {
    absl::Status s = Annotate(observed.status(), request.service(), driver_name_);
    spdlog::warn("operation {}: split {} {}/{} canary {}% failed: {}", request.operation_id(),
                 request.service(), request.stable_version(), request.canary_version(),
                 target.canary_percent, s.message());
    Record("SetTrafficSplit", transport, OutcomeOf(s), absl::Now() - start, nullptr);
    return s;
  }
  TrafficState state = ToTrafficState(*observed, driver_name_, target.versions);
  state.set_operation_id(request.operation_id());
  state.set_change_id(request.change_id());
  state.set_requested_canary_weight_percent(target.canary_percent);
  state.set_dry_run(request.dry_run());
  spdlog::info("operation {}: {} {}/{} canary {}%{}: now {}% ({})", request.operation_id(),
               request.service(), request.stable_version(), request.canary_version(),
               target.canary_percent, request.dry_run() ? " (dry run)" : "",
               state.canary_weight_percent(),
               request.dry_run() ? "recorded" : (state.changed() ? "applied" : "already so"));
  Remember(request.operation_id(), fingerprint, state);
  Record("SetTrafficSplit", transport,
         request.dry_run() ? "dry_run" : (state.changed() ? "applied" : "unchanged"),
         absl::Now() - start, &state);
  return state;
}

absl::StatusOr<TrafficState> DevopsHandler::ScaleReplicas(
    const conclave::v1::ScaleReplicasRequest& request, const std::string& transport) {
  const absl::Time start = absl::Now();
  ReplicaTarget target{{request.service(), request.stable_version(), request.canary_version()},
                       request.stable_replicas(),
                       request.canary_replicas(),
                       request.dry_run(),
                       request.operation_id(),
                       request.change_id()};
  absl::Status valid = ValidateOperation(request.operation_id(), target.versions);
  if (valid.ok() && (target.stable_replicas < 0 || target.canary_replicas < 0)) {
    valid = absl::InvalidArgumentError(
        absl::StrCat(request.service(), ": replica counts must be >= 0"));
  }
  if (!valid.ok()) {
    Record("ScaleReplicas", transport, OutcomeOf(valid), absl::Now() - start, nullptr);
    return valid;
  }
  const std::string fingerprint = absl::StrCat("scale:", request.SerializeAsString());
  absl::MutexLock lock(&mu_);
  auto replay = Replay(request.operation_id(), fingerprint);
  if (!replay.ok() || replay->has_value()) {
    Record("ScaleReplicas", transport, replay.ok() ? "replayed" : OutcomeOf(replay.status()),
           absl::Now() - start, nullptr);
    if (!replay.ok()) return replay.status();
    return **replay;
  }
  auto observed = driver_->ScaleReplicas(target);
  if (!observed.ok()) {
    absl::Status s = Annotate(observed.status(), request.service(), driver_name_);
    spdlog::warn("operation {}: scale {} failed: {}", request.operation_id(), request.service(),
                 s.message());
    Record("ScaleReplicas", transport, OutcomeOf(s), absl::Now() - start, nullptr);
    return s;
  }
  TrafficState state = ToTrafficState(*observed, driver_name_, target.versions);
  state.set_operation_id(request.operation_id());
  state.set_change_id(request.change_id());
  state.set_dry_run(request.dry_run());
  spdlog::info("operation {}: scale {} {}={} {}={}{} ({})", request.operation_id(),
               request.service(), request.stable_version(), target.stable_replicas,
               request.canary_version(), target.canary_replicas,
               request.dry_run() ? " (dry run)" : "", state.changed() ? "applied" : "unchanged");
  Remember(request.operation_id(), fingerprint, state);
  Record("ScaleReplicas", transport,
         request.dry_run() ? "dry_run" : (state.changed() ? "applied" : "unchanged"),
         absl::Now() - start, &state);
  return state;
}

absl::StatusOr<TrafficState> DevopsHandler::GetTrafficState(
    const conclave::v1::GetTrafficStateRequest& request, const std::string& transport) {
  const absl::Time start = absl::Now();
  const ServiceVersions versions{request.service(), request.stable_version(),
                                 request.canary_version()};
  absl::Status valid =
      versions.service.empty() ? absl::InvalidArgumentError("no service named") : absl::OkStatus();
  if (valid.ok() && versions.stable_version.empty() != versions.canary_version.empty()) {
    valid = absl::InvalidArgumentError(
        absl::StrCat(request.service(), ": name both versions or neither"));
  }
  if (valid.ok() && !versions.stable_version.empty()) valid = ValidateVersions(versions);
  if (!valid.ok()) {
    Record("GetTrafficState", transport, OutcomeOf(valid), absl::Now() - start, nullptr);
    return valid;
  }
  absl::MutexLock lock(&mu_);
  auto observed = driver_->ReadState(versions);
  if (!observed.ok()) {
    absl::Status s = Annotate(observed.status(), request.service(), driver_name_);
    Record("GetTrafficState", transport, OutcomeOf(s), absl::Now() - start, nullptr);
    return s;
  }
  TrafficState state = ToTrafficState(*observed, driver_name_, versions);
  Record("GetTrafficState", transport, "read", absl::Now() - start, &state);
  return state;
}

absl::StatusOr<std::optional<TrafficState>> DevopsHandler::Replay(const std::string& operation_id,
                                                                  const std::string& fingerprint) {
  if (operation_id.empty()) return std::nullopt;
  auto it = remembered_.find(operation_id);
  if (it == remembered_.end()) return std::nullopt;
  if (it->second.fingerprint != fingerprint) {
    return absl::AlreadyExistsError(
        absl::StrCat("operation_id ", operation_id, " was already used for a different request"));
  }
  TrafficState state = it->second.state;
  state.set_replayed(true);
  return state;
}

void DevopsHandler::Remember(const std::string& operation_id, const std::string& fingerprint,
                             const TrafficState& state) {
  if (operation_id.empty()) return;
  remembered_[operation_id] = {fingerprint, state};
  remembered_order_.push_back(operation_id);
  while (remembered_order_.size() > remembered_limit_) {
    remembered_.erase(remembered_order_.front());
    remembered_order_.pop_front();
  }
}

void DevopsHandler::Record(const char* operation, const std::string& transport,
                           const std::string& outcome, absl::Duration elapsed,
                           const TrafficState* state) {
  operations_->With({operation, driver_name_, transport, outcome})->Increment();
  seconds_->With({operation, driver_name_})->Observe(absl::ToDoubleSeconds(elapsed));
  if (state == nullptr || state->dry_run()) return;
  for (const auto& v : state->versions()) {
    if (v.weight() >= 0) {
      weight_percent_->With({state->service(), v.version()})->Set(v.weight_percent());
    }
  }
}

}  // namespace conclave::devops
