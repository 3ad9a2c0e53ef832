// DeliverySystem: the whole progressive-delivery path started for a test or a benchmark, as
// real processes on free loopback ports in a fresh temporary directory: nats-server
// (JetStream), conclave-supervisor, the three reviewers, conclave-metrics, conclave-devops
// (haproxy driver, service "demo": v1 -> server stable, v2 -> server canary), a real HAProxy
// from deploy/local/haproxy.cfg.in, and conclave-demo-service v1 (stable) and v2 (canary, with
// injected errors or latency when asked), both reporting samples over the bus, and, when
// asked, a real Prometheus scraping HAProxy's exporter for a PromQL judge. LoadGenerator
// sends steady HTTP traffic through HAProxy from background threads and keeps every answer.
// Destruction stops everything. DeliverySystem is not thread-safe (one test thread drives
// it); LoadGenerator is.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "conclave/v1/supervisor.grpc.pb.h"
#include "tests/support/nats_server.h"
#include "tests/support/subprocess.h"

namespace conclave::testing {

// One answer seen by the load generator.
struct LoadSample {
  absl::Time sent;
  absl::Time received;
  // X-Version of the answer; empty when no HTTP answer came back.
  std::string version;
  // HTTP status; 0 when the request failed.
  int status = 0;
};

// Steady GET / traffic at `rps` requests a second through `port`, spread over `threads`
// connections each paced on its own schedule (a slow answer delays only its own thread).
class LoadGenerator {
 public:
  LoadGenerator(int port, int rps, int threads);
  ~LoadGenerator();
  void Stop();

  std::vector<LoadSample> Samples() const;
  // Answers received at or after `since`, counted by X-Version ("error" for no answer).
  std::map<std::string, int> CountsSince(absl::Time since) const;

 private:
  void Run(int index);

  const int port_;
  const int threads_count_;
  const absl::Duration period_;
  std::atomic<bool> stop_{false};
  mutable absl::Mutex mu_;
  std::vector<LoadSample> samples_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
};

struct DeliveryOptions {
  // The whole policy file; empty: DeliveryTestPolicy().
  std::string policy_yaml;
  // conclave-metrics config; empty: DemoMetricsConfig().
  std::string metrics_yaml;
  // Start conclave-metrics without --config: the judge's built-in defaults.
  bool judge_defaults = false;
  double canary_error_rate = 0;
  int canary_latency_ms = 0;
  // Also start a real Prometheus (/usr/bin/prometheus, $CONCLAVE_PROMETHEUS) scraping
  // HAProxy's exporter every second, and judge through PromQL instead of the bus samples:
  // metrics_yaml is then PrometheusMetricsConfig(its URL).
  bool prometheus = false;
};

// Three required reviewers in every environment; prod rolls out automatically through
// `steps` with `step_hold` holds judged every second.
std::string DeliveryTestPolicy(const std::string& steps = "[20, 50, 100]",
                               const std::string& step_hold = "4s");
// conclave-metrics config for service "demo": the judge's default metrics (error rate with its
// 5 % gate and +0.5 point tolerance, p95 and p99) with wider absolute latency floors than the
// built-in 1 ms (+5 ms p95, +10 ms p99). The demo answers in microseconds, and on a loaded
// 2-core CI machine a healthy canary's p95 can move by a millisecond when a thread waits for a
// core; these tests are about delivery, not about the judge's margins.
std::string DemoMetricsConfig();
// conclave-metrics config judging service "demo" through PromQL on HAProxy's exporter: the
// error rate of each version's server (5xx answers / all answers), gate 5 %. Prometheus maps
// HAProxy's server label onto the version (stable -> v1, canary -> v2) when it scrapes.
std::string PrometheusMetricsConfig(const std::string& prometheus_url);
// The shipped deploy/local/policy.yaml (default rollout settings).
std::string ShippedPolicy();

class DeliverySystem {
 public:
  static absl::StatusOr<std::unique_ptr<DeliverySystem>> Start(const DeliveryOptions& options);
  ~DeliverySystem();

  // Starts steady load through HAProxy (replacing any running one).
  void StartLoad(int rps, int threads = 4);
  void StopLoad();
  LoadGenerator* load() { return load_.get(); }

  // Submits examples/clean-change for service "demo" in `environment` with the versions.
  absl::StatusOr<std::string> SubmitCleanChange(const std::string& version,
                                                const std::string& base_version,
                                                const std::string& environment = "prod");
  // The rollout the change started, waiting up to `timeout` for it to appear.
  absl::StatusOr<conclave::v1::Rollout> WaitForRolloutOf(const std::string& change_id,
                                                         absl::Duration timeout);
  absl::StatusOr<conclave::v1::Rollout> GetRollout(const std::string& rollout_id);
  // Polls GetRollout every 50 ms until `done` holds; `observe` (optional) sees every poll.
  absl::StatusOr<conclave::v1::Rollout> WaitForRollout(
      const std::string& rollout_id, const std::function<bool(const conclave::v1::Rollout&)>& done,
      absl::Duration timeout,
      const std::function<void(const conclave::v1::Rollout&)>& observe = nullptr);
  absl::Status SetKillSwitch(bool engaged);

  // Stops the supervisor (kill -9 when `hard`) and starts it on the same data directory.
  absl::Status RestartSupervisor(bool hard);
  conclave::v1::Supervisor::Stub& stub() { return *stub_; }
  // The supervisor's Prometheus text (/metrics).
  absl::StatusOr<std::string> SupervisorMetrics() const;

  // HAProxy's own runtime weight of demo/<server> ("get weight"), independent of the devops
  // agent's code.
  absl::StatusOr<int> HaproxyWeight(const std::string& server) const;
  absl::StatusOr<std::string> RuntimeCommand(const std::string& command) const;

  const std::string& dir() const { return dir_; }
  // Every process's log, for failure messages.
  std::string Logs() const;

 private:
  DeliverySystem() = default;
  absl::Status StartDemo(const std::string& version, const std::vector<std::string>& extra,
                         int* port);
  absl::Status StartHaproxy(int stable_port, int canary_port);
  // Starts Prometheus scraping HAProxy's stats frontend; returns its URL.
  absl::StatusOr<std::string> StartPrometheus();
  absl::Status StartAgent(const std::string& binary, std::vector<std::string> args,
                          const std::string& name);
  absl::Status StartSupervisor();

  std::string dir_;
  std::string socket_path_;
  int frontend_port_ = 0;
  int stats_port_ = 0;
  std::string supervisor_http_;
  std::unique_ptr<NatsServer> nats_;
  // Stopped in reverse order of start.
  std::vector<std::unique_ptr<Subprocess>> processes_;
  std::unique_ptr<Subprocess> supervisor_;
  std::unique_ptr<conclave::v1::Supervisor::Stub> stub_;
  std::unique_ptr<LoadGenerator> load_;
};

}  // namespace conclave::testing
