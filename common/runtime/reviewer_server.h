// The reviewer agent process: serves one Reviewer over gRPC (with health and reflection), over
// the bus (durable pull consumer "<name>" on conclave.task.<name>.>), and /metrics + /healthz
// over HTTP, until SIGTERM. Flags are parsed from argv (see --help) with CONCLAVE_* fallbacks.
#pragma once

#include <memory>

#include "common/runtime/reviewer.h"

namespace conclave::runtime {

// Runs the `serve` mode of a reviewer executable. argv[0] is the program name; the remaining
// arguments are flags. Returns the process exit code (0 after a clean SIGTERM shutdown).
int RunReviewerServer(std::unique_ptr<Reviewer> reviewer, int argc, char** argv);

}  // namespace conclave::runtime
