// The verdict rule of docs/REVIEWERS.md: how a reviewer turns its findings and coverage into
// a verdict, a confidence, a risk and a complexity. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "conclave/v1/change.pb.h"

namespace conclave::analysis {

// Whether a reviewer may veto. Security may; performance and architecture only advise.
enum class RejectPolicy { kMayReject, kNeverReject };

// What a review saw, summed over the files of a change.
struct ReviewTally {
  std::vector<conclave::v1::Finding> findings;
  int64_t lines_in_scope = 0;  // lines the change asks to review
  int64_t lines_covered = 0;   // of those, lines in analyzable files that parsed
  int files_analyzed = 0;
  int max_complexity = 0;  // highest cyclomatic complexity of a function in scope
};

struct VerdictOutcome {
  conclave::v1::Verdict verdict = conclave::v1::VERDICT_UNSPECIFIED;
  double confidence = 0;
  double risk = 0;
  double complexity = 0;
};

// Fraction of in-scope lines that were analyzed; 1 when nothing was in scope.
double Coverage(const ReviewTally& tally);

// Risk points of one finding: CRITICAL 4, HIGH 2.5, MEDIUM 1, LOW 0.25, INFO 0.
double SeverityPoints(conclave::v1::Severity severity);

VerdictOutcome DecideVerdict(const ReviewTally& tally, RejectPolicy policy);

}  // namespace conclave::analysis
