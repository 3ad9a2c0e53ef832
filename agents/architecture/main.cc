// conclave-architecture: the architecture reviewer (`scan` or `serve`; see --help).
#include "agents/analysis/reviewer_main.h"
#include "agents/architecture/architecture_pack.h"

int main(int argc, char** argv) {
  return conclave::analysis::ReviewerMain(conclave::architecture::NewArchitecturePack(), argc,
                                          argv);
}
