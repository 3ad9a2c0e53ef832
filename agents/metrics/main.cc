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
#include <iostream>

#include "agents/metrics/metrics_agent.h"
#include "agents/metrics/metrics_bus.h"
#include "agents/metrics/metrics_config.h"
#include "agents/metrics/metrics_grpc_service.h"
#include "common/bus/topology.h"
#include "common/flags/flags.h"
#include "common/grpc/server.h"
#include "common/log/log.h"
#include "common/metrics/http_endpoint.h"
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
  int workers = 2;
  absl::Duration ack_wait = absl::Seconds(30);
  int max_deliver = 5;
  bool bus = true;
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
  flags.Int("workers", &o->workers, "CONCLAVE_WORKERS", "Bus worker threads in this replica.");
  flags.Duration("ack_wait", &o->ack_wait, "CONCLAVE_ACK_WAIT",
                 "A task not acked within this time is redelivered to another replica.");
  flags.Int("max_deliver", &o->max_deliver, "CONCLAVE_MAX_DELIVER",
            "Deliveries of one task before it is dead-lettered.");
  flags.Bool("bus", &o->bus, "CONCLAVE_BUS",
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

absl::StatusOr<std::unique_ptr<bus::Bus>> ConnectWithRetry(const std::string& url) {
  bus::NatsOptions options;
  options.url = url;
  options.name = kProgram;
  while (true) {
    auto bus = bus::ConnectNats(options);
    if (bus.ok() || runtime::ShutdownRequested()) return bus;
    spdlog::warn("cannot reach NATS at {} ({}); retrying", url, bus.status().message());
    if (runtime::WaitForShutdownFor(absl::Seconds(1))) return bus.status();
  }
}

// The bus connection, the sample subscription, the task consumer and its workers; all null
// with --nobus.
struct BusSide {
  std::unique_ptr<bus::Bus> bus;
  std::unique_ptr<bus::Subscription> samples;
  std::unique_ptr<bus::PullConsumer> consumer;
  std::unique_ptr<runtime::TaskWorkers> workers;
};

absl::StatusOr<BusSide> StartBus(const Options& o, MetricsAgent* agent,
                                 metrics::Registry* registry) {
  BusSide side;
  if (!o.bus) return side;
  auto connected = ConnectWithRetry(o.process.nats_url);
  if (!connected.ok()) return connected.status();
  side.bus = std::move(*connected);
  if (absl::Status s = bus::EnsureTopology(*side.bus); !s.ok()) return s;
  auto samples = SubscribeSamples(*side.bus, agent);
  if (!samples.ok()) return samples.status();
  side.samples = std::move(*samples);
  auto consumer =
      side.bus->CreatePullConsumer(bus::TaskConsumerSpec(kMetricsAgent, o.ack_wait, o.max_deliver));
  if (!consumer.ok()) return consumer.status();
  side.consumer = std::move(*consumer);
  side.workers = std::make_unique<runtime::TaskWorkers>(
      kMetricsAgent, [agent](const bus::Delivery& d) { return HandleMetricsTask(agent, d); },
      side.bus.get(), side.consumer.get(), registry, o.workers);
  side.workers->Start();
  return side;
}

int Serve(const Options& o, MetricsConfig config) {
  metrics::Registry registry;
  MetricsAgent agent(std::move(config), RealClock(), &registry);
  MetricsGrpcService service(&agent);
  auto grpc_server = grpcutil::GrpcServer::Start(o.process.grpc_addr, {&service});
  if (!grpc_server.ok()) {
    spdlog::critical("{}", grpc_server.status().ToString());
    return 1;
  }
  auto bus_side = StartBus(o, &agent, &registry);
  if (!bus_side.ok()) {
    if (runtime::ShutdownRequested()) return 0;
    spdlog::critical("cannot set up the metrics bus side: {}", bus_side.status().ToString());
    return 1;
  }
  bus::Bus* bus_ptr = bus_side->bus.get();
  auto http = metrics::HttpEndpoint::Start(o.process.http_addr, &registry, [bus_ptr] {
    if (bus_ptr != nullptr && !bus_ptr->Connected()) {
      return absl::UnavailableError("not connected to NATS");
    }
    return absl::OkStatus();
  });
  if (!http.ok()) {
    spdlog::critical("{}", http.status().ToString());
    return 1;
  }
  if (!o.process.addr_file.empty()) {
    if (absl::Status s = runtime::WriteAddressFile(o.process.addr_file, (*grpc_server)->address(),
                                                   (*http)->address());
        !s.ok()) {
      spdlog::error("{}", s.ToString());
    }
  }
  spdlog::info("metrics agent serving: grpc {} http {} bus {} ({} workers)",
               (*grpc_server)->address(), (*http)->address(), o.bus ? o.process.nats_url : "off",
               o.workers);
  runtime::WaitForShutdown();
  spdlog::info("shutting down: finishing in-flight tasks");
  bus_side->samples.reset();
  if (bus_side->workers) bus_side->workers->Stop();
  (*grpc_server)->Shutdown(absl::Seconds(5));
  (*http)->Stop();
  spdlog::info("stopped");
  return 0;
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
  auto args = flags.Parse(argc, argv);
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (!args.ok() || !args->empty()) {
    std::cerr << m::kProgram << ": "
              << (args.ok() ? "unexpected argument '" + (*args)[0] + "'"
                            : std::string(args.status().message()))
              << " (see --help)\n";
    return 2;
  }
  if (absl::Status s = log::InitLogging({m::kProgram, o.process.log_format, o.process.log_level});
      !s.ok()) {
    std::cerr << m::kProgram << ": " << s.message() << "\n";
    return 2;
  }
  auto config = m::BuildConfig(o);
  if (!config.ok()) {
    std::cerr << m::kProgram << ": " << config.status().message() << "\n";
    return 2;
  }
  runtime::InstallShutdownSignals();
  return m::Serve(o, std::move(*config));
}
