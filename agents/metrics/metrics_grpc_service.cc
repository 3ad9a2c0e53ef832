#include "agents/metrics/metrics_grpc_service.h"

#include "common/grpc/server.h"

namespace conclave::metrics_agent {
namespace {

template <typename T>
grpc::Status Reply(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return grpcutil::ToGrpcStatus(result.status());
  *response = std::move(*result);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status MetricsGrpcService::Judge(grpc::ServerContext*, const conclave::v1::JudgeRequest* r,
                                       conclave::v1::JudgeResponse* response) {
  return Reply(agent_->Judge(*r), response);
}

grpc::Status MetricsGrpcService::DetectAnomalies(grpc::ServerContext*,
                                                 const conclave::v1::DetectAnomaliesRequest* r,
                                                 conclave::v1::DetectAnomaliesResponse* response) {
  return Reply(agent_->DetectAnomalies(*r), response);
}

grpc::Status MetricsGrpcService::EvaluateGates(grpc::ServerContext*,
                                               const conclave::v1::EvaluateGatesRequest* r,
                                               conclave::v1::EvaluateGatesResponse* response) {
  return Reply(agent_->EvaluateGates(*r), response);
}

grpc::Status MetricsGrpcService::Ingest(grpc::ServerContext*, const conclave::v1::SampleBatch* r,
                                        conclave::v1::IngestResponse* response) {
  *response = agent_->Ingest(*r);
  return grpc::Status::OK;
}

grpc::Status MetricsGrpcService::GetWindow(grpc::ServerContext*,
                                           const conclave::v1::GetWindowRequest* r,
                                           conclave::v1::WindowStats* response) {
  return Reply(agent_->GetWindow(*r), response);
}

}  // namespace conclave::metrics_agent
