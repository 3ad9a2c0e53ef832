// conclave-devops: moves traffic and replicas of services through one driver (haproxy,
// kubernetes or exec), served over gRPC (conclave.v1.DevopsAgent, with health and reflection)
// and over the bus (durable consumer "devops" on conclave.task.devops.>), with /metrics and
// /healthz over HTTP, until SIGTERM.
//
// Threading model: gRPC's thread pool and the bus worker threads both call DevopsHandler,
// which runs one driver operation at a time; the HTTP endpoint has its own thread. SIGTERM
// lets in-flight operations finish before the process exits.
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "agents/devops/devops_bus_workers.h"
#include "agents/devops/devops_config.h"
#include "agents/devops/devops_grpc_service.h"
#include "agents/devops/devops_handler.h"
#include "agents/devops/traffic_drivers.h"
#include "common/bus/topology.h"
#include "common/flags/flags.h"
#include "common/grpc/server.h"
#include "common/log/log.h"
#include "common/metrics/http_endpoint.h"
#include "common/runtime/process_options.h"
#include "common/runtime/signals.h"

namespace conclave::devops {
namespace {

constexpr char kProgram[] = "conclave-devops";

struct Options {
  runtime::ProcessOptions process;
  std::string config_file;
  std::string driver;
  std::string haproxy_runtime_api;
  std::string haproxy_routes;
  std::string kube_api_server;
  std::string kube_token_file;
  std::string kube_ca_file;
  std::string kube_namespace;
  std::string exec_set_traffic;
  std::string exec_scale;
  std::string exec_get_state;
  int workers = 2;
  absl::Duration ack_wait = absl::Seconds(30);
  int max_deliver = 5;
  bool bus = true;
};

void DefineFlags(flags::FlagSet& flags, Options* o) {
  runtime::DefineProcessFlags(flags, &o->process);
  flags.String("config", &o->config_file, "CONCLAVE_DEVOPS_CONFIG",
               "YAML file with the driver and its service mappings (docs/DEVOPS.md).");
  flags.String("driver", &o->driver, "CONCLAVE_DEVOPS_DRIVER",
               "haproxy, kubernetes or exec; overrides the config file (default haproxy).");
  flags.String("haproxy_runtime_api", &o->haproxy_runtime_api, "CONCLAVE_HAPROXY_RUNTIME_API",
               "HAProxy stats socket at level admin: ipv4@127.0.0.1:PORT or unix@/path.");
  flags.String("haproxy_routes", &o->haproxy_routes, "CONCLAVE_HAPROXY_ROUTES",
               "Comma-separated service/version=backend/server, e.g. "
               "demo/v1=demo/stable,demo/v2=demo/canary.");
  flags.String("kube_api_server", &o->kube_api_server, "CONCLAVE_KUBE_API_SERVER",
               "Kubernetes API server URL; empty inside a cluster.");
  flags.String("kube_token_file", &o->kube_token_file, "CONCLAVE_KUBE_TOKEN_FILE",
               "Service account bearer token file.");
  flags.String("kube_ca_file", &o->kube_ca_file, "CONCLAVE_KUBE_CA_FILE",
               "CA bundle that signed the API server's certificate.");
  flags.String("kube_namespace", &o->kube_namespace, "CONCLAVE_KUBE_NAMESPACE",
               "Default namespace of the services' objects.");
  flags.String("exec_set_traffic", &o->exec_set_traffic, "CONCLAVE_EXEC_SET_TRAFFIC",
               "Hook command for SetTrafficSplit (split on spaces, no shell).");
  flags.String("exec_scale", &o->exec_scale, "CONCLAVE_EXEC_SCALE",
               "Hook command for ScaleReplicas.");
  flags.String("exec_get_state", &o->exec_get_state, "CONCLAVE_EXEC_GET_STATE",
               "Hook command that prints '<version> <weight> [<replicas>]' lines.");
  flags.Int("workers", &o->workers, "CONCLAVE_WORKERS", "Bus worker threads in this replica.");
  flags.Duration("ack_wait", &o->ack_wait, "CONCLAVE_ACK_WAIT",
                 "A task not acked within this time is redelivered to another replica.");
  flags.Int("max_deliver", &o->max_deliver, "CONCLAVE_MAX_DELIVER",
            "Deliveries of one task before it is dead-lettered.");
  flags.Bool("bus", &o->bus, "CONCLAVE_BUS", "Consume tasks from NATS (--nobus: gRPC only).");
}

void OverrideIfSet(const std::string& value, std::string* target) {
  if (!value.empty()) *target = value;
}

// The config file (if any) with the flags that were given laid over it.
absl::StatusOr<DevopsConfig> BuildConfig(const Options& o) {
  DevopsConfig config;
  if (!o.config_file.empty()) {
    auto loaded = LoadDevopsConfig(o.config_file);
    if (!loaded.ok()) return loaded.status();
    config = std::move(*loaded);
  }
  OverrideIfSet(o.driver, &config.driver);
  OverrideIfSet(o.haproxy_runtime_api, &config.haproxy.runtime_api);
  if (absl::Status s = AddHaproxyRoutes(o.haproxy_routes, &config.haproxy); !s.ok()) return s;
  OverrideIfSet(o.kube_api_server, &config.kubernetes.api_server);
  OverrideIfSet(o.kube_token_file, &config.kubernetes.token_file);
  OverrideIfSet(o.kube_ca_file, &config.kubernetes.ca_file);
  OverrideIfSet(o.kube_namespace, &config.kubernetes.namespace_name);
  if (!o.exec_set_traffic.empty()) config.exec.set_traffic = SplitCommand(o.exec_set_traffic);
  if (!o.exec_scale.empty()) config.exec.scale = SplitCommand(o.exec_scale);
  if (!o.exec_get_state.empty()) config.exec.get_state = SplitCommand(o.exec_get_state);
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

// The bus connection, its task consumer and the workers, started; all null with --nobus.
struct BusSide {
  std::unique_ptr<bus::Bus> bus;
  std::unique_ptr<bus::PullConsumer> consumer;
  std::unique_ptr<DevopsBusWorkers> workers;
};

absl::StatusOr<BusSide> StartBus(const Options& o, DevopsHandler* handler,
                                 metrics::Registry* registry) {
  BusSide side;
  if (!o.bus) return side;
  auto connected = ConnectWithRetry(o.process.nats_url);
  if (!connected.ok()) return connected.status();
  side.bus = std::move(*connected);
  if (absl::Status s = bus::EnsureTopology(*side.bus); !s.ok()) return s;
  auto consumer =
      side.bus->CreatePullConsumer(bus::TaskConsumerSpec(kDevopsAgent, o.ack_wait, o.max_deliver));
  if (!consumer.ok()) return consumer.status();
  side.consumer = std::move(*consumer);
  side.workers = std::make_unique<DevopsBusWorkers>(handler, side.bus.get(), side.consumer.get(),
                                                    registry, o.workers);
  side.workers->Start();
  return side;
}

int Serve(const Options& o, const DevopsConfig& config) {
  auto driver = NewTrafficDriver(config);
  if (!driver.ok()) {
    spdlog::critical("{}", driver.status().ToString());
    return 2;
  }
  metrics::Registry registry;
  DevopsHandler handler(driver->get(), &registry);
  DevopsGrpcService service(&handler);
  auto grpc_server = grpcutil::GrpcServer::Start(o.process.grpc_addr, {&service});
  if (!grpc_server.ok()) {
    spdlog::critical("{}", grpc_server.status().ToString());
    return 1;
  }
  auto bus_side = StartBus(o, &handler, &registry);
  if (!bus_side.ok()) {
    if (runtime::ShutdownRequested()) return 0;
    spdlog::critical("cannot set up the devops task consumer: {}", bus_side.status().ToString());
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
  spdlog::info("devops agent serving: driver {} grpc {} http {} bus {} ({} workers)",
               handler.driver_name(), (*grpc_server)->address(), (*http)->address(),
               o.bus ? o.process.nats_url : "off", o.workers);
  runtime::WaitForShutdown();
  spdlog::info("shutting down: finishing in-flight operations");
  if (bus_side->workers) bus_side->workers->Stop();
  (*grpc_server)->Shutdown(absl::Seconds(5));
  (*http)->Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace
}  // namespace conclave::devops

int main(int argc, char** argv) {
  using namespace conclave;
  flags::FlagSet flags(
      devops::kProgram,
      "[flags]\n\nServes conclave.v1.DevopsAgent over gRPC (with health and reflection) and over "
      "NATS JetStream\n(durable consumer 'devops' on conclave.task.devops.>), with /metrics and "
      "/healthz over HTTP,\nuntil SIGTERM. Traffic moves through one driver: haproxy (runtime "
      "API), kubernetes\n(HTTPRoute weights or Deployment replicas) or exec (hook commands). "
      "See docs/DEVOPS.md.");
  devops::Options o;
  devops::DefineFlags(flags, &o);
  auto args = flags.Parse(argc, argv);
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (!args.ok() || !args->empty()) {
    std::cerr << devops::kProgram << ": "
              << (args.ok() ? "unexpected argument '" + (*args)[0] + "'"
                            : std::string(args.status().message()))
              << " (see --help)\n";
    return 2;
  }
  if (absl::Status s =
          log::InitLogging({devops::kProgram, o.process.log_format, o.process.log_level});
      !s.ok()) {
    std::cerr << devops::kProgram << ": " << s.message() << "\n";
    return 2;
  }
  auto config = devops::BuildConfig(o);
  if (!config.ok()) {
    std::cerr << devops::kProgram << ": " << config.status().message() << "\n";
    return 2;
  }
  runtime::InstallShutdownSignals();
  return devops::Serve(o, *config);
}
