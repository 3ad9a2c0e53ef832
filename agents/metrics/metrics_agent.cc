#include "agents/metrics/metrics_agent.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "agents/metrics/analysis.h"
#include "common/log/log.h"

namespace conclave::metrics_agent {
namespace {

namespace v1 = conclave::v1;

absl::Duration DurationOr(const v1::GetWindowRequest& r, absl::Duration fallback) {
  return r.has_duration() && FromProtoDuration(r.duration()) > absl::ZeroDuration()
             ? FromProtoDuration(r.duration())
             : fallback;
}

}  // namespace

MetricsAgent::MetricsAgent(MetricsConfig config, Clock* clock, metrics::Registry* registry)
    : config_(std::move(config)),
      clock_(clock),
      store_(config_.window, config_.max_series),
      judge_(&store_, clock, config_.judge),
      samples_(registry->AddCounter("conclave_metrics_samples_total",
                                    "Samples received, by result (accepted, rejected).",
                                    {"result"})),
      dropped_by_reporters_(registry->AddCounter(
          "conclave_metrics_reporter_dropped_total",
          "Samples that reporters said they dropped before publishing.", {"service"})),
      verdicts_(registry->AddCounter("conclave_metrics_judgments_total",
                                     "Canary judgments, by verdict.", {"verdict"})),
      judge_seconds_(
          registry->AddHistogram("conclave_metrics_judge_seconds", "Time to judge a canary.", {})),
      series_(registry->AddGauge("conclave_metrics_series",
                                 "(service, version) series held in the windows.")) {
  if (!config_.prometheus.url.empty()) {
    prometheus_ =
        std::make_unique<PrometheusClient>(config_.prometheus.url, config_.prometheus.timeout);
    prometheus_judge_ = std::make_unique<PrometheusJudge>(prometheus_.get(),
                                                          config_.prometheus.step, config_.judge);
  }
}

v1::IngestResponse MetricsAgent::Ingest(const v1::SampleBatch& batch) {
  const absl::Time received = clock_->Now();
  v1::IngestResponse out;
  absl::Status last_error;
  for (const v1::Sample& sample : batch.samples()) {
    absl::Status s = store_.Add(sample, received);
    if (s.ok()) {
      out.set_accepted(out.accepted() + 1);
    } else {
      out.set_rejected(out.rejected() + 1);
      last_error = s;
    }
  }
  samples_->With({"accepted"})->Increment(static_cast<double>(out.accepted()));
  if (out.rejected() > 0) {
    samples_->With({"rejected"})->Increment(static_cast<double>(out.rejected()));
    spdlog::debug("ingest: {} of {} samples rejected, e.g. {}", out.rejected(),
                  batch.samples_size(), last_error.message());
  }
  if (batch.dropped() > 0 && batch.samples_size() > 0) {
    dropped_by_reporters_->With({batch.samples(0).service()})
        ->Increment(static_cast<double>(batch.dropped()));
  }
  series_->With({})->Set(static_cast<double>(store_.series_count()));
  return out;
}

absl::StatusOr<v1::JudgeResponse> MetricsAgent::Judge(const v1::JudgeRequest& request) {
  const absl::Time started = absl::Now();
  auto service = config_.services.find(request.service());
  absl::StatusOr<v1::JudgeResponse> response;
  if (service != config_.services.end() &&
      service->second.source == ServiceConfig::Source::kPrometheus && prometheus_judge_) {
    response = prometheus_judge_->Judge(request, service->second, clock_->Now());
  } else if (request.metrics().empty() && service != config_.services.end() &&
             !service->second.metrics.empty()) {
    v1::JudgeRequest with_specs = request;
    for (const v1::MetricSpec& m : service->second.metrics) *with_specs.add_metrics() = m;
    response = judge_.Judge(with_specs);
  } else {
    response = judge_.Judge(request);
  }
  judge_seconds_->With({})->Observe(absl::ToDoubleSeconds(absl::Now() - started));
  if (!response.ok()) return response;
  verdicts_->With({v1::CanaryVerdict_Name(response->verdict())})->Increment();
  spdlog::info("judge {} {} vs {}: {} ({})", request.service(), request.canary_version(),
               request.stable_version(), v1::CanaryVerdict_Name(response->verdict()),
               response->reason());
  return response;
}

absl::StatusOr<v1::DetectAnomaliesResponse> MetricsAgent::DetectAnomalies(
    const v1::DetectAnomaliesRequest& request) {
  auto out = metrics_agent::DetectAnomalies(request, store_, clock_->Now());
  if (out.ok()) out->set_request_id(request.request_id());
  return out;
}

absl::StatusOr<v1::EvaluateGatesResponse> MetricsAgent::EvaluateGates(
    const v1::EvaluateGatesRequest& request) {
  auto out = metrics_agent::EvaluateGates(request, store_, clock_->Now());
  if (out.ok()) out->set_request_id(request.request_id());
  return out;
}

absl::StatusOr<v1::WindowStats> MetricsAgent::GetWindow(const v1::GetWindowRequest& request) {
  if (request.service().empty() || request.version().empty()) {
    return absl::InvalidArgumentError("get window: service and version are required");
  }
  const absl::Time now = clock_->Now();
  const absl::Time from = now - DurationOr(request, absl::Seconds(60));
  const Bucket merged =
      MergeBuckets(store_.Collect(request.service(), request.version(), from, now),
                   config_.window.sketch_accuracy);
  v1::WindowStats out;
  out.set_request_id(request.request_id());
  out.set_service(request.service());
  out.set_version(request.version());
  ToProtoTime(from, out.mutable_window_start());
  ToProtoTime(now, out.mutable_window_end());
  out.set_requests(merged.requests);
  out.set_errors(merged.errors);
  out.set_error_rate(merged.requests == 0 ? std::nan("")
                                          : static_cast<double>(merged.errors) /
                                                static_cast<double>(merged.requests));
  out.set_latency_p50_ms(merged.latency_ms.Quantile(0.50));
  out.set_latency_p90_ms(merged.latency_ms.Quantile(0.90));
  out.set_latency_p95_ms(merged.latency_ms.Quantile(0.95));
  out.set_latency_p99_ms(merged.latency_ms.Quantile(0.99));
  out.set_sketch_relative_accuracy(config_.window.sketch_accuracy);
  for (const auto& [name, g] : merged.gauges) {
    (*out.mutable_gauge_means())[name] = g.mean();
    (*out.mutable_gauge_counts())[name] = g.count;
  }
  return out;
}

}  // namespace conclave::metrics_agent
