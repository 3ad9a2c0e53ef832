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

const grpc::Status kNoRollouts(grpc::StatusCode::UNIMPLEMENTED,
                               "this supervisor runs without a rollout controller");

// The actor of a person's action: the request's, or "anonymous" so the audit never lies.
std::string ActorOf(const std::string& actor) { return actor.empty() ? "anonymous" : actor; }

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
  while (!queue.done()) {
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
  auto records =
      request->change_id().empty() ? audit_->All() : audit_->ForChange(request->change_id());
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

grpc::Status SupervisorService::GetRollout(grpc::ServerContext*,
                                           const conclave::v1::GetRolloutRequest* request,
                                           conclave::v1::Rollout* response) {
  if (rollouts_ == nullptr) return kNoRollouts;
  auto rollout = rollouts_->Get(request->rollout_id());
  if (!rollout.ok()) return ToGrpcStatus(rollout.status());
  *response = std::move(*rollout);
  return grpc::Status::OK;
}

grpc::Status SupervisorService::ListRollouts(grpc::ServerContext*,
                                             const conclave::v1::ListRolloutsRequest* request,
                                             conclave::v1::ListRolloutsResponse* response) {
  if (rollouts_ == nullptr) return kNoRollouts;
  auto rollouts = rollouts_->List(request->limit(), request->service());
  if (!rollouts.ok()) return ToGrpcStatus(rollouts.status());
  for (auto& r : *rollouts) *response->add_rollouts() = std::move(r);
  return grpc::Status::OK;
}

grpc::Status SupervisorService::WatchRollout(
    grpc::ServerContext* context, const conclave::v1::WatchRolloutRequest* request,
    grpc::ServerWriter<conclave::v1::RolloutEvent>* writer) {
  if (rollouts_ == nullptr) return kNoRollouts;
  RolloutEventQueue queue;
  if (absl::Status s = rollouts_->Watch(request->rollout_id(), &queue); !s.ok()) {
    return ToGrpcStatus(s);
  }
  conclave::v1::RolloutEvent event;
  grpc::Status result = grpc::Status::OK;
  while (!queue.done()) {
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
  rollouts_->Unwatch(request->rollout_id(), &queue);
  return result;
}

grpc::Status SupervisorService::Act(RolloutAction action,
                                    const conclave::v1::RolloutActionRequest& request,
                                    conclave::v1::Rollout* response) {
  if (rollouts_ == nullptr) return kNoRollouts;
  auto rollout =
      (rollouts_->*action)(request.rollout_id(), ActorOf(request.actor()), request.reason());
  if (!rollout.ok()) return ToGrpcStatus(rollout.status());
  *response = std::move(*rollout);
  return grpc::Status::OK;
}

grpc::Status SupervisorService::ApproveRollout(grpc::ServerContext*,
                                               const conclave::v1::RolloutActionRequest* request,
                                               conclave::v1::Rollout* response) {
  return Act(&RolloutController::Approve, *request, response);
}

grpc::Status SupervisorService::PromoteRollout(grpc::ServerContext*,
                                               const conclave::v1::RolloutActionRequest* request,
                                               conclave::v1::Rollout* response) {
  return Act(&RolloutController::Promote, *request, response);
}

grpc::Status SupervisorService::PauseRollout(grpc::ServerContext*,
                                             const conclave::v1::RolloutActionRequest* request,
                                             conclave::v1::Rollout* response) {
  return Act(&RolloutController::Pause, *request, response);
}

grpc::Status SupervisorService::ResumeRollout(grpc::ServerContext*,
                                              const conclave::v1::RolloutActionRequest* request,
                                              conclave::v1::Rollout* response) {
  return Act(&RolloutController::ResumeRollout, *request, response);
}

grpc::Status SupervisorService::AbortRollout(grpc::ServerContext*,
                                             const conclave::v1::RolloutActionRequest* request,
                                             conclave::v1::Rollout* response) {
  return Act(&RolloutController::Abort, *request, response);
}

grpc::Status SupervisorService::RollbackRollout(grpc::ServerContext*,
                                                const conclave::v1::RolloutActionRequest* request,
                                                conclave::v1::Rollout* response) {
  return Act(&RolloutController::Rollback, *request, response);
}

grpc::Status SupervisorService::SetKillSwitch(grpc::ServerContext*,
                                              const conclave::v1::SetKillSwitchRequest* request,
                                              conclave::v1::KillSwitch* response) {
  if (rollouts_ == nullptr) return kNoRollouts;
  auto state =
      rollouts_->SetKillSwitch(request->engaged(), ActorOf(request->actor()), request->reason());
  if (!state.ok()) return ToGrpcStatus(state.status());
  *response = std::move(*state);
  return grpc::Status::OK;
}

grpc::Status SupervisorService::GetKillSwitch(grpc::ServerContext*,
                                              const conclave::v1::GetKillSwitchRequest*,
                                              conclave::v1::KillSwitch* response) {
  if (rollouts_ == nullptr) return kNoRollouts;
  *response = rollouts_->GetKillSwitch();
  return grpc::Status::OK;
}

}  // namespace conclave::supervisor
