// Runs the built conclave-security executable on the shipped examples, as CI and the demo do.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

struct ScanRun {
  int exit_code = -1;
  std::string output;
};

ScanRun Scan(const std::string& args) {
  const char* bin = std::getenv("CONCLAVE_BIN_DIR");
  // conclave_cc_test's ENVIRONMENT list sets only its first variable, so the source tree also
  // comes from the build.
  const char* src = std::getenv("CONCLAVE_SOURCE_DIR");
  if (src == nullptr) src = CONCLAVE_TEST_SOURCE_DIR;
  if (bin == nullptr || src == nullptr) return {};
  const std::string command =
      std::string("cd '") + src + "' && '" + bin + "/conclave-security' scan " + args + " 2>&1";
  ScanRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    run.output = std::string("popen failed: ") + std::strerror(errno);
    return run;
  }
  std::array<char, 4096> buffer;
  while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe))
    run.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  if (status == -1) run.output += std::string("pclose failed: ") + std::strerror(errno);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(SecurityBinaryTest, ExamplesGetTheExpectedExitCodes) {
  ASSERT_NE(std::getenv("CONCLAVE_BIN_DIR"), nullptr);
  const ScanRun eval = Scan("examples/eval-request");
  EXPECT_EQ(eval.exit_code, 1) << eval.output;
  EXPECT_NE(eval.output.find("examples/eval-request/calculator.py:12:14: CRITICAL SEC001"),
            std::string::npos)
      << eval.output;
  const ScanRun clean = Scan("examples/clean-change");
  EXPECT_EQ(clean.exit_code, 0) << clean.output;
  const ScanRun long_function = Scan("examples/long-function");
  EXPECT_EQ(long_function.exit_code, 0) << long_function.output;
  const ScanRun critical_only = Scan("--fail-on critical --format sarif examples/eval-request");
  EXPECT_EQ(critical_only.exit_code, 1);
  EXPECT_NE(critical_only.output.find("\"ruleId\": \"SEC001\""), std::string::npos);
}

TEST(SecurityBinaryTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Scan("").exit_code, 2);
  EXPECT_EQ(Scan("examples/does-not-exist").exit_code, 2);
}

}  // namespace
