#include "agents/devops/kubernetes_driver.h"

#include <map>

#include "absl/strings/str_cat.h"

namespace conclave::devops {
namespace {

using nlohmann::json;

// Gateway API: a backendRef without a weight has weight 1.
int RefWeight(const json& ref) {
  return ref.contains("weight") && ref["weight"].is_number_integer() ? ref["weight"].get<int>() : 1;
}

std::string RefName(const json& ref) {
  return ref.is_object() && ref.contains("name") && ref["name"].is_string()
             ? ref["name"].get<std::string>()
             : "";
}

// object[outer][inner] when that is a string, else "".
std::string StringAt(const json& object, const char* outer, const char* inner) {
  if (!object.contains(outer) || !object[outer].is_object()) return "";
  const json& o = object[outer];
  return o.contains(inner) && o[inner].is_string() ? o[inner].get<std::string>() : "";
}

json RulesOf(const json& route) {
  return route.contains("spec") && route["spec"].is_object() && route["spec"].contains("rules")
             ? route["spec"]["rules"]
             : json();
}

int IntAt(const json& object, const char* outer, const char* inner) {
  if (!object.contains(outer) || !object[outer].is_object()) return 0;
  const json& o = object[outer];
  return o.contains(inner) && o[inner].is_number_integer() ? o[inner].get<int>() : 0;
}

absl::StatusOr<std::string> NameFor(const std::map<std::string, std::string>& names,
                                    const std::string& version, const std::string& service,
                                    const char* what) {
  auto it = names.find(version);
  if (it == names.end()) {
    return absl::NotFoundError(absl::StrCat("kubernetes driver: no ", what, " configured for ",
                                            service, " version '", version, "'"));
  }
  return it->second;
}

// Sets the weight of every backendRef named in `wanted`; whether any weight changed. NOT_FOUND
// when a wanted name appears in no rule.
absl::StatusOr<bool> SetRouteWeights(json& rules, const std::map<std::string, int>& wanted,
                                     const std::string& route) {
  if (!rules.is_array()) {
    return absl::FailedPreconditionError(absl::StrCat("HTTPRoute ", route, " has no spec.rules"));
  }
  std::map<std::string, bool> found;
  bool changed = false;
  for (json& rule : rules) {
    if (!rule.contains("backendRefs") || !rule["backendRefs"].is_array()) continue;
    for (json& ref : rule["backendRefs"]) {
      const std::string name = RefName(ref);
      auto it = wanted.find(name);
      if (it == wanted.end()) continue;
      found[name] = true;
      if (RefWeight(ref) != it->second) {
        ref["weight"] = it->second;
        changed = true;
      }
    }
  }
  for (const auto& [name, weight] : wanted) {
    if (!found[name]) {
      return absl::NotFoundError(
          absl::StrCat("HTTPRoute ", route, " has no backendRef named '", name, "'"));
    }
  }
  return changed;
}

// The weight of the first backendRef named `name`, or -1.
int RouteWeightOf(const json& route, const std::string& name) {
  const json rules = RulesOf(route);
  if (!rules.is_array()) return -1;
  for (const json& rule : rules) {
    if (!rule.contains("backendRefs") || !rule["backendRefs"].is_array()) continue;
    for (const json& ref : rule["backendRefs"]) {
      if (RefName(ref) == name) return RefWeight(ref);
    }
  }
  return -1;
}

absl::Status CheckInPlace(const Observation& observed, const std::map<std::string, int>& wanted,
                          bool replicas) {
  for (const auto& v : observed.versions) {
    auto it = wanted.find(v.version);
    const int actual = replicas ? v.replicas : v.weight;
    if (it != wanted.end() && actual != it->second) {
      return absl::AbortedError(absl::StrCat("kubernetes driver: set ", v.target, " to ",
                                             it->second, " but the API server reports ", actual));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::pair<int, int> ReplicaSplit(int total, int canary_percent) {
  if (canary_percent <= 0) return {total, 0};
  if (canary_percent >= 100) return {0, total};
  const int canary = (total * canary_percent + 99) / 100;
  return {std::max(1, total - canary), canary};
}

absl::StatusOr<std::unique_ptr<KubernetesDriver>> KubernetesDriver::Create(
    const KubernetesConfig& config) {
  auto client = KubeApiClient::Create(config);
  if (!client.ok()) return client.status();
  return std::unique_ptr<KubernetesDriver>(new KubernetesDriver(config, std::move(*client)));
}

absl::StatusOr<KubernetesDriver::Resolved> KubernetesDriver::Resolve(
    const std::string& service) const {
  auto it = config_.services.find(service);
  if (it == config_.services.end()) {
    return absl::NotFoundError(absl::StrCat("kubernetes driver: service '", service,
                                            "' is not configured (kubernetes.services)"));
  }
  const std::string& ns =
      it->second.namespace_name.empty() ? config_.namespace_name : it->second.namespace_name;
  return Resolved{&it->second, ns};
}

std::vector<std::string> KubernetesDriver::VersionsOf(const ServiceVersions& v,
                                                      const Resolved& r) const {
  std::vector<std::string> out;
  if (!v.stable_version.empty()) out.push_back(v.stable_version);
  if (!v.canary_version.empty()) out.push_back(v.canary_version);
  if (!out.empty()) return out;
  const auto& names = r.service->traffic == KubeTrafficMode::kHttpRoute ? r.service->backend_refs
                                                                        : r.service->deployments;
  for (const auto& [version, name] : names) out.push_back(version);
  return out;
}

absl::StatusOr<Observation> KubernetesDriver::SetTrafficSplit(const SplitTarget& target) {
  auto r = Resolve(target.versions.service);
  if (!r.ok()) return r.status();
  if (r->service->traffic == KubeTrafficMode::kHttpRoute) return SplitByRoute(target, *r);
  auto [stable, canary] = ReplicaSplit(r->service->total_replicas, target.canary_percent);
  return Scale(target.versions, *r, stable, canary, target.dry_run);
}

absl::StatusOr<Observation> KubernetesDriver::ScaleReplicas(const ReplicaTarget& target) {
  auto r = Resolve(target.versions.service);
  if (!r.ok()) return r.status();
  return Scale(target.versions, *r, target.stable_replicas, target.canary_replicas, target.dry_run);
}

absl::StatusOr<Observation> KubernetesDriver::ReadState(const ServiceVersions& versions) {
  auto r = Resolve(versions.service);
  if (!r.ok()) return r.status();
  return Observe(VersionsOf(versions, *r), versions.service, *r);
}

absl::StatusOr<Observation> KubernetesDriver::SplitByRoute(const SplitTarget& t,
                                                           const Resolved& r) {
  const ServiceVersions& v = t.versions;
  auto stable_ref = NameFor(r.service->backend_refs, v.stable_version, v.service, "backendRef");
  auto canary_ref = NameFor(r.service->backend_refs, v.canary_version, v.service, "backendRef");
  if (!stable_ref.ok()) return stable_ref.status();
  if (!canary_ref.ok()) return canary_ref.status();
  const std::map<std::string, int> wanted = {{*stable_ref, 100 - t.canary_percent},
                                             {*canary_ref, t.canary_percent}};
  const std::string route = absl::StrCat(r.ns, "/", r.service->httproute);
  const std::string path = HttpRoutePath(r.ns, r.service->httproute);
  bool changed = false;
  // A conflict (another writer between our GET and PATCH) is retried once on fresh state.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto current = client_->Get(path);
    if (!current.ok()) return current.status();
    json rules = RulesOf(*current);
    auto differs = SetRouteWeights(rules, wanted, route);
    if (!differs.ok()) return differs.status();
    if (!*differs) break;
    json patch = {
        {"metadata", {{"resourceVersion", StringAt(*current, "metadata", "resourceVersion")}}},
        {"spec", {{"rules", rules}}}};
    auto patched = client_->MergePatch(path, patch, t.dry_run);
    if (patched.ok()) {
      changed = !t.dry_run;
      break;
    }
    if (patched.status().code() != absl::StatusCode::kAborted || attempt == 1) {
      return patched.status();
    }
  }
  auto observed = Observe({v.stable_version, v.canary_version}, v.service, r);
  if (!observed.ok()) return observed.status();
  if (!t.dry_run) {
    const std::map<std::string, int> by_version = {{v.stable_version, 100 - t.canary_percent},
                                                   {v.canary_version, t.canary_percent}};
    if (absl::Status s = CheckInPlace(*observed, by_version, false); !s.ok()) return s;
  }
  observed->changed = changed;
  return observed;
}

absl::StatusOr<Observation> KubernetesDriver::Scale(const ServiceVersions& v, const Resolved& r,
                                                    int stable_replicas, int canary_replicas,
                                                    bool dry_run) {
  const std::map<std::string, int> wanted = {{v.stable_version, stable_replicas},
                                             {v.canary_version, canary_replicas}};
  auto before = Observe({v.stable_version, v.canary_version}, v.service, r);
  if (!before.ok()) return before.status();
  // Scale up before scaling down, so the service never has less capacity than either end.
  std::vector<const VersionObservation*> order;
  for (const auto& o : before->versions) {
    if (o.replicas < wanted.at(o.version)) order.insert(order.begin(), &o);
    if (o.replicas > wanted.at(o.version)) order.push_back(&o);
  }
  for (const VersionObservation* o : order) {
    auto name = NameFor(r.service->deployments, o->version, v.service, "Deployment");
    if (!name.ok()) return name.status();
    json patch = {{"spec", {{"replicas", wanted.at(o->version)}}}};
    auto patched = client_->MergePatch(DeploymentScalePath(r.ns, *name), patch, dry_run);
    if (!patched.ok()) return patched.status();
  }
  if (dry_run || order.empty()) return before;
  auto after = Observe({v.stable_version, v.canary_version}, v.service, r);
  if (!after.ok()) return after.status();
  if (absl::Status s = CheckInPlace(*after, wanted, true); !s.ok()) return s;
  after->changed = true;
  return after;
}

absl::StatusOr<Observation> KubernetesDriver::Observe(const std::vector<std::string>& versions,
                                                      const std::string& service,
                                                      const Resolved& r) {
  const bool by_route = r.service->traffic == KubeTrafficMode::kHttpRoute;
  json route;
  if (by_route) {
    auto got = client_->Get(HttpRoutePath(r.ns, r.service->httproute));
    if (!got.ok()) return got.status();
    route = std::move(*got);
  }
  Observation observation;
  for (const std::string& version : versions) {
    VersionObservation o;
    o.version = version;
    if (by_route) {
      auto ref = NameFor(r.service->backend_refs, version, service, "backendRef");
      if (!ref.ok()) return ref.status();
      o.target = absl::StrCat("httproute/", r.service->httproute, ":", *ref);
      o.weight = RouteWeightOf(route, *ref);
    }
    if (by_route && r.service->deployments.count(version) == 0) {
      observation.versions.push_back(std::move(o));
      continue;
    }
    if (absl::Status s = ObserveScale(service, r, &o); !s.ok()) return s;
    if (!by_route) o.weight = o.replicas;
    observation.versions.push_back(std::move(o));
  }
  return observation;
}

absl::Status KubernetesDriver::ObserveScale(const std::string& service, const Resolved& r,
                                            VersionObservation* out) {
  auto name = NameFor(r.service->deployments, out->version, service, "Deployment");
  if (!name.ok()) return name.status();
  auto scale = client_->Get(DeploymentScalePath(r.ns, *name));
  if (!scale.ok()) return scale.status();
  if (out->target.empty()) out->target = absl::StrCat("deployment/", *name);
  out->replicas = IntAt(*scale, "spec", "replicas");
  out->ready_replicas = IntAt(*scale, "status", "replicas");
  return absl::OkStatus();
}

}  // namespace conclave::devops
