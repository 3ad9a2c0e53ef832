#include "agents/analysis/reviewer_main.h"

#include <iostream>
#include <string>
#include <vector>

#include "agents/analysis/analysis_reviewer.h"
#include "agents/analysis/scan.h"
#include "common/runtime/reviewer_server.h"

namespace conclave::analysis {
namespace {

int Serve(std::unique_ptr<RulePack> pack, std::vector<char*> args) {
  return runtime::RunReviewerServer(std::make_unique<AnalysisReviewer>(std::move(pack)),
                                    static_cast<int>(args.size()), args.data());
}

int PrintHelp(std::unique_ptr<RulePack> pack, char* argv0) {
  const std::string program = "conclave-" + std::string(pack->reviewer());
  std::cout << "usage: " << program << " scan [options] PATH...   analyze files, print findings\n"
            << "       " << program << " [serve] [flags]            serve the reviewer\n\n"
            << ScanUsage(program) << "\n";
  static char help_flag[] = "--help";
  std::cout.flush();
  return Serve(std::move(pack), {argv0, help_flag});
}

}  // namespace

int ReviewerMain(std::unique_ptr<RulePack> pack, int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "scan") {
    return RunScan(*pack, std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
  }
  if (command == "help" || command == "--help" || command == "-h") {
    return PrintHelp(std::move(pack), argv[0]);
  }
  // The server's flag parser sees the program name and flags only.
  std::vector<char*> args(argv, argv + argc);
  if (command == "serve") args.erase(args.begin() + 1);
  return Serve(std::move(pack), std::move(args));
}

}  // namespace conclave::analysis
