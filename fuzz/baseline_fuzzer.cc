// Fuzz target: the baseline file reader (agents/analysis/baseline.h) on arbitrary bytes, then a
// lookup, and the line index and fingerprint the scan computes over a file's text.
#include <string>
#include <string_view>

#include "agents/analysis/baseline.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  conclave::v1::Finding finding;
  finding.set_rule_id("SEC002");
  finding.set_file("app/db.py");
  finding.set_line(12);
  finding.set_message("SQL built from request.args (line 10) reaches cursor.execute");
  absl::StatusOr<conclave::analysis::Baseline> baseline = conclave::analysis::Baseline::Parse(text);
  if (baseline.ok()) {
    if (baseline->entries() < 0) __builtin_trap();
    (void)baseline->Hides(finding, conclave::analysis::FindingFingerprint(finding, "x"));
  } else if (baseline.status().message().empty()) {
    __builtin_trap();  // a rejected baseline always says why
  }
  const conclave::analysis::SourceLines lines(text);
  for (int line : {-1, 0, 1, 2, 12, 1 << 30}) {
    const std::string_view l = lines.Line(line);
    if (!l.empty() && (l.data() < text.data() || l.data() + l.size() > text.data() + text.size())) {
      __builtin_trap();
    }
  }
  (void)conclave::analysis::FindingFingerprint(finding, lines.Line(1));
  return 0;
}
