// The rule catalogue (docs/RULES.md), generated from the rules themselves: each pack's
// RuleSpecs (id, name, severity, CWE, confidence, what it finds, how to fix) and, for the
// example, the marked line of a true-positive case of the labelled corpus with its context.
// Pure function of its inputs; the same packs and corpus give the same text byte for byte.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "agents/analysis/rule_pack.h"
#include "tools/corpus/corpus.h"

namespace conclave::rules_doc {

// The command that regenerates docs/RULES.md from the repository root; the header of the
// generated file and the staleness check both print it.
inline constexpr std::string_view kRegenerateCommand =
    "ninja -C build conclave-rules-doc && build/bin/conclave-rules-doc --output docs/RULES.md";

// Lines of context shown above and below an example's marked line.
inline constexpr int kContextLines = 2;

// The catalogue in Markdown: the input rules, then each pack's rules in the order given.
std::string GenerateRulesDoc(std::span<const analysis::RulePack* const> packs,
                             std::span<const corpus::Case> cases);

}  // namespace conclave::rules_doc
