#include "supervisor/service/supervisor_service.h"

#include "common/grpc/server.h"
#include "common/log/log.h"

namespace conclave::supervisor {
namespace {

using grpcutil::ToGrpcStatus;

// The caller's W3C traceparent from gRPC metadata, or a new one.
std::string TraceparentOf(const grpc::ServerContext& context) {
  auto it = context.client_metadata().find("traceparent");
  if (it != context.client_metadata().end()) {
    std::string tp(it->second.data(), it->second.size());
    if (!log::TraceIdOf(tp).empty()) return tp;
  }
  return log::NewTraceparent();
}

}  // namespace

grpc::Status SupervisorService::SubmitChange(grpc::ServerContext* context,
                                             const conclave::v1::SubmitChangeRequest* request,
                                             conclave::v1::SubmitChangeResponse* response) {
  auto record = manager_->Submit(request->change(), TraceparentOf(*context));
  if (!record.ok()) {
    spdlog::warn("rejected submission: {}", record.status().ToString());
    return ToGrpcStatus(record.status());
  }
  response->set_change_id(record->change().id());
  response->set_state(record->state());
  return grpc::Status::OK;
}

grpc::Status SupervisorService::GetChange(grpc::ServerContext*,
                                          const conclave::v1::GetChangeRequest* request,
                                          conclave::v1::ChangeRecord* response) {
  auto record = manager_->Get(request->change_id());
  if (!record.ok()) return ToGrpcStatus(record.status());
  *response = std::move(*record);
  return grpc::Status::OK;
}

grpc::Status SupervisorService::ListChanges(grpc::ServerContext*,
                                            const conclave::v1::ListChangesRequest* request,
                                            conclave::v1::ListChangesResponse* response) {
  auto records = manager_->List(request->limit(), request->state());
  if (!records.ok()) return ToGrpcStatus(records.status());
  for (auto& r : *records) *response->add_changes() = std::move(r);
  return grpc::Status::OK;
}

grpc::Status SupervisorService::WatchChange(grpc::ServerContext* context,
                                            const conclave::v1::WatchChangeRequest* request,
                                            grpc::ServerWriter<conclave::v1::ChangeEvent>* writer) {
  EventQueue queue;
  if (absl::Status s = manager_->Watch(request->change_id(), &queue); !s.ok()) {
    return ToGrpcStatus(s);
  }
  conclave::v1::ChangeEvent event;
  grpc::Status result = grpc::Status::OK;
  while (!queue.closed()) {
    if (context->IsCancelled()) {
      result = grpc::Status::CANCELLED;
      break;
    }
    if (!queue.Next(&event, absl::Milliseconds(200))) continue;
    if (!writer->Write(event)) {
      result = grpc::Status::CANCELLED;
      break;
    }
  }
  manager_->Unwatch(request->change_id(), &queue);
  return result;
}

grpc::Status SupervisorService::GetAuditTrail(grpc::ServerContext*,
                                              const conclave::v1::GetAuditTrailRequest* request,
                                              conclave::v1::GetAuditTrailResponse* response) {
  auto records = request->change_id().empty() ? audit_->All() : audit_->ForChange(request->change_id());
  if (!records.ok()) return ToGrpcStatus(records.status());
  for (auto& r : *records) *response->add_records() = std::move(r);
  return grpc::Status::OK;
}

grpc::Status SupervisorService::VerifyAuditLog(grpc::ServerContext*,
                                               const conclave::v1::VerifyAuditLogRequest*,
                                               conclave::v1::VerifyAuditLogResponse* response) {
  auto result = audit_->Verify();
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = std::move(*result);
  return grpc::Status::OK;
}

}  // namespace conclave::supervisor
