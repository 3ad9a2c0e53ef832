// The kubernetes driver against a local HTTP server standing in for the API server. No cluster
// runs on this machine, so these tests check the exact requests against the API's documented
// shapes: Gateway API HTTPRoute (gateway.networking.k8s.io/v1) backendRef weights changed by a
// JSON merge patch of spec.rules guarded by metadata.resourceVersion, and the apps/v1
// Deployment scale subresource patched with {"spec":{"replicas":N}}; both with the service
// account's bearer token, fieldManager=conclave-devops, and dryRun=All for dry runs.
#include "agents/devops/kubernetes_driver.h"

#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace conclave::devops {
namespace {

using nlohmann::json;

constexpr char kRoutePath[] = "/apis/gateway.networking.k8s.io/v1/namespaces/prod/httproutes/demo";
constexpr char kStableScale[] = "/apis/apps/v1/namespaces/prod/deployments/demo-v1/scale";
constexpr char kCanaryScale[] = "/apis/apps/v1/namespaces/prod/deployments/demo-v2/scale";

struct SeenRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;
  std::string authorization;
  std::string content_type;
  json body;
};

// The API server: objects by path; GET returns them, PATCH applies an RFC 7386 merge patch
// (refusing a stale metadata.resourceVersion with 409 as the API server does) unless
// dryRun=All. Every request is recorded.
class FakeApiServer {
 public:
  FakeApiServer() {
    server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      Handle("GET", req, res);
    });
    server_.Patch(".*", [this](const httplib::Request& req, httplib::Response& res) {
      Handle("PATCH", req, res);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs would be lost, and the destructor would hang.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeApiServer() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return absl::StrCat("http://127.0.0.1:", port_); }
  void Put(const std::string& path, json object) {
    absl::MutexLock lock(&mu_);
    objects_[path] = std::move(object);
  }
  json Object(const std::string& path) {
    absl::MutexLock lock(&mu_);
    return objects_[path];
  }
  std::vector<SeenRequest> Requests() {
    absl::MutexLock lock(&mu_);
    return requests_;
  }
  std::vector<SeenRequest> Patches() {
    std::vector<SeenRequest> out;
    for (auto& r : Requests()) {
      if (r.method == "PATCH") out.push_back(r);
    }
    return out;
  }
  void ClearRequests() {
    absl::MutexLock lock(&mu_);
    requests_.clear();
  }
  // The next PATCH of `path` finds the object changed by another writer first.
  void ConflictOnNextPatch(const std::string& path) {
    absl::MutexLock lock(&mu_);
    conflict_path_ = path;
  }
  // Every request is answered with this HTTP status and a Status object.
  void FailWith(int status, const std::string& message) {
    absl::MutexLock lock(&mu_);
    fail_status_ = status;
    fail_message_ = message;
  }

 private:
  void Handle(const std::string& method, const httplib::Request& req, httplib::Response& res) {
    absl::MutexLock lock(&mu_);
    SeenRequest seen{method,
                     req.path,
                     {},
                     req.get_header_value("Authorization"),
                     req.get_header_value("Content-Type"),
                     json()};
    for (const auto& [k, v] : req.params) seen.params[k] = v;
    if (!req.body.empty()) seen.body = json::parse(req.body, nullptr, false);
    requests_.push_back(seen);
    if (fail_status_ != 0) return Reply(res, fail_status_, fail_message_);
    auto it = objects_.find(req.path);
    if (it == objects_.end()) return Reply(res, 404, absl::StrCat(req.path, " not found"));
    if (method == "GET") return res.set_content(it->second.dump(), "application/json");
    json& object = it->second;
    if (conflict_path_ == req.path) {
      conflict_path_.clear();
      Bump(object);
    }
    const json wanted_rv = seen.body.contains("metadata")
                               ? seen.body["metadata"].value("resourceVersion", json())
                               : json();
    if (wanted_rv.is_string() && wanted_rv != object["metadata"]["resourceVersion"]) {
      return Reply(res, 409,
                   "the object has been modified; please apply your changes to the "
                   "latest version and try again");
    }
    json patched = object;
    patched.merge_patch(seen.body);
    if (seen.params["dryRun"] != "All") {
      Bump(patched);
      if (patched.contains("status") && patched["spec"].contains("replicas")) {
        patched["status"]["replicas"] = patched["spec"]["replicas"];  // pods come up at once
      }
      object = patched;
    }
    res.set_content(patched.dump(), "application/json");
  }
  static void Bump(json& object) {
    const int rv = std::stoi(object["metadata"]["resourceVersion"].get<std::string>());
    object["metadata"]["resourceVersion"] = std::to_string(rv + 1);
  }
  static void Reply(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(json{{"kind", "Status"},
                         {"apiVersion", "v1"},
                         {"status", "Failure"},
                         {"message", message},
                         {"code", status}}
                        .dump(),
                    "application/json");
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  std::map<std::string, json> objects_ ABSL_GUARDED_BY(mu_);
  std::vector<SeenRequest> requests_ ABSL_GUARDED_BY(mu_);
  std::string conflict_path_ ABSL_GUARDED_BY(mu_);
  int fail_status_ ABSL_GUARDED_BY(mu_) = 0;
  std::string fail_message_ ABSL_GUARDED_BY(mu_);
};

json HttpRoute(int stable_weight, int canary_weight) {
  return json::parse(absl::StrCat(R"({
    "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
    "metadata": {"name": "demo", "namespace": "prod", "resourceVersion": "7"},
    "spec": {
      "parentRefs": [{"name": "public-gateway"}],
      "rules": [{
        "matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
        "backendRefs": [
          {"name": "demo-v1", "port": 8080, "weight": )",
                                  stable_weight, R"(},
          {"name": "demo-v2", "port": 8080, "weight": )",
                                  canary_weight, R"(}
        ]}]}})"));
}

json Scale(const std::string& name, int replicas) {
  return {{"apiVersion", "autoscaling/v1"},
          {"kind", "Scale"},
          {"metadata", {{"name", name}, {"namespace", "prod"}, {"resourceVersion", "3"}}},
          {"spec", {{"replicas", replicas}}},
          {"status", {{"replicas", replicas}, {"selector", "app=" + name}}}};
}

class KubernetesDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    token_file_ = absl::StrCat(::testing::TempDir(), "/token-", getpid());
    WriteToken("token-one");
    api_.Put(kRoutePath, HttpRoute(100, 0));
    api_.Put(kStableScale, Scale("demo-v1", 4));
    api_.Put(kCanaryScale, Scale("demo-v2", 0));
  }
  void TearDown() override { std::remove(token_file_.c_str()); }

  void WriteToken(const std::string& token) { std::ofstream(token_file_) << token << "\n"; }

  std::unique_ptr<KubernetesDriver> Driver(KubeTrafficMode mode) {
    KubernetesConfig config;
    config.api_server = api_.url();
    config.token_file = token_file_;
    config.namespace_name = "prod";
    KubernetesServiceConfig& demo = config.services["demo"];
    demo.traffic = mode;
    demo.httproute = "demo";
    demo.backend_refs = {{"v1", "demo-v1"}, {"v2", "demo-v2"}};
    demo.deployments = {{"v1", "demo-v1"}, {"v2", "demo-v2"}};
    demo.total_replicas = 4;
    auto driver = KubernetesDriver::Create(config);
    EXPECT_TRUE(driver.ok()) << driver.status();
    return driver.ok() ? std::move(*driver) : nullptr;
  }

  static SplitTarget Split(int percent, bool dry_run = false) {
    SplitTarget t{{"demo", "v1", "v2"}, percent};
    t.dry_run = dry_run;
    return t;
  }

  FakeApiServer api_;
  std::string token_file_;
};

