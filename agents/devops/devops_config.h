// DevopsConfig: which driver the devops agent uses and how each driver maps a (service,
// version) onto the thing it acts on: a server of an HAProxy backend, a Deployment and an
// HTTPRoute backendRef in Kubernetes, or hook commands. Loaded from YAML (docs/DEVOPS.md) and
// from flags; plain data, not thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace conclave::devops {

// One service behind HAProxy: the backend and, per version, the server that runs it.
struct HaproxyServiceRoute {
  std::string backend;
  std::map<std::string, std::string> servers;
};

struct HaproxyConfig {
  // The runtime API's stats socket: "ipv4@127.0.0.1:9999", "127.0.0.1:9999",
  // "unix@/run/haproxy.sock" or a socket path.
  std::string runtime_api;
  absl::Duration timeout = absl::Seconds(2);
  std::map<std::string, HaproxyServiceRoute> services;
};

// How a split is applied in Kubernetes.
enum class KubeTrafficMode {
  // Weights of the HTTPRoute's backendRefs (Gateway API).
  kHttpRoute,
  // The ratio of stable to canary replicas, total_replicas in all.
  kReplicas,
};

struct KubernetesServiceConfig {
  std::string namespace_name;  // defaults to KubernetesConfig::namespace_name
  KubeTrafficMode traffic = KubeTrafficMode::kHttpRoute;
  std::string httproute;
  // Version -> name of the backendRef (a Service) in the HTTPRoute.
  std::map<std::string, std::string> backend_refs;
  // Version -> Deployment name.
  std::map<std::string, std::string> deployments;
  // Replicas shared by stable and canary in kReplicas mode.
  int total_replicas = 0;
};

struct KubernetesConfig {
  // "https://10.0.0.1:443"; empty means in-cluster (KUBERNETES_SERVICE_HOST/PORT).
  std::string api_server;
  std::string token_file = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  std::string ca_file = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
  std::string namespace_name = "default";
  absl::Duration timeout = absl::Seconds(10);
  std::map<std::string, KubernetesServiceConfig> services;
};

struct ExecConfig {
  // argv of each hook; run without a shell. Empty: the operation is not supported.
  std::vector<std::string> set_traffic;
  std::vector<std::string> scale;
  std::vector<std::string> get_state;
  absl::Duration timeout = absl::Seconds(30);
  // Run hooks for dry runs too (with CONCLAVE_DRY_RUN=1); by default dry runs run nothing.
  bool run_in_dry_run = false;
};

struct DevopsConfig {
  // "haproxy", "kubernetes" or "exec".
  std::string driver = "haproxy";
  HaproxyConfig haproxy;
  KubernetesConfig kubernetes;
  ExecConfig exec;
};

// Parses the YAML text of a config file. InvalidArgument naming the offending key.
absl::StatusOr<DevopsConfig> ParseDevopsConfig(const std::string& yaml_text);
absl::StatusOr<DevopsConfig> LoadDevopsConfig(const std::string& path);

// Adds HAProxy routes written as "service/version=backend/server", comma-separated (the
// --haproxy_routes flag), to `config`.
absl::Status AddHaproxyRoutes(const std::string& routes, HaproxyConfig* config);

// Splits a hook command line on whitespace into argv (no shell, no quoting).
std::vector<std::string> SplitCommand(const std::string& command);

// Checks that the selected driver has what it needs (a runtime API address, hooks, ...).
absl::Status ValidateDevopsConfig(const DevopsConfig& config);

}  // namespace conclave::devops
