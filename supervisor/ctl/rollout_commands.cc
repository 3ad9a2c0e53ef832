// The rollout and kill-switch commands of Commands (see commands.h).
#include <memory>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "supervisor/ctl/commands.h"
#include "supervisor/ctl/exit_codes.h"
#include "supervisor/ctl/format.h"
#include "supervisor/ctl/rollout_format.h"

namespace conclave::ctl {
namespace {

namespace v1 = conclave::v1;

// ListRollouts returns at most this many; a change id is looked up among them.
constexpr int kMaxListed = 1000;

using ActionMethod = grpc::Status (v1::Supervisor::StubInterface::*)(
    grpc::ClientContext*, const v1::RolloutActionRequest&, v1::Rollout*);

ActionMethod MethodFor(Command command) {
  using Stub = v1::Supervisor::StubInterface;
  switch (command) {
    case Command::kRolloutApprove:
      return &Stub::ApproveRollout;
    case Command::kRolloutPromote:
      return &Stub::PromoteRollout;
    case Command::kRolloutPause:
      return &Stub::PauseRollout;
    case Command::kRolloutResume:
      return &Stub::ResumeRollout;
    case Command::kRolloutAbort:
      return &Stub::AbortRollout;
    case Command::kRolloutRollback:
      return &Stub::RollbackRollout;
    default:
      return nullptr;
  }
}

// Rollout ids carry this prefix (supervisor.proto); any other ID is taken for a change id.
bool IsRolloutId(const std::string& id) { return absl::StartsWith(id, "ro_"); }

// The state a watch ends in, once `event` says the rollout finished.
std::optional<v1::RolloutState> FinalState(const v1::RolloutEvent& event) {
  if (event.type() == v1::ROLLOUT_EVENT_TYPE_SUCCEEDED) return v1::ROLLOUT_STATE_SUCCEEDED;
  if (event.type() == v1::ROLLOUT_EVENT_TYPE_ROLLED_BACK) return v1::ROLLOUT_STATE_ROLLED_BACK;
  if (RolloutFinished(event.state())) return event.state();
  return std::nullopt;
}

}  // namespace

absl::StatusOr<v1::ListRolloutsResponse> Commands::ListRollouts(const Options& options, int limit,
                                                                const std::string& service) {
  v1::ListRolloutsRequest request;
  request.set_limit(limit);
  request.set_service(service);
  v1::ListRolloutsResponse response;
  grpc::ClientContext context;
  SetDeadline(context, options.timeout);
  if (absl::Status s = FromGrpcStatus(stub_->ListRollouts(&context, request, &response)); !s.ok()) {
    return s;
  }
  return response;
}

absl::StatusOr<v1::Rollout> Commands::FindRollout(const Options& options, const std::string& id) {
  if (IsRolloutId(id)) {
    v1::GetRolloutRequest request;
    request.set_rollout_id(id);
    v1::Rollout rollout;
    grpc::ClientContext context;
    SetDeadline(context, options.timeout);
    if (absl::Status s = FromGrpcStatus(stub_->GetRollout(&context, request, &rollout)); !s.ok()) {
      return s;
    }
    return rollout;
  }
  absl::StatusOr<v1::ListRolloutsResponse> listed = ListRollouts(options, kMaxListed, "");
  if (!listed.ok()) return listed.status();
  // Newest first, so the first match is the change's latest rollout.
  for (const v1::Rollout& rollout : listed->rollouts()) {
    if (rollout.change_id() == id) return rollout;
  }
  return absl::NotFoundError(
      absl::StrCat("no rollout with id or change id ", id, " (rollout ids start with ro_)"));
}

absl::StatusOr<int> Commands::RolloutStatus(const Options& options) {
  if (!options.rollout_id.empty()) {
    absl::StatusOr<v1::Rollout> rollout = FindRollout(options, options.rollout_id);
    if (!rollout.ok()) return rollout.status();
    *out_ << (options.json ? ToJson(*rollout, /*pretty=*/true) : FormatRollout(*rollout));
    return kExitOk;
  }
  absl::StatusOr<v1::ListRolloutsResponse> listed =
      ListRollouts(options, kMaxListed, options.service);
  if (!listed.ok()) return listed.status();
  v1::ListRolloutsResponse active;
  for (const v1::Rollout& rollout : listed->rollouts()) {
    if (!RolloutFinished(rollout.state())) *active.add_rollouts() = rollout;
  }
  if (options.json) {
    *out_ << ToJson(active, /*pretty=*/true);
  } else {
    *out_ << (active.rollouts().empty() ? "no active rollouts\n" : FormatRolloutTable(active));
  }
  return kExitOk;
}

absl::StatusOr<int> Commands::RolloutList(const Options& options) {
  absl::StatusOr<v1::ListRolloutsResponse> listed =
      ListRollouts(options, options.limit, options.service);
  if (!listed.ok()) return listed.status();
  *out_ << (options.json ? ToJson(*listed, /*pretty=*/true) : FormatRolloutTable(*listed));
  return kExitOk;
}

absl::StatusOr<int> Commands::RolloutWatch(const Options& options) {
  std::string rollout_id = options.rollout_id;
  if (!IsRolloutId(rollout_id)) {
    absl::StatusOr<v1::Rollout> found = FindRollout(options, rollout_id);
    if (!found.ok()) return found.status();
    rollout_id = found->id();
  }
  v1::WatchRolloutRequest request;
  request.set_rollout_id(rollout_id);
  grpc::ClientContext context;
  SetDeadline(context, options.wait_timeout);
  std::unique_ptr<grpc::ClientReaderInterface<v1::RolloutEvent>> reader =
      stub_->WatchRollout(&context, request);
  std::optional<v1::RolloutState> final_state;
  v1::RolloutEvent event;
  while (!final_state && reader->Read(&event)) {
    *out_ << (options.json ? ToJson(event, /*pretty=*/false) : FormatRolloutEvent(event));
    out_->flush();
    final_state = FinalState(event);
  }
  // The server ends the stream once the rollout finished; not waiting for it keeps a slow
  // close harmless.
  if (final_state) context.TryCancel();
  const absl::Status finished = FromGrpcStatus(reader->Finish());
  if (final_state) return ExitCodeForRolloutState(*final_state);
  if (!finished.ok()) return finished;
  return absl::AbortedError(
      absl::StrCat("the event stream of ", rollout_id, " ended before the rollout finished"));
}

absl::StatusOr<int> Commands::RolloutAction(const Options& options) {
  const ActionMethod method = MethodFor(options.command);
  if (method == nullptr) return absl::InternalError("not a rollout action");
  v1::RolloutActionRequest request;
  request.set_rollout_id(options.rollout_id);
  if (!IsRolloutId(options.rollout_id)) {
    absl::StatusOr<v1::Rollout> found = FindRollout(options, options.rollout_id);
    if (!found.ok()) return found.status();
    request.set_rollout_id(found->id());
  }
  request.set_actor(options.actor);
  request.set_reason(options.reason);
  v1::Rollout rollout;
  grpc::ClientContext context;
  SetDeadline(context, options.timeout);
  if (absl::Status s = FromGrpcStatus((stub_->*method)(&context, request, &rollout)); !s.ok()) {
    return s;
  }
  *out_ << (options.json ? ToJson(rollout, /*pretty=*/true) : FormatRolloutSummary(rollout));
  return kExitOk;
}

absl::StatusOr<int> Commands::SetKillSwitch(const Options& options) {
  v1::SetKillSwitchRequest request;
  request.set_engaged(options.engaged);
  request.set_actor(options.actor);
  request.set_reason(options.reason);
  v1::KillSwitch kill_switch;
  grpc::ClientContext context;
  SetDeadline(context, options.timeout);
  absl::Status s = FromGrpcStatus(stub_->SetKillSwitch(&context, request, &kill_switch));
  if (!s.ok()) return s;
  *out_ << (options.json ? ToJson(kill_switch, /*pretty=*/true) : FormatKillSwitch(kill_switch));
  return kExitOk;
}

absl::StatusOr<int> Commands::GetKillSwitch(const Options& options) {
  v1::KillSwitch kill_switch;
  grpc::ClientContext context;
  SetDeadline(context, options.timeout);
  absl::Status s =
      FromGrpcStatus(stub_->GetKillSwitch(&context, v1::GetKillSwitchRequest(), &kill_switch));
  if (!s.ok()) return s;
  *out_ << (options.json ? ToJson(kill_switch, /*pretty=*/true) : FormatKillSwitch(kill_switch));
  return kExitOk;
}

}  // namespace conclave::ctl
