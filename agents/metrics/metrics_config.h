// The metrics agent's configuration file (YAML; format in docs/METRICS.md): window and judge
// settings, the Prometheus server, and per service the source of its metrics (pushed samples
// or PromQL) with the metric specs and gates to judge. Plain data; not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agents/metrics/judge.h"
#include "agents/metrics/window.h"
#include "conclave/v1/metrics.pb.h"

namespace conclave::metrics_agent {

// A metric pulled from Prometheus. Queries are templates: {{service}}, {{version}} and
// {{window}} (the judged duration, e.g. "60s") are substituted before they are sent.
struct PromMetric {
  conclave::v1::MetricSpec spec;
  // Instant query: one number per version at the window's end (the metric's value).
  std::string query;
  // Optional instant query: the samples behind the value (e.g. requests in the window).
  std::string samples_query;
};

struct ServiceConfig {
  enum class Source { kBus, kPrometheus };
  Source source = Source::kBus;
  // For kBus: the specs judged when a request names none (empty: the built-in defaults).
  std::vector<conclave::v1::MetricSpec> metrics;
  // For kPrometheus: the metrics and their PromQL.
  std::vector<PromMetric> prometheus;
};

struct PrometheusConfig {
  // Base URL of the server, e.g. http://127.0.0.1:9090; empty: no Prometheus.
  std::string url;
  absl::Duration timeout = absl::Seconds(5);
  // Resolution of the range queries behind the Mann-Whitney comparison.
  absl::Duration step = absl::Seconds(5);
};

struct MetricsConfig {
  WindowOptions window;
  JudgeOptions judge;
  size_t max_series = 10000;
  PrometheusConfig prometheus;
  std::map<std::string, ServiceConfig> services;
};

// Parses the YAML text; InvalidArgument naming the offending key.
absl::StatusOr<MetricsConfig> ParseMetricsConfig(const std::string& yaml);
absl::StatusOr<MetricsConfig> LoadMetricsConfig(const std::string& path);

// Replaces {{service}}, {{version}} and {{window}} in a PromQL template.
std::string ExpandQuery(const std::string& query, const std::string& service,
                        const std::string& version, absl::Duration window);

}  // namespace conclave::metrics_agent
