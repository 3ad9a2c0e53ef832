// The policies shipped with the Kubernetes manifests load, and the base policy stays the same
// file as deploy/local/policy.yaml, so the cluster and the local system decide alike.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "supervisor/core/policy.h"

namespace conclave {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("CONCLAVE_SOURCE_DIR");
  return dir != nullptr ? dir : CONCLAVE_SOURCE_DIR_DEFAULT;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(K8sPolicyTest, EveryShippedPolicyLoads) {
  for (const char* file : {"deploy/k8s/base/policy.yaml", "deploy/k8s/overlays/dev/policy.yaml"}) {
    const std::string path = SourceDir() + "/" + file;
    absl::StatusOr<supervisor::Policy> policy = supervisor::Policy::LoadFile(path);
    EXPECT_TRUE(policy.ok()) << path << ": " << policy.status();
  }
}

TEST(K8sPolicyTest, BasePolicyIsTheLocalPolicy) {
  const std::string base = ReadFile(SourceDir() + "/deploy/k8s/base/policy.yaml");
  ASSERT_FALSE(base.empty());
  EXPECT_EQ(base, ReadFile(SourceDir() + "/deploy/local/policy.yaml"))
      << "copy deploy/local/policy.yaml to deploy/k8s/base/policy.yaml";
}

}  // namespace
}  // namespace conclave
