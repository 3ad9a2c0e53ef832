// The agent-process scaffolding without a bus: the command line's exit codes (--help 0, usage
// errors 2), and a --nobus process that serves, writes its address file, and shuts down
// cleanly when asked.
#include "common/runtime/agent_process.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "common/runtime/signals.h"
#include "gtest/gtest.h"

namespace conclave::runtime {
namespace {

constexpr char kProgram[] = "conclave-test-agent";

// Parses `args` (after the program name) as an agent with the process and bus flags would.
std::optional<int> Parse(std::vector<std::string> args, const std::string& mode = "") {
  flags::FlagSet flags(kProgram, "[flags]\n\nA test agent.");
  ProcessOptions process;
  AgentBusOptions bus;
  DefineProcessFlags(flags, &process);
  DefineAgentBusFlags(flags, &bus, "Consume tasks from NATS.");
  args.insert(args.begin(), kProgram);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return ParseAgentCommandLine(flags, kProgram, process, static_cast<int>(argv.size()), argv.data(),
                               mode);
}

TEST(ParseAgentCommandLineTest, HelpPrintsUsageAndExitsZero) {
  ::testing::internal::CaptureStdout();
  const std::optional<int> exit_code = Parse({"--help"});
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(exit_code, 0);
  EXPECT_TRUE(absl::StrContains(out, "Usage: conclave-test-agent [flags]")) << out;
  EXPECT_TRUE(absl::StrContains(out, "--max_deliver")) << out;
}

TEST(ParseAgentCommandLineTest, UsageErrorsExitTwo) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(Parse({"--no_such_flag"}), 2);
  EXPECT_EQ(Parse({"--workers=many"}), 2);
  EXPECT_EQ(Parse({"extra"}), 2);
  EXPECT_EQ(Parse({"serve"}), 2) << "no mode accepted";
  EXPECT_EQ(Parse({"serve", "extra"}, "serve"), 2);
  EXPECT_EQ(Parse({"--log_level=loud"}), 2);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(
      absl::StrContains(err, "conclave-test-agent: unexpected argument 'extra' (see --help)\n"))
      << err;
  EXPECT_TRUE(absl::StrContains(err, "unknown flag --no_such_flag (see --help)\n")) << err;
  EXPECT_TRUE(absl::StrContains(err, "--workers=many")) << err;
  EXPECT_FALSE(absl::StrContains(err, "(see --help) (see --help)")) << err;
}

TEST(ParseAgentCommandLineTest, FlagsAndTheModeGoOn) {
  EXPECT_EQ(Parse({"--workers=3", "--nobus", "--log_level=warn"}), std::nullopt);
  EXPECT_EQ(Parse({"serve", "--ack_wait=5s"}, "serve"), std::nullopt);
}

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name + "." + std::to_string(::getpid());
}

TEST(AgentProcessTest, HttpListenerFailureExitsOne) {
  ProcessOptions process;
  process.http_addr = "no-port-here";
  AgentProcess agent({kProgram, "test", "task consumer", "tasks"}, process, {.bus = false});
  EXPECT_EQ(agent.Serve({.log_serving = [](const std::string&, const std::string&) {}}), 1);
}

TEST(AgentProcessTest, WithoutBusServesWritesAddressesAndStopsCleanly) {
  ProcessOptions process;
  process.addr_file = TempPath("agent_process_test.addr");
  AgentProcess agent({kProgram, "test", "task consumer", "tasks"}, process, {.bus = false});
  bool bus_started = false;
  bool bus_stopped = false;
  std::string grpc_addr, http_addr;
  absl::Notification serving;
  int exit_code = -1;
  std::thread server([&] {
    exit_code = agent.Serve({
        .start_bus =
            [&](bus::Bus*, bus::PullConsumer*) {
              bus_started = true;
              return absl::OkStatus();
            },
        .stop_bus = [&] { bus_stopped = true; },
        .log_serving =
            [&](const std::string& grpc, const std::string& http) {
              grpc_addr = grpc;
              http_addr = http;
              serving.Notify();
            },
    });
  });
  ASSERT_TRUE(serving.WaitForNotificationWithTimeout(absl::Seconds(30)));
  std::stringstream file;
  file << std::ifstream(process.addr_file).rdbuf();
  EXPECT_EQ(file.str(), "{\"grpc\":\"" + grpc_addr + "\",\"http\":\"" + http_addr + "\"}\n");
  EXPECT_TRUE(absl::StartsWith(grpc_addr, "127.0.0.1:")) << grpc_addr;
  RequestShutdown();
  server.join();
  std::remove(process.addr_file.c_str());
  EXPECT_EQ(exit_code, 0);
  EXPECT_FALSE(bus_started);
  EXPECT_FALSE(bus_stopped);
}

}  // namespace
}  // namespace conclave::runtime
