// SupervisorService: the gRPC face of the supervisor. It only translates between the
// conclave.v1.Supervisor messages and ChangeManager / RolloutController / AuditLog calls, and
// absl::Status to gRPC status codes. Thread-safe; gRPC calls it from its own thread pool.
#pragma once

#include "conclave/v1/supervisor.grpc.pb.h"
#include "supervisor/core/audit_log.h"
#include "supervisor/rollout/rollout_controller.h"
#include "supervisor/service/change_manager.h"

namespace conclave::supervisor {

class SupervisorService final : public conclave::v1::Supervisor::Service {
 public:
  // `manager`, `audit` and `rollouts` must outlive the service. Without a rollout controller
  // the rollout RPCs answer UNIMPLEMENTED.
  SupervisorService(ChangeManager* manager, AuditLog* audit, RolloutController* rollouts = nullptr)
      : manager_(manager), audit_(audit), rollouts_(rollouts) {}

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

  grpc::Status GetRollout(grpc::ServerContext* context,
                          const conclave::v1::GetRolloutRequest* request,
                          conclave::v1::Rollout* response) override;
  grpc::Status ListRollouts(grpc::ServerContext* context,
                            const conclave::v1::ListRolloutsRequest* request,
                            conclave::v1::ListRolloutsResponse* response) override;
  grpc::Status WatchRollout(grpc::ServerContext* context,
                            const conclave::v1::WatchRolloutRequest* request,
                            grpc::ServerWriter<conclave::v1::RolloutEvent>* writer) override;
  grpc::Status ApproveRollout(grpc::ServerContext* context,
                              const conclave::v1::RolloutActionRequest* request,
                              conclave::v1::Rollout* response) override;
  grpc::Status PromoteRollout(grpc::ServerContext* context,
                              const conclave::v1::RolloutActionRequest* request,
                              conclave::v1::Rollout* response) override;
  grpc::Status PauseRollout(grpc::ServerContext* context,
                            const conclave::v1::RolloutActionRequest* request,
                            conclave::v1::Rollout* response) override;
  grpc::Status ResumeRollout(grpc::ServerContext* context,
                             const conclave::v1::RolloutActionRequest* request,
                             conclave::v1::Rollout* response) override;
  grpc::Status AbortRollout(grpc::ServerContext* context,
                            const conclave::v1::RolloutActionRequest* request,
                            conclave::v1::Rollout* response) override;
  grpc::Status RollbackRollout(grpc::ServerContext* context,
                               const conclave::v1::RolloutActionRequest* request,
                               conclave::v1::Rollout* response) override;
  grpc::Status SetKillSwitch(grpc::ServerContext* context,
                             const conclave::v1::SetKillSwitchRequest* request,
                             conclave::v1::KillSwitch* response) override;
  grpc::Status GetKillSwitch(grpc::ServerContext* context,
                             const conclave::v1::GetKillSwitchRequest* request,
                             conclave::v1::KillSwitch* response) override;

 private:
  using RolloutAction = RolloutController::Action (RolloutController::*)(const std::string&,
                                                                         const std::string&,
                                                                         const std::string&);
  grpc::Status Act(RolloutAction action, const conclave::v1::RolloutActionRequest& request,
                   conclave::v1::Rollout* response);

  ChangeManager* manager_;
  AuditLog* audit_;
  RolloutController* rollouts_;
};

}  // namespace conclave::supervisor