TEST_F(KubernetesDriverTest, RouteSplitIsOneGuardedMergePatchOfBackendRefWeights) {
  auto driver = Driver(KubeTrafficMode::kHttpRoute);
  auto observed = driver->SetTrafficSplit(Split(10));
  ASSERT_TRUE(observed.ok()) << observed.status();

  auto patches = api_.Patches();
  ASSERT_EQ(patches.size(), 1u);
  const SeenRequest& p = patches[0];
  EXPECT_EQ(p.path, kRoutePath);
  EXPECT_EQ(p.content_type, "application/merge-patch+json");
  EXPECT_EQ(p.authorization, "Bearer token-one");
  EXPECT_EQ(p.params.at("fieldManager"), "conclave-devops");
  EXPECT_EQ(p.params.count("dryRun"), 0u);
  // A merge patch replaces arrays whole, so the rule is sent complete: matches and ports kept,
  // only the weights changed, and the resourceVersion read makes a concurrent edit a 409.
  json expected_rules = HttpRoute(90, 10)["spec"]["rules"];
  EXPECT_EQ(p.body,
            (json{{"metadata", {{"resourceVersion", "7"}}}, {"spec", {{"rules", expected_rules}}}}))
      << p.body.dump(2);
  EXPECT_EQ(api_.Object(kRoutePath)["spec"]["parentRefs"][0]["name"], "public-gateway");

  ASSERT_EQ(observed->versions.size(), 2u);
  EXPECT_EQ(observed->versions[0].target, "httproute/demo:demo-v1");
  EXPECT_EQ(observed->versions[0].weight, 90);
  EXPECT_EQ(observed->versions[1].weight, 10);
  EXPECT_EQ(observed->versions[1].replicas, 0) << "the Deployment's scale is reported too";
  EXPECT_TRUE(observed->changed);
  // Read back after the patch: the last request is a GET of the route or a scale.
  const auto requests = api_.Requests();
  EXPECT_EQ(requests.front().method, "GET");
  EXPECT_EQ(requests.front().path, kRoutePath);
  EXPECT_EQ(requests.back().method, "GET");
}

