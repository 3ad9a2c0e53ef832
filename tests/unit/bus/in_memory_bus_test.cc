// The bus contract against NewInMemoryBus(), and what only the fake and its helpers show.
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "common/bus/bus.h"
#include "common/bus/internal/advisory.h"
#include "common/bus/internal/subject.h"
#include "gtest/gtest.h"
#include "tests/unit/bus/bus_contract.h"

namespace conclave::bus {
namespace {

using contract::BusContractTest;
using contract::Msg;
using contract::TestBus;
using contract::TestBusFactory;

class InMemoryTestBus : public TestBus {
 public:
  Bus& bus() override { return *bus_; }

 private:
  std::unique_ptr<Bus> bus_ = NewInMemoryBus();
};

INSTANTIATE_TEST_SUITE_P(
    Bus, BusContractTest,
    ::testing::Values(TestBusFactory{
        "InMemory",
        []() -> absl::StatusOr<std::unique_ptr<TestBus>> {
          return std::unique_ptr<TestBus>(new InMemoryTestBus());
        }}),
    contract::FactoryName);

TEST(SubjectTest, WildcardsMatchAsTheServerDoes) {
  using internal::SubjectMatches;
  EXPECT_TRUE(SubjectMatches("a.b", "a.b"));
  EXPECT_FALSE(SubjectMatches("a.b", "a.c"));
  EXPECT_TRUE(SubjectMatches("a.*", "a.b"));
  EXPECT_FALSE(SubjectMatches("a.*", "a.b.c"));
  EXPECT_FALSE(SubjectMatches("a.*", "a"));
  EXPECT_TRUE(SubjectMatches("a.>", "a.b"));
  EXPECT_TRUE(SubjectMatches("a.>", "a.b.c"));
  EXPECT_FALSE(SubjectMatches("a.>", "a"));
  EXPECT_TRUE(SubjectMatches("*.b.>", "x.b.y.z"));
  EXPECT_TRUE(SubjectMatches(">", "anything.at.all"));
  EXPECT_FALSE(SubjectMatches("a.b", "a.*")) << "a wildcard is not a literal subject";
}

TEST(SubjectTest, OverlapFindsSharedSubjects) {
  using internal::SubjectsOverlap;
  EXPECT_TRUE(SubjectsOverlap("conclave.task.>", "conclave.task.security.>"));
  EXPECT_TRUE(SubjectsOverlap("conclave.*.security.Review", "conclave.task.>"));
  EXPECT_FALSE(SubjectsOverlap("conclave.task.security.>", "conclave.task.performance.>"));
  EXPECT_FALSE(SubjectsOverlap("conclave.task.>", "conclave.result.>"));
  EXPECT_FALSE(SubjectsOverlap("a.>", "a"));
}

TEST(SubjectTest, LiteralSubjects) {
  using internal::IsLiteralSubject;
  EXPECT_TRUE(IsLiteralSubject("conclave.task.security.Review"));
  EXPECT_FALSE(IsLiteralSubject(""));
  EXPECT_FALSE(IsLiteralSubject("a..b"));
  EXPECT_FALSE(IsLiteralSubject("a.b."));
  EXPECT_FALSE(IsLiteralSubject("a b"));
}

TEST(AdvisoryTest, ParsesTheServersJson) {
  // As nats-server 2.9 writes it.
  const std::string json =
      R"({"type":"io.nats.jetstream.advisory.v1.max_deliver","id":"Xk2","timestamp":)"
      R"("2024-01-01T00:00:00.000000000Z","stream":"CONCLAVE_TASKS","consumer":"security",)"
      R"("stream_seq":42,"deliveries":5})";
  auto a = internal::ParseMaxDeliveriesAdvisory(json);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->stream, "CONCLAVE_TASKS");
  EXPECT_EQ(a->consumer, "security");
  EXPECT_EQ(a->stream_seq, 42u);
  EXPECT_EQ(a->deliveries, 5u);
}

TEST(AdvisoryTest, FormatAndParseAgree) {
  internal::MaxDeliveriesAdvisory in{"S", "c", 7, 3};
  const std::string json = internal::FormatMaxDeliveriesAdvisory(in, absl::Now());
  EXPECT_TRUE(absl::StrContains(json, "io.nats.jetstream.advisory.v1.max_deliver"));
  auto out = internal::ParseMaxDeliveriesAdvisory(json);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->stream, "S");
  EXPECT_EQ(out->stream_seq, 7u);
  EXPECT_EQ(out->deliveries, 3u);
  EXPECT_EQ(internal::MaxDeliveriesSubject("S", "*"),
            "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.S.*");
}

