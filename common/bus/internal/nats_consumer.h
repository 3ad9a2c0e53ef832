// The durable pull consumer over NATS.c. NatsPullConsumer binds NATS.c pull subscriptions to
// a durable that EnsureNatsConsumer created; it keeps a small pool of them so that several
// threads can fetch at once (NATS.c serves one fetch per subscription at a time).
// NatsPullConsumer is thread-safe; a delivery belongs to one thread.
#pragma once

#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/bus/bus.h"
#include "common/bus/internal/nats_connection.h"

namespace conclave::bus::internal {

// Creates the durable described by `spec`, or updates its ack_wait, max_deliver and
// max_ack_pending when it exists. A different filter subject is kFailedPrecondition (the
// server cannot change it).
absl::Status EnsureNatsConsumer(NatsConnection& conn, const ConsumerSpec& spec);

// One NATS.c pull subscription bound to the durable; deliveries hold it, because NATS.c
// acknowledges a message through its subscription.
class PullSubscription {
 public:
  PullSubscription(std::shared_ptr<NatsConnection> conn, NatsSubscriptionPtr sub)
      : conn_(std::move(conn)), sub_(std::move(sub)) {}
  natsSubscription* get() const { return sub_.get(); }

 private:
  std::shared_ptr<NatsConnection> conn_;  // outlives sub_
  NatsSubscriptionPtr sub_;
};

class NatsPullConsumer : public PullConsumer {
 public:
  // Binds the first subscription, so that a missing durable shows here, not on first fetch.
  static absl::StatusOr<std::unique_ptr<NatsPullConsumer>> Create(
      std::shared_ptr<NatsConnection> conn, const ConsumerSpec& spec);

  absl::StatusOr<std::vector<std::unique_ptr<Delivery>>> Fetch(int max,
                                                             absl::Duration timeout) override;
  absl::StatusOr<uint64_t> NumPending() override;

 private:
  NatsPullConsumer(std::shared_ptr<NatsConnection> conn, const ConsumerSpec& spec)
      : conn_(std::move(conn)), spec_(spec) {}
  absl::StatusOr<std::shared_ptr<PullSubscription>> Bind();
  absl::StatusOr<std::shared_ptr<PullSubscription>> TakeIdle();
  void ReturnIdle(std::shared_ptr<PullSubscription> sub);

  const std::shared_ptr<NatsConnection> conn_;
  const ConsumerSpec spec_;
  absl::Mutex mu_;
  std::vector<std::shared_ptr<PullSubscription>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace conclave::bus::internal
