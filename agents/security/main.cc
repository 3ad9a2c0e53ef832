// conclave-security: the security reviewer. `scan PATH...` analyzes files on disk; `serve`
// (or flags alone) serves reviews over gRPC and NATS. See docs/REVIEWERS.md.
#include "agents/analysis/reviewer_main.h"
#include "agents/security/security_pack.h"

int main(int argc, char** argv) {
  return conclave::analysis::ReviewerMain(conclave::security::NewSecurityPack(), argc, argv);
}
