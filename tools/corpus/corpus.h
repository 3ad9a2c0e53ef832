// The labelled corpus (docs/CORPUS.md): cases of Python and JavaScript code whose expected
// findings are marked on their lines (`# expect: SEC002` / `// expect: SEC101`), and the scorer
// that runs every rule pack over every case and counts true positives, false positives and false
// negatives per rule and per reviewer. Each case directory (CORPUS/<reviewer>/<case>/) is one
// change: its files are reviewed together, as the reviewers review a change.
// Pure functions over loaded data, apart from LoadCorpus which reads the file system;
// thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "agents/analysis/rule_pack.h"

namespace conclave::corpus {

// The rule ids of the expectation marker on one line of source: `# expect: SEC002` or
// `// expect: SEC002, PERF003`, optionally followed by free text after a space
// (`# expect: SEC002 (query built by concatenation)`). Empty when the line has no marker;
// InvalidArgument when it has one that names no rule or a malformed id (ids are upper-case
// letters then digits, separated by commas).
absl::StatusOr<std::vector<std::string>> ParseMarker(std::string_view line);

// A file of a case; `path` is relative to the case directory, as the reviewers see it.
struct CaseFile {
  std::string path;
  std::string content;
};

// A case: one change. `name` is "<reviewer>/<case-dir>" relative to the corpus root.
struct Case {
  std::string name;
  std::vector<CaseFile> files;  // in path order
  // The case's policy file (kPolicyFileName), for layering rules: its text, when present.
  std::optional<std::string> policy;
};

// A case directory may hold a review policy (docs/POLICY.md) under this name; it configures
// the review of the case and is not itself a file of the change.
inline constexpr std::string_view kPolicyFileName = "policy.yaml";

// Reads CORPUS/<reviewer>/<case>/** (every regular file below a case directory, hidden files
// and __pycache__ skipped). A file directly under CORPUS or CORPUS/<reviewer> other than a
// README.md is an error, as is a corpus without cases.
absl::StatusOr<std::vector<Case>> LoadCorpus(const std::filesystem::path& root);

// One finding or expectation, named by its corpus-relative file ("security/sec002_x/tp.py").
struct Item {
  std::string file;
  int line = 0;
  std::string rule_id;
  std::string detail;  // the finding's message; for a false negative, the marked line
};

struct RuleScore {
  std::string id;
  std::string reviewer;  // the pack that reports it; "input" for INPUT001-003
  int tp = 0;
  int fp = 0;
  int fn = 0;
  int expected = 0;          // markers naming the rule
  bool has_tp_case = false;  // some marker names it
  // Some file of a case named after the rule (a `_`-separated token of its directory's name is
  // the id in lower case, e.g. sec002_sql_injection) has no marker for it: a true negative.
  bool has_tn_file = false;
  std::optional<double> precision() const;  // nullopt when the rule reported nothing
  std::optional<double> recall() const;     // nullopt when nothing was expected of it
};

struct ReviewerScore {
  std::string reviewer;
  int tp = 0;
  int fp = 0;
  int fn = 0;
  std::optional<double> precision() const;
  std::optional<double> recall() const;
};

struct Score {
  std::vector<RuleScore> rules;          // input rules first, then each pack's, in id order
  std::vector<ReviewerScore> reviewers;  // input, then the packs in the order given
  std::vector<Item> false_positives;     // in file and line order
  std::vector<Item> false_negatives;
  // Markers that name unknown rule ids, malformed markers, policies that do not load.
  std::vector<std::string> errors;
  int cases = 0;
  int files = 0;
  int findings = 0;

  const ReviewerScore* reviewer(std::string_view name) const;
};

// Reviews each case as one change with every pack (each pack runs on every file) and scores
// the findings against the markers. A finding of a rule on a line marked with that rule is a
// true positive (a second finding of the same rule on the line is a false positive: each flow
// is reported once); a finding on a line without the rule's marker is a false positive, and a
// marker no finding matches is a false negative. Whole-file findings (line 0: a file in an
// unknown language, a parse that failed outright) match a marker on line 1.
Score ScoreCorpus(std::span<const analysis::RulePack* const> packs, std::span<const Case> cases);

struct Thresholds {
  double min_precision = 0.90;
  double min_recall = 0.85;
};

// Whether a reviewer meets the thresholds; a reviewer with nothing to measure meets them.
bool MeetsThresholds(const ReviewerScore& reviewer, const Thresholds& thresholds);

// The text report: the per-rule table, the per-reviewer totals with PASS/FAIL, rules without a
// true-positive case or a true-negative file, errors, and the false positives and negatives —
// of every reviewer with `verbose`, otherwise of the reviewers that fail.
std::string FormatReport(const Score& score, const Thresholds& thresholds, bool verbose);

// Whether the corpus passes: no errors and every reviewer meets the thresholds.
bool Passes(const Score& score, const Thresholds& thresholds);

}  // namespace conclave::corpus
