#include "tests/unit/bus/bus_contract.h"

#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/bus/internal/advisory.h"
#include "common/bus/topology.h"

namespace conclave::bus::contract {

Message Msg(const std::string& subject, const std::string& data,
            std::map<std::string, std::string> headers) {
  return Message{subject, data, std::move(headers)};
}

void BusContractTest::SetUp() {
  auto made = GetParam().make();
  ASSERT_TRUE(made.ok()) << made.status();
  test_bus_ = std::move(*made);
  StreamSpec work{.name = kWorkStream, .subjects = {"work.>"}, .retention = Retention::kWorkQueue};
  StreamSpec log{.name = kLogStream, .subjects = {"log.>"}, .retention = Retention::kLimits};
  ASSERT_TRUE(bus().EnsureStream(work).ok());
  ASSERT_TRUE(bus().EnsureStream(log).ok());
}

std::unique_ptr<PullConsumer> BusContractTest::WorkConsumer(absl::Duration ack_wait,
                                                            int max_deliver,
                                                            const std::string& durable) {
  auto consumer = bus().CreatePullConsumer({.stream = kWorkStream,
                                            .durable = durable,
                                            .filter_subject = "work.>",
                                            .ack_wait = ack_wait,
                                            .max_deliver = max_deliver});
  EXPECT_TRUE(consumer.ok()) << consumer.status();
  return consumer.ok() ? std::move(*consumer) : nullptr;
}

std::vector<std::unique_ptr<Delivery>> BusContractTest::FetchN(PullConsumer& consumer, size_t n,
                                                               absl::Duration timeout) {
  std::vector<std::unique_ptr<Delivery>> out;
  const absl::Time deadline = absl::Now() + timeout;
  while (out.size() < n && absl::Now() < deadline) {
    auto batch = consumer.Fetch(static_cast<int>(n - out.size()), deadline - absl::Now());
    if (!batch.ok()) {
      ADD_FAILURE() << batch.status();
      break;
    }
    for (auto& d : *batch) out.push_back(std::move(d));
  }
  return out;
}

namespace {

// Collects messages from a core subscription; waits with a deadline.
class Inbox {
 public:
  std::function<void(Message)> Handler() {
    return [this](Message m) {
      absl::MutexLock lock(&mu_);
      messages_.push_back(std::move(m));
    };
  }
  // The first `n` messages, or fewer if `timeout` passes first.
  std::vector<Message> WaitFor(size_t n, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() { return messages_.size() >= n; };
    mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
    return messages_;
  }
  size_t size() {
    absl::MutexLock lock(&mu_);
    return messages_.size();
  }

