// conclave-performance: the performance reviewer (`scan` or `serve`; see --help).
#include "agents/analysis/reviewer_main.h"
#include "agents/performance/performance_pack.h"

int main(int argc, char** argv) {
  return conclave::analysis::ReviewerMain(conclave::performance::NewPerformancePack(), argc, argv);
}
