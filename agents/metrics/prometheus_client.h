// PrometheusClient: evaluates PromQL through a Prometheus server's HTTP query API
// (GET /api/v1/query and /api/v1/query_range) with cpp-httplib, and decodes the JSON answer.
// A NaN or missing sample is reported as such, never as 0. Thread-safe (one HTTP client per
// call).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace conclave::metrics_agent {

// One series of an instant vector (one point) or of a range matrix (many points).
struct PromSeries {
  std::string labels;  // "{k=\"v\",...}" for messages
  std::vector<std::pair<absl::Time, double>> points;
};

class PrometheusClient {
 public:
  // `base_url` like http://127.0.0.1:9090.
  PrometheusClient(std::string base_url, absl::Duration timeout);

  // An instant query at `at`. A scalar result is one series without labels.
  absl::StatusOr<std::vector<PromSeries>> Query(const std::string& promql, absl::Time at) const;
  // A range query over [start, end] every `step`.
  absl::StatusOr<std::vector<PromSeries>> QueryRange(const std::string& promql, absl::Time start,
                                                     absl::Time end, absl::Duration step) const;

  // Decodes a /api/v1/query* response body; exposed for tests.
  static absl::StatusOr<std::vector<PromSeries>> Decode(const std::string& body);

 private:
  absl::StatusOr<std::vector<PromSeries>> Get(
      const std::string& path,
      const std::vector<std::pair<std::string, std::string>>& params) const;

  std::string base_url_;
  absl::Duration timeout_;
};

// The single value of an instant query: NaN when it has no series or its value is NaN;
// several series are summed.
double SingleValue(const std::vector<PromSeries>& series);

}  // namespace conclave::metrics_agent
