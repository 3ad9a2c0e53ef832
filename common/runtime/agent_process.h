// AgentProcess: the scaffolding every long-running agent process (reviewers, metrics, devops)
// shares. ParseAgentCommandLine() handles --help, usage errors and logging; Serve() starts the
// agent's gRPC services, connects to NATS (retrying until it answers or SIGTERM), creates the
// agent's durable task consumer and lets the agent start its workers on it, serves /metrics
// and /healthz, writes --addr_file, and after SIGTERM shuts down in order: bus intake and
// workers (in-flight work finishes), gRPC (5 s grace), HTTP.
// Ownership: AgentProcess owns the metrics registry, the bus connection and the task consumer;
// the agent owns its handler, services and workers, and must destroy them before the
// AgentProcess (declare them after it). Not thread-safe: use it from the main thread, after
// InstallShutdownSignals(); the hooks are called there.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/bus/bus.h"
#include "common/flags/flags.h"
#include "common/metrics/metrics.h"
#include "common/runtime/process_options.h"

namespace conclave::runtime {

// The bus-side flags of an agent: --workers, --ack_wait, --max_deliver, --bus.
struct AgentBusOptions {
  int workers = 2;
  absl::Duration ack_wait = absl::Seconds(30);
  int max_deliver = 5;
  bool bus = true;
};

// Defines the AgentBusOptions flags with CONCLAVE_WORKERS, CONCLAVE_ACK_WAIT,
// CONCLAVE_MAX_DELIVER and CONCLAVE_BUS fallbacks; `bus_help` describes --bus.
void DefineAgentBusFlags(flags::FlagSet& flags, AgentBusOptions* options,
                         const std::string& bus_help);

// Parses argv into `flags`, then starts logging as `process` (filled by the parse) says.
// --help prints the usage (exit code 0). An unknown flag or bad value, a positional argument
// (other than `mode` alone, when given) or bad logging flags are usage errors on stderr (exit
// code 2). Returns nullopt when the process should go on.
std::optional<int> ParseAgentCommandLine(flags::FlagSet& flags, const std::string& program,
                                         const ProcessOptions& process, int argc, char** argv,
                                         const std::string& mode = "");

// Prints "<program>: <message>" on stderr and returns the usage-error exit code, 2.
int UsageError(const std::string& program, absl::string_view message);

class AgentProcess {
 public:
  // Names that vary between agents in what the process logs and connects as.
  struct Names {
    std::string program;   // "conclave-devops": NATS connection name.
    std::string agent;     // "devops": the task consumer, on conclave.task.<agent>.>.
    std::string bus_part;  // Logged as "cannot set up the <bus_part>: <error>".
    std::string work;      // Logged as "shutting down: finishing in-flight <work>".
  };

  // What the agent adds. Everything the hooks create must outlive Serve().
  struct Hooks {
    // Served with gRPC health and reflection.
    std::vector<grpc::Service*> services;
    // With --bus, once connected with the streams in place and `consumer` created: subscribe
    // and start the workers. An error ends Serve() (1, or 0 when SIGTERM came meanwhile).
    std::function<absl::Status(bus::Bus* bus, bus::PullConsumer* consumer)> start_bus;
    // After SIGTERM, only if start_bus succeeded: stop intake, then let the workers finish
    // their in-flight work.
    std::function<void()> stop_bus;
    // Logs the "serving" line with the bound addresses.
    std::function<void(const std::string& grpc_addr, const std::string& http_addr)> log_serving;
  };

  AgentProcess(Names names, const ProcessOptions& process, const AgentBusOptions& bus);
  ~AgentProcess();
  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;

  metrics::Registry* registry() { return &registry_; }

  // Serves until shutdown is requested; returns the process exit code (0 after a clean
  // shutdown, 1 when a listener or the bus cannot be set up). Call once.
  int Serve(const Hooks& hooks);

 private:
  absl::Status StartBus(const Hooks& hooks);

  const Names names_;
  const ProcessOptions process_;
  const AgentBusOptions bus_options_;
  metrics::Registry registry_;
  std::unique_ptr<bus::Bus> bus_;
  std::unique_ptr<bus::PullConsumer> consumer_;  // Destroyed before the bus it came from.
};

}  // namespace conclave::runtime
