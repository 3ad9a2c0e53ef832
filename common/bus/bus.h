// Bus: the one seam for messaging between processes. ConnectNats() is the real
// implementation over NATS.c with JetStream; NewInMemoryBus() is the fake for unit tests with
// the same work-queue semantics (ack, redelivery after ack-wait, max-deliver, dead-letter
// advisories, de-duplication). docs/BUS.md describes both.
// Bus, PullConsumer and Subscription are thread-safe; a Delivery belongs to one thread.
// PullConsumers, Deliveries and Subscriptions keep what they need of their bus alive, so they
// may be destroyed in any order relative to the Bus.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace conclave::bus {

// Header names carried by every task and result. Header names are case-sensitive.
inline constexpr char kChangeIdHeader[] = "Conclave-Change-Id";
inline constexpr char kTraceparentHeader[] = "traceparent";
// Absolute deadline of the task, Unix milliseconds in decimal.
inline constexpr char kDeadlineHeader[] = "Conclave-Deadline";
// JetStream de-duplication id: a publish retried with the same id is stored once.
inline constexpr char kMsgIdHeader[] = "Nats-Msg-Id";
// Set on a dead letter: why it was dead-lettered.
inline constexpr char kErrorHeader[] = "Conclave-Error";

struct Message {
  std::string subject;
  std::string data;
  // Single-valued headers.
  std::map<std::string, std::string> headers;

  // The header's value, or "" when absent.
  std::string Header(const std::string& name) const;
};

enum class Retention { kLimits, kWorkQueue };

struct StreamSpec {
  std::string name;
  std::vector<std::string> subjects;
  Retention retention = Retention::kLimits;
  absl::Duration max_age = absl::Hours(24 * 7);
  // Window in which Nats-Msg-Id de-duplicates publishes.
  absl::Duration duplicate_window = absl::Minutes(2);
  int64_t max_msg_bytes = 16 << 20;
};

struct ConsumerSpec {
  std::string stream;
  // Durable name, shared by every replica of an agent kind.
  std::string durable;
  std::string filter_subject;
  // A delivery not acked within ack_wait is redelivered...
  absl::Duration ack_wait = absl::Seconds(30);
  // ...at most max_deliver times in all; past that it is a dead letter.
  int max_deliver = 5;
  int max_ack_pending = 1000;
};

// A message pulled from a durable consumer. Exactly one of Ack/Nak/Term settles it; a
// Delivery dropped unsettled is redelivered after ack_wait.
class Delivery {
 public:
  virtual ~Delivery() = default;
  virtual const Message& message() const = 0;
  // 1 on the first delivery.
  virtual uint64_t delivery_count() const = 0;
  virtual uint64_t stream_sequence() const = 0;
  // Acknowledges and waits for the server to confirm.
  virtual absl::Status Ack() = 0;
  // Asks for redelivery after `delay`.
  virtual absl::Status Nak(absl::Duration delay) = 0;
  // Never redeliver (malformed message).
  virtual absl::Status Term() = 0;
  // Resets the ack-wait timer for long work.
  virtual absl::Status InProgress() = 0;
};

class PullConsumer {
 public:
  virtual ~PullConsumer() = default;
  // Waits up to `timeout` for up to `max` messages; an empty vector on timeout. Several
  // threads may fetch at once; each gets different messages.
  virtual absl::StatusOr<std::vector<std::unique_ptr<Delivery>>> Fetch(int max,
                                                                     absl::Duration timeout) = 0;
  // Messages not yet delivered to this consumer (what an autoscaler scales on).
  virtual absl::StatusOr<uint64_t> NumPending() = 0;
};

// Unsubscribes when destroyed.
class Subscription {
 public:
  virtual ~Subscription() = default;
};

class Bus {
 public:
  virtual ~Bus() = default;
  // Creates the stream, or updates it to `spec` when it exists.
  virtual absl::Status EnsureStream(const StreamSpec& spec) = 0;
  // Publishes to JetStream and waits for the server's acknowledgement. A message whose
  // Nats-Msg-Id was seen within the stream's duplicate window is acknowledged, not stored.
  // A message larger than the server's max_payload is kInvalidArgument; no stream on the
  // subject is kUnavailable (NATS cannot tell it from JetStream being down).
  virtual absl::Status Publish(const Message& msg, absl::Duration timeout = absl::Seconds(5)) = 0;
  // Publishes on core NATS (no persistence, no acknowledgement).
  virtual absl::Status PublishCore(const Message& msg) = 0;
  // Creates (or binds to) the durable pull consumer described by `spec`.
  virtual absl::StatusOr<std::unique_ptr<PullConsumer>> CreatePullConsumer(
      const ConsumerSpec& spec) = 0;
  // Core NATS subscription; `handler` runs on the bus's delivery thread and must not block.
  // After the Subscription is destroyed `handler` is not running and will not run again
  // (unless it is destroyed from inside `handler` itself). An exception `handler` throws is
  // caught and logged: none reaches NATS.c.
  virtual absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(
      const std::string& subject, std::function<void(Message)> handler) = 0;
  // Reads / deletes one stored message of a stream by sequence (used for dead letters).
  virtual absl::StatusOr<Message> GetStreamMessage(const std::string& stream, uint64_t seq) = 0;
  virtual absl::Status DeleteStreamMessage(const std::string& stream, uint64_t seq) = 0;
  // Whether the connection is up now.
  virtual bool Connected() const = 0;
};

struct NatsOptions {
  std::string url = "nats://127.0.0.1:4222";
  // Connection name shown by the server (agent kind and pid).
  std::string name;
  // NATS.c's send-as-soon-as-possible: no write coalescing, for latency-critical links.
  bool send_asap = true;
  // Reconnect forever, waiting this long between attempts.
  absl::Duration reconnect_wait = absl::Milliseconds(250);
  // How long the first connection attempt may take.
  absl::Duration connect_timeout = absl::Seconds(5);
};

absl::StatusOr<std::unique_ptr<Bus>> ConnectNats(const NatsOptions& options);

std::unique_ptr<Bus> NewInMemoryBus();

}  // namespace conclave::bus
