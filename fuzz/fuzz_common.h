// What every fuzz target shares: the three reviewers' rule packs, built once per process, and
// the entry point libFuzzer (or replay_main.cc) calls. The packs are immutable and stateless.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "agents/analysis/rule_pack.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace conclave::fuzz {

// Security, performance and architecture, in that order.
std::span<const analysis::RulePack* const> AllPacks();

}  // namespace conclave::fuzz
