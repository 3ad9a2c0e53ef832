// SupervisorService: the gRPC face of the supervisor. It only translates between the
// conclave.v1.Supervisor messages and ChangeManager / AuditLog calls, and absl::Status to gRPC
// status codes. Thread-safe; gRPC calls it from its own thread pool.
#pragma once

#include "conclave/v1/supervisor.grpc.pb.h"
#include "supervisor/core/audit_log.h"
#include "supervisor/service/change_manager.h"

namespace conclave::supervisor {

class SupervisorService final : public conclave::v1::Supervisor::Service {
 public:
  // `manager` and `audit` must outlive the service.
  SupervisorService(ChangeManager* manager, AuditLog* audit) : manager_(manager), audit_(audit) {}

  grpc::Status SubmitChange(grpc::ServerContext* context,
                            const conclave::v1::SubmitChangeRequest* request,
                            conclave::v1::SubmitChangeResponse* response) override;
  grpc::Status GetChange(grpc::ServerContext* context,
                         const conclave::v1::GetChangeRequest* request,
                         conclave::v1::ChangeRecord* response) override;
  grpc::Status ListChanges(grpc::ServerContext* context,
                           const conclave::v1::ListChangesRequest* request,
                           conclave::v1::ListChangesResponse* response) override;
  grpc::Status WatchChange(grpc::ServerContext* context,
                           const conclave::v1::WatchChangeRequest* request,
                           grpc::ServerWriter<conclave::v1::ChangeEvent>* writer) override;
  grpc::Status GetAuditTrail(grpc::ServerContext* context,
                             const conclave::v1::GetAuditTrailRequest* request,
                             conclave::v1::GetAuditTrailResponse* response) override;
  grpc::Status VerifyAuditLog(grpc::ServerContext* context,
                              const conclave::v1::VerifyAuditLogRequest* request,
                              conclave::v1::VerifyAuditLogResponse* response) override;

 private:
  ChangeManager* manager_;
  AuditLog* audit_;
};

}  // namespace conclave::supervisor