 private:
  absl::Mutex mu_;
  std::vector<Message> messages_;
};

constexpr absl::Duration kQuiet = absl::Milliseconds(300);  // "nothing arrives" window
constexpr absl::Duration kPatience = absl::Seconds(10);     // upper bound for events

TEST_P(BusContractTest, PublishFetchAckRoundTripsSubjectDataAndHeaders) {
  auto consumer = WorkConsumer(absl::Seconds(30));
  const std::string binary("\x00\x01\xff payload", 12);
  ASSERT_TRUE(bus().Publish(Msg("work.review", binary,
                                {{kChangeIdHeader, "chg-1"},
                                 {kTraceparentHeader, "00-abc-def-01"},
                                 {kDeadlineHeader, "1700000000000"}}))
                  .ok());
  auto got = FetchN(*consumer, 1, kPatience);
  ASSERT_EQ(got.size(), 1u);
  const Message& m = got[0]->message();
  EXPECT_EQ(m.subject, "work.review");
  EXPECT_EQ(m.data, binary);
  EXPECT_EQ(m.Header(kChangeIdHeader), "chg-1");
  EXPECT_EQ(m.Header(kTraceparentHeader), "00-abc-def-01");
  EXPECT_EQ(m.Header(kDeadlineHeader), "1700000000000");
  EXPECT_EQ(m.Header("absent"), "");
  EXPECT_EQ(got[0]->delivery_count(), 1u);
  EXPECT_EQ(got[0]->stream_sequence(), 1u);
  EXPECT_TRUE(got[0]->Ack().ok());
  auto again = consumer->Fetch(1, kQuiet);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST_P(BusContractTest, FetchTimesOutEmptyNotAsError) {
  auto consumer = WorkConsumer(absl::Seconds(30));
  auto got = consumer->Fetch(4, absl::Milliseconds(100));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->empty());
}

TEST_P(BusContractTest, FetchWakesWhenAMessageArrives) {
  auto consumer = WorkConsumer(absl::Seconds(30));
  std::thread publisher([this] {
    absl::SleepFor(absl::Milliseconds(100));
    EXPECT_TRUE(bus().Publish(Msg("work.late", "x")).ok());
  });
  const absl::Time start = absl::Now();
  auto got = consumer->Fetch(1, kPatience);
  publisher.join();
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_LT(absl::Now() - start, kPatience / 2);
}

TEST_P(BusContractTest, SameMsgIdIsStoredOnce) {
  auto consumer = WorkConsumer(absl::Seconds(30));
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(bus().Publish(Msg("work.review", "same", {{kMsgIdHeader, "chg-1.security"}})).ok());
  }
  ASSERT_TRUE(bus().Publish(Msg("work.review", "other", {{kMsgIdHeader, "chg-2.security"}})).ok());
  auto pending = consumer->NumPending();
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(*pending, 2u);
  auto got = FetchN(*consumer, 3, absl::Milliseconds(500));
  EXPECT_EQ(got.size(), 2u);
}

TEST_P(BusContractTest, WorkQueueRemovesAckedMessageAndKeepsUnacked) {
  auto consumer = WorkConsumer(absl::Seconds(30));
  ASSERT_TRUE(bus().Publish(Msg("work.a", "1")).ok());
  ASSERT_TRUE(bus().Publish(Msg("work.b", "2")).ok());
  auto got = FetchN(*consumer, 2, kPatience);
  ASSERT_EQ(got.size(), 2u);
  ASSERT_TRUE(got[0]->Ack().ok());
  EXPECT_TRUE(absl::IsNotFound(bus().GetStreamMessage(kWorkStream, 1).status()));
  auto kept = bus().GetStreamMessage(kWorkStream, 2);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->data, "2");
}

TEST_P(BusContractTest, LimitsStreamKeepsAckedMessage) {
  auto consumer = bus().CreatePullConsumer(
      {.stream = kLogStream, .durable = "reader", .filter_subject = "log.>"});
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  ASSERT_TRUE(bus().Publish(Msg("log.x", "kept")).ok());
  auto got = FetchN(**consumer, 1, kPatience);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_TRUE(got[0]->Ack().ok());
  auto stored = bus().GetStreamMessage(kLogStream, 1);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->data, "kept");
  ASSERT_TRUE(bus().DeleteStreamMessage(kLogStream, 1).ok());
  EXPECT_TRUE(absl::IsNotFound(bus().GetStreamMessage(kLogStream, 1).status()));
  EXPECT_FALSE(bus().DeleteStreamMessage(kLogStream, 1).ok());
}

