// The baseline of the `scan` command: a JSON report (`scan --format json`, or
// `--write-baseline FILE`) whose findings a later scan does not report again. A finding matches
// a baseline entry on rule id, path and fingerprint — a hash of the rule id, the text of the
// finding's source line (trimmed) and its message with numbers blanked — so a finding that
// only moved to another line (code added above it) stays hidden. Each entry hides one finding.
// A Baseline belongs to one thread; the free functions are pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "conclave/v1/change.pb.h"

namespace conclave::analysis {

// The lines of a file's text, found once, for looking up many findings' lines.
class SourceLines {
 public:
  explicit SourceLines(std::string_view text);
  // The text of 1-based `line` without its line ending; empty when out of range.
  std::string_view Line(int line) const;

 private:
  std::string_view text_;
  std::vector<uint32_t> starts_;
};

// 16 hex digits; stable across runs, platforms and versions of Conclave.
std::string FindingFingerprint(const conclave::v1::Finding& finding, std::string_view line_text);

class Baseline {
 public:
  // Reads a baseline written by `scan --format json` or `--write-baseline`. NotFound when the
  // file cannot be read, InvalidArgument when it is not such a report.
  static absl::StatusOr<Baseline> Load(const std::string& path);
  static absl::StatusOr<Baseline> Parse(std::string_view json_text);

  // Whether an entry not yet matched hides this finding; the entry is then used up.
  bool Hides(const conclave::v1::Finding& finding, std::string_view fingerprint);
  int entries() const { return entries_; }

 private:
  absl::flat_hash_map<std::string, int> remaining_;  // rule, path, fingerprint → count
  int entries_ = 0;
};

}  // namespace conclave::analysis
