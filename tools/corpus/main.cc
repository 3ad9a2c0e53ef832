// conclave-corpus: scores the three reviewers against the labelled corpus (docs/CORPUS.md).
//   conclave-corpus [--verbose] [--min-precision P] [--min-recall R] [CORPUS_DIR]
// CORPUS_DIR defaults to tests/corpus. Prints TP/FP/FN, precision and recall per rule and per
// reviewer. Exit status: 0 when every reviewer meets the thresholds and every marker names a
// known rule, 1 when not, 2 on a usage or I/O error.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "agents/architecture/architecture_pack.h"
#include "agents/performance/performance_pack.h"
#include "agents/security/security_pack.h"
#include "tools/corpus/corpus.h"

namespace {

constexpr char kUsage[] =
    "usage: conclave-corpus [--verbose] [--min-precision P] [--min-recall R] [CORPUS_DIR]\n"
    "Runs every reviewer's rules over every case of the labelled corpus (default tests/corpus)\n"
    "and prints true/false positives, false negatives, precision and recall per rule and per\n"
    "reviewer. Each CORPUS_DIR/<reviewer>/<case>/ is reviewed as one change; expected findings\n"
    "are marked on their line: `# expect: SEC002` (Python), `// expect: SEC101` (JavaScript).\n"
    "  --verbose          list every false positive and false negative (otherwise only those\n"
    "                     of reviewers below a threshold)\n"
    "  --min-precision P  fail when a reviewer's precision is below P (default 0.90)\n"
    "  --min-recall R     fail when a reviewer's recall is below R (default 0.85)\n"
    "Exit status: 0 pass, 1 a reviewer below a threshold or a marker naming an unknown rule,\n"
    "2 usage or I/O error.\n";

bool ParseRatio(const std::string& text, double& out) {
  return absl::SimpleAtod(text, &out) && out >= 0.0 && out <= 1.0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace conclave;
  corpus::Thresholds thresholds;
  bool verbose = false;
  std::string root = "tests/corpus";
  bool root_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--verbose" || arg == "-v") {
      verbose = true;
    } else if (arg == "--min-precision" || arg == "--min-recall") {
      double& slot = arg == "--min-precision" ? thresholds.min_precision : thresholds.min_recall;
      if (i + 1 >= argc || !ParseRatio(argv[i + 1], slot)) {
        std::cerr << "conclave-corpus: " << arg << " takes a number from 0 to 1\n" << kUsage;
        return 2;
      }
      ++i;
    } else if (!arg.empty() && arg[0] == '-') {
      std::cerr << "conclave-corpus: unknown option " << arg << "\n" << kUsage;
      return 2;
    } else if (root_given) {
      std::cerr << "conclave-corpus: one corpus directory only\n" << kUsage;
      return 2;
    } else {
      root = arg;
      root_given = true;
    }
  }
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<corpus::Case>> cases = corpus::LoadCorpus(root);
  if (!cases.ok()) {
    std::cerr << "conclave-corpus: " << cases.status().message() << "\n";
    return 2;
  }
  const std::unique_ptr<analysis::RulePack> security = security::NewSecurityPack();
  const std::unique_ptr<analysis::RulePack> performance = performance::NewPerformancePack();
  const std::unique_ptr<analysis::RulePack> architecture = architecture::NewArchitecturePack();
  const analysis::RulePack* packs[] = {security.get(), performance.get(), architecture.get()};
  const corpus::Score score = corpus::ScoreCorpus(packs, *cases);
  std::cout << "conclave-corpus: " << root << " in "
            << absl::FormatDuration(absl::Trunc(absl::Now() - start, absl::Milliseconds(1))) << ": "
            << corpus::FormatReport(score, thresholds, verbose);
  const bool pass = corpus::Passes(score, thresholds);
  std::cout << (pass ? "PASS\n" : "FAIL\n");
  return pass ? 0 : 1;
}
