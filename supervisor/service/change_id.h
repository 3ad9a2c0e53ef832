// Change ids: "chg_" + a 26-character ULID (48-bit millisecond time + 80 random bits in
// Crockford base32), so ids sort by submission time in the store. Thread-safe.
#pragma once

#include <string>

#include "absl/time/time.h"

namespace conclave::supervisor {

std::string NewChangeId(absl::Time now);

}  // namespace conclave::supervisor
