// DevopsGrpcService: the gRPC face of the devops agent. It only converts between the contract
// and DevopsHandler (absl::Status to grpc::Status); the handler does the work. Thread-safe.
#pragma once

#include "agents/devops/devops_handler.h"
#include "conclave/v1/devops.grpc.pb.h"

namespace conclave::devops {

class DevopsGrpcService final : public conclave::v1::DevopsAgent::Service {
 public:
  // `handler` must outlive the service.
  explicit DevopsGrpcService(DevopsHandler* handler) : handler_(handler) {}

  grpc::Status SetTrafficSplit(grpc::ServerContext* context,
                               const conclave::v1::SetTrafficSplitRequest* request,
                               conclave::v1::TrafficState* response) override;
  grpc::Status GetTrafficState(grpc::ServerContext* context,
                               const conclave::v1::GetTrafficStateRequest* request,
                               conclave::v1::TrafficState* response) override;
  grpc::Status ScaleReplicas(grpc::ServerContext* context,
                             const conclave::v1::ScaleReplicasRequest* request,
                             conclave::v1::TrafficState* response) override;

 private:
  DevopsHandler* handler_;
};

}  // namespace conclave::devops
