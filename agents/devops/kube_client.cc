#include "agents/devops/kube_client.h"

#include <httplib.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace conclave::devops {
namespace {

constexpr char kFieldManager[] = "conclave-devops";

absl::StatusOr<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("kubernetes driver: cannot read the service account token ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

// The Kubernetes Status object's message, or the raw body.
std::string ServerMessage(const std::string& body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_object() && json.contains("message") && json["message"].is_string()) {
    return json["message"].get<std::string>();
  }
  return body.substr(0, 300);
}

absl::StatusCode CodeForHttp(int status) {
  switch (status) {
    case 400:
    case 422:
      return absl::StatusCode::kInvalidArgument;
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
      return absl::StatusCode::kNotFound;
    case 409:
      return absl::StatusCode::kAborted;
    case 429:
      return absl::StatusCode::kResourceExhausted;
    default:
      return status >= 500 ? absl::StatusCode::kUnavailable : absl::StatusCode::kUnknown;
  }
}

void ConfigureTimeouts(httplib::Client& client, absl::Duration timeout) {
  const int64_t us = absl::ToInt64Microseconds(timeout);
  client.set_connection_timeout(us / 1000000, us % 1000000);
  client.set_read_timeout(us / 1000000, us % 1000000);
  client.set_write_timeout(us / 1000000, us % 1000000);
}

}  // namespace

absl::StatusOr<std::unique_ptr<KubeApiClient>> KubeApiClient::Create(
    const KubernetesConfig& config) {
  std::string server = config.api_server;
  if (server.empty()) {
    const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
    const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
    if (host == nullptr || port == nullptr) {
      return absl::InvalidArgumentError(
          "kubernetes driver: no API server (--kube_api_server) and not in a cluster "
          "(KUBERNETES_SERVICE_HOST unset)");
    }
    const bool ipv6 = absl::StrContains(host, ':');
    server = absl::StrCat("https://", ipv6 ? "[" : "", host, ipv6 ? "]" : "", ":", port);
  }
  while (absl::EndsWith(server, "/")) server.pop_back();
  if (!absl::StartsWith(server, "https://") && !absl::StartsWith(server, "http://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("kubernetes API server '", server, "' must start with https://"));
  }
  return std::unique_ptr<KubeApiClient>(
      new KubeApiClient(server, config.token_file, config.ca_file, config.timeout));
}

absl::StatusOr<nlohmann::json> KubeApiClient::Get(const std::string& path) const {
  return Send("GET", path, "");
}

absl::StatusOr<nlohmann::json> KubeApiClient::MergePatch(const std::string& path,
                                                         const nlohmann::json& patch,
                                                         bool dry_run) const {
  const std::string query =
      absl::StrCat("?fieldManager=", kFieldManager, dry_run ? "&dryRun=All" : "");
  return Send("PATCH", path + query, patch.dump());
}

absl::StatusOr<nlohmann::json> KubeApiClient::Send(const std::string& method,
                                                   const std::string& path,
                                                   const std::string& body) const {
  auto token = ReadToken(token_file_);
  if (!token.ok()) return token.status();
  httplib::Client client(server_);
  ConfigureTimeouts(client, timeout_);
  if (absl::StartsWith(server_, "https://")) {
    client.set_ca_cert_path(ca_file_);
    client.enable_server_certificate_verification(true);
  }
  const httplib::Headers headers = {{"Authorization", absl::StrCat("Bearer ", *token)},
                                    {"Accept", "application/json"},
                                    {"User-Agent", kFieldManager}};
  httplib::Result result = method == "GET"
                               ? client.Get(path, headers)
                               : client.Patch(path, headers, body, "application/merge-patch+json");
  const std::string what = absl::StrCat("kubernetes API ", method, " ", server_, path);
  if (!result) {
    return absl::UnavailableError(absl::StrCat(what, ": ", httplib::to_string(result.error())));
  }
  if (result->status < 200 || result->status > 299) {
    return absl::Status(
        CodeForHttp(result->status),
        absl::StrCat(what, ": HTTP ", result->status, ": ", ServerMessage(result->body)));
  }
  auto json = nlohmann::json::parse(result->body, nullptr, false);
  if (!json.is_object()) {
    return absl::UnavailableError(absl::StrCat(what, ": the answer is not a JSON object"));
  }
  return json;
}

std::string DeploymentScalePath(const std::string& ns, const std::string& deployment) {
  return absl::StrCat("/apis/apps/v1/namespaces/", ns, "/deployments/", deployment, "/scale");
}

std::string HttpRoutePath(const std::string& ns, const std::string& route) {
  return absl::StrCat("/apis/gateway.networking.k8s.io/v1/namespaces/", ns, "/httproutes/", route);
}

}  // namespace conclave::devops
