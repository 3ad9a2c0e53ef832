// conclave-supervisor: the client-facing gRPC API, consensus, rollouts and audit log of
// Conclave.
//
// Threading model: gRPC's thread pool serves the API; one thread pulls results from the bus
// (durable consumer "supervisor") and hands reviewer results to ChangeManager and devops /
// metrics results to AgentCalls, whose callers wait for them; one timer thread decides changes
// past their deadline and retries failed dispatches; one rollout thread ticks the
// RolloutController (judgments, steps, rollbacks, retries), blocking on its agent calls;
// NATS.c's own thread delivers dead-letter advisories, which are queued for the timer thread.
// Change state lives in ChangeManager, rollout state in RolloutController.
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
#include "supervisor/rollout/agent_calls.h"
#include "supervisor/rollout/agent_clients.h"
#include "supervisor/rollout/rollout_controller.h"
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
  bool rollouts = true;
  absl::Duration rollout_tick = absl::Milliseconds(100);
};

std::vector<std::string> StoreFamilies() {
  std::vector<std::string> families = ChangeManager::StoreFamilies();
  for (const std::string& f : RolloutController::StoreFamilies()) families.push_back(f);
  return families;
}

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

// Devops and metrics results answer the supervisor's own calls; every other result is a review.
void ResultLoop(bus::PullConsumer* consumer, ChangeManager* manager, AgentCalls* calls) {
  while (!runtime::ShutdownRequested()) {
    auto batch = consumer->Fetch(32, absl::Milliseconds(250));
    if (!batch.ok()) {
      spdlog::warn("fetching results failed: {}", batch.status().ToString());
      runtime::WaitForShutdownFor(absl::Milliseconds(500));
      continue;
    }
    for (auto& delivery : *batch) {
      if (AgentCalls::IsAgentResult(delivery->message().subject)) {
        calls->Deliver(delivery->message());  // a late answer is dropped: nobody waits for it
        (void)delivery->Ack();
        continue;
      }
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
  auto store = store::OpenRocksDbStore(o.data_dir, StoreFamilies());
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
  AgentCalls agent_calls(bus->get(), &registry);
  std::unique_ptr<TrafficClient> traffic = NewBusTrafficClient(&agent_calls);
  std::unique_ptr<CanaryJudge> judge = NewBusCanaryJudge(&agent_calls);
  RolloutController rollouts(store->get(), audit->get(), &*policy, traffic.get(), judge.get(),
                             RealClock(), &registry);
  ChangeManager manager(store->get(), audit->get(), bus->get(), &*policy, RealClock(), &registry);
  if (o.rollouts) {
    if (absl::Status s = rollouts.Resume(); !s.ok()) {
      spdlog::critical("cannot resume rollouts in flight: {}", s.ToString());
      return 1;
    }
    manager.SetApprovedChangeHook([&rollouts](const conclave::v1::ChangeRecord& change) {
      absl::StatusOr<conclave::v1::Rollout> started = rollouts.Start(change);
      if (!started.ok()) spdlog::warn("no rollout: {}", started.status().message());
    });
  } else {
    spdlog::warn("rollouts are off (--rollouts=false): approved changes are not rolled out");
  }
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
  std::thread results(ResultLoop, consumer->get(), &manager, &agent_calls);
  std::thread timer([&manager, tick = o.tick] {
    while (!runtime::WaitForShutdownFor(tick)) manager.Tick();
  });
  std::thread rollout_timer([&rollouts, &o] {
    if (!o.rollouts) return;
    while (!runtime::WaitForShutdownFor(o.rollout_tick)) rollouts.Tick();
  });
  SupervisorService service(&manager, audit->get(), o.rollouts ? &rollouts : nullptr);
  auto grpc_server = grpcutil::GrpcServer::Start(o.process.grpc_addr, {&service});
  bus::Bus* bus_ptr = bus->get();
  auto http = grpc_server.ok()
                  ? metrics::HttpEndpoint::Start(
                        o.process.http_addr, &registry,
                        [bus_ptr] {
                          return bus_ptr->Connected()
                                     ? absl::OkStatus()
                                     : absl::UnavailableError("not connected to NATS");
                        })
                  : absl::StatusOr<std::unique_ptr<metrics::HttpEndpoint>>(grpc_server.status());
  int code = 0;
  if (!http.ok()) {
    spdlog::critical("{}", http.status().ToString());
    runtime::RequestShutdown();
    code = 1;
  } else {
    if (!o.process.addr_file.empty()) {
      if (absl::Status s = runtime::WriteAddressFile(o.process.addr_file, (*grpc_server)->address(),
                                                     (*http)->address());
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
    rollouts.CloseWatchers();
    (*grpc_server)->Shutdown(absl::Seconds(5));
    (*http)->Stop();
  }
  results.join();
  timer.join();
  rollout_timer.join();
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
                       "of the policy file, rolls approved changes with a version out\nstep by "
                       "step behind a canary judged by conclave-metrics (traffic moved by "
                       "conclave-devops),\nrolls back on FAIL, and keeps state and a "
                       "hash-chained audit log in RocksDB. Undecided changes\nand rollouts in "
                       "flight are resumed after a restart (docs/ROLLOUTS.md).");
  supervisor::Options o;
  runtime::DefineProcessFlags(flags, &o.process);
  flags.String("data_dir", &o.data_dir, "CONCLAVE_DATA_DIR", "RocksDB directory (created).");
  flags.String("policy", &o.policy, "CONCLAVE_POLICY", "Policy YAML file (see docs/POLICY.md).");
  flags.Duration("tick", &o.tick, "CONCLAVE_TICK",
                 "How often deadlines are checked and failed dispatches retried.");
  flags.Duration("result_ack_wait", &o.result_ack_wait, "CONCLAVE_RESULT_ACK_WAIT",
                 "A result not acked within this time is redelivered.");
  flags.Bool("rollouts", &o.rollouts, "CONCLAVE_ROLLOUTS",
             "Roll approved changes that carry a version out (steps, holds and modes come from "
             "the policy's rollout section). false: review only; the rollout RPCs answer "
             "UNIMPLEMENTED.");
  flags.Duration("rollout_tick", &o.rollout_tick, "CONCLAVE_ROLLOUT_TICK",
                 "How often the rollout controller looks for due judgments, ended holds and "
                 "traffic moves to retry.");
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
  if (absl::Status s =
          log::InitLogging({"conclave-supervisor", o.process.log_format, o.process.log_level});
      !s.ok()) {
    std::cerr << "conclave-supervisor: " << s.message() << "\n";
    return 2;
  }
  runtime::InstallShutdownSignals();
  return supervisor::Run(o);
}
