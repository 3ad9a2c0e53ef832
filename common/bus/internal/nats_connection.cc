#include "common/bus/internal/nats_connection.h"

#include "absl/strings/str_cat.h"
#include "common/bus/internal/nats_status.h"

namespace conclave::bus::internal {

namespace {

int64_t Millis(absl::Duration d) { return absl::ToInt64Milliseconds(d); }

absl::StatusOr<NatsOptionsPtr> BuildOptions(const NatsOptions& o) {
  natsOptions* raw = nullptr;
  natsStatus s = natsOptions_Create(&raw);
  NatsOptionsPtr opts(raw);
  if (s == NATS_OK) s = natsOptions_SetURL(raw, o.url.c_str());
  if (s == NATS_OK && !o.name.empty()) s = natsOptions_SetName(raw, o.name.c_str());
  if (s == NATS_OK) s = natsOptions_SetSendAsap(raw, o.send_asap);
  if (s == NATS_OK) s = natsOptions_SetTimeout(raw, Millis(o.connect_timeout));
  // Reconnect forever; publishes made while reconnecting are buffered (NATS.c's default
  // 8 MiB reconnect buffer) and sent once the connection is back.
  if (s == NATS_OK) s = natsOptions_SetAllowReconnect(raw, true);
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(raw, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(raw, Millis(o.reconnect_wait));
  if (s != NATS_OK) return NatsError("NATS options", s);
  return opts;
}

}  // namespace

absl::StatusOr<std::shared_ptr<NatsConnection>> NatsConnection::Connect(
    const NatsOptions& options) {
  std::shared_ptr<NatsConnection> conn(new NatsConnection());
  auto opts = BuildOptions(options);
  if (!opts.ok()) return opts.status();
  conn->options_ = std::move(*opts);
  natsConnection* nc = nullptr;
  natsStatus s = natsConnection_Connect(&nc, conn->options_.get());
  conn->nc_.reset(nc);
  if (s != NATS_OK) return NatsError(absl::StrCat("connect to ", options.url), s);
  jsCtx* js = nullptr;
  s = natsConnection_JetStream(&js, nc, /*opts=*/nullptr);
  conn->js_.reset(js);
  if (s != NATS_OK) return NatsError("JetStream context", s);
  return conn;
}

NatsConnection::~NatsConnection() {
  js_.reset();
  if (nc_ != nullptr) natsConnection_Close(nc_.get());
  nc_.reset();
  options_.reset();
}

bool NatsConnection::connected() const {
  return natsConnection_Status(nc_.get()) == NATS_CONN_STATUS_CONNECTED;
}

int64_t NatsConnection::max_payload() const { return natsConnection_GetMaxPayload(nc_.get()); }

}  // namespace conclave::bus::internal