TEST_F(KubernetesDriverTest, SplitAlreadyInPlaceSendsNoPatch) {
  api_.Put(kRoutePath, HttpRoute(75, 25));
  auto driver = Driver(KubeTrafficMode::kHttpRoute);
  auto observed = driver->SetTrafficSplit(Split(25));
  ASSERT_TRUE(observed.ok()) << observed.status();
  EXPECT_TRUE(api_.Patches().empty());
  EXPECT_FALSE(observed->changed);
  EXPECT_EQ(observed->versions[1].weight, 25);
}

TEST_F(KubernetesDriverTest, ConflictIsRetriedOnFreshState) {
  auto driver = Driver(KubeTrafficMode::kHttpRoute);
  api_.ConflictOnNextPatch(kRoutePath);
  auto observed = driver->SetTrafficSplit(Split(50));
  ASSERT_TRUE(observed.ok()) << observed.status();
  auto patches = api_.Patches();
  ASSERT_EQ(patches.size(), 2u);
  EXPECT_EQ(patches[0].body["metadata"]["resourceVersion"], "7");
  EXPECT_EQ(patches[1].body["metadata"]["resourceVersion"], "8") << "re-read before retrying";
  EXPECT_EQ(api_.Object(kRoutePath)["spec"]["rules"][0]["backendRefs"][1]["weight"], 50);
}

TEST_F(KubernetesDriverTest, DryRunAsksTheServerToValidateOnly) {
  auto driver = Driver(KubeTrafficMode::kHttpRoute);
  auto observed = driver->SetTrafficSplit(Split(10, /*dry_run=*/true));
  ASSERT_TRUE(observed.ok()) << observed.status();
  auto patches = api_.Patches();
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_EQ(patches[0].params.at("dryRun"), "All");
  EXPECT_FALSE(observed->changed);
  EXPECT_EQ(observed->versions[1].weight, 0) << "reports the route as it is";
}

TEST_F(KubernetesDriverTest, ReplicaSplitScalesUpBeforeDown) {
  auto driver = Driver(KubeTrafficMode::kReplicas);
  auto observed = driver->SetTrafficSplit(Split(25));
  ASSERT_TRUE(observed.ok()) << observed.status();
  auto patches = api_.Patches();
  ASSERT_EQ(patches.size(), 2u);
  EXPECT_EQ(patches[0].path, kCanaryScale);
  EXPECT_EQ(patches[0].body, (json{{"spec", {{"replicas", 1}}}}));
  EXPECT_EQ(patches[0].content_type, "application/merge-patch+json");
  EXPECT_EQ(patches[1].path, kStableScale);
  EXPECT_EQ(patches[1].body, (json{{"spec", {{"replicas", 3}}}}));
  ASSERT_EQ(observed->versions.size(), 2u);
  EXPECT_EQ(observed->versions[0].target, "deployment/demo-v1");
  EXPECT_EQ(observed->versions[0].replicas, 3);
  EXPECT_EQ(observed->versions[0].ready_replicas, 3);
  EXPECT_EQ(observed->versions[1].replicas, 1);
  EXPECT_EQ(observed->versions[1].weight, 1) << "traffic follows replicas";
}

