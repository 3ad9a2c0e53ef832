#include "agents/devops/devops_grpc_service.h"

#include "common/grpc/server.h"
#include "common/log/log.h"

namespace conclave::devops {
namespace {

grpc::Status Answer(absl::StatusOr<conclave::v1::TrafficState> result,
                    conclave::v1::TrafficState* response) {
  if (!result.ok()) return grpcutil::ToGrpcStatus(result.status());
  *response = std::move(*result);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status DevopsGrpcService::SetTrafficSplit(grpc::ServerContext*,
                                                const conclave::v1::SetTrafficSplitRequest* request,
                                                conclave::v1::TrafficState* response) {
  log::ScopedLogContext context(request->change_id(), "");
  return Answer(handler_->SetTrafficSplit(*request, "grpc"), response);
}

grpc::Status DevopsGrpcService::GetTrafficState(grpc::ServerContext*,
                                                const conclave::v1::GetTrafficStateRequest* request,
                                                conclave::v1::TrafficState* response) {
  return Answer(handler_->GetTrafficState(*request, "grpc"), response);
}

grpc::Status DevopsGrpcService::ScaleReplicas(grpc::ServerContext*,
                                              const conclave::v1::ScaleReplicasRequest* request,
                                              conclave::v1::TrafficState* response) {
  log::ScopedLogContext context(request->change_id(), "");
  return Answer(handler_->ScaleReplicas(*request, "grpc"), response);
}

}  // namespace conclave::devops
