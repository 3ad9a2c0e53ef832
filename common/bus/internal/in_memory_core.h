// InMemoryCore: the state behind NewInMemoryBus() — streams, durable consumers and core
// subscriptions — with JetStream's semantics: subjects with wildcards, work-queue retention,
// de-duplication by Nats-Msg-Id, ack-wait redelivery, max_deliver with the server's
// MAX_DELIVERIES advisory, Nak with delay, Term and InProgress.
//
// Thread-safe: one mutex guards everything; Fetch waits on a condition variable. Core
// subscription handlers run on one dispatcher thread the core owns, never under the mutex.
// Shared (shared_ptr) by the bus and every handle made from it; Shutdown() (the bus's
// destructor) stops the dispatcher and makes later calls fail with kUnavailable.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/bus/bus.h"

namespace conclave::bus::internal {

class InMemoryCore : public std::enable_shared_from_this<InMemoryCore> {
 public:
  // As Conclave's nats-server configuration (deploy/local/nats.conf, the test fixture).
  static constexpr int64_t kMaxPayload = 16 << 20;

  struct Fetched {
    Message message;
    uint64_t stream_seq = 0;
    uint64_t deliveries = 0;
  };
  enum class Settlement { kAck, kNak, kTerm, kInProgress };

  static std::shared_ptr<InMemoryCore> Create();
  ~InMemoryCore();
  void Shutdown();

  absl::Status EnsureStream(const StreamSpec& spec);
  absl::Status Publish(const Message& msg);
  absl::Status PublishCore(const Message& msg);
  absl::Status EnsureConsumer(const ConsumerSpec& spec);
  absl::StatusOr<std::vector<Fetched>> Fetch(const ConsumerSpec& spec, int max,
                                             absl::Duration timeout);
  absl::StatusOr<uint64_t> NumPending(const ConsumerSpec& spec);
  // `delay` is used by kNak only. Settling a delivery that is no longer pending is a no-op.
  absl::Status Settle(const ConsumerSpec& spec, uint64_t seq, Settlement how,
                      absl::Duration delay);
  uint64_t Subscribe(const std::string& subject, std::function<void(Message)> handler);
  // Returns once the handler is not running (unless called from the handler itself).
  void Unsubscribe(uint64_t id);
  absl::StatusOr<Message> GetStreamMessage(const std::string& stream, uint64_t seq);
  absl::Status DeleteStreamMessage(const std::string& stream, uint64_t seq);

 private:
  struct Stored {
    Message message;
    absl::Time stored_at;
  };
  struct Pending {
    uint64_t deliveries = 0;
    absl::Time redeliver_at;
  };
  struct Consumer {
    ConsumerSpec spec;
    uint64_t next_seq = 1;  // the next stream sequence never delivered
    std::map<uint64_t, Pending> pending;
  };
  struct Stream {
    StreamSpec spec;
    uint64_t last_seq = 0;
    std::map<uint64_t, Stored> messages;
    std::map<std::string, absl::Time> msg_ids;
    std::map<std::string, Consumer> consumers;
  };
  struct CoreSubscription {
    std::string pattern;
    std::shared_ptr<const std::function<void(Message)>> handler;
  };
  struct Outgoing {
    uint64_t subscription;
    Message message;
  };

  InMemoryCore() = default;
  void DispatchLoop(std::shared_ptr<InMemoryCore> self);
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool NotRunning(uint64_t id) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Status CheckOpen() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Stream* StreamFor(const std::string& subject) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<Stream*> FindStream(const std::string& name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<Consumer*> FindConsumer(const ConsumerSpec& spec)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CheckNoOverlap(const StreamSpec& spec) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CheckWorkQueueFilter(const Stream& stream, const ConsumerSpec& spec) const;
  bool IsDuplicate(Stream& stream, const Message& msg, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Expire(Stream& stream, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FanOut(const Message& msg) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::vector<Fetched> TakeReady(Stream& stream, Consumer& consumer, int max, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void TakeRedeliveries(Stream& stream, Consumer& consumer, int max, absl::Time now,
                        std::vector<Fetched>* out) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void TakeNew(Stream& stream, Consumer& consumer, int max, absl::Time now,
               std::vector<Fetched>* out) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EmitMaxDeliveries(const Stream& stream, const Consumer& consumer, uint64_t seq,
                         uint64_t deliveries) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static absl::Time NextRedelivery(const Consumer& consumer);

  mutable absl::Mutex mu_;
  absl::CondVar changed_;  // a publish, a settlement, a shutdown: fetchers look again
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::map<std::string, Stream> streams_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, CoreSubscription> subscriptions_ ABSL_GUARDED_BY(mu_);
  uint64_t next_subscription_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<Outgoing> outbox_ ABSL_GUARDED_BY(mu_);
  uint64_t running_ ABSL_GUARDED_BY(mu_) = 0;  // the subscription whose handler runs now
  std::thread dispatcher_;
  std::thread::id dispatcher_id_;
};

}  // namespace conclave::bus::internal
