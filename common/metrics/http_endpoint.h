// HttpEndpoint: the operations HTTP listener every process runs: GET /metrics (Prometheus
// text of a Registry) and GET /healthz (200 "ok" when the health callback says so, 503 with
// the reason otherwise). Serves on its own thread from Start() until Stop() or destruction.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/metrics/metrics.h"

namespace httplib {
class Server;
}

namespace conclave::metrics {

class HttpEndpoint {
 public:
  using HealthCheck = std::function<absl::Status()>;

  // Binds `address` ("127.0.0.1:0" picks a free port) and starts serving. `registry` must
  // outlive the endpoint.
  static absl::StatusOr<std::unique_ptr<HttpEndpoint>> Start(const std::string& address,
                                                             const Registry* registry,
                                                             HealthCheck health);
  ~HttpEndpoint();

  // "host:port" actually bound.
  const std::string& address() const { return address_; }
  void Stop();

 private:
  HttpEndpoint() = default;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string address_;
};

// Splits "host:port"; InvalidArgument when malformed.
absl::Status SplitHostPort(const std::string& address, std::string* host, int* port);

}  // namespace conclave::metrics
