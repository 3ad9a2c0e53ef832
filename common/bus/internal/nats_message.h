// Conversion between bus::Message and NATS.c's natsMsg. Thread-safe (no shared state).
#pragma once

#include <nats/nats.h>

#include <cstddef>

#include "absl/status/statusor.h"
#include "common/bus/bus.h"
#include "common/bus/internal/nats_handles.h"

namespace conclave::bus::internal {

// A new natsMsg with the subject, data and headers of `msg`.
absl::StatusOr<NatsMsgPtr> ToNatsMsg(const Message& msg);

// Subject, data and headers of `msg` (the first value of a repeated header).
Message FromNatsMsg(natsMsg* msg);

// Bytes `msg` occupies on the wire against the server's max_payload: data plus the header
// block NATS.c writes ("NATS/1.0\r\n", "Key: Value\r\n" each, "\r\n").
size_t WireSize(const Message& msg);

}  // namespace conclave::bus::internal
