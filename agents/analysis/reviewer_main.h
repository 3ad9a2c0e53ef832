// ReviewerMain: the whole main() of a reviewer executable (conclave-security,
// conclave-performance, conclave-architecture), so that each agent's main.cc is one line:
//   return conclave::analysis::ReviewerMain(NewSecurityPack(), argc, argv);
// `scan ...` runs the standalone scan (scan.h); `serve [flags]` or flags alone serve the
// reviewer over gRPC and the bus; `help`, `--help` or `-h` print both usages.
#pragma once

#include <memory>

#include "agents/analysis/rule_pack.h"

namespace conclave::analysis {

int ReviewerMain(std::unique_ptr<RulePack> pack, int argc, char** argv);

}  // namespace conclave::analysis
