// KubeApiClient: the few calls the kubernetes driver makes to a Kubernetes API server, over
// HTTPS with the service account's bearer token (re-read from its file for every request, as
// the kubelet rotates it) and the cluster CA. Plain http:// URLs are accepted for tests
// against a local fake. Thread-safe: each call uses its own connection.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agents/devops/devops_config.h"
#include "nlohmann/json.hpp"

namespace conclave::devops {

class KubeApiClient {
 public:
  // Resolves the API server (in-cluster from KUBERNETES_SERVICE_HOST/PORT when
  // config.api_server is empty). InvalidArgument when neither is set.
  static absl::StatusOr<std::unique_ptr<KubeApiClient>> Create(const KubernetesConfig& config);

  // GET `path`; the decoded JSON object.
  absl::StatusOr<nlohmann::json> Get(const std::string& path) const;
  // PATCH `path` with Content-Type application/merge-patch+json and fieldManager
  // conclave-devops; with `dry_run`, ?dryRun=All (validated by the server, not persisted).
  // The object as the server returns it.
  absl::StatusOr<nlohmann::json> MergePatch(const std::string& path, const nlohmann::json& patch,
                                            bool dry_run) const;

  const std::string& server() const { return server_; }

 private:
  KubeApiClient(std::string server, std::string token_file, std::string ca_file,
                absl::Duration timeout)
      : server_(std::move(server)),
        token_file_(std::move(token_file)),
        ca_file_(std::move(ca_file)),
        timeout_(timeout) {}

  absl::StatusOr<nlohmann::json> Send(const std::string& method, const std::string& path,
                                      const std::string& body) const;

  std::string server_;
  std::string token_file_;
  std::string ca_file_;
  absl::Duration timeout_;
};

// API paths of the objects the driver touches.
std::string DeploymentScalePath(const std::string& ns, const std::string& deployment);
std::string HttpRoutePath(const std::string& ns, const std::string& route);

}  // namespace conclave::devops
