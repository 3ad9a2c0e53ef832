// conclave-rules-doc: generates the rule catalogue (docs/RULES.md) from the three packs'
// RuleSpecs and the labelled corpus.
//   conclave-rules-doc [--corpus DIR] [--output FILE | --check FILE]
// Without --output or --check the catalogue goes to standard output. --check exits 1 when FILE
// differs from the generated text and prints the command that regenerates it.
// Exit status: 0 written or up to date, 1 stale, 2 usage or I/O error.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "agents/architecture/architecture_pack.h"
#include "agents/performance/performance_pack.h"
#include "agents/security/security_pack.h"
#include "tools/rules_doc/rules_doc.h"

namespace {

constexpr char kUsage[] =
    "usage: conclave-rules-doc [--corpus DIR] [--output FILE | --check FILE]\n"
    "Generates the rule catalogue from every reviewer's rules, with examples from the\n"
    "labelled corpus (default tests/corpus).\n"
    "  --output FILE  write it to FILE (default: standard output)\n"
    "  --check FILE   exit 1 when FILE differs from the generated text\n";

// The first line where two texts differ (1-based).
int FirstDifference(const std::string& a, const std::string& b) {
  int line = 1;
  for (size_t i = 0; i < a.size() && i < b.size() && a[i] == b[i]; ++i) {
    if (a[i] == '\n') ++line;
  }
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace conclave;
  std::string corpus_dir = "tests/corpus", output, check;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    std::string* slot = arg == "--corpus"   ? &corpus_dir
                        : arg == "--output" ? &output
                        : arg == "--check"  ? &check
                                            : nullptr;
    if (slot == nullptr || i + 1 >= argc) {
      std::cerr << "conclave-rules-doc: "
                << (slot == nullptr ? "unknown argument " : "missing value for ") << arg << "\n"
                << kUsage;
      return 2;
    }
    *slot = argv[++i];
  }
  if (!output.empty() && !check.empty()) {
    std::cerr << "conclave-rules-doc: --output and --check exclude each other\n" << kUsage;
    return 2;
  }
  absl::StatusOr<std::vector<corpus::Case>> cases = corpus::LoadCorpus(corpus_dir);
  if (!cases.ok()) {
    std::cerr << "conclave-rules-doc: " << cases.status().message() << "\n";
    return 2;
  }
  const std::unique_ptr<analysis::RulePack> security = security::NewSecurityPack();
  const std::unique_ptr<analysis::RulePack> performance = performance::NewPerformancePack();
  const std::unique_ptr<analysis::RulePack> architecture = architecture::NewArchitecturePack();
  const analysis::RulePack* packs[] = {security.get(), performance.get(), architecture.get()};
  const std::string doc = rules_doc::GenerateRulesDoc(packs, *cases);

  if (!check.empty()) {
    std::ifstream in(check, std::ios::binary);
    std::ostringstream current;
    current << in.rdbuf();
    if (in && current.str() == doc) {
      std::cout << check << " is up to date\n";
      return 0;
    }
    std::cerr << check
              << (in ? " differs from the generated catalogue (first at line " +
                           std::to_string(FirstDifference(current.str(), doc)) + ")"
                     : " cannot be read")
              << ". Regenerate it from the repository root with:\n  "
              << rules_doc::kRegenerateCommand << "\n";
    return 1;
  }
  if (output.empty()) {
    std::cout << doc;
    return 0;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << doc;
  out.close();
  if (!out) {
    std::cerr << "conclave-rules-doc: cannot write " << output << "\n";
    return 2;
  }
  std::cout << "wrote " << output << "\n";
  return 0;
}
