// conclave-devops as a process over a real nats-server and a real HAProxy: a SetTrafficSplit
// task published on the bus moves HAProxy's weights and its TrafficState comes back on
// conclave.result.devops.<operation-id>; a malformed task is dead-lettered.
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/bus/bus.h"
#include "common/bus/topology.h"
#include "conclave/v1/devops.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/devops/delivery_stack.h"
#include "tests/support/nats_server.h"
#include "tests/support/subprocess.h"

namespace conclave::devops {
namespace {

using conclave::v1::SetTrafficSplitRequest;
using conclave::v1::TrafficState;
using testing::DeliveryStack;
using testing::Subprocess;

class DevopsBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stack = DeliveryStack::Start();
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = std::move(*stack);
    auto nats = testing::NatsServer::Start();
    ASSERT_TRUE(nats.ok()) << nats.status();
    nats_ = std::move(*nats);
    auto bus = bus::ConnectNats({.url = nats_->url(), .name = "devops-bus-test"});
    ASSERT_TRUE(bus.ok()) << bus.status();
    bus_ = std::move(*bus);
    ASSERT_TRUE(bus::EnsureTopology(*bus_).ok());
    auto results = bus_->CreatePullConsumer(bus::ResultConsumerSpec(absl::Seconds(30), 5));
    ASSERT_TRUE(results.ok()) << results.status();
    results_ = std::move(*results);
    const std::string addr_file = stack_->dir() + "/devops.json";
    auto agent = Subprocess::Spawn(
        testing::BinaryPath("conclave-devops"),
        {"--nats_url", nats_->url(), "--haproxy_runtime_api", stack_->runtime_api(),
         "--haproxy_routes", "demo/v1=demo/stable,demo/v2=demo/canary", "--addr_file", addr_file},
        stack_->dir() + "/devops.log");
    ASSERT_TRUE(agent.ok()) << agent.status();
    agent_ = std::move(*agent);
    auto ready = testing::WaitForAddressFile(addr_file, "grpc", absl::Seconds(20));
    ASSERT_TRUE(ready.ok()) << ready.status() << "\n" << agent_->Log();
  }

  void TearDown() override {
    if (agent_) {
      EXPECT_EQ(agent_->Terminate(), 0) << agent_->Log();
    }
  }

  void PublishTask(const std::string& method, const std::string& data) {
    bus::Message task;
    task.subject = bus::TaskSubject("devops", method);
    task.data = data;
    task.headers[bus::kChangeIdHeader] = "chg-42";
    task.headers[bus::kTraceparentHeader] =
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    ASSERT_TRUE(bus_->Publish(task).ok());
  }

  std::unique_ptr<DeliveryStack> stack_;
  std::unique_ptr<testing::NatsServer> nats_;
  std::unique_ptr<bus::Bus> bus_;
  std::unique_ptr<bus::PullConsumer> results_;
  std::unique_ptr<Subprocess> agent_;
};

TEST_F(DevopsBusTest, SplitTaskMovesHaproxyAndPublishesTheReadBack) {
  SetTrafficSplitRequest request;
  request.set_operation_id("chg-42-step-2");
  request.set_change_id("chg-42");
  request.set_service("demo");
  request.set_stable_version("v1");
  request.set_canary_version("v2");
  request.set_canary_weight_percent(25);
  const absl::Time sent = absl::Now();
  PublishTask("SetTrafficSplit", request.SerializeAsString());

  auto batch = results_->Fetch(1, absl::Seconds(15));
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->size(), 1u) << agent_->Log();
  const absl::Duration round_trip = absl::Now() - sent;
  std::cout << "bus round trip, task published to read-back result received: "
            << absl::FormatDuration(round_trip) << "\n";
  const bus::Message& result = (*batch)[0]->message();
  EXPECT_EQ(result.subject, "conclave.result.devops.chg-42-step-2");
  EXPECT_EQ(result.Header(bus::kChangeIdHeader), "chg-42");
  EXPECT_EQ(result.Header(bus::kTraceparentHeader),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_TRUE(absl::StartsWith(result.Header(bus::kMsgIdHeader), "chg-42-step-2.devops."));
  TrafficState state;
  ASSERT_TRUE(state.ParseFromString(result.data));
  EXPECT_EQ(state.error_code(), 0) << state.error_message();
  EXPECT_EQ(state.driver(), "haproxy");
  EXPECT_EQ(state.canary_weight_percent(), 25);
  EXPECT_TRUE(state.verified());
  ASSERT_TRUE((*batch)[0]->Ack().ok());

  auto weight = stack_->RuntimeCommand("get weight demo/canary");
  ASSERT_TRUE(weight.ok());
  EXPECT_TRUE(absl::StartsWith(*weight, "25 ")) << *weight;
  auto traffic = stack_->SendRequests(400);
  EXPECT_NEAR(traffic["v2"], 100, 10);
}

TEST_F(DevopsBusTest, FailedOperationIsAnsweredWithItsError) {
  SetTrafficSplitRequest request;
  request.set_operation_id("chg-42-bad-version");
  request.set_service("demo");
  request.set_stable_version("v1");
  request.set_canary_version("v9");
  request.set_canary_weight_percent(10);
  PublishTask("SetTrafficSplit", request.SerializeAsString());
  auto batch = results_->Fetch(1, absl::Seconds(15));
  ASSERT_TRUE(batch.ok() && batch->size() == 1) << agent_->Log();
  TrafficState state;
  ASSERT_TRUE(state.ParseFromString((*batch)[0]->message().data));
  EXPECT_EQ(state.error_code(), static_cast<int>(absl::StatusCode::kNotFound));
  EXPECT_TRUE(absl::StrContains(state.error_message(), "v9")) << state.error_message();
  auto weight = stack_->RuntimeCommand("get weight demo/canary");
  EXPECT_TRUE(absl::StartsWith(*weight, "0 ")) << *weight;
}

TEST_F(DevopsBusTest, MalformedTaskIsDeadLettered) {
  auto dlq = bus_->CreatePullConsumer({.stream = bus::kDeadLetterStream,
                                       .durable = "devops-test-dlq",
                                       .filter_subject = bus::DeadLetterSubject("devops")});
  ASSERT_TRUE(dlq.ok()) << dlq.status();
  PublishTask("SetTrafficSplit", "\xff\xff not a protobuf");
  auto batch = (*dlq)->Fetch(1, absl::Seconds(15));
  ASSERT_TRUE(batch.ok() && batch->size() == 1) << agent_->Log();
  EXPECT_TRUE(absl::StrContains((*batch)[0]->message().Header(bus::kErrorHeader),
                                "SetTrafficSplitRequest"));
  EXPECT_TRUE(absl::StrContains(agent_->Log(), "dead-letter")) << agent_->Log();
}

}  // namespace
}  // namespace conclave::devops