TEST_P(BusContractTest, ReplicasOnOneDurableShareWorkWithoutDuplicates) {
  constexpr int kMessages = 40;
  auto a = WorkConsumer(absl::Seconds(30));
  auto b = WorkConsumer(absl::Seconds(30));  // binds the same durable
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_TRUE(bus().Publish(Msg("work.task", absl::StrCat(i))).ok());
  }
  absl::Mutex mu;
  std::multiset<std::string> seen;
  std::vector<int> per_replica(2, 0);
  auto work = [&](PullConsumer* consumer, int replica) {
    const absl::Time deadline = absl::Now() + kPatience;
    while (absl::Now() < deadline) {
      {
        absl::MutexLock lock(&mu);
        if (seen.size() >= kMessages) return;
      }
      auto batch = consumer->Fetch(3, absl::Milliseconds(200));
      if (!batch.ok()) continue;
      for (auto& d : *batch) {
        absl::SleepFor(absl::Milliseconds(2));  // some work, so that both replicas get some
        EXPECT_TRUE(d->Ack().ok());
        absl::MutexLock lock(&mu);
        seen.insert(d->message().data);
        ++per_replica[replica];
      }
    }
  };
  std::thread t1(work, a.get(), 0);
  std::thread t2(work, b.get(), 1);
  t1.join();
  t2.join();
  ASSERT_EQ(seen.size(), static_cast<size_t>(kMessages));
  for (int i = 0; i < kMessages; ++i) EXPECT_EQ(seen.count(absl::StrCat(i)), 1u) << i;
  EXPECT_GT(per_replica[0], 0);
  EXPECT_GT(per_replica[1], 0);
}

TEST_P(BusContractTest, ConcurrentFetchesOnOneConsumerGetDifferentMessages) {
  auto consumer = WorkConsumer(absl::Seconds(30));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(bus().Publish(Msg("work.t", absl::StrCat(i))).ok());
  std::vector<std::unique_ptr<Delivery>> first, second;
  std::thread t([&] { first = FetchN(*consumer, 1, kPatience); });
  second = FetchN(*consumer, 1, kPatience);
  t.join();
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(first[0]->stream_sequence(), second[0]->stream_sequence());
}

TEST_P(BusContractTest, UnackedDeliveryIsRedeliveredAfterAckWait) {
  auto consumer = WorkConsumer(absl::Milliseconds(500));
  ASSERT_TRUE(bus().Publish(Msg("work.crash", "task")).ok());
  uint64_t seq = 0;
  {
    auto got = FetchN(*consumer, 1, kPatience);
    ASSERT_EQ(got.size(), 1u);
    seq = got[0]->stream_sequence();
  }  // dropped unsettled: the replica crashed
  auto again = FetchN(*consumer, 1, kPatience);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0]->stream_sequence(), seq);
  EXPECT_EQ(again[0]->delivery_count(), 2u);
  EXPECT_EQ(again[0]->message().data, "task");
}

TEST_P(BusContractTest, NakRedeliversAfterDelay) {
  auto consumer = WorkConsumer(absl::Seconds(30));
  ASSERT_TRUE(bus().Publish(Msg("work.retry", "task")).ok());
  auto got = FetchN(*consumer, 1, kPatience);
  ASSERT_EQ(got.size(), 1u);
  const absl::Time nakked = absl::Now();
  ASSERT_TRUE(got[0]->Nak(absl::Milliseconds(200)).ok());
  auto again = FetchN(*consumer, 1, kPatience);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_GE(absl::Now() - nakked, absl::Milliseconds(150));
  EXPECT_EQ(again[0]->delivery_count(), 2u);
}

TEST_P(BusContractTest, TermedMessageIsNeverRedeliveredAndLeavesTheWorkQueue) {
  auto consumer = WorkConsumer(absl::Milliseconds(300));
  ASSERT_TRUE(bus().Publish(Msg("work.bad", "garbage")).ok());
  auto got = FetchN(*consumer, 1, kPatience);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_TRUE(got[0]->Term().ok());
  auto again = consumer->Fetch(1, absl::Milliseconds(900));  // three ack-waits
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  EXPECT_TRUE(absl::IsNotFound(bus().GetStreamMessage(kWorkStream, 1).status()));
}

TEST_P(BusContractTest, InProgressPostponesRedelivery) {
  auto consumer = WorkConsumer(absl::Milliseconds(800));
  ASSERT_TRUE(bus().Publish(Msg("work.long", "task")).ok());
  auto got = FetchN(*consumer, 1, kPatience);
  ASSERT_EQ(got.size(), 1u);
  absl::SleepFor(absl::Milliseconds(500));  // long work, not waiting for an event
  ASSERT_TRUE(got[0]->InProgress().ok());
  // Without InProgress it would come back 300 ms from now.
  auto early = consumer->Fetch(1, absl::Milliseconds(600));
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->empty());
  ASSERT_TRUE(got[0]->Ack().ok());
}

