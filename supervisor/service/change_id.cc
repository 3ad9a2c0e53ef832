#include "supervisor/service/change_id.h"

#include <random>

namespace conclave::supervisor {

std::string NewChangeId(absl::Time now) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t millis = static_cast<uint64_t>(absl::ToUnixMillis(now));
  std::string id = "chg_";
  id.resize(4 + 26);
  for (int i = 9; i >= 0; --i) {  // 10 characters of time, most significant first
    id[4 + i] = kAlphabet[millis & 31];
    millis >>= 5;
  }
  uint64_t hi = rng(), lo = rng();
  for (int i = 0; i < 16; ++i) {  // 16 characters (80 bits) of randomness
    uint64_t& src = i < 8 ? hi : lo;
    id[14 + i] = kAlphabet[src & 31];
    src >>= 5;
  }
  return id;
}

}  // namespace conclave::supervisor
