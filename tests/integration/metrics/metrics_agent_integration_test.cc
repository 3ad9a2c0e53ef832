// The real conclave-metrics process against a real nats-server: services publish samples
// through the reporter library, then a canary is judged over gRPC and over the bus.
#include <cstdlib>

#include "agents/metrics/window.h"
#include "common/bus/bus.h"
#include "common/bus/topology.h"
#include "common/grpc/server.h"
#include "common/reporter/reporter.h"
#include "conclave/v1/metrics.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/metrics/agent_process.h"
#include "tests/support/nats_server.h"

namespace conclave::metrics_agent {
namespace {

namespace v1 = conclave::v1;

class MetricsAgentIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto nats = conclave::testing::NatsServer::Start();
    ASSERT_TRUE(nats.ok()) << nats.status();
    nats_ = std::move(*nats);
    dir_ = conclave::testing::MakeTempDir();
    const std::string bin = std::string(std::getenv("CONCLAVE_BIN_DIR")) + "/conclave-metrics";
    auto agent = conclave::testing::AgentProcess::Spawn(
        bin, {"--nats_url=" + nats_->url(), "--addr_file=" + dir_ + "/addr.json"},
        dir_ + "/metrics.log");
    ASSERT_TRUE(agent.ok()) << agent.status();
    agent_ = std::move(*agent);
    auto grpc_addr =
        conclave::testing::WaitForAddress(dir_ + "/addr.json", "grpc", absl::Seconds(20));
    ASSERT_TRUE(grpc_addr.ok()) << grpc_addr.status() << agent_->Log();
    stub_ = v1::MetricsAgent::NewStub(grpcutil::NewChannel(*grpc_addr));
    bus::NatsOptions options;
    options.url = nats_->url();
    auto b = bus::ConnectNats(options);
    ASSERT_TRUE(b.ok()) << b.status();
    bus_ = std::move(*b);
    ASSERT_TRUE(bus::EnsureTopology(*bus_).ok());
  }

  // Publishes `seconds` of traffic of one version through the reporter, timestamped over the
  // last `seconds` (a fake clock starting in the past).
  void Publish(const std::string& version, int per_second, int errors_per_second, int seconds) {
    FakeClock clock(absl::Now() - absl::Seconds(seconds + 2));
    auto reporter = reporter::Reporter::Create(
        bus_.get(), {.service = "checkout", .version = version, .clock = &clock});
    ASSERT_TRUE(reporter.ok()) << reporter.status();
    for (int t = 0; t < seconds; ++t) {
      for (int i = 0; i < per_second; ++i) {
        (*reporter)->Record(absl::Milliseconds(40 + i % 20), i >= errors_per_second);
      }
      ASSERT_TRUE((*reporter)->Flush().ok());
      clock.Advance(absl::Seconds(1));
    }
  }

  // Waits until the agent's window of `version` holds `requests` requests.
  void AwaitIngested(const std::string& version, uint64_t requests) {
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    v1::WindowStats stats;
    while (absl::Now() < deadline) {
      grpc::ClientContext ctx;
      v1::GetWindowRequest r;
      r.set_service("checkout");
      r.set_version(version);
      ToProtoDuration(absl::Seconds(120), r.mutable_duration());
      ASSERT_TRUE(stub_->GetWindow(&ctx, r, &stats).ok());
      if (stats.requests() >= requests) return;
      absl::SleepFor(absl::Milliseconds(20));
    }
    FAIL() << version << ": " << stats.requests() << " of " << requests << " ingested";
  }

  v1::JudgeRequest Request(const std::string& canary) {
    v1::JudgeRequest r;
    r.set_request_id("judge-" + canary);
    r.set_service("checkout");
    r.set_canary_version(canary);
    r.set_stable_version("v1");
    r.set_change_id("c-1");
    return r;
  }

  std::unique_ptr<conclave::testing::NatsServer> nats_;
  std::string dir_;
  std::unique_ptr<conclave::testing::AgentProcess> agent_;
  std::unique_ptr<v1::MetricsAgent::Stub> stub_;
  std::unique_ptr<bus::Bus> bus_;
};

TEST_F(MetricsAgentIntegrationTest, JudgesReportedSamplesOverGrpcAndTheBus) {
  Publish("v1", 100, 1, 30);   // 1 % errors
  Publish("v2", 100, 1, 30);   // healthy canary
  Publish("v3", 100, 10, 30);  // 10 % errors
  AwaitIngested("v1", 3000);
  AwaitIngested("v2", 3000);
  AwaitIngested("v3", 3000);

  grpc::ClientContext ctx;
  v1::JudgeResponse good;
  ASSERT_TRUE(stub_->Judge(&ctx, Request("v2"), &good).ok());
  EXPECT_EQ(good.verdict(), v1::CANARY_VERDICT_PASS) << good.reason();
  EXPECT_EQ(good.metrics_size(), 3);

  // Over the bus: a task on conclave.task.metrics.Judge, the answer on
  // conclave.result.metrics.<request_id>.
  auto results = bus_->CreatePullConsumer(bus::ResultConsumerSpec(absl::Seconds(30), 5));
  ASSERT_TRUE(results.ok()) << results.status();
  bus::Message task;
  task.subject = bus::TaskSubject("metrics", "Judge");
  task.data = Request("v3").SerializeAsString();
  task.headers[bus::kMsgIdHeader] = "judge-v3-task";
  ASSERT_TRUE(bus_->Publish(task).ok());
  std::vector<std::unique_ptr<bus::Delivery>> got;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (got.empty() && absl::Now() < deadline) {
    auto fetched = (*results)->Fetch(1, absl::Seconds(1));
    ASSERT_TRUE(fetched.ok()) << fetched.status();
    got = std::move(*fetched);
  }
  ASSERT_EQ(got.size(), 1u) << agent_->Log();
  EXPECT_EQ(got[0]->message().subject, "conclave.result.metrics.judge-v3");
  EXPECT_EQ(got[0]->message().Header(bus::kChangeIdHeader), "c-1");
  v1::JudgeResponse bad;
  ASSERT_TRUE(bad.ParseFromString(got[0]->message().data));
  ASSERT_TRUE(got[0]->Ack().ok());
  EXPECT_EQ(bad.verdict(), v1::CANARY_VERDICT_FAIL) << bad.reason();
  EXPECT_NE(bad.reason().find("error_rate"), std::string::npos) << bad.reason();

  EXPECT_EQ(agent_->Terminate(), 0) << agent_->Log();
}

TEST_F(MetricsAgentIntegrationTest, UnknownServiceIsNoDataNotPass) {
  grpc::ClientContext ctx;
  v1::JudgeResponse r;
  v1::JudgeRequest request = Request("v2");
  request.set_service("nobody");
  ASSERT_TRUE(stub_->Judge(&ctx, request, &r).ok());
  EXPECT_EQ(r.verdict(), v1::CANARY_VERDICT_NO_DATA);
  grpc::ClientContext ctx2;
  request.clear_canary_version();
  EXPECT_EQ(stub_->Judge(&ctx2, request, &r).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace conclave::metrics_agent
