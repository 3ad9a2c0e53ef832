// The `scan` command of every reviewer executable: analyzes files and directories on disk with
// the same per-file analysis as the reviewer (file_analysis.h) and reports in text, JSON or
// SARIF 2.1.0, for CI and pre-commit use without a running system. A scan is one change: the
// pack's change-level rules (import cycles, duplicated blocks) run over every file scanned. Exit status: 0 when no
// finding is at or above --fail-on, 1 when one is, 2 on a usage or I/O error.
// RunScan reads the file system and writes to the given streams; call it from one thread (it
// analyzes files on --jobs threads of its own).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "agents/analysis/rule_pack.h"
#include "conclave/v1/change.pb.h"

namespace conclave::analysis {

inline constexpr int kMaxScanJobs = 256;

// The number of hardware threads (at least 1).
int DefaultScanJobs();

enum class ScanFormat { kText, kJson, kSarif };

struct ScanOptions {
  ScanFormat format = ScanFormat::kText;
  // Exit 1 when a finding is at least this severe. LOW by default: every finding of a rule
  // fails the scan, while INFO notes (a file of unknown language, a diff that cannot parse on
  // its own) do not.
  conclave::v1::Severity fail_on = conclave::v1::SEVERITY_LOW;
  std::string output;          // empty: standard output
  std::string baseline;        // --baseline: hide the findings this JSON report holds
  std::string write_baseline;  // --write-baseline: write the findings as a baseline
  std::string policy;          // --policy: the policy file whose `review:` section applies
  std::vector<std::string> paths;
  // Files analyzed at once; the report does not depend on it.
  int jobs = DefaultScanJobs();
  bool help = false;
};

inline constexpr int kScanClean = 0;
inline constexpr int kScanFindings = 1;
inline constexpr int kScanUsageError = 2;

// Parses the arguments after `scan`. InvalidArgument naming the option on a usage error.
absl::StatusOr<ScanOptions> ParseScanArgs(const std::vector<std::string>& args);

std::string ScanUsage(std::string_view program);

// Runs `<program> scan ARGS...` and returns the exit status. Reports go to `out` (or to
// --output), errors and usage messages to `err`.
int RunScan(const RulePack& pack, const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err);

}  // namespace conclave::analysis