TEST(AdvisoryTest, RejectsMalformedJsonWithoutThrowing) {
  for (const char* bad : {"", "{", "[]", R"({"stream":"S"})",
                          R"({"stream":"S","consumer":"c","stream_seq":"7","deliveries":1})",
                          R"({"stream":"S","consumer":"c","stream_seq":-1,"deliveries":1})"}) {
    EXPECT_FALSE(internal::ParseMaxDeliveriesAdvisory(bad).ok()) << bad;
  }
}

TEST(InMemoryBusTest, OverlappingStreamsAreRefused) {
  auto bus = NewInMemoryBus();
  ASSERT_TRUE(bus->EnsureStream({.name = "A", .subjects = {"x.>"}}).ok());
  absl::Status s = bus->EnsureStream({.name = "B", .subjects = {"x.y"}});
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
}

TEST(InMemoryBusTest, RetentionCannotChange) {
  auto bus = NewInMemoryBus();
  ASSERT_TRUE(bus->EnsureStream({.name = "A", .subjects = {"x.>"}}).ok());
  absl::Status s = bus->EnsureStream(
      {.name = "A", .subjects = {"x.>"}, .retention = Retention::kWorkQueue});
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
}

TEST(InMemoryBusTest, WorkQueueRefusesOverlappingConsumers) {
  auto bus = NewInMemoryBus();
  ASSERT_TRUE(bus->EnsureStream(
                     {.name = "W", .subjects = {"w.>"}, .retention = Retention::kWorkQueue})
                  .ok());
  ASSERT_TRUE(bus->CreatePullConsumer({.stream = "W", .durable = "a", .filter_subject = "w.a.>"})
                  .ok());
  EXPECT_TRUE(bus->CreatePullConsumer({.stream = "W", .durable = "b", .filter_subject = "w.b.>"})
                  .ok());
  auto overlap = bus->CreatePullConsumer({.stream = "W", .durable = "c", .filter_subject = "w.>"});
  EXPECT_EQ(overlap.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(InMemoryBusTest, DuplicateWindowExpires) {
  auto bus = NewInMemoryBus();
  ASSERT_TRUE(bus->EnsureStream({.name = "D",
                                 .subjects = {"d"},
                                 .duplicate_window = absl::Milliseconds(50)})
                  .ok());
  auto consumer = bus->CreatePullConsumer({.stream = "D", .durable = "r"});
  ASSERT_TRUE(consumer.ok());
  const Message m = Msg("d", "x", {{kMsgIdHeader, "id-1"}});
  ASSERT_TRUE(bus->Publish(m).ok());
  ASSERT_TRUE(bus->Publish(m).ok());
  ASSERT_EQ(*(*consumer)->NumPending(), 1u);
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (*(*consumer)->NumPending() < 2 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));  // polling for the window to pass
    ASSERT_TRUE(bus->Publish(m).ok());
  }
  EXPECT_EQ(*(*consumer)->NumPending(), 2u);
}

TEST(InMemoryBusTest, MaxAckPendingLimitsDeliveries) {
  auto bus = NewInMemoryBus();
  ASSERT_TRUE(bus->EnsureStream({.name = "M", .subjects = {"m"}}).ok());
  auto consumer =
      bus->CreatePullConsumer({.stream = "M", .durable = "r", .max_ack_pending = 2});
  ASSERT_TRUE(consumer.ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(bus->Publish(Msg("m", "x")).ok());
  auto got = (*consumer)->Fetch(5, absl::Milliseconds(50));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->size(), 2u);
  ASSERT_TRUE((*got)[0]->Ack().ok());
  auto more = (*consumer)->Fetch(5, absl::Milliseconds(50));
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more->size(), 1u);
}

TEST(InMemoryBusTest, HandlesOutliveTheBus) {
  auto bus = NewInMemoryBus();
  ASSERT_TRUE(bus->EnsureStream({.name = "M", .subjects = {"m"}}).ok());
  auto consumer = bus->CreatePullConsumer({.stream = "M", .durable = "r"});
  ASSERT_TRUE(consumer.ok());
  ASSERT_TRUE(bus->Publish(Msg("m", "x")).ok());
  auto got = (*consumer)->Fetch(1, absl::Seconds(1));
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  auto sub = bus->Subscribe("m", [](Message) {});
  ASSERT_TRUE(sub.ok());
  bus.reset();
  EXPECT_EQ((*consumer)->Fetch(1, absl::Milliseconds(10)).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ((*got)[0]->Ack().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace conclave::bus
