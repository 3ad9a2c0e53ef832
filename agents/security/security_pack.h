// The security reviewer's rule pack: code injection (eval/exec), SQL injection, OS command
// injection, hardcoded secrets and unsafe deserialization (pickle, marshal, shelve, YAML), over
// the tree-sitter index of a ParsedModule. Its findings at HIGH or above veto a change.
// Immutable; thread-safe.
#pragma once

#include <memory>

#include "agents/analysis/rule_pack.h"

namespace conclave::security {

std::unique_ptr<analysis::RulePack> NewSecurityPack();

}  // namespace conclave::security
