#include "agents/metrics/judge.h"

#include <cmath>
#include <random>

#include "gtest/gtest.h"

namespace conclave::metrics_agent {
namespace {

namespace v1 = conclave::v1;

class JudgeTest : public ::testing::Test {
 protected:
  JudgeTest() : store_(WindowOptions{}), judge_(&store_, &clock_) {}

  // Each second for `seconds`: n requests of each version, with the given error share and
  // latencies (ms) drawn log-normally around median_ms.
  void Traffic(int seconds, int n_stable, double err_stable, double ms_stable, int n_canary,
               double err_canary, double ms_canary) {
    for (int t = 0; t < seconds; ++t) {
      Serve("v1", n_stable, err_stable, ms_stable);
      Serve("v2", n_canary, err_canary, ms_canary);
      clock_.Advance(absl::Seconds(1));
    }
  }

  void Serve(const std::string& version, int n, double err, double median_ms) {
    std::lognormal_distribution<double> latency(std::log(median_ms), 0.3);
    for (int i = 0; i < n; ++i) {
      v1::Sample s;
      s.set_service("checkout");
      s.set_version(version);
      // Errors evenly spread: exactly err * n per second, so verdicts are deterministic.
      const bool error = std::floor((i + 1) * err) > std::floor(i * err);
      s.set_outcome(error ? v1::REQUEST_OUTCOME_ERROR : v1::REQUEST_OUTCOME_OK);
      ToProtoDuration(absl::Microseconds(static_cast<int64_t>(latency(rng_) * 1000)),
                      s.mutable_latency());
      ASSERT_TRUE(store_.Add(s, clock_.Now() + absl::Milliseconds(i % 1000)).ok());
    }
  }

  v1::JudgeRequest Request(absl::Duration window = absl::Seconds(60)) {
    v1::JudgeRequest r;
    r.set_request_id("r1");
    r.set_service("checkout");
    r.set_canary_version("v2");
    r.set_stable_version("v1");
    ToProtoDuration(window, r.mutable_duration());
    return r;
  }

  const v1::MetricResult& Metric(const v1::JudgeResponse& r, const std::string& name) {
    for (const auto& m : r.metrics()) {
      if (m.name() == name) return m;
    }
    static v1::MetricResult none;
    ADD_FAILURE() << "no metric " << name;
    return none;
  }

  std::mt19937_64 rng_{42};
  FakeClock clock_;
  SampleStore store_;
  CanaryJudge judge_;
};

TEST_F(JudgeTest, NoSamplesIsNoDataNeverPass) {
  auto r = judge_.Judge(Request());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->verdict(), v1::CANARY_VERDICT_NO_DATA);
  ASSERT_EQ(r->metrics_size(), 3);
  for (const auto& m : r->metrics()) {
    EXPECT_EQ(m.verdict(), v1::CANARY_VERDICT_NO_DATA) << m.name();
    EXPECT_TRUE(std::isnan(m.canary_value())) << m.name();
  }
  EXPECT_EQ(r->request_id(), "r1");
}

TEST_F(JudgeTest, CanaryWithoutStableIsNoData) {
  for (int t = 0; t < 30; ++t) {
    Serve("v2", 100, 0, 50);
    clock_.Advance(absl::Seconds(1));
  }
  auto r = judge_.Judge(Request());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict(), v1::CANARY_VERDICT_NO_DATA);
  EXPECT_NE(r->reason().find("no stable data"), std::string::npos) << r->reason();
}

TEST_F(JudgeTest, GaugeNaNReadingsAreNoData) {
  v1::Sample s;
  s.set_service("checkout");
  for (const char* version : {"v1", "v2"}) {
    s.set_version(version);
    (*s.mutable_gauges())["cost"] = std::nan("");
    ASSERT_TRUE(store_.Add(s, clock_.Now()).ok());
  }
  clock_.Advance(absl::Seconds(5));
  v1::JudgeRequest request = Request();
  request.add_metrics()->set_name("cost");
  auto r = judge_.Judge(request);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict(), v1::CANARY_VERDICT_NO_DATA);
}

TEST_F(JudgeTest, HealthyCanaryPasses) {
  Traffic(60, 200, 0.01, 100, 200, 0.01, 100);
  auto r = judge_.Judge(Request());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict(), v1::CANARY_VERDICT_PASS) << r->reason();
  const auto& err = Metric(*r, "error_rate");
  EXPECT_NEAR(err.canary_value(), 0.01, 1e-9);
  EXPECT_EQ(err.statistic(), "e_value");
  EXPECT_NEAR(err.statistic_threshold(), 300, 1e-9);  // 1 / (0.01 / 3 metrics)
  EXPECT_EQ(err.canary_samples(), 12000u);
}

