// The bus against a real nats-server with JetStream: the whole bus contract (the same tests
// the in-memory fake passes), then what only a server shows: reconnecting after the server
// restarts, messages that survive the restart, and a crashed consumer's unacked work handed to
// a replica that connects afterwards.
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "common/bus/bus.h"
#include "common/bus/topology.h"
#include "gtest/gtest.h"
#include "tests/support/nats_server.h"
#include "tests/unit/bus/bus_contract.h"

namespace conclave::bus {
namespace {

using conclave::testing::NatsServer;
using contract::BusContractTest;
using contract::TestBus;
using contract::TestBusFactory;

class NatsTestBus : public TestBus {
 public:
  static absl::StatusOr<std::unique_ptr<TestBus>> Make() {
    auto server = NatsServer::Start();
    if (!server.ok()) return server.status();
    auto bus = ConnectNats({.url = (*server)->url(), .name = "contract"});
    if (!bus.ok()) return bus.status();
    auto out = std::make_unique<NatsTestBus>();
    out->server_ = std::move(*server);
    out->bus_ = std::move(*bus);
    return std::unique_ptr<TestBus>(std::move(out));
  }
  Bus& bus() override { return *bus_; }

 private:
  std::unique_ptr<NatsServer> server_;  // outlives the connection: declared first
  std::unique_ptr<Bus> bus_;
};

INSTANTIATE_TEST_SUITE_P(Bus, BusContractTest,
                         ::testing::Values(TestBusFactory{"Nats", &NatsTestBus::Make}),
                         contract::FactoryName);

class NatsBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = NatsServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  std::unique_ptr<Bus> Connect(const std::string& name) {
    auto bus = ConnectNats({.url = server_->url(), .name = name});
    EXPECT_TRUE(bus.ok()) << bus.status();
    return bus.ok() ? std::move(*bus) : nullptr;
  }

  static Message Task(const std::string& id) {
    Message m;
    m.subject = TaskSubject("security", "Review");
    m.data = "task " + id;
    m.headers[kMsgIdHeader] = id;
    m.headers[kChangeIdHeader] = id;
    return m;
  }

  // Retries `publish` until it succeeds or `timeout` passes (the connection reconnects).
  static absl::Status PublishWithin(Bus& bus, const Message& m, absl::Duration timeout) {
    const absl::Time until = absl::Now() + timeout;
    absl::Status s;
    do {
      s = bus.Publish(m, absl::Seconds(1));
      if (s.ok()) return s;
      absl::SleepFor(absl::Milliseconds(100));
    } while (absl::Now() < until);
    return s;
  }

  std::unique_ptr<NatsServer> server_;
};

TEST_F(NatsBusTest, ReconnectsAfterTheServerRestartsAndKeepsStoredTasks) {
  auto bus = Connect("restart");
  ASSERT_NE(bus, nullptr);
  ASSERT_TRUE(EnsureTopology(*bus).ok());
  ASSERT_TRUE(bus->Publish(Task("before")).ok());

  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  // The same Bus object reconnects by itself; nothing is rebuilt by the caller.
  ASSERT_TRUE(PublishWithin(*bus, Task("after"), absl::Seconds(10)).ok()) << server_->Log();
  EXPECT_TRUE(bus->Connected());

  auto consumer = bus->CreatePullConsumer(TaskConsumerSpec("security", absl::Seconds(30), 5));
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  std::vector<std::string> got;
  const absl::Time until = absl::Now() + absl::Seconds(10);
  while (got.size() < 2 && absl::Now() < until) {
    auto batch = (*consumer)->Fetch(2, absl::Milliseconds(500));
    ASSERT_TRUE(batch.ok()) << batch.status();
    for (auto& d : *batch) {
      got.push_back(d->message().data);
      ASSERT_TRUE(d->Ack().ok());
    }
  }
  EXPECT_EQ(got, (std::vector<std::string>{"task before", "task after"}));
}

TEST_F(NatsBusTest, CrashedReplicasUnackedTaskGoesToTheNextReplica) {
  auto publisher = Connect("publisher");
  ASSERT_NE(publisher, nullptr);
  ASSERT_TRUE(EnsureTopology(*publisher).ok());
  ASSERT_TRUE(publisher->Publish(Task("chg_1")).ok());
  const auto spec = TaskConsumerSpec("security", absl::Seconds(1), 5);
  {
    // The first replica takes the task and dies without acking: its connection goes away.
    auto replica = Connect("replica-1");
    auto consumer = replica->CreatePullConsumer(spec);
    ASSERT_TRUE(consumer.ok()) << consumer.status();
    auto batch = (*consumer)->Fetch(1, absl::Seconds(5));
    ASSERT_TRUE(batch.ok() && batch->size() == 1);
  }
  auto replica = Connect("replica-2");
  auto consumer = replica->CreatePullConsumer(spec);
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  std::unique_ptr<Delivery> redelivered;
  const absl::Time until = absl::Now() + absl::Seconds(10);
  while (redelivered == nullptr && absl::Now() < until) {
    auto batch = (*consumer)->Fetch(1, absl::Milliseconds(500));
    ASSERT_TRUE(batch.ok()) << batch.status();
    if (!batch->empty()) redelivered = std::move(batch->front());
  }
  ASSERT_NE(redelivered, nullptr) << "the unacked task never came back";
  EXPECT_EQ(redelivered->message().Header(kChangeIdHeader), "chg_1");
  EXPECT_GE(redelivered->delivery_count(), 2u);
  EXPECT_TRUE(redelivered->Ack().ok());
}

TEST_F(NatsBusTest, AChangeAtTheEightMebibyteLimitFitsOnTheBus) {
  auto bus = Connect("payload");
  ASSERT_TRUE(EnsureTopology(*bus).ok());
  Message big = Task("big");
  big.data.assign(8 << 20, 'x');
  EXPECT_TRUE(bus->Publish(big).ok());
}

}  // namespace
}  // namespace conclave::bus
