// The architecture reviewer's change-level rules, run over the summaries of every file of a
// change (module_summary.h): ARCH005 import cycles among the change's modules, ARCH006 high
// fan-out, ARCH007 layering violations of the review policy, ARCH008 duplicated blocks.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agents/analysis/change_analysis.h"
#include "agents/analysis/rule.h"

namespace conclave::architecture {

// ARCH006: a module importing more distinct modules than this. 20 is the 98th percentile of
// the Python 3.11 standard library (median 3, 90th percentile 12): 11 of its 668 modules
// exceed it (pydoc 32, urllib.request 29, asyncio.base_events 29, ...).
inline constexpr int kMaxFanOut = 20;
// Bounds on the change-level step: window fingerprints remembered for ARCH008, and modules
// named in one ARCH006 message.
inline constexpr size_t kMaxRememberedWindows = 4'000'000;

// ARCH005-008, in id order.
const std::vector<analysis::RuleSpec>& ChangeRuleSpecs();

void CheckChangeRules(const analysis::ChangeContext& change, analysis::ChangeFindingCollector& out);

// The dotted module name of a Python file's path: "pkg/sub/mod.py" -> "pkg.sub.mod",
// "pkg/__init__.py" -> "pkg". Leading directories that are not identifiers are dropped
// ("/usr/lib/python3.11/json/decoder.py" -> "json.decoder").
std::string ModuleNameOfPath(std::string_view path);

}  // namespace conclave::architecture
