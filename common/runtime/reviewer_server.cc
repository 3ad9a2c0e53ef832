#include "common/runtime/reviewer_server.h"

#include <unistd.h>

#include <algorithm>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/flags/flags.h"
#include "common/log/log.h"
#include "common/runtime/agent_process.h"
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
  AgentBusOptions bus{.workers =
                          static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))};
  absl::Duration chaos_delay = absl::ZeroDuration();
};

int Serve(std::unique_ptr<Reviewer> reviewer, const ServerOptions& o) {
  const std::string name = reviewer->name();
  AgentProcess process({absl::StrCat("conclave-", name), name, "task consumer", "reviews"},
                       o.process, o.bus);
  if (absl::Status prepared = reviewer->Prepare(process.registry()); !prepared.ok()) {
    spdlog::critical("{} reviewer: {}", name, prepared.ToString());
    return 2;
  }
  ReviewHandler handler(reviewer.get(), process.registry(), ReplicaName());
  std::unique_ptr<grpc::Service> service = NewGrpcService(name, &handler);
  if (!service) {
    spdlog::critical("no gRPC service for reviewer '{}'", name);
    return 2;
  }
  std::unique_ptr<BusReviewWorkers> workers;
  return process.Serve({
      .services = {service.get()},
      .start_bus =
          [&](bus::Bus* bus, bus::PullConsumer* consumer) {
            workers = std::make_unique<BusReviewWorkers>(
                &handler, bus, consumer, process.registry(), o.bus.workers, o.chaos_delay);
            workers->Start();
            return absl::OkStatus();
          },
      .stop_bus = [&] { workers->Stop(); },
      .log_serving =
          [&](const std::string& grpc_addr, const std::string& http_addr) {
            spdlog::info("{} reviewer {} serving: grpc {} http {} bus {} ({} workers)", name,
                         reviewer->version(), grpc_addr, http_addr,
                         o.bus.bus ? o.process.nats_url : "off", o.bus.workers);
          },
  });
}

}  // namespace

int RunReviewerServer(std::unique_ptr<Reviewer> reviewer, int argc, char** argv) {
  const std::string program = absl::StrCat("conclave-", reviewer->name());
  flags::FlagSet flags(
      program,
      absl::StrCat(
          "serve [flags]\n\nServes the ", reviewer->name(), " reviewer over gRPC (conclave.v1.",
          reviewer->name(),
          " service, with health and reflection) and over NATS JetStream (durable consumer '",
          reviewer->name(), "' on conclave.task.", reviewer->name(),
          ".>), with /metrics and /healthz over HTTP, until SIGTERM."));
  ServerOptions o;
  DefineProcessFlags(flags, &o.process);
  DefineAgentBusFlags(flags, &o.bus, "Consume tasks from NATS (--nobus: gRPC only).");
  flags.Duration("chaos_delay", &o.chaos_delay, "CONCLAVE_CHAOS_DELAY",
                 "Fault injection for tests: sleep this long before each bus review.");
  reviewer->DefineFlags(flags);
  if (auto exit_code = ParseAgentCommandLine(flags, program, o.process, argc, argv, "serve")) {
    return *exit_code;
  }
  InstallShutdownSignals();
  return Serve(std::move(reviewer), o);
}

}  // namespace conclave::runtime
