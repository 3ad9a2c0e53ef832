#include "fuzz/fuzz_common.h"

#include <memory>

#include "agents/architecture/architecture_pack.h"
#include "agents/performance/performance_pack.h"
#include "agents/security/security_pack.h"

namespace conclave::fuzz {

std::span<const analysis::RulePack* const> AllPacks() {
  // Leaked on purpose: the packs live as long as the fuzzing process.
  static const analysis::RulePack* const packs[] = {
      security::NewSecurityPack().release(),
      performance::NewPerformancePack().release(),
      architecture::NewArchitecturePack().release(),
  };
  return packs;
}

}  // namespace conclave::fuzz
