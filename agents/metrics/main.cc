// conclave-metrics: ingests service samples (pushed on conclave.metrics.<service>, or pulled
// from Prometheus with PromQL), keeps per (service, version) sliding windows, and judges
// canaries, detects anomalies and evaluates gates, served over gRPC (conclave.v1.MetricsAgent,
// with health and reflection) and over the bus (durable consumer "metrics" on
// conclave.task.metrics.>), with /metrics and /healthz over HTTP, until SIGTERM.
//
// Threading model: the bus's delivery thread ingests samples (a short lock per series); gRPC's
// thread pool and the task worker threads call MetricsAgent, which is thread-safe; the HTTP
// endpoint has its own thread. SIGTERM stops ingestion, lets in-flight tasks and calls finish,
// and exits.
#include "agents/metrics/metrics_agent.h"
#include "agents/metrics/metrics_bus.h"
#include "agents/metrics/metrics_config.h"
#include "agents/metrics/metrics_grpc_service.h"
#include "common/flags/flags.h"
#include "common/log/log.h"
#include "common/runtime/agent_process.h"
#include "common/runtime/process_options.h"
#include "common/runtime/signals.h"
#include "common/runtime/task_workers.h"

namespace conclave::metrics_agent {
namespace {

constexpr char kProgram[] = "conclave-metrics";

struct Options {
  runtime::ProcessOptions process;
  std::string config_file;
  std::string prometheus_url;
  double alpha = 0;
  runtime::AgentBusOptions bus;
};

void DefineFlags(flags::FlagSet& flags, Options* o) {
  runtime::DefineProcessFlags(flags, &o->process);
  flags.String("config", &o->config_file, "CONCLAVE_METRICS_CONFIG",
               "YAML file: windows, judge defaults, Prometheus and per-service metrics "
               "(docs/METRICS.md).");
  flags.String("prometheus_url", &o->prometheus_url, "CONCLAVE_PROMETHEUS_URL",
               "Prometheus base URL, e.g. http://127.0.0.1:9090; overrides the config file.");
  flags.Double("alpha", &o->alpha, "CONCLAVE_METRICS_ALPHA",
               "False-alarm probability of the judge's tests when a request gives none "
               "(default 0.01).");
  runtime::DefineAgentBusFlags(flags, &o->bus,
                               "Ingest samples and consume tasks from NATS (--nobus: gRPC only).");
}

absl::StatusOr<MetricsConfig> BuildConfig(const Options& o) {
  MetricsConfig config;
  if (!o.config_file.empty()) {
    auto loaded = LoadMetricsConfig(o.config_file);
    if (!loaded.ok()) return loaded.status();
    config = std::move(*loaded);
  }
  if (!o.prometheus_url.empty()) config.prometheus.url = o.prometheus_url;
  if (o.alpha != 0) {
    if (!(o.alpha > 0 && o.alpha < 1)) return absl::InvalidArgumentError("--alpha not in (0, 1)");
    config.judge.default_alpha = o.alpha;
  }
  return config;
}

int Serve(const Options& o, MetricsConfig config) {
  runtime::AgentProcess process({kProgram, kMetricsAgent, "metrics bus side", "tasks"}, o.process,
                                o.bus);
  MetricsAgent agent(std::move(config), RealClock(), process.registry());
  MetricsGrpcService service(&agent);
  std::unique_ptr<bus::Subscription> samples;
  std::unique_ptr<runtime::TaskWorkers> workers;
  return process.Serve({
      .services = {&service},
      .start_bus = [&](bus::Bus* bus, bus::PullConsumer* consumer) -> absl::Status {
        auto subscribed = SubscribeSamples(*bus, &agent);
        if (!subscribed.ok()) return subscribed.status();
        samples = std::move(*subscribed);
        workers = std::make_unique<runtime::TaskWorkers>(
            kMetricsAgent,
            [&agent](const bus::Delivery& d) { return HandleMetricsTask(&agent, d); }, bus,
            consumer, process.registry(), o.bus.workers);
        workers->Start();
        return absl::OkStatus();
      },
      .stop_bus =
          [&] {
            samples.reset();
            workers->Stop();
          },
      .log_serving =
          [&](const std::string& grpc_addr, const std::string& http_addr) {
            spdlog::info("metrics agent serving: grpc {} http {} bus {} ({} workers)", grpc_addr,
                         http_addr, o.bus.bus ? o.process.nats_url : "off", o.bus.workers);
          },
  });
}

}  // namespace
}  // namespace conclave::metrics_agent

int main(int argc, char** argv) {
  using namespace conclave;
  namespace m = conclave::metrics_agent;
  flags::FlagSet flags(
      m::kProgram,
      "[flags]\n\nServes conclave.v1.MetricsAgent over gRPC (with health and reflection) and over "
      "NATS JetStream\n(durable consumer 'metrics' on conclave.task.metrics.>, results on "
      "conclave.result.metrics.<request_id>),\ningests SampleBatches from conclave.metrics.> and "
      "pulls PromQL from Prometheus, with /metrics\nand /healthz over HTTP, until SIGTERM. See "
      "docs/METRICS.md.");
  m::Options o;
  m::DefineFlags(flags, &o);
  if (auto exit_code = runtime::ParseAgentCommandLine(flags, m::kProgram, o.process, argc, argv)) {
    return *exit_code;
  }
  auto config = m::BuildConfig(o);
  if (!config.ok()) return runtime::UsageError(m::kProgram, config.status().message());
  runtime::InstallShutdownSignals();
  return m::Serve(o, std::move(*config));
}
