// The security reviewer's rule pack over a ParsedModule: data-flow rules fed by the taint engine
// (taint.h) for code, SQL, command, LDAP and XPath injection, unsafe deserialization, path
// traversal, XSS, open redirects, SSRF and session trust-boundary violations, plus pattern rules
// for hardcoded secrets and unsafe YAML loading. Its findings at HIGH or above veto a change.
// Immutable; thread-safe.
#pragma once

#include <memory>

#include "agents/analysis/rule_pack.h"

namespace conclave::security {

std::unique_ptr<analysis::RulePack> NewSecurityPack();

}  // namespace conclave::security
