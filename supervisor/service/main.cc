// conclave-supervisor: the client-facing gRPC API, consensus and audit log of Conclave.
//
// Threading model: gRPC's thread pool serves the API; one thread pulls reviewer results from
// the bus (durable consumer "supervisor"); one timer thread decides changes past their
// deadline and retries failed dispatches; NATS.c's own thread delivers dead-letter
// advisories, which are queued for the timer thread. All state lives in ChangeManager.
#include <filesystem>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/bus/topology.h"
#include "common/flags/flags.h"
#include "common/grpc/server.h"
#include "common/log/log.h"
#include "common/metrics/http_endpoint.h"
#include "common/runtime/process_options.h"
#include "common/runtime/signals.h"
#include "supervisor/core/audit_log.h"
#include "supervisor/core/policy.h"
#include "supervisor/service/change_manager.h"
#include "supervisor/service/supervisor_service.h"

namespace conclave::supervisor {
namespace {

struct Options {
  runtime::ProcessOptions process;
  std::string data_dir = "var/supervisor";
  std::string policy = "deploy/local/policy.yaml";
  absl::Duration tick = absl::Milliseconds(100);
  absl::Duration result_ack_wait = absl::Seconds(30);
};

absl::StatusOr<std::unique_ptr<bus::Bus>> ConnectWithRetry(const std::string& url) {
  bus::NatsOptions options;
  options.url = url;
  options.name = "conclave-supervisor";
  while (true) {
    auto bus = bus::ConnectNats(options);
    if (bus.ok()) return bus;
    spdlog::warn("cannot reach NATS at {} ({}); retrying", url, bus.status().message());
    if (runtime::WaitForShutdownFor(absl::Seconds(1))) return bus.status();
  }
}

void ResultLoop(bus::PullConsumer* consumer, ChangeManager* manager) {
  while (!runtime::ShutdownRequested()) {
    auto batch = consumer->Fetch(32, absl::Milliseconds(250));
    if (!batch.ok()) {
      spdlog::warn("fetching results failed: {}", batch.status().ToString());
      runtime::WaitForShutdownFor(absl::Milliseconds(500));
      continue;
    }
    for (auto& delivery : *batch) {
      if (absl::Status s = manager->HandleResult(delivery->message()); s.ok()) {
        (void)delivery->Ack();
      } else {
        (void)delivery->Nak(absl::Seconds(1));
      }
    }
  }
}

int Run(const Options& o) {
  auto policy = Policy::LoadFile(o.policy);
  if (!policy.ok()) {
    spdlog::critical("cannot load policy: {}", policy.status().ToString());
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(o.data_dir, ec);
  auto store = store::OpenRocksDbStore(o.data_dir, ChangeManager::StoreFamilies());
  if (!store.ok()) {
    spdlog::critical("cannot open the store: {}", store.status().ToString());
    return 1;
  }
  auto audit = AuditLog::Open(store->get(), RealClock());
  if (!audit.ok()) {
    spdlog::critical("cannot open the audit log: {}", audit.status().ToString());
    return 1;
  }
  (void)(*audit)->Append("", "supervisor_started", "supervisor",
                         absl::StrCat("{\"policy_version\":\"", policy->version(), "\"}"));
  auto bus = ConnectWithRetry(o.process.nats_url);
  if (!bus.ok()) return runtime::ShutdownRequested() ? 0 : 1;
  if (absl::Status s = bus::EnsureTopology(**bus); !s.ok()) {
    spdlog::critical("cannot set up the streams: {}", s.ToString());
    return 1;
  }
  auto consumer = (*bus)->CreatePullConsumer(bus::ResultConsumerSpec(o.result_ack_wait, 10));
  if (!consumer.ok()) {
    spdlog::critical("cannot set up the result consumer: {}", consumer.status().ToString());
    return 1;
  }
  metrics::Registry registry;
  ChangeManager manager(store->get(), audit->get(), bus->get(), &*policy, RealClock(), &registry);
  if (absl::Status s = manager.Resume(); !s.ok()) {
    spdlog::critical("cannot resume undecided changes: {}", s.ToString());
    return 1;
  }
  auto dead_letters = bus::WatchDeadLetters(
      **bus, [&manager](const bus::DeadLetter& d) { manager.HandleDeadLetter(d); });
  if (!dead_letters.ok()) {
    spdlog::critical("cannot watch dead letters: {}", dead_letters.status().ToString());
    return 1;
  }
  std::thread results(ResultLoop, consumer->get(), &manager);
  std::thread timer([&manager, tick = o.tick] {
    while (!runtime::WaitForShutdownFor(tick)) manager.Tick();
  });
  SupervisorService service(&manager, audit->get());
  auto grpc_server = grpcutil::GrpcServer::Start(o.process.grpc_addr, {&service});
  bus::Bus* bus_ptr = bus->get();
  auto http = grpc_server.ok()
                  ? metrics::HttpEndpoint::Start(o.process.http_addr, &registry,
                                                 [bus_ptr] {
                                                   return bus_ptr->Connected()
                                                              ? absl::OkStatus()
                                                              : absl::UnavailableError(
                                                                    "not connected to NATS");
                                                 })
                  : absl::StatusOr<std::unique_ptr<metrics::HttpEndpoint>>(grpc_server.status());
  int code = 0;
  if (!http.ok()) {
    spdlog::critical("{}", http.status().ToString());
    runtime::RequestShutdown();
    code = 1;
  } else {
    if (!o.process.addr_file.empty()) {
      if (absl::Status s = runtime::WriteAddressFile(o.process.addr_file,
                                                     (*grpc_server)->address(), (*http)->address());
          !s.ok()) {
        spdlog::error("{}", s.ToString());
      }
    }
    spdlog::info("supervisor serving: grpc {} http {} nats {} policy {} data {}",
                 (*grpc_server)->address(), (*http)->address(), o.process.nats_url,
                 policy->version(), o.data_dir);
    runtime::WaitForShutdown();
    spdlog::info("shutting down");
    manager.CloseWatchers();
    (*grpc_server)->Shutdown(absl::Seconds(5));
    (*http)->Stop();
  }
  results.join();
  timer.join();
  dead_letters->reset();
  spdlog::info("stopped");
  return code;
}

}  // namespace
}  // namespace conclave::supervisor

int main(int argc, char** argv) {
  using namespace conclave;
  flags::FlagSet flags("conclave-supervisor",
                       "[flags]\n\nServes the conclave.v1.Supervisor gRPC API: accepts changes, "
                       "fans reviews out over NATS JetStream,\ndecides by the weighted consensus "
                       "of the policy file, and keeps state and a hash-chained\naudit log in "
                       "RocksDB. Undecided changes are resumed after a restart.");
  supervisor::Options o;
  runtime::DefineProcessFlags(flags, &o.process);
  flags.String("data_dir", &o.data_dir, "CONCLAVE_DATA_DIR", "RocksDB directory (created).");
  flags.String("policy", &o.policy, "CONCLAVE_POLICY", "Policy YAML file (see docs/POLICY.md).");
  flags.Duration("tick", &o.tick, "CONCLAVE_TICK",
                 "How often deadlines are checked and failed dispatches retried.");
  flags.Duration("result_ack_wait", &o.result_ack_wait, "CONCLAVE_RESULT_ACK_WAIT",
                 "A result not acked within this time is redelivered.");
  auto args = flags.Parse(argc, argv);
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (!args.ok() || !args->empty()) {
    std::cerr << "conclave-supervisor: "
              << (args.ok() ? "unexpected argument '" + (*args)[0] + "'"
                            : std::string(args.status().message()))
              << " (see --help)\n";
    return 2;
  }
  if (absl::Status s = log::InitLogging({"conclave-supervisor", o.process.log_format,
                                         o.process.log_level});
      !s.ok()) {
    std::cerr << "conclave-supervisor: " << s.message() << "\n";
    return 2;
  }
  runtime::InstallShutdownSignals();
  return supervisor::Run(o);
}
