#include "supervisor/ctl/options.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace conclave::ctl {
namespace {

Environment FakeEnvironment(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

absl::StatusOr<Options> Parse(std::vector<std::string> args,
                              std::map<std::string, std::string> env = {}) {
  return ParseCommandLine(args, FakeEnvironment(std::move(env)));
}

TEST(ParseCommandLineTest, SubmitTakesFlagsAndPaths) {
  absl::StatusOr<Options> o =
      Parse({"--addr", "h:1", "submit", "--service=checkout", "--env", "prod", "--title",
             "Fix login", "--author", "bob", "--version", "v2", "--base_version", "v1", "--wait",
             "--json", "a.py", "src"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, Command::kSubmit);
  EXPECT_EQ(o->addr, "h:1");
  EXPECT_EQ(o->service, "checkout");
  EXPECT_EQ(o->environment, "prod");
  EXPECT_EQ(o->title, "Fix login");
  EXPECT_EQ(o->author, "bob");
  EXPECT_EQ(o->version, "v2");
  EXPECT_EQ(o->base_version, "v1");
  EXPECT_TRUE(o->wait);
  EXPECT_TRUE(o->json);
  EXPECT_EQ(o->paths, (std::vector<std::string>{"a.py", "src"}));
}

TEST(ParseCommandLineTest, SubmitDefaultsComeFromTheEnvironment) {
  absl::StatusOr<Options> o =
      Parse({"submit", "."},
            {{"CONCLAVE_SERVICE", "cart"}, {"CONCLAVE_ENV", "staging"}, {"USER", "alice"}});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->service, "cart");
  EXPECT_EQ(o->environment, "staging");
  EXPECT_EQ(o->author, "alice");
  EXPECT_FALSE(o->wait);

  o = Parse({"submit", "."});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->service, "default");
  EXPECT_EQ(o->environment, "dev");
}

TEST(ParseCommandLineTest, FlagBeatsEnvironment) {
  absl::StatusOr<Options> o =
      Parse({"submit", "--service", "web", "."}, {{"CONCLAVE_SERVICE", "cart"}});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->service, "web");
}

