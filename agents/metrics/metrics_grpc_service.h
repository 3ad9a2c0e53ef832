// MetricsGrpcService: the gRPC face of the metrics agent (conclave.v1.MetricsAgent). It only
// converts between the contract and MetricsAgent (absl::Status to grpc::Status). Thread-safe.
#pragma once

#include "agents/metrics/metrics_agent.h"
#include "conclave/v1/metrics.grpc.pb.h"

namespace conclave::metrics_agent {

class MetricsGrpcService final : public conclave::v1::MetricsAgent::Service {
 public:
  // `agent` must outlive the service.
  explicit MetricsGrpcService(MetricsAgent* agent) : agent_(agent) {}

  grpc::Status Judge(grpc::ServerContext* context, const conclave::v1::JudgeRequest* request,
                     conclave::v1::JudgeResponse* response) override;
  grpc::Status DetectAnomalies(grpc::ServerContext* context,
                               const conclave::v1::DetectAnomaliesRequest* request,
                               conclave::v1::DetectAnomaliesResponse* response) override;
  grpc::Status EvaluateGates(grpc::ServerContext* context,
                             const conclave::v1::EvaluateGatesRequest* request,
                             conclave::v1::EvaluateGatesResponse* response) override;
  grpc::Status Ingest(grpc::ServerContext* context, const conclave::v1::SampleBatch* request,
                      conclave::v1::IngestResponse* response) override;
  grpc::Status GetWindow(grpc::ServerContext* context,
                         const conclave::v1::GetWindowRequest* request,
                         conclave::v1::WindowStats* response) override;

 private:
  MetricsAgent* agent_;
};

}  // namespace conclave::metrics_agent
