// The flags every Conclave process shares (addresses, NATS URL, logging), their environment
// fallbacks, and the address file that scripts and tests read to find a process started on
// free ports. Plain data; not thread-safe.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "common/flags/flags.h"

namespace conclave::runtime {

struct ProcessOptions {
  std::string grpc_addr = "127.0.0.1:0";
  std::string http_addr = "127.0.0.1:0";
  std::string nats_url = "nats://127.0.0.1:4222";
  std::string log_format = "text";
  std::string log_level = "info";
  // When set, {"grpc": "...", "http": "..."} is written here once both listen.
  std::string addr_file;
};

// Defines --grpc_addr, --http_addr, --nats_url, --log_format, --log_level, --addr_file with
// CONCLAVE_GRPC_ADDR, CONCLAVE_HTTP_ADDR, CONCLAVE_NATS_URL, CONCLAVE_LOG_FORMAT,
// CONCLAVE_LOG_LEVEL, CONCLAVE_ADDR_FILE fallbacks.
void DefineProcessFlags(flags::FlagSet& flags, ProcessOptions* options);

// Writes the address file atomically (temp file + rename).
absl::Status WriteAddressFile(const std::string& path, const std::string& grpc_addr,
                              const std::string& http_addr);

}  // namespace conclave::runtime
