#include "common/runtime/reviewer_server.h"

#include <unistd.h>

#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/bus/topology.h"
#include "common/flags/flags.h"
#include "common/grpc/server.h"
#include "common/log/log.h"
#include "common/metrics/http_endpoint.h"
#include "common/runtime/bus_workers.h"
#include "common/runtime/process_options.h"
#include "common/runtime/review_handler.h"
#include "common/runtime/signals.h"
#include "conclave/v1/architecture.grpc.pb.h"
#include "conclave/v1/performance.grpc.pb.h"
#include "conclave/v1/security.grpc.pb.h"

namespace conclave::runtime {
namespace {

// The gRPC face of a reviewer: each reviewer has its own service type in proto/, all with the
// same two methods, so one template adapts the shared handler to any of them.
template <typename ServiceBase>
class ReviewerGrpcService final : public ServiceBase {
 public:
  explicit ReviewerGrpcService(const ReviewHandler* handler) : handler_(handler) {}

  grpc::Status Review(grpc::ServerContext*, const conclave::v1::ReviewRequest* request,
                      conclave::v1::ReviewResponse* response) override {
    log::ScopedLogContext context(request->change().id(), "");
    *response = handler_->Handle(*request, "grpc");
    if (response->error_code() != 0) {
      return grpc::Status(static_cast<grpc::StatusCode>(response->error_code()),
                          response->error_message());
    }
    return grpc::Status::OK;
  }

  grpc::Status ListRules(grpc::ServerContext*, const conclave::v1::ListRulesRequest*,
                         conclave::v1::ListRulesResponse* response) override {
    *response = handler_->reviewer().ListRules();
    return grpc::Status::OK;
  }

 private:
  const ReviewHandler* handler_;
};

std::unique_ptr<grpc::Service> NewGrpcService(const std::string& name,
                                              const ReviewHandler* handler) {
  if (name == "security") {
    return std::make_unique<ReviewerGrpcService<conclave::v1::SecurityReviewer::Service>>(handler);
  }
  if (name == "performance") {
    return std::make_unique<ReviewerGrpcService<conclave::v1::PerformanceReviewer::Service>>(
        handler);
  }
  if (name == "architecture") {
    return std::make_unique<ReviewerGrpcService<conclave::v1::ArchitectureReviewer::Service>>(
        handler);
  }
  return nullptr;
}

std::string ReplicaName() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, ":", getpid());
}

struct ServerOptions {
  ProcessOptions process;
  int workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  absl::Duration ack_wait = absl::Seconds(30);
  int max_deliver = 5;
  bool bus = true;
  absl::Duration chaos_delay = absl::ZeroDuration();
};

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

int Serve(std::unique_ptr<Reviewer> reviewer, const ServerOptions& o) {
  const std::string name = reviewer->name();
  metrics::Registry registry;
  ReviewHandler handler(reviewer.get(), &registry, ReplicaName());
  std::unique_ptr<grpc::Service> service = NewGrpcService(name, &handler);
  if (!service) {
    spdlog::critical("no gRPC service for reviewer '{}'", name);
    return 2;
  }
  auto grpc_server = grpcutil::GrpcServer::Start(o.process.grpc_addr, {service.get()});
  if (!grpc_server.ok()) {
    spdlog::critical("{}", grpc_server.status().ToString());
    return 1;
  }
  std::unique_ptr<bus::Bus> bus;
  std::unique_ptr<bus::PullConsumer> consumer;
  std::unique_ptr<BusReviewWorkers> workers;
  if (o.bus) {
    auto connected = ConnectWithRetry(o.process.nats_url, absl::StrCat("conclave-", name));
    if (!connected.ok()) return ShutdownRequested() ? 0 : 1;
    bus = std::move(*connected);
    absl::Status s = bus::EnsureTopology(*bus);
    auto created = s.ok() ? bus->CreatePullConsumer(bus::TaskConsumerSpec(name, o.ack_wait,
                                                                          o.max_deliver))
                          : absl::StatusOr<std::unique_ptr<bus::PullConsumer>>(s);
    if (!created.ok()) {
      spdlog::critical("cannot set up the task consumer: {}", created.status().ToString());
      return 1;
    }
    consumer = std::move(*created);
    workers = std::make_unique<BusReviewWorkers>(&handler, bus.get(), consumer.get(), &registry,
                                                 o.workers, o.chaos_delay);
    workers->Start();
  }
  bus::Bus* bus_ptr = bus.get();
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
    if (absl::Status s = WriteAddressFile(o.process.addr_file, (*grpc_server)->address(),
                                          (*http)->address());
        !s.ok()) {
      spdlog::error("{}", s.ToString());
    }
  }
  spdlog::info("{} reviewer {} serving: grpc {} http {} bus {} ({} workers)", name,
               reviewer->version(), (*grpc_server)->address(), (*http)->address(),
               o.bus ? o.process.nats_url : "off", o.workers);
  WaitForShutdown();
  spdlog::info("shutting down: finishing in-flight reviews");
  if (workers) workers->Stop();
  (*grpc_server)->Shutdown(absl::Seconds(5));
  (*http)->Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int RunReviewerServer(std::unique_ptr<Reviewer> reviewer, int argc, char** argv) {
  const std::string program = absl::StrCat("conclave-", reviewer->name());
  flags::FlagSet flags(program, absl::StrCat(
      "serve [flags]\n\nServes the ", reviewer->name(),
      " reviewer over gRPC (conclave.v1.", reviewer->name(),
      " service, with health and reflection) and over NATS JetStream (durable consumer '",
      reviewer->name(), "' on conclave.task.", reviewer->name(),
      ".>), with /metrics and /healthz over HTTP, until SIGTERM."));
  ServerOptions o;
  DefineProcessFlags(flags, &o.process);
  flags.Int("workers", &o.workers, "CONCLAVE_WORKERS", "Bus worker threads in this replica.");
  flags.Duration("ack_wait", &o.ack_wait, "CONCLAVE_ACK_WAIT",
                 "A task not acked within this time is redelivered to another replica.");
  flags.Int("max_deliver", &o.max_deliver, "CONCLAVE_MAX_DELIVER",
            "Deliveries of one task before it is dead-lettered.");
  flags.Bool("bus", &o.bus, "CONCLAVE_BUS", "Consume tasks from NATS (--nobus: gRPC only).");
  flags.Duration("chaos_delay", &o.chaos_delay, "CONCLAVE_CHAOS_DELAY",
                 "Fault injection for tests: sleep this long before each bus review.");
  auto args = flags.Parse(argc, argv);
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (!args.ok()) {
    std::cerr << program << ": " << args.status().message() << "\n";
    return 2;
  }
  if (!args->empty() && !(args->size() == 1 && (*args)[0] == "serve")) {
    std::cerr << program << ": unexpected argument '" << (*args)[0] << "' (see --help)\n";
    return 2;
  }
  if (absl::Status s = log::InitLogging({program, o.process.log_format, o.process.log_level});
      !s.ok()) {
    std::cerr << program << ": " << s.message() << "\n";
    return 2;
  }
  InstallShutdownSignals();
  return Serve(std::move(reviewer), o);
}

}  // namespace conclave::runtime
