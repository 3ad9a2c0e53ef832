#include "agents/metrics/metrics_config.h"
#include "agents/metrics/prometheus_client.h"
#include "gtest/gtest.h"

namespace conclave::metrics_agent {
namespace {

TEST(MetricsConfigTest, ParsesEveryKey) {
  auto c = ParseMetricsConfig(R"(
window: {bucket_width: 1s, horizon: 10m, sketch_accuracy: 0.02, max_series: 50}
judge: {alpha: 0.05, duration: 2m, settle: 2s, calibration: 30s, min_calibration: 20}
prometheus: {url: "http://127.0.0.1:9090", timeout: 2s, step: 1s}
services:
  checkout:
    metrics:
      - {name: error_rate, absolute_max: 0.02}
      - {name: cost, aggregation: last, max_relative_increase: 0.2}
  demo:
    source: prometheus
    metrics:
      - name: error_rate
        query: 'sum(rate(errors{version="{{version}}"}[{{window}}]))'
        samples_query: 'sum(increase(requests{version="{{version}}"}[{{window}}]))'
        absolute_max: 0.05
)");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->window.horizon, absl::Minutes(10));
  EXPECT_EQ(c->window.sketch_accuracy, 0.02);
  EXPECT_EQ(c->max_series, 50u);
  EXPECT_EQ(c->judge.default_alpha, 0.05);
  EXPECT_EQ(c->judge.default_duration, absl::Minutes(2));
  EXPECT_EQ(c->judge.min_calibration, 20u);
  EXPECT_EQ(c->prometheus.step, absl::Seconds(1));
  ASSERT_EQ(c->services.at("checkout").metrics.size(), 2u);
  EXPECT_EQ(c->services.at("checkout").metrics[1].aggregation(), conclave::v1::AGGREGATION_LAST);
  const ServiceConfig& demo = c->services.at("demo");
  EXPECT_EQ(demo.source, ServiceConfig::Source::kPrometheus);
  ASSERT_EQ(demo.prometheus.size(), 1u);
  EXPECT_EQ(ExpandQuery(demo.prometheus[0].query, "demo", "v2", absl::Seconds(60)),
            "sum(rate(errors{version=\"v2\"}[60s]))");
}

TEST(MetricsConfigTest, RejectsBadValuesNamingTheKey) {
  for (const char* bad :
       {"window: {horizon: soon}", "judge: {alpha: 2}", "services: {a: {source: carrier-pigeon}}",
        "services: {a: {source: prometheus, metrics: [{name: x, query: up}]}}",
        "services: {a: {metrics: [{quantile: 0.5}]}}", "[1, 2]"}) {
    auto c = ParseMetricsConfig(bad);
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(ParseMetricsConfig("").ok());
}

TEST(PrometheusDecodeTest, VectorMatrixScalarAndNaN) {
  auto v = PrometheusClient::Decode(
      R"({"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"version":"v2"},"value":[1700000000.5,"0.25"]}]}})");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_DOUBLE_EQ(SingleValue(*v), 0.25);
  auto m = PrometheusClient::Decode(
      R"({"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{},"values":[[1,"1"],[2,"NaN"],[3,"+Inf"]]}]}})");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ((*m)[0].points.size(), 3u);
  EXPECT_TRUE(std::isnan((*m)[0].points[1].second));
  auto empty = PrometheusClient::Decode(
      R"({"status":"success","data":{"resultType":"vector","result":[]}})");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(std::isnan(SingleValue(*empty)));
  auto s = PrometheusClient::Decode(
      R"({"status":"success","data":{"resultType":"scalar","result":[1,"3"]}})");
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ(SingleValue(*s), 3);
  auto err = PrometheusClient::Decode(
      R"({"status":"error","errorType":"bad_data","error":"parse error"})");
  EXPECT_EQ(err.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace conclave::metrics_agent
