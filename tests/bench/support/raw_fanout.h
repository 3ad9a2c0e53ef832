// The bus baseline of the end-to-end benchmark: a raw NATS.c request-reply fan-out to three
// responders on core NATS (no JetStream, no persistence, no analysis), the least any design
// that asks three agents and waits for all three answers can cost on the same server.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace conclave::bench {

struct FanoutFigures {
  double p50_us = 0;
  double p99_us = 0;
  double per_second = 0;  // sequential fan-outs per second
};

// Connects to `url`, starts three responders (each its own connection, answering with a
// 64-byte reply), then times `requests` sequential fan-outs: publish a `payload_bytes` request
// to each responder and wait for all three replies.
absl::StatusOr<FanoutFigures> MeasureRawFanout(const std::string& url, int requests,
                                               size_t payload_bytes);

}  // namespace conclave::bench