TEST_F(KubernetesDriverTest, ScaleReplicasPatchesOnlyWhatDiffers) {
  auto driver = Driver(KubeTrafficMode::kHttpRoute);
  ReplicaTarget target{{"demo", "v1", "v2"}, 4, 2};
  auto observed = driver->ScaleReplicas(target);
  ASSERT_TRUE(observed.ok()) << observed.status();
  auto patches = api_.Patches();
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_EQ(patches[0].path, kCanaryScale);
  EXPECT_EQ(patches[0].body, (json{{"spec", {{"replicas", 2}}}}));
  api_.ClearRequests();
  auto again = driver->ScaleReplicas(target);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(api_.Patches().empty());
  EXPECT_FALSE(again->changed);
}

TEST_F(KubernetesDriverTest, TokenIsReadAgainForEveryRequest) {
  auto driver = Driver(KubeTrafficMode::kHttpRoute);
  ASSERT_TRUE(driver->ReadState({"demo", "v1", "v2"}).ok());
  WriteToken("token-two");  // the kubelet rotated it
  ASSERT_TRUE(driver->ReadState({"demo", "v1", "v2"}).ok());
  EXPECT_EQ(api_.Requests().back().authorization, "Bearer token-two");
}

TEST_F(KubernetesDriverTest, ApiErrorsKeepTheServersMessage) {
  auto driver = Driver(KubeTrafficMode::kHttpRoute);
  api_.FailWith(403, "httproutes.gateway.networking.k8s.io \"demo\" is forbidden");
  auto observed = driver->SetTrafficSplit(Split(10));
  EXPECT_EQ(observed.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StrContains(observed.status().message(), "is forbidden")) << observed.status();
}

TEST_F(KubernetesDriverTest, MissingBackendRefIsNotFound) {
  json route = HttpRoute(100, 0);
  route["spec"]["rules"][0]["backendRefs"].erase(1);
  api_.Put(kRoutePath, route);
  auto driver = Driver(KubeTrafficMode::kHttpRoute);
  auto observed = driver->SetTrafficSplit(Split(10));
  EXPECT_EQ(observed.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(observed.status().message(), "demo-v2")) << observed.status();
  EXPECT_TRUE(api_.Patches().empty());
}

TEST_F(KubernetesDriverTest, UnreachableApiServerIsUnavailable) {
  KubernetesConfig config;
  config.api_server = "http://127.0.0.1:1";
  config.token_file = token_file_;
  config.timeout = absl::Seconds(1);
  config.services["demo"].httproute = "demo";
  config.services["demo"].backend_refs = {{"v1", "a"}, {"v2", "b"}};
  auto driver = KubernetesDriver::Create(config);
  ASSERT_TRUE(driver.ok());
  auto observed = (*driver)->SetTrafficSplit(Split(10));
  EXPECT_EQ(observed.status().code(), absl::StatusCode::kUnavailable) << observed.status();
}

TEST(ReplicaSplitTest, CanaryRoundsUpAndStableKeepsOneWhileServing) {
  EXPECT_EQ(ReplicaSplit(4, 0), std::make_pair(4, 0));
  EXPECT_EQ(ReplicaSplit(4, 10), std::make_pair(3, 1));
  EXPECT_EQ(ReplicaSplit(4, 50), std::make_pair(2, 2));
  EXPECT_EQ(ReplicaSplit(4, 99), std::make_pair(1, 4));
  EXPECT_EQ(ReplicaSplit(4, 100), std::make_pair(0, 4));
}

}  // namespace
}  // namespace conclave::devops
