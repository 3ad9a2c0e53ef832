#include "agents/devops/devops_config.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "yaml-cpp/yaml.h"

namespace conclave::devops {
namespace {

absl::Status Invalid(const std::string& key, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat("devops config: ", key, ": ", why));
}

// yaml-cpp reports type errors by throwing; these helpers turn them into statuses.
absl::Status ReadString(const YAML::Node& node, const std::string& key, std::string* out) {
  if (!node) return absl::OkStatus();
  if (!node.IsScalar()) return Invalid(key, "must be a string");
  *out = node.as<std::string>();
  return absl::OkStatus();
}

absl::Status ReadInt(const YAML::Node& node, const std::string& key, int* out) {
  if (!node) return absl::OkStatus();
  try {
    *out = node.as<int>();
  } catch (const YAML::Exception&) {
    return Invalid(key, "must be an integer");
  }
  return absl::OkStatus();
}

absl::Status ReadBool(const YAML::Node& node, const std::string& key, bool* out) {
  if (!node) return absl::OkStatus();
  try {
    *out = node.as<bool>();
  } catch (const YAML::Exception&) {
    return Invalid(key, "must be true or false");
  }
  return absl::OkStatus();
}

absl::Status ReadDuration(const YAML::Node& node, const std::string& key, absl::Duration* out) {
  if (!node) return absl::OkStatus();
  if (!node.IsScalar() || !absl::ParseDuration(node.as<std::string>(), out) ||
      *out <= absl::ZeroDuration()) {
    return Invalid(key, "must be a positive duration such as 500ms or 10s");
  }
  return absl::OkStatus();
}

absl::Status ReadStringMap(const YAML::Node& node, const std::string& key,
                           std::map<std::string, std::string>* out) {
  if (!node) return absl::OkStatus();
  if (!node.IsMap()) return Invalid(key, "must map version to name");
  for (const auto& entry : node) {
    if (!entry.second.IsScalar()) return Invalid(key, "values must be strings");
    (*out)[entry.first.as<std::string>()] = entry.second.as<std::string>();
  }
  return absl::OkStatus();
}

// A hook is either a list of arguments or one string split on whitespace.
absl::Status ReadCommand(const YAML::Node& node, const std::string& key,
                         std::vector<std::string>* out) {
  if (!node) return absl::OkStatus();
  if (node.IsScalar()) {
    *out = SplitCommand(node.as<std::string>());
    return absl::OkStatus();
  }
  if (!node.IsSequence()) return Invalid(key, "must be a list of arguments or a string");
  out->clear();
  for (const auto& arg : node) {
    if (!arg.IsScalar()) return Invalid(key, "arguments must be strings");
    out->push_back(arg.as<std::string>());
  }
  return absl::OkStatus();
}

absl::Status ParseHaproxy(const YAML::Node& node, HaproxyConfig* out) {
  if (!node) return absl::OkStatus();
  if (absl::Status s = ReadString(node["runtime_api"], "haproxy.runtime_api", &out->runtime_api);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadDuration(node["timeout"], "haproxy.timeout", &out->timeout); !s.ok()) {
    return s;
  }
  const YAML::Node services = node["services"];
  if (!services) return absl::OkStatus();
  if (!services.IsMap()) return Invalid("haproxy.services", "must map service to its backend");
  for (const auto& entry : services) {
    const std::string name = entry.first.as<std::string>();
    const std::string key = absl::StrCat("haproxy.services.", name);
    HaproxyServiceRoute& route = out->services[name];
    if (absl::Status s = ReadString(entry.second["backend"], key + ".backend", &route.backend);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = ReadStringMap(entry.second["servers"], key + ".servers", &route.servers);
        !s.ok()) {
      return s;
    }
    if (route.backend.empty()) return Invalid(key, "names no backend");
  }
  return absl::OkStatus();
}

absl::Status ParseKubeService(const YAML::Node& node, const std::string& key,
                              KubernetesServiceConfig* out) {
  std::string traffic = "httproute";
  absl::Status s = ReadString(node["namespace"], key + ".namespace", &out->namespace_name);
  if (s.ok()) s = ReadString(node["traffic"], key + ".traffic", &traffic);
  if (s.ok()) s = ReadString(node["httproute"], key + ".httproute", &out->httproute);
  if (s.ok()) s = ReadStringMap(node["backend_refs"], key + ".backend_refs", &out->backend_refs);
  if (s.ok()) s = ReadStringMap(node["deployments"], key + ".deployments", &out->deployments);
  if (s.ok()) s = ReadInt(node["total_replicas"], key + ".total_replicas", &out->total_replicas);
  if (!s.ok()) return s;
  if (traffic == "httproute") {
    out->traffic = KubeTrafficMode::kHttpRoute;
  } else if (traffic == "replicas") {
    out->traffic = KubeTrafficMode::kReplicas;
  } else {
    return Invalid(key + ".traffic", "must be httproute or replicas");
  }
  return absl::OkStatus();
}

absl::Status ParseKubernetes(const YAML::Node& node, KubernetesConfig* out) {
  if (!node) return absl::OkStatus();
  absl::Status s = ReadString(node["api_server"], "kubernetes.api_server", &out->api_server);
  if (s.ok()) s = ReadString(node["token_file"], "kubernetes.token_file", &out->token_file);
  if (s.ok()) s = ReadString(node["ca_file"], "kubernetes.ca_file", &out->ca_file);
  if (s.ok()) s = ReadString(node["namespace"], "kubernetes.namespace", &out->namespace_name);
  if (s.ok()) s = ReadDuration(node["timeout"], "kubernetes.timeout", &out->timeout);
  if (!s.ok()) return s;
  const YAML::Node services = node["services"];
  if (!services) return absl::OkStatus();
  if (!services.IsMap()) return Invalid("kubernetes.services", "must map service to settings");
  for (const auto& entry : services) {
    const std::string name = entry.first.as<std::string>();
    if (absl::Status st =
            ParseKubeService(entry.second, "kubernetes.services." + name, &out->services[name]);
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

absl::Status ParseExec(const YAML::Node& node, ExecConfig* out) {
  if (!node) return absl::OkStatus();
  absl::Status s = ReadCommand(node["set_traffic"], "exec.set_traffic", &out->set_traffic);
  if (s.ok()) s = ReadCommand(node["scale"], "exec.scale", &out->scale);
  if (s.ok()) s = ReadCommand(node["get_state"], "exec.get_state", &out->get_state);
  if (s.ok()) s = ReadDuration(node["timeout"], "exec.timeout", &out->timeout);
  if (s.ok()) s = ReadBool(node["run_in_dry_run"], "exec.run_in_dry_run", &out->run_in_dry_run);
  return s;
}

absl::StatusOr<DevopsConfig> ParseRoot(const YAML::Node& root) {
  DevopsConfig config;
  if (root.IsNull()) return config;
  if (!root.IsMap()) return Invalid("(top level)", "must be a mapping");
  absl::Status s = ReadString(root["driver"], "driver", &config.driver);
  if (s.ok()) s = ParseHaproxy(root["haproxy"], &config.haproxy);
  if (s.ok()) s = ParseKubernetes(root["kubernetes"], &config.kubernetes);
  if (s.ok()) s = ParseExec(root["exec"], &config.exec);
  if (!s.ok()) return s;
  return config;
}

}  // namespace

absl::StatusOr<DevopsConfig> ParseDevopsConfig(const std::string& yaml_text) {
  try {
    return ParseRoot(YAML::Load(yaml_text));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("devops config: ", e.what()));
  }
}

absl::StatusOr<DevopsConfig> LoadDevopsConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read devops config ", path));
  std::stringstream text;
  text << in.rdbuf();
  auto config = ParseDevopsConfig(text.str());
  if (!config.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", config.status().message()));
  }
  return config;
}

absl::Status AddHaproxyRoutes(const std::string& routes, HaproxyConfig* config) {
  for (absl::string_view entry : absl::StrSplit(routes, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::vector<std::string> sides = absl::StrSplit(entry, '=');
    std::vector<std::string> left, right;
    if (sides.size() == 2) {
      left = absl::StrSplit(sides[0], '/');
      right = absl::StrSplit(sides[1], '/');
    }
    if (left.size() != 2 || right.size() != 2 || left[0].empty() || left[1].empty() ||
        right[0].empty() || right[1].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "haproxy route '", entry, "' is not of the form service/version=backend/server"));
    }
    HaproxyServiceRoute& route = config->services[left[0]];
    if (!route.backend.empty() && route.backend != right[0]) {
      return absl::InvalidArgumentError(absl::StrCat("haproxy routes put service ", left[0],
                                                     " in two backends: ", route.backend, " and ",
                                                     right[0]));
    }
    route.backend = right[0];
    route.servers[left[1]] = right[1];
  }
  return absl::OkStatus();
}

