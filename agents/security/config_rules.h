// The security reviewer's configuration and API-misuse rules, which need no data flow: XXE in
// lxml and SAX parsers (SEC030), weak hashes used for security (SEC031), the random module used
// for secrets (SEC032), cookies without Secure/HttpOnly (SEC033), TLS verification disabled
// (SEC034) and debug mode in production code (SEC035). Each check reads the module's index
// (calls, assignments, keyword arguments, dict pairs) once; the few sites that match climb a
// bounded number of parents for their context (code_context.h). None of these rules reports
// in test files.
// Stateless; thread-safe.
#pragma once

#include <vector>

#include "agents/analysis/parsed_module.h"
#include "agents/analysis/rule.h"

namespace conclave::security {

// The rules CheckConfigRules reports, in id order.
const std::vector<analysis::RuleSpec>& ConfigRules();

// Adds the findings of every rule of ConfigRules() over `m` to `out`.
void CheckConfigRules(const analysis::ParsedModule& m, analysis::FindingCollector& out);

}  // namespace conclave::security
