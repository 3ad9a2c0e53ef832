// Fuzz target: the hand-written parser of inline suppression comments ("# nosec SEC001",
// "# conclave: ignore[SEC001,PERF002]") on arbitrary comment text.
#include <string_view>

#include "agents/analysis/suppressions.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view comment(reinterpret_cast<const char*>(data), size);
  const auto parsed = conclave::analysis::ParseSuppressionComment(comment);
  if (parsed.has_value()) {
    // A suppression either covers every rule or names at least one.
    if (!parsed->all_rules && parsed->rule_ids.empty()) __builtin_trap();
    for (const std::string& id : parsed->rule_ids) {
      if (id.empty() || id.size() > size) __builtin_trap();
      if (!parsed->Covers(id)) __builtin_trap();
    }
    (void)parsed->Covers("SEC001");
  }
  return 0;
}
