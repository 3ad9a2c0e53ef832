#include "common/runtime/agent_process.h"

#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/bus/topology.h"
#include "common/grpc/server.h"
#include "common/log/log.h"
#include "common/metrics/http_endpoint.h"
#include "common/runtime/signals.h"

namespace conclave::runtime {
namespace {

constexpr char kSeeHelp[] = " (see --help)";

// Connects to NATS, retrying until it answers or shutdown is requested.
absl::StatusOr<std::unique_ptr<bus::Bus>> ConnectWithRetry(const std::string& url,
                                                           const std::string& name) {
  bus::NatsOptions options;
  options.url = url;
  options.name = name;
  while (true) {
    auto bus = bus::ConnectNats(options);
    if (bus.ok() || ShutdownRequested()) return bus;
    spdlog::warn("cannot reach NATS at {} ({}); retrying", url, bus.status().message());
    if (WaitForShutdownFor(absl::Seconds(1))) return bus.status();
  }
}

}  // namespace

void DefineAgentBusFlags(flags::FlagSet& flags, AgentBusOptions* o, const std::string& bus_help) {
  flags.Int("workers", &o->workers, "CONCLAVE_WORKERS", "Bus worker threads in this replica.");
  flags.Duration("ack_wait", &o->ack_wait, "CONCLAVE_ACK_WAIT",
                 "A task not acked within this time is redelivered to another replica.");
  flags.Int("max_deliver", &o->max_deliver, "CONCLAVE_MAX_DELIVER",
            "Deliveries of one task before it is dead-lettered.");
  flags.Bool("bus", &o->bus, "CONCLAVE_BUS", bus_help);
}

int UsageError(const std::string& program, absl::string_view message) {
  std::cerr << program << ": " << message << "\n";
  return 2;
}

std::optional<int> ParseAgentCommandLine(flags::FlagSet& flags, const std::string& program,
                                         const ProcessOptions& process, int argc, char** argv,
                                         const std::string& mode) {
  auto args = flags.Parse(argc, argv);
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (!args.ok()) {
    // Exactly one hint, whether or not the flag parser already gave it.
    std::string message(args.status().message());
    if (!absl::EndsWith(message, kSeeHelp)) absl::StrAppend(&message, kSeeHelp);
    return UsageError(program, message);
  }
  const bool mode_alone = !mode.empty() && args->size() == 1 && (*args)[0] == mode;
  if (!args->empty() && !mode_alone) {
    return UsageError(program, absl::StrCat("unexpected argument '", (*args)[0], "'", kSeeHelp));
  }
  if (absl::Status s = log::InitLogging({program, process.log_format, process.log_level});
      !s.ok()) {
    return UsageError(program, s.message());
  }
  return std::nullopt;
}

AgentProcess::AgentProcess(Names names, const ProcessOptions& process, const AgentBusOptions& bus)
    : names_(std::move(names)), process_(process), bus_options_(bus) {}

AgentProcess::~AgentProcess() = default;

absl::Status AgentProcess::StartBus(const Hooks& hooks) {
  auto connected = ConnectWithRetry(process_.nats_url, names_.program);
  if (!connected.ok()) return connected.status();
  bus_ = std::move(*connected);
  if (absl::Status s = bus::EnsureTopology(*bus_); !s.ok()) return s;
  auto consumer = bus_->CreatePullConsumer(
      bus::TaskConsumerSpec(names_.agent, bus_options_.ack_wait, bus_options_.max_deliver));
  if (!consumer.ok()) return consumer.status();
  consumer_ = std::move(*consumer);
  return hooks.start_bus(bus_.get(), consumer_.get());
}

int AgentProcess::Serve(const Hooks& hooks) {
  auto grpc_server = grpcutil::GrpcServer::Start(process_.grpc_addr, hooks.services);
  if (!grpc_server.ok()) {
    spdlog::critical("{}", grpc_server.status().ToString());
    return 1;
  }
  if (bus_options_.bus) {
    if (absl::Status s = StartBus(hooks); !s.ok()) {
      if (ShutdownRequested()) return 0;
      spdlog::critical("cannot set up the {}: {}", names_.bus_part, s.ToString());
      return 1;
    }
  }
  bus::Bus* bus = bus_.get();
  auto http = metrics::HttpEndpoint::Start(process_.http_addr, &registry_, [bus] {
    if (bus != nullptr && !bus->Connected()) {
      return absl::UnavailableError("not connected to NATS");
    }
    return absl::OkStatus();
  });
  if (!http.ok()) {
    spdlog::critical("{}", http.status().ToString());
    return 1;
  }
  if (!process_.addr_file.empty()) {
    if (absl::Status s =
            WriteAddressFile(process_.addr_file, (*grpc_server)->address(), (*http)->address());
        !s.ok()) {
      spdlog::error("{}", s.ToString());
    }
  }
  hooks.log_serving((*grpc_server)->address(), (*http)->address());
  WaitForShutdown();
  spdlog::info("shutting down: finishing in-flight {}", names_.work);
  if (bus_options_.bus && hooks.stop_bus) hooks.stop_bus();
  (*grpc_server)->Shutdown(absl::Seconds(5));
  (*http)->Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace conclave::runtime
