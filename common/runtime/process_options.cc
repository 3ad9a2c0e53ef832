#include "common/runtime/process_options.h"

#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace conclave::runtime {

void DefineProcessFlags(flags::FlagSet& flags, ProcessOptions* o) {
  flags.String("grpc_addr", &o->grpc_addr, "CONCLAVE_GRPC_ADDR",
               "gRPC listen address; port 0 picks a free port.");
  flags.String("http_addr", &o->http_addr, "CONCLAVE_HTTP_ADDR",
               "HTTP listen address for /metrics and /healthz; port 0 picks a free port.");
  flags.String("nats_url", &o->nats_url, "CONCLAVE_NATS_URL", "NATS server URL (JetStream on).");
  flags.String("log_format", &o->log_format, "CONCLAVE_LOG_FORMAT", "Log format: text or json.");
  flags.String("log_level", &o->log_level, "CONCLAVE_LOG_LEVEL",
               "Log level: trace, debug, info, warn, error.");
  flags.String("addr_file", &o->addr_file, "CONCLAVE_ADDR_FILE",
               "If set, write the bound addresses here as JSON {\"grpc\":..., \"http\":...}.");
}

absl::Status WriteAddressFile(const std::string& path, const std::string& grpc_addr,
                              const std::string& http_addr) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "{\"grpc\":\"" << grpc_addr << "\",\"http\":\"" << http_addr << "\"}\n";
    if (!out.good()) return absl::UnavailableError(absl::StrCat("cannot write ", tmp));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot rename ", tmp, " to ", path));
  }
  return absl::OkStatus();
}

}  // namespace conclave::runtime
