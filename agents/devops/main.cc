// conclave-devops: moves traffic and replicas of services through one driver (haproxy,
// kubernetes or exec), served over gRPC (conclave.v1.DevopsAgent, with health and reflection)
// and over the bus (durable consumer "devops" on conclave.task.devops.>), with /metrics and
// /healthz over HTTP, until SIGTERM.
//
// Threading model: gRPC's thread pool and the bus worker threads both call DevopsHandler,
// which runs one driver operation at a time; the HTTP endpoint has its own thread. SIGTERM
// lets in-flight operations finish before the process exits.
#include "agents/devops/devops_bus_workers.h"
#include "agents/devops/devops_config.h"
#include "agents/devops/devops_grpc_service.h"
#include "agents/devops/devops_handler.h"
#include "agents/devops/traffic_drivers.h"
#include "common/flags/flags.h"
#include "common/log/log.h"
#include "common/runtime/agent_process.h"
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
  runtime::AgentBusOptions bus;
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
  runtime::DefineAgentBusFlags(flags, &o->bus, "Consume tasks from NATS (--nobus: gRPC only).");
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

int Serve(const Options& o, const DevopsConfig& config) {
  runtime::AgentProcess process({kProgram, kDevopsAgent, "devops task consumer", "operations"},
                                o.process, o.bus);
  auto driver = NewTrafficDriver(config);
  if (!driver.ok()) {
    spdlog::critical("{}", driver.status().ToString());
    return 2;
  }
  DevopsHandler handler(driver->get(), process.registry());
  DevopsGrpcService service(&handler);
  std::unique_ptr<DevopsBusWorkers> workers;
  return process.Serve({
      .services = {&service},
      .start_bus =
          [&](bus::Bus* bus, bus::PullConsumer* consumer) {
            workers = std::make_unique<DevopsBusWorkers>(&handler, bus, consumer,
                                                         process.registry(), o.bus.workers);
            workers->Start();
            return absl::OkStatus();
          },
      .stop_bus = [&] { workers->Stop(); },
      .log_serving =
          [&](const std::string& grpc_addr, const std::string& http_addr) {
            spdlog::info("devops agent serving: driver {} grpc {} http {} bus {} ({} workers)",
                         handler.driver_name(), grpc_addr, http_addr,
                         o.bus.bus ? o.process.nats_url : "off", o.bus.workers);
          },
  });
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
  if (auto exit_code =
          runtime::ParseAgentCommandLine(flags, devops::kProgram, o.process, argc, argv)) {
    return *exit_code;
  }
  auto config = devops::BuildConfig(o);
  if (!config.ok()) return runtime::UsageError(devops::kProgram, config.status().message());
  runtime::InstallShutdownSignals();
  return devops::Serve(o, *config);
}
