// conclave-demo-service and conclave-loadgen as processes: the service answers with its
// version, fails the share of requests it is told to, reports every request through the
// reporter on conclave.metrics.<service> (a real nats-server), and the load generator counts
// answers per version and errors.
#include <httplib.h>

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/bus/bus.h"
#include "conclave/v1/metrics.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/devops/delivery_stack.h"
#include "tests/support/nats_server.h"
#include "tests/support/subprocess.h"

namespace conclave::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class DemoServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/conclave-demo-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    service_.reset();
    (void)std::system(absl::StrCat("rm -rf '", dir_, "'").c_str());
  }

  // Starts the service with `args` and returns its port.
  int StartService(std::vector<std::string> args) {
    const std::string port_file = dir_ + "/port";
    args.insert(args.end(), {"--port_file", port_file});
    auto service =
        Subprocess::Spawn(BinaryPath("conclave-demo-service"), args, dir_ + "/service.log");
    EXPECT_TRUE(service.ok()) << service.status();
    service_ = std::move(*service);
    int port = 0;
    for (int i = 0; i < 500 && port == 0; ++i) {
      if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadFile(port_file)), &port)) {
        absl::SleepFor(absl::Milliseconds(20));
      }
    }
    EXPECT_GT(port, 0) << service_->Log();
    return port;
  }

  std::string dir_;
  std::unique_ptr<Subprocess> service_;
};

TEST_F(DemoServiceTest, AnswersWithItsVersionAndFailsTheShareItIsTold) {
  const int port = StartService({"--version", "v7", "--error_rate", "0.3"});
  httplib::Client client("127.0.0.1", port);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  int errors = 0;
  constexpr int kRequests = 400;
  for (int i = 0; i < kRequests; ++i) {
    auto r = client.Get("/");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->get_header_value("X-Version"), "v7");
    if (r->status == 500) ++errors;
  }
  // Binomial(400, 0.3): mean 120, sd 9.2; five sd either way.
  EXPECT_NEAR(errors, 120, 46);
  EXPECT_EQ(service_->Terminate(), 0) << "SIGTERM stops it cleanly";
}

TEST_F(DemoServiceTest, ReportsEveryRequestToTheMetricsSubject) {
  auto nats = NatsServer::Start();
  ASSERT_TRUE(nats.ok()) << nats.status();
  auto bus = bus::ConnectNats({.url = (*nats)->url(), .name = "demo-service-test"});
  ASSERT_TRUE(bus.ok()) << bus.status();
  absl::Mutex mu;
  int ok = 0, failed = 0;
  std::string versions;
  auto sub = (*bus)->Subscribe("conclave.metrics.shop", [&](bus::Message m) {
    conclave::v1::SampleBatch batch;
    if (!batch.ParseFromString(m.data)) return;
    absl::MutexLock lock(&mu);
    for (const auto& s : batch.samples()) {
      if (s.outcome() == conclave::v1::REQUEST_OUTCOME_OK) ++ok;
      if (s.outcome() == conclave::v1::REQUEST_OUTCOME_ERROR) ++failed;
      if (!absl::StrContains(versions, s.version())) absl::StrAppend(&versions, s.version());
    }
  });
  ASSERT_TRUE(sub.ok()) << sub.status();
  const int port = StartService({"--service", "shop", "--version", "v2", "--latency_ms", "3",
                                 "--error_rate", "1", "--nats_url", (*nats)->url()});
  httplib::Client client("127.0.0.1", port);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(client.Get("/"));
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  absl::MutexLock lock(&mu);
  mu.AwaitWithDeadline(absl::Condition(
                           +[](int* n) { return *n >= 20; }, &failed),
                       deadline);
  EXPECT_EQ(failed, 20) << service_->Log();
  EXPECT_EQ(ok, 0);
  EXPECT_EQ(versions, "v2");
}

TEST_F(DemoServiceTest, LoadgenCountsVersionsThroughHaproxy) {
  auto stack = DeliveryStack::Start();
  ASSERT_TRUE(stack.ok()) << stack.status();
  ASSERT_TRUE((*stack)->RuntimeCommand("set weight demo/stable 50").ok());
  ASSERT_TRUE((*stack)->RuntimeCommand("set weight demo/canary 50").ok());
  auto loadgen =
      Subprocess::Spawn(BinaryPath("conclave-loadgen"),
                        {"--url", absl::StrCat("http://127.0.0.1:", (*stack)->frontend_port(), "/"),
                         "--rps", "200", "--duration", "1s", "--json"},
                        dir_ + "/loadgen.log");
  ASSERT_TRUE(loadgen.ok()) << loadgen.status();
  EXPECT_EQ((*loadgen)->Wait(absl::Seconds(20)), 0) << (*loadgen)->Log();
  const std::string out = (*loadgen)->Log();
  EXPECT_TRUE(absl::StrContains(out, "\"requests\":200,\"errors\":0")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\"versions\":{\"v1\":100,\"v2\":100}")) << out;
}

}  // namespace
}  // namespace conclave::testing
