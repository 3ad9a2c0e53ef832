// JetStream's MAX_DELIVERIES advisory: what the server publishes on
// $JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer> when a message has been
// delivered max_deliver times without an ack. The in-memory bus formats it, the dead-letter
// watcher parses it. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace conclave::bus::internal {

struct MaxDeliveriesAdvisory {
  std::string stream;
  std::string consumer;
  uint64_t stream_seq = 0;
  uint64_t deliveries = 0;
};

// The advisory subject; `consumer` may be "*" to watch every consumer of `stream`.
std::string MaxDeliveriesSubject(absl::string_view stream, absl::string_view consumer);

// The advisory as the server writes it (type io.nats.jetstream.advisory.v1.max_deliver).
std::string FormatMaxDeliveriesAdvisory(const MaxDeliveriesAdvisory& advisory, absl::Time now);

// Reads stream, consumer, stream_seq and deliveries; InvalidArgument when the JSON is
// malformed or lacks them. Never throws.
absl::StatusOr<MaxDeliveriesAdvisory> ParseMaxDeliveriesAdvisory(absl::string_view json);

}  // namespace conclave::bus::internal