TEST_F(JudgeTest, DoubledErrorRateFailsWithItsEvidence) {
  Traffic(60, 200, 0.01, 100, 200, 0.03, 100);
  auto r = judge_.Judge(Request());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict(), v1::CANARY_VERDICT_FAIL) << r->reason();
  const auto& err = Metric(*r, "error_rate");
  EXPECT_EQ(err.verdict(), v1::CANARY_VERDICT_FAIL);
  EXPECT_GE(err.statistic_value(), err.statistic_threshold());
  EXPECT_NEAR(err.threshold(), 0.015, 1e-9);
  EXPECT_NE(r->reason().find("error_rate"), std::string::npos);
}

TEST_F(JudgeTest, AbsoluteGateFailsEvenWithoutAStatisticalDifference) {
  Traffic(60, 100, 0.08, 100, 100, 0.08, 100);
  auto r = judge_.Judge(Request());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Metric(*r, "error_rate").verdict(), v1::CANARY_VERDICT_FAIL);
  EXPECT_DOUBLE_EQ(Metric(*r, "error_rate").threshold(), 0.05);
}

TEST_F(JudgeTest, SlowerCanaryFailsOnLatency) {
  // 60 s of stable history calibrates the latency threshold, then a 30 % slower canary.
  Traffic(60, 200, 0, 100, 0, 0, 100);
  Traffic(60, 200, 0, 100, 200, 0, 130);
  auto r = judge_.Judge(Request());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Metric(*r, "latency_p95").verdict(), v1::CANARY_VERDICT_FAIL)
      << Metric(*r, "latency_p95").reason();
  EXPECT_EQ(r->verdict(), v1::CANARY_VERDICT_FAIL);
}

TEST_F(JudgeTest, TooFewSamplesIsInconclusive) {
  Traffic(10, 2, 0, 100, 2, 0, 100);
  auto r = judge_.Judge(Request());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict(), v1::CANARY_VERDICT_INCONCLUSIVE) << r->reason();
}

TEST_F(JudgeTest, FixedWindowModeUsesMannWhitneyAndZ) {
  Traffic(60, 200, 0.01, 100, 200, 0.01, 130);
  v1::JudgeRequest request = Request();
  request.set_mode(v1::TEST_MODE_FIXED_WINDOW);
  auto r = judge_.Judge(request);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Metric(*r, "latency_p95").statistic(), "mann_whitney_p");
  EXPECT_EQ(Metric(*r, "error_rate").statistic(), "z_test_p");
  EXPECT_EQ(Metric(*r, "latency_p95").verdict(), v1::CANARY_VERDICT_FAIL);
  EXPECT_EQ(Metric(*r, "error_rate").verdict(), v1::CANARY_VERDICT_PASS);
}

TEST_F(JudgeTest, RejectsRequestsWithoutVersions) {
  v1::JudgeRequest request = Request();
  request.clear_stable_version();
  EXPECT_EQ(judge_.Judge(request).status().code(), absl::StatusCode::kInvalidArgument);
  request = Request();
  request.set_stable_version("v2");
  EXPECT_EQ(judge_.Judge(request).status().code(), absl::StatusCode::kInvalidArgument);
  request = Request();
  request.add_metrics()->set_name("latency_p0x");
  request.mutable_metrics(0)->set_kind(v1::METRIC_KIND_LATENCY_QUANTILE);
  EXPECT_EQ(judge_.Judge(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CombineVerdictsTest, FailBeatsNoDataBeatsInconclusiveBeatsPass) {
  v1::JudgeResponse r;
  CombineVerdicts(&r);
  EXPECT_EQ(r.verdict(), v1::CANARY_VERDICT_NO_DATA);
  r.add_metrics()->set_verdict(v1::CANARY_VERDICT_PASS);
  r.add_metrics()->set_verdict(v1::CANARY_VERDICT_INCONCLUSIVE);
  CombineVerdicts(&r);
  EXPECT_EQ(r.verdict(), v1::CANARY_VERDICT_INCONCLUSIVE);
  r.add_metrics()->set_verdict(v1::CANARY_VERDICT_NO_DATA);
  CombineVerdicts(&r);
  EXPECT_EQ(r.verdict(), v1::CANARY_VERDICT_NO_DATA);
  r.add_metrics()->set_verdict(v1::CANARY_VERDICT_FAIL);
  CombineVerdicts(&r);
  EXPECT_EQ(r.verdict(), v1::CANARY_VERDICT_FAIL);
}

}  // namespace
}  // namespace conclave::metrics_agent
