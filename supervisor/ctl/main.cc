// conclavectl: parses the command line, finds the supervisor, runs the command.
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "supervisor/ctl/commands.h"
#include "supervisor/ctl/exit_codes.h"
#include "supervisor/ctl/options.h"

namespace {

std::string ExecutablePath() {
  std::error_code ec;
  const std::filesystem::path path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "" : path.string();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace conclave::ctl;
  const std::vector<std::string> args(argv + 1, argv + argc);
  const Environment env = ProcessEnvironment();
  absl::StatusOr<Options> options = ParseCommandLine(args, env);
  if (!options.ok()) {
    std::cerr << "conclavectl: " << options.status().message() << "\n";
    return kExitError;
  }
  if (options->command == Command::kHelp) {
    std::cout << UsageText(options->help_topic);
    return kExitOk;
  }
  options->addr = ResolveAddress(options->addr, env, ExecutablePath());
  auto stub = conclave::v1::Supervisor::NewStub(
      grpc::CreateChannel(options->addr, grpc::InsecureChannelCredentials()));
  Commands commands(stub.get(), &std::cout, &std::cerr);
  return commands.Run(*options);
}
