#include "common/bus/internal/nats_status.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace conclave::bus::internal {

namespace {

absl::StatusCode JetStreamCode(jsErrCode js_code) {
  switch (js_code) {
    case JSStreamNotFoundErr:
    case JSConsumerNotFoundErr:
    case JSNoMessageFoundErr:
      return absl::StatusCode::kNotFound;
    case JSStreamMessageExceedsMaximumErr:
      return absl::StatusCode::kInvalidArgument;
    default:
      return absl::StatusCode::kFailedPrecondition;
  }
}

// The library's last error text on this thread, when it belongs to `s` (a stale text from an
// earlier failure would mislead).
std::string LastErrorText(natsStatus s) {
  natsStatus last = NATS_OK;
  const char* text = nats_GetLastError(&last);
  return text != nullptr && last == s ? text : "";
}

}  // namespace

absl::StatusCode NatsStatusCode(natsStatus s, jsErrCode js_code) {
  if (js_code != 0) return JetStreamCode(js_code);
  switch (s) {
    case NATS_OK:
      return absl::StatusCode::kOk;
    case NATS_TIMEOUT:
      return absl::StatusCode::kDeadlineExceeded;
    case NATS_NOT_FOUND:
      return absl::StatusCode::kNotFound;
    case NATS_INVALID_ARG:
    case NATS_INVALID_SUBJECT:
    case NATS_INVALID_TIMEOUT:
    case NATS_MAX_PAYLOAD:
    case NATS_ADDRESS_MISSING:
      return absl::StatusCode::kInvalidArgument;
    case NATS_NOT_PERMITTED:
    case NATS_CONNECTION_AUTH_FAILED:
      return absl::StatusCode::kPermissionDenied;
    case NATS_IO_ERROR:
    case NATS_CONNECTION_CLOSED:
    case NATS_CONNECTION_DISCONNECTED:
    case NATS_NO_SERVER:
    case NATS_STALE_CONNECTION:
    case NATS_NOT_YET_CONNECTED:
    case NATS_NO_RESPONDERS:
    case NATS_DRAINING:
    case NATS_SLOW_CONSUMER:
    case NATS_MISSED_HEARTBEAT:
      return absl::StatusCode::kUnavailable;
    case NATS_NO_MEMORY:
    case NATS_INSUFFICIENT_BUFFER:
      return absl::StatusCode::kResourceExhausted;
    case NATS_ILLEGAL_STATE:
    case NATS_INVALID_SUBSCRIPTION:
    case NATS_MISMATCH:
      return absl::StatusCode::kFailedPrecondition;
    case NATS_NO_SERVER_SUPPORT:
      return absl::StatusCode::kUnimplemented;
    default:
      return absl::StatusCode::kInternal;
  }
}

absl::Status NatsError(absl::string_view operation, natsStatus s, jsErrCode js_code) {
  if (s == NATS_OK) return absl::OkStatus();
  std::string message = absl::StrCat(operation, ": ", natsStatus_GetText(s));
  if (js_code != 0) absl::StrAppend(&message, " (JetStream error ", static_cast<int>(js_code), ")");
  if (std::string detail = LastErrorText(s); !detail.empty() && detail != natsStatus_GetText(s)) {
    absl::StrAppend(&message, ": ", detail);
  }
  return absl::Status(NatsStatusCode(s, js_code), message);
}

}  // namespace conclave::bus::internal
