// GrpcServer: the gRPC bootstrap shared by every process — listens on an address (port 0 picks
// a free one), registers the given services plus the standard health service and server
// reflection, and converts between absl::Status and grpc::Status in one place.
// The server owns its threads; services must outlive it. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace conclave::grpcutil {

// Messages up to this size are accepted (a change may be 8 MiB of content plus framing).
inline constexpr int kMaxMessageBytes = 16 << 20;

class GrpcServer {
 public:
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const std::string& address, const std::vector<grpc::Service*>& services);
  ~GrpcServer();

  // "host:port" actually bound.
  const std::string& address() const { return address_; }
  // Marks every service SERVING / NOT_SERVING in the health service.
  void SetServing(bool serving);
  // Stops accepting calls; in-flight calls get until `grace` to finish, then are cancelled.
  void Shutdown(absl::Duration grace);

 private:
  GrpcServer() = default;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  bool shut_down_ = false;
};

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// A channel to `address` that accepts messages up to kMaxMessageBytes.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& address);

}  // namespace conclave::grpcutil
