// Fuzz target: the review policy reader (agents/analysis/review_policy.h) — the `review:`
// section of a policy file (YAML through yaml-cpp: severity overrides, layers of path globs) —
// then the layer lookup of a path, and the path-glob matcher on its own. The input's first
// line is the path (and the glob for the matcher); the rest is the policy document.
#include <string>
#include <string_view>
#include <vector>

#include "agents/analysis/file_analysis.h"
#include "agents/analysis/review_policy.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view path = input.substr(0, newline);
  const std::string_view yaml =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  static const std::vector<conclave::analysis::RuleSpec> rules =
      conclave::analysis::AllRules(*conclave::fuzz::AllPacks()[2]);  // architecture: layers
  absl::StatusOr<conclave::analysis::ReviewPolicy> policy =
      conclave::analysis::ReviewPolicy::Parse(yaml, "fuzz.yaml", rules);
  if (policy.ok()) {
    const int layer = policy->LayerOf(path);
    if (layer < -1 || layer >= static_cast<int>(policy->layers().size())) __builtin_trap();
  } else if (policy.status().message().empty()) {
    __builtin_trap();  // a rejected policy always says why
  }
  // The glob matcher alone: the path line split in two at its first space.
  const size_t space = path.find(' ');
  if (space != std::string_view::npos) {
    (void)conclave::analysis::PathGlobMatches(path.substr(0, space), path.substr(space + 1));
  }
  return 0;
}
