#include "tests/bench/support/raw_fanout.h"

#include <nats/nats.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace conclave::bench {
namespace {

constexpr int kResponders = 3;

absl::Status NatsError(natsStatus s, const char* what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", natsStatus_GetText(s)));
}

struct ConnDeleter {
  void operator()(natsConnection* c) const { natsConnection_Destroy(c); }
};
struct SubDeleter {
  void operator()(natsSubscription* s) const { natsSubscription_Destroy(s); }
};
using ConnPtr = std::unique_ptr<natsConnection, ConnDeleter>;
using SubPtr = std::unique_ptr<natsSubscription, SubDeleter>;

absl::StatusOr<ConnPtr> Connect(const std::string& url) {
  natsConnection* conn = nullptr;
  if (natsStatus s = natsConnection_ConnectTo(&conn, url.c_str()); s != NATS_OK) {
    return NatsError(s, "connect");
  }
  return ConnPtr(conn);
}

void Respond(natsConnection* conn, natsSubscription*, natsMsg* msg, void*) {
  static const std::string kReply(64, 'r');
  if (const char* reply = natsMsg_GetReply(msg); reply != nullptr) {
    natsConnection_Publish(conn, reply, kReply.data(), static_cast<int>(kReply.size()));
  }
  natsMsg_Destroy(msg);
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

}  // namespace

absl::StatusOr<FanoutFigures> MeasureRawFanout(const std::string& url, int requests,
                                               size_t payload_bytes) {
  if (requests <= 0) return absl::InvalidArgumentError("requests must be positive");
  std::vector<ConnPtr> responder_conns;
  std::vector<SubPtr> responder_subs;
  for (int i = 0; i < kResponders; ++i) {
    auto conn = Connect(url);
    if (!conn.ok()) return conn.status();
    natsSubscription* sub = nullptr;
    const std::string subject = absl::StrCat("bench.fanout.", i);
    if (natsStatus s =
            natsConnection_Subscribe(&sub, conn->get(), subject.c_str(), Respond, nullptr);
        s != NATS_OK) {
      return NatsError(s, "subscribe");
    }
    responder_subs.emplace_back(sub);
    if (natsStatus s = natsConnection_Flush(conn->get()); s != NATS_OK) {
      return NatsError(s, "flush");
    }
    responder_conns.push_back(std::move(*conn));
  }

  auto client = Connect(url);
  if (!client.ok()) return client.status();
  char inbox[64];
  {
    natsInbox* generated = nullptr;
    natsInbox_Create(&generated);
    snprintf(inbox, sizeof(inbox), "%s", generated);
    natsInbox_Destroy(generated);
  }
  natsSubscription* raw_sub = nullptr;
  if (natsStatus s = natsConnection_SubscribeSync(&raw_sub, client->get(), inbox); s != NATS_OK) {
    return NatsError(s, "subscribe inbox");
  }
  SubPtr replies(raw_sub);
  natsConnection_Flush(client->get());

  const std::string payload(payload_bytes, 'x');
  std::vector<double> latencies;
  latencies.reserve(requests);
  const absl::Time start = absl::Now();
  for (int r = 0; r < requests; ++r) {
    const absl::Time t0 = absl::Now();
    for (int i = 0; i < kResponders; ++i) {
      const std::string subject = absl::StrCat("bench.fanout.", i);
      if (natsStatus s =
              natsConnection_PublishRequest(client->get(), subject.c_str(), inbox, payload.data(),
                                            static_cast<int>(payload.size()));
          s != NATS_OK) {
        return NatsError(s, "publish request");
      }
    }
    for (int i = 0; i < kResponders; ++i) {
      natsMsg* msg = nullptr;
      if (natsStatus s = natsSubscription_NextMsg(&msg, replies.get(), 5000); s != NATS_OK) {
        return NatsError(s, "waiting for a reply");
      }
      natsMsg_Destroy(msg);
    }
    latencies.push_back(absl::ToDoubleMicroseconds(absl::Now() - t0));
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return FanoutFigures{Percentile(latencies, 0.5), Percentile(latencies, 0.99), requests / seconds};
}

}  // namespace conclave::bench
