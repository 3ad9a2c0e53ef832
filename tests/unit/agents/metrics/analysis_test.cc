#include "agents/metrics/analysis.h"

#include <cmath>

#include "gtest/gtest.h"

namespace conclave::metrics_agent {
namespace {

namespace v1 = conclave::v1;

const absl::Time kNow = absl::FromUnixSeconds(1700000000);

TEST(AnalyzeSeriesTest, FlagsThreeSigmaOutliersAndADegradingTrend) {
  std::vector<double> values;
  for (int i = 0; i < 20; ++i) values.push_back(100 + (i % 2 ? 2 : -2));
  for (int i = 0; i < 10; ++i) values.push_back(100 + 3 * i);
  v1::DetectAnomaliesRequest p;
  p.set_baseline_points(20);
  auto r = AnalyzeSeries(values, p);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->baseline_mean(), 100, 1e-9);
  EXPECT_EQ(r->points(), 10u);
  EXPECT_EQ(r->trend(), v1::TREND_DEGRADING);
  ASSERT_GT(r->anomaly_indexes_size(), 0);
  EXPECT_GT(r->anomaly_values(0), 100 + 3 * r->baseline_stddev());
}

TEST(AnalyzeSeriesTest, StableAndImprovingTrends) {
  std::vector<double> flat(40, 50.0);
  for (size_t i = 0; i < flat.size(); ++i) flat[i] += (i % 3) - 1.0;
  auto r = AnalyzeSeries(flat, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->trend(), v1::TREND_STABLE);
  EXPECT_EQ(r->anomaly_indexes_size(), 0);
  std::vector<double> falling(flat.begin(), flat.begin() + 20);
  for (int i = 0; i < 20; ++i) falling.push_back(40 - i);
  r = AnalyzeSeries(falling, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->trend(), v1::TREND_IMPROVING);
}

TEST(AnalyzeSeriesTest, EmptyOrNaNSeriesHasNoPoints) {
  auto r = AnalyzeSeries({std::nan(""), std::nan("")}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->points(), 0u);
  EXPECT_EQ(r->trend(), v1::TREND_UNSPECIFIED);
}

v1::Sample Req(const std::string& version, double ms, bool error) {
  v1::Sample s;
  s.set_service("checkout");
  s.set_version(version);
  s.set_outcome(error ? v1::REQUEST_OUTCOME_ERROR : v1::REQUEST_OUTCOME_OK);
  ToProtoDuration(absl::Milliseconds(ms), s.mutable_latency());
  return s;
}

const v1::GateResult* Gate(const v1::EvaluateGatesResponse& r, const std::string& name) {
  for (const auto& g : r.gates()) {
    if (g.name() == name) return &g;
  }
  return nullptr;
}

TEST(EvaluateGatesTest, DefaultGatesFailOnSlowP95AndPassOnErrors) {
  SampleStore store;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(store.Add(Req("v1", i < 90 ? 100 : 900, i == 0), kNow - absl::Seconds(10)).ok());
  }
  v1::EvaluateGatesRequest request;
  request.set_service("checkout");
  request.set_version("v1");
  auto r = EvaluateGates(request, store, kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict(), v1::CANARY_VERDICT_FAIL);
  ASSERT_NE(Gate(*r, "latency_p95"), nullptr);
  EXPECT_EQ(Gate(*r, "latency_p95")->verdict(), v1::CANARY_VERDICT_FAIL);
  EXPECT_EQ(Gate(*r, "latency_p95")->max(), 800);
  EXPECT_EQ(Gate(*r, "error_rate")->verdict(), v1::CANARY_VERDICT_PASS);
  EXPECT_EQ(Gate(*r, "error_rate")->max(), 0.05);
  // Gauge gates apply only to services that report the gauge.
  EXPECT_EQ(Gate(*r, "retries"), nullptr);
}

TEST(EvaluateGatesTest, CostAndRetriesGates) {
  SampleStore store;
  v1::Sample g;
  g.set_service("checkout");
  g.set_version("v1");
  (*g.mutable_gauges())["cost"] = 85;
  (*g.mutable_gauges())["retries"] = 3;
  ASSERT_TRUE(store.Add(g, kNow - absl::Seconds(5)).ok());
  v1::EvaluateGatesRequest request;
  request.set_service("checkout");
  request.set_version("v1");
  request.set_cost_budget(100);
  auto r = EvaluateGates(request, store, kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Gate(*r, "cost")->verdict(), v1::CANARY_VERDICT_FAIL);     // 85 > 80 % of 100
  EXPECT_EQ(Gate(*r, "retries")->verdict(), v1::CANARY_VERDICT_PASS);  // 3 is not > 3
  EXPECT_EQ(Gate(*r, "latency_p95")->verdict(), v1::CANARY_VERDICT_NO_DATA);
  EXPECT_EQ(r->verdict(), v1::CANARY_VERDICT_FAIL);
}

TEST(EvaluateGatesTest, NoSamplesIsNoData) {
  SampleStore store;
  v1::EvaluateGatesRequest request;
  request.set_service("checkout");
  request.set_version("v1");
  auto r = EvaluateGates(request, store, kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict(), v1::CANARY_VERDICT_NO_DATA);
}

}  // namespace
}  // namespace conclave::metrics_agent
