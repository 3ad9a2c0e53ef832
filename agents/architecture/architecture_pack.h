// The architecture reviewer's rule pack: classes that hold too much (god classes), functions
// too long, too deeply nested or taking too many parameters, and over the whole change
// (change_rules.h) import cycles, high fan-out, layering violations of the review policy and
// duplicated blocks. Its findings advise and never veto (RejectPolicy::kNeverReject). The pack is stateless and thread-safe; docs/REVIEWERS.md
// lists each rule with its threshold and confidence.
#pragma once

#include <memory>

#include "agents/analysis/rule_pack.h"

namespace conclave::architecture {

// ARCH001: a class with more distinct methods or `self.x` attributes than these.
inline constexpr int kMaxMethods = 20;
inline constexpr int kMaxAttributes = 15;
// ARCH002: a function spanning more lines than this, `def` line to last line inclusive.
inline constexpr int kMaxFunctionLines = 50;
// ARCH003: compound statements (if, for, while, try, with, match) nested deeper than this.
inline constexpr int kMaxNesting = 4;
// ARCH004: more parameters than kMaxParameters (self/cls not counted) is LOW; more than
// kManyParameters is MEDIUM.
inline constexpr int kMaxParameters = 6;
inline constexpr int kManyParameters = 10;

std::unique_ptr<analysis::RulePack> NewArchitecturePack();

}  // namespace conclave::architecture