TEST_P(BusContractTest, NumPendingCountsUndeliveredMessages) {
  auto consumer = WorkConsumer(absl::Seconds(30));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(bus().Publish(Msg("work.n", absl::StrCat(i))).ok());
  auto pending = consumer->NumPending();
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_EQ(*pending, 3u);
  auto got = FetchN(*consumer, 1, kPatience);
  ASSERT_EQ(got.size(), 1u);
  pending = consumer->NumPending();
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(*pending, 2u);
}

TEST_P(BusContractTest, MaxDeliverRaisesTheServersAdvisory) {
  auto consumer = WorkConsumer(absl::Milliseconds(300), /*max_deliver=*/2);
  Inbox advisories;
  auto sub = bus().Subscribe("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.WORK.*",
                             advisories.Handler());
  ASSERT_TRUE(sub.ok()) << sub.status();
  ASSERT_TRUE(bus().Publish(Msg("work.poison", "task")).ok());
  const absl::Time deadline = absl::Now() + kPatience;
  int deliveries = 0;
  while (advisories.size() == 0 && absl::Now() < deadline) {
    auto batch = consumer->Fetch(1, absl::Milliseconds(200));  // and drop: never acked
    if (batch.ok()) deliveries += static_cast<int>(batch->size());
  }
  auto got = advisories.WaitFor(1, absl::Seconds(1));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(deliveries, 2);
  auto parsed = internal::ParseMaxDeliveriesAdvisory(got[0].data);
  ASSERT_TRUE(parsed.ok()) << parsed.status() << " " << got[0].data;
  EXPECT_EQ(parsed->stream, kWorkStream);
  EXPECT_EQ(parsed->consumer, "workers");
  EXPECT_EQ(parsed->stream_seq, 1u);
  EXPECT_EQ(parsed->deliveries, 2u);
  EXPECT_TRUE(bus().GetStreamMessage(kWorkStream, 1).ok()) << "the server keeps the message";
}

TEST_P(BusContractTest, CoreSubscriptionGetsMatchingMessagesWithHeaders) {
  Inbox inbox;
  auto sub = bus().Subscribe("events.*.changed", inbox.Handler());
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(bus().PublishCore(Msg("events.svc.changed", "x", {{"k", "v"}})).ok());
  ASSERT_TRUE(bus().PublishCore(Msg("events.svc.other", "y")).ok());
  ASSERT_TRUE(bus().PublishCore(Msg("events.svc2.changed", "z")).ok());
  auto got = inbox.WaitFor(2, kPatience);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].subject, "events.svc.changed");
  EXPECT_EQ(got[0].Header("k"), "v");
  EXPECT_EQ(got[1].data, "z");
}

TEST_P(BusContractTest, JetStreamPublishAlsoReachesCoreSubscribers) {
  Inbox inbox;
  auto sub = bus().Subscribe("work.>", inbox.Handler());
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(bus().Publish(Msg("work.seen", "x")).ok());
  EXPECT_EQ(inbox.WaitFor(1, kPatience).size(), 1u);
}

TEST_P(BusContractTest, ThrowingHandlerDoesNotStopDelivery) {
  Inbox inbox;
  auto handler = inbox.Handler();
  auto sub = bus().Subscribe("boom", [handler](Message m) {
    handler(m);
    throw std::runtime_error("handler bug");
  });
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(bus().PublishCore(Msg("boom", "1")).ok());
  ASSERT_TRUE(bus().PublishCore(Msg("boom", "2")).ok());
  EXPECT_EQ(inbox.WaitFor(2, kPatience).size(), 2u);
}