TEST(ParseCommandLineTest, GlobalFlagsGoBeforeOrAfterTheCommand) {
  absl::StatusOr<Options> o =
      Parse({"list", "--timeout", "2m", "--state", "decided", "--limit=7", "--addr=x:9"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, Command::kList);
  EXPECT_EQ(o->timeout, absl::Minutes(2));
  EXPECT_EQ(o->state, conclave::v1::CHANGE_STATE_DECIDED);
  EXPECT_EQ(o->limit, 7);
  EXPECT_EQ(o->addr, "x:9");
}

TEST(ParseCommandLineTest, TimeoutAcceptsBareSeconds) {
  absl::StatusOr<Options> o = Parse({"--timeout", "5", "get", "chg_1"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->timeout, absl::Seconds(5));
  EXPECT_EQ(o->change_id, "chg_1");
}

TEST(ParseCommandLineTest, AuditForms) {
  absl::StatusOr<Options> o = Parse({"audit", "verify"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, Command::kAuditVerify);

  o = Parse({"audit", "chg_9"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, Command::kAudit);
  EXPECT_EQ(o->change_id, "chg_9");

  o = Parse({"audit", "--all"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_TRUE(o->all);

  EXPECT_FALSE(Parse({"audit"}).ok());
  EXPECT_FALSE(Parse({"audit", "--all", "chg_9"}).ok());
}

TEST(ParseCommandLineTest, HelpAnywhereAsksForTheCommandsUsage) {
  absl::StatusOr<Options> o = Parse({"submit", "--service", "x", "--help", "a.py"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, Command::kHelp);
  EXPECT_EQ(o->help_topic, "submit");

  o = Parse({"-h"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->help_topic, "");

  o = Parse({"help", "watch"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, Command::kHelp);
  EXPECT_EQ(o->help_topic, "watch");
}

TEST(ParseCommandLineTest, RolloutCommandsTakeAnId) {
  const std::pair<std::string, Command> cases[] = {
      {"watch", Command::kRolloutWatch},       {"approve", Command::kRolloutApprove},
      {"promote", Command::kRolloutPromote},   {"pause", Command::kRolloutPause},
      {"resume", Command::kRolloutResume},     {"abort", Command::kRolloutAbort},
      {"rollback", Command::kRolloutRollback}, {"status", Command::kRolloutStatus},
  };
  for (const auto& [name, command] : cases) {
    absl::StatusOr<Options> o = Parse({"--json", "rollout", name, "ro_1"});
    ASSERT_TRUE(o.ok()) << name << ": " << o.status();
    EXPECT_EQ(o->command, command) << name;
    EXPECT_EQ(o->rollout_id, "ro_1") << name;
    EXPECT_TRUE(o->json) << name;
    EXPECT_EQ(IsRolloutAction(command), name != "watch" && name != "status") << name;
  }
}

TEST(ParseCommandLineTest, RolloutActionsTakeActorAndReason) {
  absl::StatusOr<Options> o =
      Parse({"rollout", "abort", "chg_7", "--reason", "p99 doubled"}, {{"USER", "alice"}});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, Command::kRolloutAbort);
  EXPECT_EQ(o->rollout_id, "chg_7");
  EXPECT_EQ(o->reason, "p99 doubled");
  EXPECT_EQ(o->actor, "alice");

  o = Parse({"rollout", "rollback", "--actor=bob", "ro_2"}, {{"USER", "alice"}});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->actor, "bob");
  EXPECT_EQ(o->reason, "");
}

TEST(ParseCommandLineTest, RolloutStatusListAndWatchFlags) {
  absl::StatusOr<Options> o = Parse({"rollout", "status"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, Command::kRolloutStatus);
  EXPECT_EQ(o->rollout_id, "");

  o = Parse({"rollout", "status", "--service", "cart"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->service, "cart");

  o = Parse({"rollout", "list", "--limit", "3", "--service=web"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, Command::kRolloutList);
  EXPECT_EQ(o->limit, 3);
  EXPECT_EQ(o->service, "web");

  o = Parse({"rollout", "watch", "--wait_timeout", "10m", "ro_1"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->wait_timeout, absl::Minutes(10));
}

TEST(ParseCommandLineTest, KillSwitchOnOffStatus) {
  absl::StatusOr<Options> o =
      Parse({"kill-switch", "--reason", "incident 4711", "on"}, {{"USER", "carol"}});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, Command::kKillSwitchSet);
  EXPECT_TRUE(o->engaged);
  EXPECT_EQ(o->reason, "incident 4711");
  EXPECT_EQ(o->actor, "carol");

  o = Parse({"kill-switch", "off"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, Command::kKillSwitchSet);
  EXPECT_FALSE(o->engaged);

  o = Parse({"kill-switch", "status", "--json"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, Command::kKillSwitchStatus);
}

TEST(ParseCommandLineTest, RolloutHelpTopics) {
  absl::StatusOr<Options> o = Parse({"rollout", "--help"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, Command::kHelp);
  EXPECT_EQ(o->help_topic, "rollout");

  o = Parse({"rollout", "abort", "-h"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->help_topic, "rollout abort");

  o = Parse({"help", "rollout", "watch"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->help_topic, "rollout watch");

  o = Parse({"kill-switch", "on", "--help"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->help_topic, "kill-switch");
}

// Each case: the arguments, and a word the error message must contain.
struct BadCase {
  std::vector<std::string> args;
  std::string expected;
};

TEST(ParseCommandLineTest, MistakesAreExplained) {
  const BadCase cases[] = {
      {{}, "no command"},
      {{"frobnicate"}, "unknown command"},
      {{"submit"}, "PATH"},
      {{"get"}, "one change ID"},
      {{"get", "a", "b"}, "one change ID"},
      {{"watch"}, "one change ID"},
      {{"list", "extra"}, "no arguments"},
      {{"list", "--state", "done"}, "accepted, reviewing or decided"},
      {{"list", "--limit", "0"}, "1 to 1000"},
      {{"list", "--limit", "many"}, "1 to 1000"},
      {{"list", "--wait"}, "unknown flag --wait for list"},
      {{"--service", "x", "submit", "."}, "unknown flag --service"},
      {{"submit", "--service"}, "needs a value"},
      {{"submit", "--wait=yes", "."}, "takes no value"},
      {{"get", "--timeout", "soon", "c"}, "duration"},
      {{"get", "--timeout", "-1s", "c"}, "positive"},
      {{"get", "-x", "c"}, "unknown flag -x"},
      {{"rollout"}, "rollout expects a command"},
      {{"rollout", "frob"}, "unknown command \"rollout frob\""},
      {{"rollout", "watch"}, "one rollout or change ID"},
      {{"rollout", "abort", "a", "b"}, "one rollout or change ID"},
      {{"rollout", "status", "a", "b"}, "at most one rollout or change ID"},
      {{"rollout", "list", "x"}, "no arguments"},
      {{"rollout", "list", "--limit", "0"}, "1 to 1000"},
      {{"rollout", "list", "--reason", "x"}, "unknown flag --reason for rollout list"},
      {{"rollout", "watch", "--reason", "x", "ro_1"}, "unknown flag --reason for rollout watch"},
      {{"rollout", "--reason", "x", "abort", "ro_1"}, "unknown flag --reason for rollout"},
      {{"rollout", "pause", "--wait_timeout", "1s", "ro_1"}, "unknown flag --wait_timeout"},
      {{"rollout", "abort", "--reason"}, "needs a value"},
      {{"kill-switch"}, "on, off or status"},
      {{"kill-switch", "maybe"}, "on, off or status"},
      {{"kill-switch", "on", "off"}, "on, off or status"},
      {{"kill-switch", "status", "--reason", "x"}, "takes no --reason"},
      {{"get", "--reason", "x", "c"}, "unknown flag --reason for get"},
  };
  for (const BadCase& c : cases) {
    absl::StatusOr<Options> o = Parse(c.args);
    ASSERT_FALSE(o.ok()) << "accepted: " << testing::PrintToString(c.args);
    EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(o.status().message().find(c.expected), std::string::npos)
        << o.status() << " for " << testing::PrintToString(c.args);
  }
}

TEST(ParseCommandLineTest, DoubleDashEndsFlags) {
  absl::StatusOr<Options> o = Parse({"submit", "--", "--weird-name.py"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->paths, std::vector<std::string>{"--weird-name.py"});
}

TEST(UsageTextTest, EveryCommandHasItsOwnUsage) {
  for (const char* command : {"submit", "get", "list", "watch", "audit"}) {
    const std::string usage = UsageText(command);
    EXPECT_NE(usage.find(std::string("conclavectl ") + command), std::string::npos) << usage;
    EXPECT_NE(usage, UsageText(""));
  }
  EXPECT_NE(UsageText("").find("Exit status"), std::string::npos);
}

TEST(UsageTextTest, EveryRolloutCommandHasItsOwnUsage) {
  for (const char* command :
       {"status", "list", "watch", "approve", "promote", "pause", "resume", "abort", "rollback"}) {
    const std::string topic = std::string("rollout ") + command;
    const std::string usage = UsageText(topic);
    EXPECT_NE(usage.find("Usage: conclavectl " + topic), std::string::npos) << usage;
  }
  EXPECT_NE(UsageText("rollout").find("Usage: conclavectl rollout COMMAND"), std::string::npos);
  EXPECT_NE(UsageText("rollout abort").find("--reason R"), std::string::npos);
  EXPECT_NE(UsageText("rollout watch").find("Exit 0 when it SUCCEEDED, 1 when it was ROLLED_BACK"),
            std::string::npos);
  EXPECT_NE(UsageText("kill-switch").find("conclavectl kill-switch on|off"), std::string::npos);
  EXPECT_NE(UsageText("").find("rollout watch ID"), std::string::npos);
  EXPECT_NE(UsageText("").find("kill-switch on|off|status"), std::string::npos);
}

class ResolveAddressTest : public testing::Test {
 protected:
  void SetUp() override {
    checkout_ = std::filesystem::path(testing::TempDir()) /
                ("ctl_addr_" + std::to_string(::getpid()) + "_" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(checkout_);
    std::filesystem::create_directories(checkout_ / "var" / "run");
    std::filesystem::create_directories(checkout_ / "build" / "bin");
    executable_ = (checkout_ / "build" / "bin" / "conclavectl").string();
  }
  void TearDown() override { std::filesystem::remove_all(checkout_); }

  void WriteAddressFile(const std::string& text) {
    std::ofstream(checkout_ / "var" / "run" / "supervisor.addr") << text;
  }

  std::filesystem::path checkout_;
  std::string executable_;
};

TEST_F(ResolveAddressTest, FlagThenEnvironmentThenFileThenDefault) {
  WriteAddressFile("127.0.0.1:45678\n");
  const Environment with_env = FakeEnvironment({{"CONCLAVE_ADDR", "env:1"}});
  const Environment without = FakeEnvironment({});
  EXPECT_EQ(ResolveAddress("flag:1", with_env, executable_), "flag:1");
  EXPECT_EQ(ResolveAddress("", with_env, executable_), "env:1");
  EXPECT_EQ(ResolveAddress("", without, executable_), "127.0.0.1:45678");
  std::filesystem::remove(checkout_ / "var" / "run" / "supervisor.addr");
  EXPECT_EQ(ResolveAddress("", without, executable_), kDefaultAddress);
}

TEST_F(ResolveAddressTest, ReadsTheJsonAddressFileOfProcesses) {
  WriteAddressFile(R"({"grpc": "127.0.0.1:5001", "http": "127.0.0.1:5002"})");
  EXPECT_EQ(ResolveAddress("", FakeEnvironment({}), executable_), "127.0.0.1:5001");
}

TEST_F(ResolveAddressTest, AnUnusableFileFallsBackToTheDefault) {
  WriteAddressFile("{\"http\": \"x:1\"}");
  EXPECT_EQ(ReadAddressFile(AddressFileFor(executable_)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolveAddress("", FakeEnvironment({}), executable_), kDefaultAddress);
}

TEST(AddressFileForTest, TwoDirectoriesAboveTheBinary) {
  EXPECT_EQ(AddressFileFor("/src/conclave/build/bin/conclavectl"),
            "/src/conclave/var/run/supervisor.addr");
}

}  // namespace
}  // namespace conclave::ctl