std::vector<std::string> SplitCommand(const std::string& command) {
  return absl::StrSplit(command, absl::ByAnyChar(" \t\n"), absl::SkipEmpty());
}

absl::Status ValidateDevopsConfig(const DevopsConfig& config) {
  if (config.driver == "haproxy") {
    if (config.haproxy.runtime_api.empty()) {
      return absl::InvalidArgumentError(
          "the haproxy driver needs the runtime API address (--haproxy_runtime_api or "
          "haproxy.runtime_api)");
    }
    return absl::OkStatus();
  }
  if (config.driver == "kubernetes") {
    for (const auto& [name, service] : config.kubernetes.services) {
      if (service.traffic == KubeTrafficMode::kHttpRoute && service.httproute.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("kubernetes service ", name, " routes by httproute but names none"));
      }
      if (service.traffic == KubeTrafficMode::kReplicas && service.total_replicas <= 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "kubernetes service ", name, " splits by replicas but total_replicas is not > 0"));
      }
    }
    return absl::OkStatus();
  }
  if (config.driver == "exec") {
    if (config.exec.set_traffic.empty() && config.exec.scale.empty()) {
      return absl::InvalidArgumentError(
          "the exec driver needs a set_traffic or scale hook (--exec_set_traffic, exec.*)");
    }
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown driver '", config.driver, "' (haproxy, kubernetes or exec)"));
}

}  // namespace conclave::devops
