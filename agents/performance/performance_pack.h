// The performance reviewer's rule pack: quadratic work hidden in loops (nested loops over one
// collection, string building by concatenation, membership tests on lists) and functions too
// branchy to reason about. Its findings advise and never veto (RejectPolicy::kNeverReject).
// The pack is stateless and thread-safe; docs/REVIEWERS.md lists each rule with its threshold.
#pragma once

#include <memory>

#include "agents/analysis/rule_pack.h"

namespace conclave::performance {

// PERF004: a function whose McCabe complexity exceeds kComplexityMedium is MEDIUM, past
// kComplexityHigh HIGH. These are the edges of radon's C (11–20) and D (21+) ranks.
inline constexpr int kComplexityMedium = 10;
inline constexpr int kComplexityHigh = 20;

std::unique_ptr<analysis::RulePack> NewPerformancePack();

}  // namespace conclave::performance
