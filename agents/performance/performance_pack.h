// The performance reviewer's rule pack: quadratic work hidden in loops (nested loops over one
// collection, string building by concatenation, membership tests and front/search operations
// on lists), queries and requests per loop iteration (N+1), regexes compiled in loops,
// blocking calls in `async def`, repeated attribute lookups in hot loops, and functions too
// branchy (cyclomatic) or too nested (cognitive) to reason about. Its findings advise and never
// veto (RejectPolicy::kNeverReject). The pack is stateless and thread-safe; docs/REVIEWERS.md lists
// each rule with its threshold.
#pragma once

#include <memory>

#include "agents/analysis/rule_pack.h"

namespace conclave::performance {

// PERF004: a function whose McCabe complexity exceeds kComplexityMedium is MEDIUM, past
// kComplexityHigh HIGH. These are the edges of radon's C (11–20) and D (21+) ranks.
inline constexpr int kComplexityMedium = 10;
inline constexpr int kComplexityHigh = 20;

// PERF010: a function whose cognitive complexity exceeds kCognitiveMedium is MEDIUM, past
// kCognitiveHigh HIGH. 15 is SonarSource's default for Python (rule S3776).
inline constexpr int kCognitiveMedium = 15;
inline constexpr int kCognitiveHigh = 30;

std::unique_ptr<analysis::RulePack> NewPerformancePack();

}  // namespace conclave::performance
