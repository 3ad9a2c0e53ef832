// The one conversion of NATS.c errors into absl::Status. Every call into NATS.c that can fail
// goes through NatsError, so codes and messages read the same everywhere. Thread-safe: the
// library's last-error text is thread-local.
#pragma once

#include <nats/nats.h>

#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace conclave::bus::internal {

// OkStatus() when `s` is NATS_OK; otherwise a status whose code follows `s` and `js_code`,
// and whose message names `operation`, the NATS.c status text, the JetStream error code and
// the library's last error text for this thread.
absl::Status NatsError(absl::string_view operation, natsStatus s, jsErrCode js_code = jsErrCode(0));

// The absl code for a NATS.c status and JetStream error code.
absl::StatusCode NatsStatusCode(natsStatus s, jsErrCode js_code);

}  // namespace conclave::bus::internal
