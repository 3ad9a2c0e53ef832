// SHA-256 in lower-case hex, over OpenSSL's EVP interface. Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace conclave::supervisor::internal {

// The 64-character lower-case hex SHA-256 digest of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace conclave::supervisor::internal
