// The real conclave-metrics process judging through PromQL against a real Prometheus server
// (Debian's prometheus) that scrapes an HTTP endpoint of this test serving counters per
// version. Skipped only when /usr/bin/prometheus is missing.
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/grpc/server.h"
#include "conclave/v1/metrics.grpc.pb.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/integration/metrics/agent_process.h"
#include "tests/support/nats_server.h"

namespace conclave::metrics_agent {
namespace {

namespace v1 = conclave::v1;

constexpr char kPrometheus[] = "/usr/bin/prometheus";

// Counters as a service would expose them: 100 requests a second per version; errors at 1 %
// for v1 and v3, 20 % for v2.
std::string Exposition(absl::Time start) {
  const int64_t ticks = absl::ToInt64Milliseconds(absl::Now() - start) / 100;
  std::string out = "# TYPE demo_requests_total counter\n# TYPE demo_errors_total counter\n";
  for (const auto& [version, per_mille] : {std::pair{"v1", 10}, {"v2", 200}, {"v3", 10}}) {
    absl::StrAppend(&out, "demo_requests_total{version=\"", version, "\"} ", ticks * 10, "\n");
    absl::StrAppend(&out, "demo_errors_total{version=\"", version, "\"} ",
                    ticks * 10 * per_mille / 1000, "\n");
  }
  return out;
}

TEST(MetricsAgentPrometheusTest, JudgesThroughPromQL) {
  if (access(kPrometheus, X_OK) != 0) GTEST_SKIP() << kPrometheus << " is not installed";
  const std::string dir = conclave::testing::MakeTempDir();
  // The scraped endpoint.
  httplib::Server exporter;
  const absl::Time start = absl::Now();
  exporter.Get("/metrics", [start](const httplib::Request&, httplib::Response& res) {
    res.set_content(Exposition(start), "text/plain; version=0.0.4");
  });
  const int exporter_port = exporter.bind_to_any_port("127.0.0.1");
  ASSERT_GT(exporter_port, 0);
  std::thread serving([&] { exporter.listen_after_bind(); });
  auto prom_port = conclave::testing::PickFreePort();
  ASSERT_TRUE(prom_port.ok());
  {
    std::ofstream config(dir + "/prometheus.yml");
    config << "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
           << "scrape_configs:\n  - job_name: demo\n    static_configs:\n"
           << "      - targets: ['127.0.0.1:" << exporter_port << "']\n";
  }
  auto prometheus = conclave::testing::AgentProcess::Spawn(
      kPrometheus,
      {"--config.file=" + dir + "/prometheus.yml", "--storage.tsdb.path=" + dir + "/data",
       absl::StrCat("--web.listen-address=127.0.0.1:", *prom_port)},
      dir + "/prometheus.log");
  ASSERT_TRUE(prometheus.ok());
  const std::string prom_url = absl::StrCat("http://127.0.0.1:", *prom_port);
  {
    std::ofstream config(dir + "/metrics.yml");
    config
        << "prometheus: {url: '" << prom_url << "', step: 1s}\n"
        << "judge: {duration: 15s}\n"
        << "services:\n  demo:\n    source: prometheus\n    metrics:\n"
        << "      - name: error_rate\n"
        << "        query: 'sum(increase(demo_errors_total{version=\"{{version}}\"}[{{window}}]))"
           " / sum(increase(demo_requests_total{version=\"{{version}}\"}[{{window}}]))'\n"
        << "        samples_query: 'sum(increase(demo_requests_total{version=\"{{version}}\"}"
           "[{{window}}]))'\n"
        << "        absolute_max: 0.05\n";
  }
  auto agent = conclave::testing::AgentProcess::Spawn(
      std::string(std::getenv("CONCLAVE_BIN_DIR")) + "/conclave-metrics",
      {"--nobus", "--config=" + dir + "/metrics.yml", "--addr_file=" + dir + "/addr.json"},
      dir + "/metrics.log");
  ASSERT_TRUE(agent.ok());
  auto grpc_addr = conclave::testing::WaitForAddress(dir + "/addr.json", "grpc", absl::Seconds(20));
  ASSERT_TRUE(grpc_addr.ok()) << (*agent)->Log();
  auto stub = v1::MetricsAgent::NewStub(grpcutil::NewChannel(*grpc_addr));

  auto judge = [&](const std::string& canary) {
    v1::JudgeRequest r;
    r.set_service("demo");
    r.set_canary_version(canary);
    r.set_stable_version("v1");
    v1::JudgeResponse out;
    grpc::ClientContext ctx;
    EXPECT_TRUE(stub->Judge(&ctx, r, &out).ok());
    return out;
  };
  // Wait until Prometheus has scraped enough for the 15 s window to hold data on both sides.
  v1::JudgeResponse bad;
  const absl::Time deadline = absl::Now() + absl::Seconds(90);
  do {
    absl::SleepFor(absl::Seconds(1));
    bad = judge("v2");
  } while (bad.verdict() != v1::CANARY_VERDICT_FAIL && absl::Now() < deadline);
  EXPECT_EQ(bad.verdict(), v1::CANARY_VERDICT_FAIL) << bad.DebugString() << (*prometheus)->Log();
  ASSERT_EQ(bad.metrics_size(), 1);
  EXPECT_NEAR(bad.metrics(0).canary_value(), 0.2, 0.02);
  EXPECT_NEAR(bad.metrics(0).stable_value(), 0.01, 0.005);
  EXPECT_GT(bad.metrics(0).canary_samples(), 100u);
  const v1::JudgeResponse good = judge("v3");
  EXPECT_EQ(good.verdict(), v1::CANARY_VERDICT_PASS) << good.DebugString();
  // A version Prometheus has never seen is NO_DATA, not a pass.
  EXPECT_EQ(judge("v9").verdict(), v1::CANARY_VERDICT_NO_DATA);

  EXPECT_EQ((*agent)->Terminate(), 0);
  (*prometheus)->Terminate();
  exporter.stop();
  serving.join();
}

}  // namespace
}  // namespace conclave::metrics_agent
