#include "agents/metrics/metrics_bus.h"
#include "common/bus/topology.h"
#include "common/reporter/reporter.h"
#include "gtest/gtest.h"

namespace conclave::metrics_agent {
namespace {

namespace v1 = conclave::v1;

class FakeDelivery : public bus::Delivery {
 public:
  FakeDelivery(std::string subject, std::string data) {
    msg_.subject = std::move(subject);
    msg_.data = std::move(data);
    msg_.headers[bus::kChangeIdHeader] = "c-42";
  }
  const bus::Message& message() const override { return msg_; }
  uint64_t delivery_count() const override { return 1; }
  uint64_t stream_sequence() const override { return 7; }
  absl::Status Ack() override { return absl::OkStatus(); }
  absl::Status Nak(absl::Duration) override { return absl::OkStatus(); }
  absl::Status Term() override { return absl::OkStatus(); }
  absl::Status InProgress() override { return absl::OkStatus(); }

 private:
  bus::Message msg_;
};

class MetricsBusTest : public ::testing::Test {
 protected:
  MetricsBusTest() : agent_(MetricsConfig{}, &clock_, &registry_) {}

  absl::StatusOr<runtime::TaskReply> Handle(const std::string& method,
                                            const google::protobuf::Message& request) {
    FakeDelivery d(bus::TaskSubject(kMetricsAgent, method), request.SerializeAsString());
    return HandleMetricsTask(&agent_, d);
  }

  FakeClock clock_;
  metrics::Registry registry_;
  MetricsAgent agent_;
};

TEST_F(MetricsBusTest, JudgeTaskIsAnsweredOnTheResultSubjectOfItsRequestId) {
  v1::JudgeRequest request;
  request.set_request_id("step-3");
  request.set_service("checkout");
  request.set_canary_version("v2");
  request.set_stable_version("v1");
  auto reply = Handle("Judge", request);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->subject, "conclave.result.metrics.step-3");
  EXPECT_EQ(reply->change_id, "c-42");
  EXPECT_EQ(reply->msg_id, "step-3.metrics.7");
  v1::JudgeResponse response;
  ASSERT_TRUE(response.ParseFromString(reply->data));
  EXPECT_EQ(response.request_id(), "step-3");
  EXPECT_EQ(response.verdict(), v1::CANARY_VERDICT_NO_DATA);
}

TEST_F(MetricsBusTest, RefusedJudgeIsAnsweredWithItsError) {
  v1::JudgeRequest request;
  request.set_request_id("step-4");
  request.set_service("checkout");
  auto reply = Handle("Judge", request);
  ASSERT_TRUE(reply.ok());
  v1::JudgeResponse response;
  ASSERT_TRUE(response.ParseFromString(reply->data));
  EXPECT_EQ(response.error_code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(response.verdict(), v1::CANARY_VERDICT_UNSPECIFIED);
}

TEST_F(MetricsBusTest, MalformedTasksAreInvalidArgument) {
  FakeDelivery garbage(bus::TaskSubject(kMetricsAgent, "Judge"), "\xff\xff\xff");
  EXPECT_EQ(HandleMetricsTask(&agent_, garbage).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::GetWindowRequest no_id;
  no_id.set_service("checkout");
  no_id.set_version("v1");
  EXPECT_EQ(Handle("GetWindow", no_id).status().code(), absl::StatusCode::kInvalidArgument);
  no_id.set_request_id("w1");
  EXPECT_EQ(Handle("Teleport", no_id).status().code(), absl::StatusCode::kInvalidArgument);
  auto ok = Handle("GetWindow", no_id);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->subject, "conclave.result.metrics.w1");
}

TEST_F(MetricsBusTest, ReporterBatchesReachTheWindows) {
  auto bus = bus::NewInMemoryBus();
  auto subscription = SubscribeSamples(*bus, &agent_);
  ASSERT_TRUE(subscription.ok()) << subscription.status();
  auto reporter = reporter::Reporter::Create(
      bus.get(), {.service = "checkout", .version = "v2", .clock = &clock_});
  ASSERT_TRUE(reporter.ok()) << reporter.status();
  for (int i = 0; i < 10; ++i) (*reporter)->Record(absl::Milliseconds(20), i != 0);
  ASSERT_TRUE((*reporter)->Flush().ok());
  clock_.Advance(absl::Seconds(1));
  v1::GetWindowRequest request;
  request.set_service("checkout");
  request.set_version("v2");
  // Core subscriptions deliver on the bus's own thread.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  absl::StatusOr<v1::WindowStats> stats;
  do {
    stats = agent_.GetWindow(request);
    ASSERT_TRUE(stats.ok());
  } while (stats->requests() < 10 && absl::Now() < deadline &&
           (absl::SleepFor(absl::Milliseconds(5)), true));
  EXPECT_EQ(stats->requests(), 10u);
  EXPECT_EQ(stats->errors(), 1u);
  EXPECT_NEAR(stats->latency_p50_ms(), 20, 0.2);
}

}  // namespace
}  // namespace conclave::metrics_agent
