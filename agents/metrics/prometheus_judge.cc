#include "agents/metrics/prometheus_judge.h"

#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agents/metrics/stats.h"
#include "common/log/log.h"

namespace conclave::metrics_agent {
namespace {

namespace v1 = conclave::v1;

// The finite values of every point of every series.
std::vector<double> FinitePoints(const std::vector<PromSeries>& series) {
  std::vector<double> out;
  for (const PromSeries& s : series) {
    for (const auto& [t, v] : s.points) {
      if (std::isfinite(v)) out.push_back(v);
    }
  }
  return out;
}

struct VersionData {
  double value = std::nan("");
  uint64_t samples = 0;
  std::vector<double> points;
  std::string error;
};

}  // namespace

PrometheusJudge::PrometheusJudge(const PrometheusClient* client, absl::Duration step,
                                 JudgeOptions options)
    : client_(client), step_(step), options_(options) {}

v1::MetricResult PrometheusJudge::JudgeMetric(const PromMetric& metric,
                                              const v1::JudgeRequest& request, absl::Time start,
                                              absl::Time end, double alpha) const {
  auto fetch = [&](const std::string& version) {
    VersionData d;
    const absl::Duration window = end - start;
    auto value = client_->Query(ExpandQuery(metric.query, request.service(), version, window), end);
    if (!value.ok()) {
      d.error = std::string(value.status().message());
      return d;
    }
    d.value = SingleValue(*value);
    auto range = client_->QueryRange(ExpandQuery(metric.query, request.service(), version, window),
                                     start, end, step_);
    if (range.ok()) d.points = FinitePoints(*range);
    d.samples = d.points.size();
    if (!metric.samples_query.empty()) {
      auto samples = client_->Query(
          ExpandQuery(metric.samples_query, request.service(), version, window), end);
      const double n = samples.ok() ? SingleValue(*samples) : std::nan("");
      d.samples = std::isfinite(n) && n > 0 ? static_cast<uint64_t>(std::llround(n)) : 0;
    }
    if (!std::isfinite(d.value)) d.samples = 0;
    return d;
  };
  const VersionData canary = fetch(request.canary_version());
  const VersionData stable = fetch(request.stable_version());
  auto spec = ResolveSpec(metric.spec);  // validated when the config was loaded
  MetricEvidence ev;
  ev.canary = {canary.value, canary.samples};
  ev.stable = {stable.value, stable.samples};
  const TestResult mw = MannWhitneyGreater(canary.points, stable.points);
  ev.statistic = "mann_whitney_p";
  ev.statistic_value = mw.p_value;
  ev.statistic_threshold = alpha;
  ev.significant = mw.p_value < alpha;
  v1::MetricResult result = DecideMetric(*spec, ev);
  for (const VersionData* d : {&canary, &stable}) {
    if (!d->error.empty()) {
      spdlog::warn("judge {}: metric {}: {}", request.service(), metric.spec.name(), d->error);
      result.set_reason(absl::StrCat(result.reason(), " (query failed: ", d->error, ")"));
    }
  }
  return result;
}

absl::StatusOr<v1::JudgeResponse> PrometheusJudge::Judge(const v1::JudgeRequest& request,
                                                         const ServiceConfig& service,
                                                         absl::Time now) const {
  const absl::Time started = absl::Now();
  if (absl::Status s = ValidateJudgeRequest(request); !s.ok()) return s;
  std::vector<const PromMetric*> chosen;
  for (const v1::MetricSpec& wanted : request.metrics()) {
    const PromMetric* found = nullptr;
    for (const PromMetric& m : service.prometheus) {
      if (m.spec.name() == wanted.name()) found = &m;
    }
    if (found == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("judge: service ", request.service(),
                                                     " has no prometheus metric ", wanted.name()));
    }
    chosen.push_back(found);
  }
  if (request.metrics().empty()) {
    for (const PromMetric& m : service.prometheus) chosen.push_back(&m);
  }
  const absl::Duration duration =
      request.has_duration() && FromProtoDuration(request.duration()) > absl::ZeroDuration()
          ? FromProtoDuration(request.duration())
          : options_.default_duration;
  const absl::Time start = request.has_start() ? FromProtoTime(request.start()) : now - duration;
  const absl::Time end = std::min(start + duration, now);
  const double alpha = request.alpha() > 0 ? request.alpha() : options_.default_alpha;
  v1::JudgeResponse response;
  response.set_request_id(request.request_id());
  for (const PromMetric* m : chosen) {
    *response.add_metrics() =
        JudgeMetric(*m, request, start, end, alpha / static_cast<double>(chosen.size()));
  }
  CombineVerdicts(&response);
  ToProtoTime(start, response.mutable_window_start());
  ToProtoTime(std::max(start, end), response.mutable_window_end());
  ToProtoDuration(absl::Now() - started, response.mutable_elapsed());
  return response;
}

}  // namespace conclave::metrics_agent
