// The security reviewer's rules for JavaScript (Node, Express, the browser's DOM): code, command,
// SQL injection, path traversal, XSS, open redirect, SSRF, weak hashing and randomness, cookie
// flags, TLS verification, hardcoded secrets and unsafe deserialization, over a JsModule and its
// intra-function data flow (agents/analysis/javascript/js_taint.h). Stateless; thread-safe.
#pragma once

#include <vector>

#include "agents/analysis/javascript/js_module.h"
#include "agents/analysis/rule.h"

namespace conclave::security {

using analysis::Node;

// Every JavaScript rule (SEC101...), in id order, for the pack's rules() and the catalogue.
const std::vector<analysis::RuleSpec>& JavaScriptRules();

// Adds the findings of every JavaScript rule over `module` to `out`.
void CheckJavaScript(const analysis::javascript::JsModule& module,
                     analysis::FindingCollector& out);

}  // namespace conclave::security
