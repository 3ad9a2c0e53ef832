// NatsConnection: one NATS.c connection and its JetStream context, shared (shared_ptr) by the
// bus and by every consumer, delivery and subscription made from it, so that the connection
// is torn down last and exactly once. Thread-safe: NATS.c connections and JetStream contexts
// may be used from any thread.
#pragma once

#include <nats/nats.h>

#include <memory>

#include "absl/status/statusor.h"
#include "common/bus/bus.h"
#include "common/bus/internal/nats_handles.h"

namespace conclave::bus::internal {

class NatsConnection {
 public:
  // Connects once (no retry; callers decide) and reconnects forever after that.
  static absl::StatusOr<std::shared_ptr<NatsConnection>> Connect(const NatsOptions& options);

  NatsConnection(const NatsConnection&) = delete;
  NatsConnection& operator=(const NatsConnection&) = delete;
  // The teardown order: JetStream context, then close and destroy the connection, then its
  // options.
  ~NatsConnection();

  natsConnection* nc() const { return nc_.get(); }
  jsCtx* js() const { return js_.get(); }
  bool connected() const;
  // The server's max_payload in bytes, or 0 when not known.
  int64_t max_payload() const;

 private:
  NatsConnection() = default;

  NatsOptionsPtr options_;
  NatsConnectionPtr nc_;
  JsCtxPtr js_;
};

}  // namespace conclave::bus::internal