TEST_P(BusContractTest, DestroyedSubscriptionGetsNothingMore) {
  Inbox inbox;
  auto sub = bus().Subscribe("once", inbox.Handler());
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(bus().PublishCore(Msg("once", "1")).ok());
  ASSERT_EQ(inbox.WaitFor(1, kPatience).size(), 1u);
  sub->reset();
  ASSERT_TRUE(bus().PublishCore(Msg("once", "2")).ok());
  // A sentinel subscriber that sees the second message proves it was sent.
  Inbox sentinel;
  auto watch = bus().Subscribe("once.done", sentinel.Handler());
  ASSERT_TRUE(watch.ok());
  ASSERT_TRUE(bus().PublishCore(Msg("once.done", "")).ok());
  ASSERT_EQ(sentinel.WaitFor(1, kPatience).size(), 1u);
  EXPECT_EQ(inbox.size(), 1u);
}

TEST_P(BusContractTest, HandlerMayDestroyItsOwnSubscription) {
  std::unique_ptr<Subscription> self;
  absl::Notification fired;
  absl::Mutex mu;
  auto sub = bus().Subscribe("self", [&](Message) {
    {
      absl::MutexLock lock(&mu);
      self.reset();
    }
    // Last: once notified, the test returns and destroys mu, so the lock must be released.
    fired.Notify();
  });
  ASSERT_TRUE(sub.ok());
  {
    absl::MutexLock lock(&mu);
    self = std::move(*sub);
  }
  ASSERT_TRUE(bus().PublishCore(Msg("self", "")).ok());
  EXPECT_TRUE(fired.WaitForNotificationWithTimeout(kPatience));
}

TEST_P(BusContractTest, OversizedPublishIsAClearError) {
  const std::string big((16 << 20) + 1, 'x');  // over Conclave's 16 MiB max_payload
  absl::Status s = bus().Publish(Msg("work.big", big));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "max_payload")) << s;
  s = bus().PublishCore(Msg("work.big", big));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_TRUE(bus().Publish(Msg("work.small", "still fine")).ok());
}

TEST_P(BusContractTest, PublishWithoutAStreamFails) {
  absl::Status s = bus().Publish(Msg("nostream.here", "x"), absl::Seconds(2));
  EXPECT_FALSE(s.ok());
}

TEST_P(BusContractTest, EnsureStreamAndConsumerAreIdempotent) {
  StreamSpec work{.name = kWorkStream, .subjects = {"work.>"}, .retention = Retention::kWorkQueue};
  EXPECT_TRUE(bus().EnsureStream(work).ok());
  auto a = WorkConsumer(absl::Seconds(30));
  auto b = WorkConsumer(absl::Seconds(10));  // updates ack_wait of the same durable
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
}

TEST_P(BusContractTest, DurableWithAnotherFilterIsRefused) {
  auto a = WorkConsumer(absl::Seconds(30));
  auto b = bus().CreatePullConsumer(
      {.stream = kWorkStream, .durable = "workers", .filter_subject = "work.other.>"});
  EXPECT_EQ(b.status().code(), absl::StatusCode::kFailedPrecondition) << b.status();
}

TEST_P(BusContractTest, ConsumerOfMissingStreamIsNotFound) {
  auto c = bus().CreatePullConsumer({.stream = "NOPE", .durable = "x", .filter_subject = "x.>"});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound) << c.status();
}

// --- Topology ------------------------------------------------------------------------------

