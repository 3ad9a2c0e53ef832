#include "agents/metrics/prometheus_client.h"

#include <cmath>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace conclave::metrics_agent {
namespace {

using nlohmann::json;

std::string UnixSeconds(absl::Time t) {
  return absl::StrFormat("%.3f", absl::ToDoubleSeconds(t - absl::UnixEpoch()));
}

// A sample is [unix_seconds, "value"]; Prometheus writes NaN and infinities as strings.
absl::StatusOr<std::pair<absl::Time, double>> DecodePoint(const json& p) {
  if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_string()) {
    return absl::InvalidArgumentError("prometheus: malformed sample");
  }
  const std::string text = p[1].get<std::string>();
  double v = std::numeric_limits<double>::quiet_NaN();
  if (text == "+Inf") {
    v = std::numeric_limits<double>::infinity();
  } else if (text == "-Inf") {
    v = -std::numeric_limits<double>::infinity();
  } else if (text != "NaN" && !absl::SimpleAtod(text, &v)) {
    return absl::InvalidArgumentError(absl::StrCat("prometheus: bad sample value '", text, "'"));
  }
  return std::pair{absl::UnixEpoch() + absl::Seconds(p[0].get<double>()), v};
}

std::string LabelsOf(const json& metric) {
  std::string out = "{";
  for (auto it = metric.begin(); it != metric.end(); ++it) {
    absl::StrAppend(&out, out.size() > 1 ? "," : "", it.key(), "=\"",
                    it.value().is_string() ? it.value().get<std::string>() : "", "\"");
  }
  return out + "}";
}

}  // namespace

PrometheusClient::PrometheusClient(std::string base_url, absl::Duration timeout)
    : base_url_(std::move(base_url)), timeout_(timeout) {}

absl::StatusOr<std::vector<PromSeries>> PrometheusClient::Decode(const std::string& body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::UnavailableError("prometheus: response is not JSON");
  }
  if (doc.value("status", "") != "success") {
    return absl::InvalidArgumentError(absl::StrCat("prometheus: ", doc.value("errorType", "error"),
                                                   ": ", doc.value("error", "")));
  }
  const json& data = doc["data"];
  const std::string type = data.value("resultType", "");
  const json& result = data["result"];
  std::vector<PromSeries> out;
  if (type == "scalar") {
    auto p = DecodePoint(result);
    if (!p.ok()) return p.status();
    out.push_back({"{}", {*p}});
    return out;
  }
  if ((type != "vector" && type != "matrix") || !result.is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat("prometheus: unsupported result type '", type, "'"));
  }
  for (const json& s : result) {
    PromSeries series{LabelsOf(s.value("metric", json::object())), {}};
    const json& points = type == "vector" ? json::array({s["value"]}) : s["values"];
    for (const json& p : points) {
      auto point = DecodePoint(p);
      if (!point.ok()) return point.status();
      series.points.push_back(*point);
    }
    out.push_back(std::move(series));
  }
  return out;
}

absl::StatusOr<std::vector<PromSeries>> PrometheusClient::Get(
    const std::string& path, const std::vector<std::pair<std::string, std::string>>& params) const {
  httplib::Client client(base_url_);
  const auto secs = absl::ToInt64Seconds(timeout_);
  const auto usecs = absl::ToInt64Microseconds(timeout_ - absl::Seconds(secs));
  client.set_connection_timeout(secs, usecs);
  client.set_read_timeout(secs, usecs);
  httplib::Params query;
  for (const auto& [k, v] : params) query.emplace(k, v);
  auto res = client.Get(path, query, httplib::Headers{});
  if (!res) {
    return absl::UnavailableError(
        absl::StrCat("prometheus at ", base_url_, ": ", httplib::to_string(res.error())));
  }
  if (res->status != 200 && res->status != 400 && res->status != 422) {
    return absl::UnavailableError(
        absl::StrCat("prometheus at ", base_url_, ": HTTP ", res->status));
  }
  return Decode(res->body);
}

absl::StatusOr<std::vector<PromSeries>> PrometheusClient::Query(const std::string& promql,
                                                                absl::Time at) const {
  return Get("/api/v1/query", {{"query", promql}, {"time", UnixSeconds(at)}});
}

absl::StatusOr<std::vector<PromSeries>> PrometheusClient::QueryRange(const std::string& promql,
                                                                     absl::Time start,
                                                                     absl::Time end,
                                                                     absl::Duration step) const {
  return Get("/api/v1/query_range", {{"query", promql},
                                     {"start", UnixSeconds(start)},
                                     {"end", UnixSeconds(end)},
                                     {"step", absl::StrCat(absl::ToDoubleSeconds(step))}});
}

double SingleValue(const std::vector<PromSeries>& series) {
  double sum = 0;
  bool any = false;
  for (const PromSeries& s : series) {
    if (s.points.empty()) continue;
    sum += s.points.back().second;
    any = true;
  }
  return any ? sum : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace conclave::metrics_agent
