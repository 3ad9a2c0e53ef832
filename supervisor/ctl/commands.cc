#include "supervisor/ctl/commands.h"

#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "supervisor/ctl/collect.h"
#include "supervisor/ctl/exit_codes.h"
#include "supervisor/ctl/format.h"

namespace conclave::ctl {
namespace {

using conclave::v1::ChangeEvent;

// Says which supervisor an unreachable-address error is about.
absl::Status WithAddress(const absl::Status& status, const std::string& addr) {
  const bool about_connection = status.code() == absl::StatusCode::kUnavailable ||
                                status.code() == absl::StatusCode::kDeadlineExceeded;
  if (!about_connection || addr.empty()) return status;
  return absl::Status(status.code(), absl::StrCat(status.message(), " (supervisor at ", addr, ")"));
}

}  // namespace

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

void Commands::SetDeadline(grpc::ClientContext& context, absl::Duration timeout) {
  if (timeout == absl::InfiniteDuration()) return;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

int Commands::Run(const Options& options) {
  absl::StatusOr<int> result = absl::InvalidArgumentError("no command to run");
  switch (options.command) {
    case Command::kSubmit:
      result = Submit(options);
      break;
    case Command::kGet:
      result = Get(options);
      break;
    case Command::kList:
      result = List(options);
      break;
    case Command::kWatch:
      result = Watch(options, options.change_id);
      break;
    case Command::kAudit:
      result = Audit(options);
      break;
    case Command::kAuditVerify:
      result = AuditVerify(options);
      break;
    case Command::kRolloutStatus:
      result = RolloutStatus(options);
      break;
    case Command::kRolloutList:
      result = RolloutList(options);
      break;
    case Command::kRolloutWatch:
      result = RolloutWatch(options);
      break;
    case Command::kRolloutApprove:
    case Command::kRolloutPromote:
    case Command::kRolloutPause:
    case Command::kRolloutResume:
    case Command::kRolloutAbort:
    case Command::kRolloutRollback:
      result = RolloutAction(options);
      break;
    case Command::kKillSwitchSet:
      result = SetKillSwitch(options);
      break;
    case Command::kKillSwitchStatus:
      result = GetKillSwitch(options);
      break;
    case Command::kHelp:
    case Command::kRollout:
    case Command::kKillSwitch:
      break;
  }
  if (result.ok()) return *result;
  const absl::Status status = WithAddress(result.status(), options.addr);
  *err_ << "conclavectl: " << absl::StatusCodeToString(status.code()) << ": " << status.message()
        << "\n";
  return ExitCodeForStatus(status);
}

absl::StatusOr<int> Commands::Submit(const Options& options) {
  absl::StatusOr<conclave::v1::Change> change = CollectChange(options.paths);
  if (!change.ok()) return change.status();
  change->set_target_service(options.service);
  change->set_environment(options.environment);
  change->set_title(options.title);
  change->set_author(options.author);
  change->set_version(options.version);
  change->set_base_version(options.base_version);

  conclave::v1::SubmitChangeRequest request;
  *request.mutable_change() = *std::move(change);
  conclave::v1::SubmitChangeResponse response;
  grpc::ClientContext context;
  SetDeadline(context, options.timeout);
  if (absl::Status s = FromGrpcStatus(stub_->SubmitChange(&context, request, &response)); !s.ok()) {
    return s;
  }
  *out_ << (options.json ? ToJson(response, /*pretty=*/!options.wait)
                         : absl::StrCat(response.change_id(), "\n"));
  out_->flush();
  if (!options.wait) return kExitOk;
  return Watch(options, response.change_id());
}

absl::StatusOr<int> Commands::Watch(const Options& options, const std::string& change_id) {
  conclave::v1::WatchChangeRequest request;
  request.set_change_id(change_id);
  grpc::ClientContext context;
  SetDeadline(context, options.wait_timeout);
  std::unique_ptr<grpc::ClientReaderInterface<ChangeEvent>> reader =
      stub_->WatchChange(&context, request);
  std::optional<conclave::v1::Outcome> outcome;
  ChangeEvent event;
  while (!outcome && reader->Read(&event)) {
    *out_ << (options.json ? ToJson(event, /*pretty=*/false) : FormatEvent(event));
    out_->flush();
    if (event.type() == conclave::v1::EVENT_TYPE_DECIDED) outcome = event.decision().outcome();
  }
  // The server ends the stream after DECIDED; not waiting for it keeps a slow close harmless.
  if (outcome) context.TryCancel();
  const absl::Status finished = FromGrpcStatus(reader->Finish());
  if (outcome) return ExitCodeForOutcome(*outcome);
  if (!finished.ok()) return finished;
  return absl::AbortedError(
      absl::StrCat("the event stream of ", change_id, " ended before a decision"));
}

absl::StatusOr<int> Commands::Get(const Options& options) {
  conclave::v1::GetChangeRequest request;
  request.set_change_id(options.change_id);
  conclave::v1::ChangeRecord record;
  grpc::ClientContext context;
  SetDeadline(context, options.timeout);
  if (absl::Status s = FromGrpcStatus(stub_->GetChange(&context, request, &record)); !s.ok()) {
    return s;
  }
  *out_ << (options.json ? ToJson(record, /*pretty=*/true) : FormatChangeRecord(record));
  return kExitOk;
}

absl::StatusOr<int> Commands::List(const Options& options) {
  conclave::v1::ListChangesRequest request;
  request.set_limit(options.limit);
  request.set_state(options.state);
  conclave::v1::ListChangesResponse response;
  grpc::ClientContext context;
  SetDeadline(context, options.timeout);
  if (absl::Status s = FromGrpcStatus(stub_->ListChanges(&context, request, &response)); !s.ok()) {
    return s;
  }
  *out_ << (options.json ? ToJson(response, /*pretty=*/true) : FormatChangeTable(response));
  return kExitOk;
}

absl::StatusOr<int> Commands::Audit(const Options& options) {
  conclave::v1::GetAuditTrailRequest request;
  request.set_change_id(options.all ? "" : options.change_id);
  conclave::v1::GetAuditTrailResponse response;
  grpc::ClientContext context;
  SetDeadline(context, options.timeout);
  absl::Status s = FromGrpcStatus(stub_->GetAuditTrail(&context, request, &response));
  if (!s.ok()) return s;
  if (!options.all && response.records().empty()) {
    return absl::NotFoundError(absl::StrCat("no audit records for ", options.change_id));
  }
  *out_ << (options.json ? ToJson(response, /*pretty=*/true) : FormatAuditTrail(response));
  return kExitOk;
}

absl::StatusOr<int> Commands::AuditVerify(const Options& options) {
  conclave::v1::VerifyAuditLogResponse response;
  grpc::ClientContext context;
  SetDeadline(context, options.timeout);
  absl::Status s = FromGrpcStatus(
      stub_->VerifyAuditLog(&context, conclave::v1::VerifyAuditLogRequest(), &response));
  if (!s.ok()) return s;
  *out_ << (options.json ? ToJson(response, /*pretty=*/true) : FormatVerifyResult(response));
  return ExitCodeForVerify(response);
}

}  // namespace conclave::ctl
