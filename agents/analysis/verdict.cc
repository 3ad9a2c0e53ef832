#include "agents/analysis/verdict.h"

#include <algorithm>

namespace conclave::analysis {
namespace {

constexpr double kApproveConfidence = 0.90;
constexpr double kLowFindingPenalty = 0.02;
constexpr double kApproveFloor = 0.5;
constexpr double kComplexityPerPoint = 3.0;

// Max confidence of the findings at or above `floor`; negative when there are none.
double MaxConfidenceAtLeast(const ReviewTally& tally, conclave::v1::Severity floor) {
  double best = -1;
  for (const conclave::v1::Finding& f : tally.findings) {
    if (f.severity() >= floor) best = std::max(best, f.confidence());
  }
  return best;
}

}  // namespace

double Coverage(const ReviewTally& tally) {
  if (tally.lines_in_scope <= 0) return 1.0;
  return std::clamp(static_cast<double>(tally.lines_covered) / tally.lines_in_scope, 0.0, 1.0);
}

double SeverityPoints(conclave::v1::Severity severity) {
  switch (severity) {
    case conclave::v1::SEVERITY_CRITICAL:
      return 4.0;
    case conclave::v1::SEVERITY_HIGH:
      return 2.5;
    case conclave::v1::SEVERITY_MEDIUM:
      return 1.0;
    case conclave::v1::SEVERITY_LOW:
      return 0.25;
    default:
      return 0.0;
  }
}

VerdictOutcome DecideVerdict(const ReviewTally& tally, RejectPolicy policy) {
  VerdictOutcome out;
  double points = 0;
  int low = 0;
  for (const conclave::v1::Finding& f : tally.findings) {
    points += SeverityPoints(f.severity());
    if (f.severity() == conclave::v1::SEVERITY_LOW) ++low;
  }
  out.risk = std::min(10.0, points);
  out.complexity = std::min(10.0, tally.max_complexity / kComplexityPerPoint);

  if (policy == RejectPolicy::kMayReject) {
    if (double c = MaxConfidenceAtLeast(tally, conclave::v1::SEVERITY_HIGH); c >= 0) {
      out.verdict = conclave::v1::VERDICT_REJECT;
      out.confidence = c;
      return out;
    }
  }
  if (double c = MaxConfidenceAtLeast(tally, conclave::v1::SEVERITY_MEDIUM); c >= 0) {
    out.verdict = conclave::v1::VERDICT_REQUEST_CHANGES;
    out.confidence = c;
    return out;
  }
  out.verdict = conclave::v1::VERDICT_APPROVE;
  out.confidence =
      std::max(kApproveFloor, kApproveConfidence * Coverage(tally) - kLowFindingPenalty * low);
  return out;
}

}  // namespace conclave::analysis