TEST_P(BusContractTest, TopologyDeadLettersTasksPastMaxDeliver) {
  ASSERT_TRUE(EnsureTopology(bus()).ok());
  ASSERT_TRUE(EnsureTopology(bus()).ok());
  auto consumer = bus().CreatePullConsumer(TaskConsumerSpec("security", absl::Milliseconds(300), 2));
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  absl::Mutex mu;
  std::vector<DeadLetter> dead;
  auto watcher = WatchDeadLetters(bus(), [&](const DeadLetter& d) {
    absl::MutexLock lock(&mu);
    dead.push_back(d);
  });
  ASSERT_TRUE(watcher.ok()) << watcher.status();
  ASSERT_TRUE(bus().Publish(Msg(TaskSubject("security", "Review"), "task",
                                {{kChangeIdHeader, "chg-9"}, {kMsgIdHeader, "chg-9.security"}}))
                  .ok());
  const absl::Time deadline = absl::Now() + kPatience;
  auto has_dead = [&] {
    absl::MutexLock lock(&mu);
    return !dead.empty();
  };
  while (!has_dead() && absl::Now() < deadline) {
    (void)(*consumer)->Fetch(1, absl::Milliseconds(200));  // a replica that always crashes
  }
  ASSERT_TRUE(has_dead());
  {
    absl::MutexLock lock(&mu);
    EXPECT_EQ(dead[0].agent, "security");
    EXPECT_EQ(dead[0].change_id, "chg-9");
    EXPECT_EQ(dead[0].deliveries, 2u);
    EXPECT_EQ(dead[0].message.data, "task");
  }
  EXPECT_TRUE(absl::IsNotFound(bus().GetStreamMessage(kTaskStream, 1).status()));
  auto dlq = bus().CreatePullConsumer({.stream = kDeadLetterStream,
                                       .durable = "dlq-reader",
                                       .filter_subject = DeadLetterSubject("security")});
  ASSERT_TRUE(dlq.ok()) << dlq.status();
  auto got = FetchN(**dlq, 1, kPatience);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]->message().Header(kErrorHeader), "max deliveries (2) exceeded");
  EXPECT_EQ(got[0]->message().Header(kChangeIdHeader), "chg-9");
  EXPECT_EQ(got[0]->message().Header(kOriginalSubjectHeader), "conclave.task.security.Review");
  EXPECT_EQ(got[0]->message().data, "task");
}

TEST_P(BusContractTest, PublishDeadLetterStoresOneCopyPerOriginal) {
  ASSERT_TRUE(EnsureTopology(bus()).ok());
  const Message bad = Msg(TaskSubject("performance", "Review"), "\xff garbage",
                          {{kChangeIdHeader, "chg-3"}, {kMsgIdHeader, "chg-3.performance"}});
  ASSERT_TRUE(PublishDeadLetter(bus(), "performance", bad, "malformed task").ok());
  ASSERT_TRUE(PublishDeadLetter(bus(), "performance", bad, "malformed task").ok());  // redelivered
  auto dlq = bus().CreatePullConsumer({.stream = kDeadLetterStream,
                                       .durable = "dlq-reader",
                                       .filter_subject = "conclave.dlq.>"});
  ASSERT_TRUE(dlq.ok());
  auto pending = (*dlq)->NumPending();
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(*pending, 1u);
  auto got = FetchN(**dlq, 1, kPatience);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]->message().subject, "conclave.dlq.performance");
  EXPECT_EQ(got[0]->message().Header(kErrorHeader), "malformed task");
}

TEST_P(BusContractTest, TaskConsumersOfDifferentAgentsCoexistOnTheWorkQueue) {
  ASSERT_TRUE(EnsureTopology(bus()).ok());
  auto sec = bus().CreatePullConsumer(TaskConsumerSpec("security", absl::Seconds(30), 5));
  auto perf = bus().CreatePullConsumer(TaskConsumerSpec("performance", absl::Seconds(30), 5));
  ASSERT_TRUE(sec.ok()) << sec.status();
  ASSERT_TRUE(perf.ok()) << perf.status();
  ASSERT_TRUE(bus().Publish(Msg(TaskSubject("security", "Review"), "s")).ok());
  ASSERT_TRUE(bus().Publish(Msg(TaskSubject("performance", "Review"), "p")).ok());
  auto s = FetchN(**sec, 1, kPatience);
  auto p = FetchN(**perf, 1, kPatience);
  ASSERT_EQ(s.size(), 1u);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(s[0]->message().data, "s");
  EXPECT_EQ(p[0]->message().data, "p");
}

}  // namespace
}  // namespace conclave::bus::contract
