#include "agents/devops/haproxy_driver.h"

#include <array>
#include <memory>

#include "absl/strings/str_cat.h"

namespace conclave::devops {
namespace {

const HaproxyServerState* FindServer(const std::vector<HaproxyServerState>& servers,
                                     const std::string& name) {
  for (const auto& s : servers) {
    if (s.server == name) return &s;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<std::unique_ptr<HaproxyDriver>> HaproxyDriver::Create(const HaproxyConfig& config) {
  auto api = HaproxyRuntimeApi::Create(config.runtime_api, config.timeout);
  if (!api.ok()) return api.status();
  return std::unique_ptr<HaproxyDriver>(new HaproxyDriver(config, std::move(*api)));
}

absl::StatusOr<const HaproxyServiceRoute*> HaproxyDriver::RouteOf(
    const std::string& service) const {
  auto it = config_.services.find(service);
  if (it == config_.services.end()) {
    return absl::NotFoundError(absl::StrCat("haproxy driver: no backend configured for service '",
                                            service, "' (haproxy.services or --haproxy_routes)"));
  }
  return &it->second;
}

absl::StatusOr<std::string> HaproxyDriver::ServerOf(const std::string& service,
                                                    const HaproxyServiceRoute& route,
                                                    const std::string& version) const {
  auto it = route.servers.find(version);
  if (it == route.servers.end()) {
    return absl::NotFoundError(absl::StrCat("haproxy driver: no server of backend ", route.backend,
                                            " runs ", service, " version '", version, "'"));
  }
  return it->second;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> HaproxyDriver::Reported(
    const ServiceVersions& versions, const HaproxyServiceRoute& route) const {
  std::vector<std::pair<std::string, std::string>> out;
  if (versions.stable_version.empty() && versions.canary_version.empty()) {
    for (const auto& [version, server] : route.servers) out.emplace_back(version, server);
    return out;
  }
  for (const std::string* v : {&versions.stable_version, &versions.canary_version}) {
    if (v->empty()) continue;
    auto server = ServerOf(versions.service, route, *v);
    if (!server.ok()) return server.status();
    out.emplace_back(*v, *server);
  }
  return out;
}

absl::StatusOr<Observation> HaproxyDriver::Observe(const ServiceVersions& versions,
                                                   const HaproxyServiceRoute& route) const {
  auto reported = Reported(versions, route);
  if (!reported.ok()) return reported.status();
  auto servers = api_.ServersState(route.backend);
  if (!servers.ok()) return servers.status();
  Observation observation;
  for (const auto& [version, server] : *reported) {
    const HaproxyServerState* state = FindServer(*servers, server);
    if (state == nullptr) {
      return absl::NotFoundError(absl::StrCat("haproxy driver: backend ", route.backend,
                                              " has no server '", server, "' (for ",
                                              versions.service, " ", version, ")"));
    }
    VersionObservation v;
    v.version = version;
    v.target = absl::StrCat(route.backend, "/", server);
    v.weight = state->user_weight;
    v.health = state->Health();
    observation.versions.push_back(std::move(v));
  }
  return observation;
}

absl::StatusOr<Observation> HaproxyDriver::SetTrafficSplit(const SplitTarget& target) {
  const ServiceVersions& versions = target.versions;
  auto route = RouteOf(versions.service);
  if (!route.ok()) return route.status();
  auto stable = ServerOf(versions.service, **route, versions.stable_version);
  auto canary = ServerOf(versions.service, **route, versions.canary_version);
  if (!stable.ok()) return stable.status();
  if (!canary.ok()) return canary.status();
  if (*stable == *canary) {
    return absl::InvalidArgumentError(absl::StrCat(
        "haproxy driver: ", versions.service, " versions ", versions.stable_version, " and ",
        versions.canary_version, " both map to server ", *stable, "; a split needs two servers"));
  }
  auto before = Observe(versions, **route);
  if (!before.ok() || target.dry_run) return before;
  // Observe() reports stable first, then canary.
  const std::string servers[2] = {*stable, *canary};
  const int wanted[2] = {100 - target.canary_percent, target.canary_percent};
  bool changed = false;
  // The server whose weight rises is written first. Lowering the other one first makes
  // HAProxy's roundrobin (fwrr) requeue the rising server, when its own write follows, ahead
  // of the cycle: measured on 20/80 -> 50/50, it then took every request for up to ~1 s (about
  // 200 in a row) before the 50/50 alternation began, in 4 of 6 tries; raised first, 0 of 12.
  const bool canary_rises = wanted[1] > before->versions[1].weight;
  for (int i : canary_rises ? std::array<int, 2>{1, 0} : std::array<int, 2>{0, 1}) {
    if (before->versions[i].weight == wanted[i]) continue;
    if (absl::Status s = api_.SetWeight((*route)->backend, servers[i], wanted[i]); !s.ok()) {
      return s;
    }
    changed = true;
  }
  auto after = changed ? Observe(versions, **route) : before;
  if (!after.ok()) return after.status();
  for (int i = 0; i < 2; ++i) {
    if (after->versions[i].weight != wanted[i]) {
      return absl::AbortedError(absl::StrCat("haproxy driver: set weight of ",
                                             after->versions[i].target, " to ", wanted[i],
                                             " but HAProxy reports ", after->versions[i].weight));
    }
  }
  after->changed = changed;
  return after;
}

absl::StatusOr<Observation> HaproxyDriver::ScaleReplicas(const ReplicaTarget& target) {
  return absl::UnimplementedError(
      "the haproxy driver routes traffic by server weight; it cannot scale replicas (use the "
      "kubernetes or exec driver)");
}

absl::StatusOr<Observation> HaproxyDriver::ReadState(const ServiceVersions& versions) {
  auto route = RouteOf(versions.service);
  if (!route.ok()) return route.status();
  return Observe(versions, **route);
}

}  // namespace conclave::devops
