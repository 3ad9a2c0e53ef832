// The exec driver with real hook scripts: the step reaches the hook only through environment
// variables, a non-zero exit fails the step with the hook's stderr, state is read back
// through get_state, and a step already in place does not run the hook again.
#include "agents/devops/exec_driver.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace conclave::devops {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ExecDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/conclave-exec-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    // set_traffic: records its environment and how often it ran, then writes the state that
    // get_state prints.
    Script("set_traffic.sh",
           "env | grep -E '^CONCLAVE_(OPERATION|SERVICE|STABLE|CANARY|DRY_RUN|CHANGE)' | sort > "
           "\"$HOOK_DIR/env\"\n"
           "echo run >> \"$HOOK_DIR/runs\"\n"
           "printf '%s %s\\n%s %s\\n' \"$CONCLAVE_STABLE_VERSION\" \"$CONCLAVE_STABLE_WEIGHT\" "
           "\"$CONCLAVE_CANARY_VERSION\" \"$CONCLAVE_CANARY_WEIGHT\" > \"$HOOK_DIR/state\"\n");
    Script("scale.sh",
           "env | grep -E '^CONCLAVE_(OPERATION|SERVICE|STABLE|CANARY|DRY_RUN|CHANGE)' | sort > "
           "\"$HOOK_DIR/env\"\n"
           "printf '%s 0 %s\\n%s 0 %s\\n' \"$CONCLAVE_STABLE_VERSION\" "
           "\"$CONCLAVE_STABLE_REPLICAS\" \"$CONCLAVE_CANARY_VERSION\" "
           "\"$CONCLAVE_CANARY_REPLICAS\" > \"$HOOK_DIR/state\"\n");
    Script("get_state.sh", "cat \"$HOOK_DIR/state\" 2>/dev/null || printf 'v1 100\\nv2 0\\n'\n");
    Script("fail.sh", "echo 'lb-ctl: backend demo is locked' >&2\nexit 3\n");
    setenv("HOOK_DIR", dir_.c_str(), 1);
  }
  void TearDown() override { (void)std::system(absl::StrCat("rm -rf '", dir_, "'").c_str()); }

  void Script(const std::string& name, const std::string& body) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << body;
    chmod(path.c_str(), 0755);
  }
  std::string Hook(const std::string& name) const { return dir_ + "/" + name; }

  ExecConfig Config(bool with_state) const {
    ExecConfig config;
    config.set_traffic = {Hook("set_traffic.sh")};
    config.scale = {Hook("scale.sh")};
    if (with_state) config.get_state = {Hook("get_state.sh")};
    config.timeout = absl::Seconds(10);
    return config;
  }

  static SplitTarget Split(int percent) {
    SplitTarget t{{"demo", "v1", "v2"}, percent};
    t.operation_id = "chg-9-step-1";
    t.change_id = "chg-9";
    return t;
  }

  std::string dir_;
};

TEST_F(ExecDriverTest, HookGetsTheStepInEnvironmentVariables) {
  ExecDriver driver(Config(true));
  auto observed = driver.SetTrafficSplit(Split(10));
  ASSERT_TRUE(observed.ok()) << observed.status();
  EXPECT_EQ(ReadFile(dir_ + "/env"),
            "CONCLAVE_CANARY_VERSION=v2\n"
            "CONCLAVE_CANARY_WEIGHT=10\n"
            "CONCLAVE_CHANGE_ID=chg-9\n"
            "CONCLAVE_DRY_RUN=0\n"
            "CONCLAVE_OPERATION=set_traffic_split\n"
            "CONCLAVE_OPERATION_ID=chg-9-step-1\n"
            "CONCLAVE_SERVICE=demo\n"
            "CONCLAVE_STABLE_VERSION=v1\n"
            "CONCLAVE_STABLE_WEIGHT=90\n");
  EXPECT_TRUE(observed->verified);
  EXPECT_TRUE(observed->changed);
  ASSERT_EQ(observed->versions.size(), 2u);
  EXPECT_EQ(observed->versions[0].weight, 90);
  EXPECT_EQ(observed->versions[1].weight, 10);
}

TEST_F(ExecDriverTest, StepAlreadyInPlaceDoesNotRunTheHookAgain) {
  ExecDriver driver(Config(true));
  ASSERT_TRUE(driver.SetTrafficSplit(Split(10)).ok());
  auto again = driver.SetTrafficSplit(Split(10));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(ReadFile(dir_ + "/runs"), "run\n");
}

TEST_F(ExecDriverTest, NonZeroExitFailsTheStepWithTheHooksStderr) {
  ExecConfig config = Config(true);
  config.set_traffic = {Hook("fail.sh")};
  ExecDriver driver(config);
  auto observed = driver.SetTrafficSplit(Split(10));
  ASSERT_FALSE(observed.ok());
  EXPECT_EQ(observed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(observed.status().message(), "exited with status 3"))
      << observed.status();
  EXPECT_TRUE(absl::StrContains(observed.status().message(), "backend demo is locked"))
      << observed.status();
}

TEST_F(ExecDriverTest, WithoutGetStateTheAppliedStateIsReportedUnverified) {
  ExecDriver driver(Config(false));
  auto observed = driver.SetTrafficSplit(Split(25));
  ASSERT_TRUE(observed.ok()) << observed.status();
  EXPECT_FALSE(observed->verified);
  EXPECT_EQ(observed->versions[1].weight, 25);
  auto read = driver.ReadState({"demo", "v1", "v2"});
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->verified);
  EXPECT_EQ(read->versions[1].weight, 25);
}

TEST_F(ExecDriverTest, ScaleHookGetsReplicaCounts) {
  ExecDriver driver(Config(true));
  ReplicaTarget target{{"demo", "v1", "v2"}, 3, 1};
  auto observed = driver.ScaleReplicas(target);
  ASSERT_TRUE(observed.ok()) << observed.status();
  const std::string env = ReadFile(dir_ + "/env");
  EXPECT_TRUE(absl::StrContains(env, "CONCLAVE_OPERATION=scale_replicas\n")) << env;
  EXPECT_TRUE(absl::StrContains(env, "CONCLAVE_STABLE_REPLICAS=3\n")) << env;
  EXPECT_TRUE(absl::StrContains(env, "CONCLAVE_CANARY_REPLICAS=1\n")) << env;
  EXPECT_EQ(observed->versions[0].replicas, 3);
  EXPECT_EQ(observed->versions[1].replicas, 1);
}

TEST_F(ExecDriverTest, DryRunRunsNothingByDefault) {
  ExecDriver driver(Config(true));
  SplitTarget target = Split(50);
  target.dry_run = true;
  auto observed = driver.SetTrafficSplit(target);
  ASSERT_TRUE(observed.ok()) << observed.status();
  EXPECT_EQ(ReadFile(dir_ + "/runs"), "");
  EXPECT_EQ(observed->versions[1].weight, 0);
}

TEST(ParseHookStateTest, RejectsLinesThatAreNotVersionWeight) {
  auto ok = ParseHookState("# comment\nv1 90 3 3\nv2 10\n");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->versions[0].replicas, 3);
  EXPECT_EQ(ParseHookState("v1 ninety\n").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace conclave::devops
