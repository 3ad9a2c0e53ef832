#include "tests/integration/delivery/delivery_system.h"

#include <httplib.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/grpc/server.h"

namespace conclave::testing {
namespace fs = std::filesystem;
namespace v1 = conclave::v1;

namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

std::string Bin(const std::string& name) {
  return absl::StrCat(EnvOr("CONCLAVE_BIN_DIR", "build/bin"), "/", name);
}

std::string SourceDir() { return EnvOr("CONCLAVE_SOURCE_DIR", "."); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::StatusOr<int> WaitForPortFile(const std::string& path, Subprocess& process,
                                    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    int port = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadFile(path)), &port) && port > 0) {
      return port;
    }
    if (!process.Running()) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat("no port in ", path, "; log: ", process.Log()));
}

// host:port -> (host, port).
std::pair<std::string, int> SplitAddress(const std::string& address) {
  const size_t colon = address.rfind(':');
  int port = 0;
  (void)absl::SimpleAtoi(address.substr(colon + 1), &port);
  return {address.substr(0, colon), port};
}

std::string EnvironmentYaml(const std::string& env, const std::string& rollout) {
  return absl::StrCat(
      "  ", env, ":\n", "    voters:\n", "      security: {weight: 1.0, required: true}\n",
      "      performance: {weight: 1.0, required: true}\n",
      "      architecture: {weight: 1.0, required: true}\n",
      "    approval_share: 0.6667\n    reject_min_confidence: 0.8\n", "    review_deadline: 30s\n",
      "    auto_rollout: {min_confidence: 0.85, max_risk: 5, max_complexity: 8}\n",
      "    rollout: ", rollout, "\n");
}

}  // namespace

// ---- LoadGenerator ----

LoadGenerator::LoadGenerator(int port, int rps, int threads)
    : port_(port), threads_count_(threads), period_(absl::Seconds(1) * threads / rps) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this, i] { Run(i); });
}

LoadGenerator::~LoadGenerator() { Stop(); }

void LoadGenerator::Stop() {
  stop_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void LoadGenerator::Run(int index) {
  httplib::Client client("127.0.0.1", port_);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(5, 0);
  // Threads start spread over one period so the load is even.
  absl::Time next = absl::Now() + period_ * index / threads_count_;
  while (!stop_) {
    const absl::Time now = absl::Now();
    if (next > now) absl::SleepFor(next - now);
    next += period_;
    if (absl::Now() > next + absl::Seconds(1)) next = absl::Now();  // fell far behind
    LoadSample sample;
    sample.sent = absl::Now();
    auto result = client.Get("/");
    sample.received = absl::Now();
    if (result) {
      sample.status = result->status;
      sample.version = result->get_header_value("X-Version");
    }
    absl::MutexLock lock(&mu_);
    samples_.push_back(std::move(sample));
  }
}

std::vector<LoadSample> LoadGenerator::Samples() const {
  absl::MutexLock lock(&mu_);
  return samples_;
}

std::map<std::string, int> LoadGenerator::CountsSince(absl::Time since) const {
  absl::MutexLock lock(&mu_);
  std::map<std::string, int> counts;
  for (const LoadSample& s : samples_) {
    if (s.received < since) continue;
    ++counts[s.status == 0 ? "error" : s.version];
  }
  return counts;
}

// ---- policies ----

std::string DeliveryTestPolicy(const std::string& steps, const std::string& step_hold) {
  const std::string automatic =
      absl::StrCat("{mode: automatic, steps: ", steps, ", step_hold: ", step_hold,
                   ", judge_interval: 1s, agent_timeout: 5s, max_action_attempts: 5}");
  return absl::StrCat(
      "version: \"delivery-test\"\nenvironments:\n",
      EnvironmentYaml("dev", absl::StrReplaceAll(automatic, {{"automatic", "dry_run"}})),
      EnvironmentYaml("staging",
                      absl::StrReplaceAll(automatic, {{"automatic", "manual_promotion"}})),
      EnvironmentYaml("prod", automatic));
}

std::string DemoMetricsConfig() {
  return "services:\n"
         "  demo:\n"
         "    metrics:\n"
         "      - {name: error_rate, absolute_max: 0.05, max_absolute_increase: 0.005}\n"
         "      - {name: latency_p95, absolute_max: 800, max_relative_increase: 0.05,\n"
         "         max_absolute_increase: 5}\n"
         "      - {name: latency_p99, max_relative_increase: 0.10, max_absolute_increase: 10}\n";
}

std::string PrometheusMetricsConfig(const std::string& prometheus_url) {
  const std::string responses =
      "haproxy_server_http_responses_total{proxy=\"demo\",version=\"{{version}}\"";
  return absl::StrCat("prometheus: {url: '", prometheus_url, "', timeout: 5s, step: 1s}\n",
                      "services:\n  demo:\n    source: prometheus\n    metrics:\n",
                      "      - name: error_rate\n", "        query: 'sum(increase(", responses,
                      ",code=\"5xx\"}[{{window}}]))", " / sum(increase(", responses,
                      "}[{{window}}]))'\n", "        samples_query: 'sum(increase(", responses,
                      "}[{{window}}]))'\n", "        absolute_max: 0.05\n");
}

std::string ShippedPolicy() { return ReadFile(SourceDir() + "/deploy/local/policy.yaml"); }

// ---- DeliverySystem ----

absl::StatusOr<std::unique_ptr<DeliverySystem>> DeliverySystem::Start(
    const DeliveryOptions& options) {
  std::unique_ptr<DeliverySystem> sys(new DeliverySystem());
  std::string templ = (fs::temp_directory_path() / "conclave-rollout-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  sys->dir_ = templ;
  sys->socket_path_ = sys->dir_ + "/admin.sock";
  std::ofstream(sys->dir_ + "/policy.yaml")
      << (options.policy_yaml.empty() ? DeliveryTestPolicy() : options.policy_yaml);
  auto nats = NatsServer::Start();
  if (!nats.ok()) return nats.status();
  sys->nats_ = std::move(*nats);

  int stable_port = 0, canary_port = 0;
  if (auto s = sys->StartDemo("v1", {}, &stable_port); !s.ok()) return s;
  std::vector<std::string> canary_flags;
  if (options.canary_error_rate > 0) {
    canary_flags = {"--error_rate", absl::StrCat(options.canary_error_rate)};
  }
  if (options.canary_latency_ms > 0) {
    canary_flags.insert(canary_flags.end(),
                        {"--latency_ms", absl::StrCat(options.canary_latency_ms)});
  }
  if (auto s = sys->StartDemo("v2", canary_flags, &canary_port); !s.ok()) return s;
  if (auto s = sys->StartHaproxy(stable_port, canary_port); !s.ok()) return s;

  std::string metrics_yaml =
      options.metrics_yaml.empty() ? DemoMetricsConfig() : options.metrics_yaml;
  if (options.prometheus) {
    auto url = sys->StartPrometheus();
    if (!url.ok()) return url.status();
    metrics_yaml = PrometheusMetricsConfig(*url);
  }
  std::ofstream(sys->dir_ + "/metrics.yaml") << metrics_yaml;
  std::vector<std::string> metrics_args = {"--config", sys->dir_ + "/metrics.yaml"};
  if (options.judge_defaults && !options.prometheus) metrics_args.clear();
  if (auto s = sys->StartAgent("conclave-metrics", metrics_args, "metrics"); !s.ok()) return s;
  std::ofstream(sys->dir_ + "/devops.yaml")
      << "driver: haproxy\nhaproxy:\n  runtime_api: unix@" << sys->socket_path_
      << "\n  timeout: 2s\n  services:\n    demo:\n      backend: demo\n"
      << "      servers: {v1: stable, v2: canary}\n";
  if (auto s =
          sys->StartAgent("conclave-devops", {"--config", sys->dir_ + "/devops.yaml"}, "devops");
      !s.ok()) {
    return s;
  }
  for (const char* reviewer : {"security", "performance", "architecture"}) {
    if (auto s = sys->StartAgent(absl::StrCat("conclave-", reviewer), {"serve"}, reviewer);
        !s.ok()) {
      return s;
    }
  }
  if (auto s = sys->StartSupervisor(); !s.ok()) return s;
  return sys;
}

DeliverySystem::~DeliverySystem() {
  load_.reset();
  if (supervisor_) supervisor_->Terminate(absl::Seconds(5));
  while (!processes_.empty()) {
    processes_.back()->Terminate(absl::Seconds(5));
    processes_.pop_back();
  }
  nats_.reset();
  std::error_code ec;
  if (std::getenv("CONCLAVE_KEEP_TEST_DIRS") == nullptr) fs::remove_all(dir_, ec);
}

absl::Status DeliverySystem::StartDemo(const std::string& version,
                                       const std::vector<std::string>& extra, int* port) {
  const std::string port_file = absl::StrCat(dir_, "/demo-", version, ".port");
  std::vector<std::string> args = {"--service",   "demo",       "--version",   version,
                                   "--nats_url",  nats_->url(), "--port_file", port_file,
                                   "--log_level", "warn"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto process = Subprocess::Spawn(Bin("conclave-demo-service"), args,
                                   absl::StrCat(dir_, "/demo-", version, ".log"));
  if (!process.ok()) return process.status();
  auto p = WaitForPortFile(port_file, **process, absl::Seconds(15));
  processes_.push_back(std::move(*process));
  if (!p.ok()) return p.status();
  *port = *p;
  return absl::OkStatus();
}

absl::Status DeliverySystem::StartHaproxy(int stable_port, int canary_port) {
  auto frontend = PickFreePort();
  auto stats = PickFreePort();
  if (!frontend.ok() || !stats.ok()) return absl::InternalError("no free port");
  frontend_port_ = *frontend;
  stats_port_ = *stats;
  const std::string tmpl = ReadFile(SourceDir() + "/deploy/local/haproxy.cfg.in");
  if (tmpl.empty()) return absl::NotFoundError("cannot read deploy/local/haproxy.cfg.in");
  std::ofstream(dir_ + "/haproxy.cfg")
      << absl::StrReplaceAll(tmpl, {{"@ADMIN_SOCKET@", socket_path_},
                                    {"@FRONTEND_PORT@", absl::StrCat(*frontend)},
                                    {"@STABLE_PORT@", absl::StrCat(stable_port)},
                                    {"@CANARY_PORT@", absl::StrCat(canary_port)},
                                    {"@STATS_PORT@", absl::StrCat(*stats)}});
  auto haproxy = Subprocess::Spawn(EnvOr("CONCLAVE_HAPROXY", "/usr/sbin/haproxy"),
                                   {"-db", "-f", dir_ + "/haproxy.cfg"}, dir_ + "/haproxy.log");
  if (!haproxy.ok()) return haproxy.status();
  processes_.push_back(std::move(*haproxy));
  // Both servers UP (srv_op_state 2) before any traffic is sent.
  const absl::Time deadline = absl::Now() + absl::Seconds(15);
  std::string last;
  while (absl::Now() < deadline) {
    auto state = RuntimeCommand("show servers state demo");
    if (state.ok()) {
      last = *state;
      if (last.find(" stable 127.0.0.1 2 ") != std::string::npos &&
          last.find(" canary 127.0.0.1 2 ") != std::string::npos) {
        return absl::OkStatus();
      }
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("HAProxy servers not UP: ", last, "; log: ", processes_.back()->Log()));
}

absl::StatusOr<std::string> DeliverySystem::StartPrometheus() {
  auto port = PickFreePort();
  if (!port.ok()) return port.status();
  std::ofstream(dir_ + "/prometheus.yml")
      << "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
      << "scrape_configs:\n  - job_name: haproxy\n"
      << "    static_configs: [{targets: ['127.0.0.1:" << stats_port_ << "']}]\n"
      << "    metric_relabel_configs:\n"
      << "      - {source_labels: [proxy, server], regex: 'demo;stable', target_label: version,"
      << " replacement: v1}\n"
      << "      - {source_labels: [proxy, server], regex: 'demo;canary', target_label: version,"
      << " replacement: v2}\n";
  auto process = Subprocess::Spawn(
      EnvOr("CONCLAVE_PROMETHEUS", "/usr/bin/prometheus"),
      {"--config.file=" + dir_ + "/prometheus.yml", "--storage.tsdb.path=" + dir_ + "/prometheus",
       absl::StrCat("--web.listen-address=127.0.0.1:", *port)},
      dir_ + "/prometheus.log");
  if (!process.ok()) return process.status();
  processes_.push_back(std::move(*process));
  httplib::Client client("127.0.0.1", *port);
  client.set_connection_timeout(1, 0);
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline && processes_.back()->Running()) {
    auto ready = client.Get("/-/ready");
    if (ready && ready->status == 200) return absl::StrCat("http://127.0.0.1:", *port);
    absl::SleepFor(absl::Milliseconds(100));
  }
  return absl::UnavailableError(
      absl::StrCat("prometheus did not become ready: ", processes_.back()->Log()));
}

absl::Status DeliverySystem::StartAgent(const std::string& binary, std::vector<std::string> args,
                                        const std::string& name) {
  const std::string addr_file = absl::StrCat(dir_, "/", name, ".json");
  args.insert(args.end(), {"--nats_url", nats_->url(), "--addr_file", addr_file});
  auto process = Subprocess::Spawn(Bin(binary), args, absl::StrCat(dir_, "/", name, ".log"));
  if (!process.ok()) return process.status();
  processes_.push_back(std::move(*process));
  auto grpc = WaitForAddressFile(addr_file, "grpc", absl::Seconds(30));
  if (!grpc.ok()) {
    return absl::UnavailableError(absl::StrCat(name, " did not start: ", processes_.back()->Log()));
  }
  return absl::OkStatus();
}

absl::Status DeliverySystem::StartSupervisor() {
  const std::string addr_file = dir_ + "/supervisor.json";
  std::error_code ec;
  fs::remove(addr_file, ec);
  auto process = Subprocess::Spawn(
      Bin("conclave-supervisor"),
      {"--nats_url", nats_->url(), "--data_dir", dir_ + "/data", "--policy", dir_ + "/policy.yaml",
       "--addr_file", addr_file, "--tick", "50ms", "--rollout_tick", "50ms"},
      dir_ + "/supervisor.log");
  if (!process.ok()) return process.status();
  supervisor_ = std::move(*process);
  auto grpc = WaitForAddressFile(addr_file, "grpc", absl::Seconds(30));
  auto http = WaitForAddressFile(addr_file, "http", absl::Seconds(5));
  if (!grpc.ok() || !http.ok()) {
    return absl::UnavailableError(absl::StrCat("supervisor did not start: ", supervisor_->Log()));
  }
  supervisor_http_ = *http;
  stub_ = v1::Supervisor::NewStub(grpcutil::NewChannel(*grpc));
  return absl::OkStatus();
}

absl::Status DeliverySystem::RestartSupervisor(bool hard) {
  if (hard) {
    supervisor_->Kill();
  } else {
    supervisor_->Terminate();
  }
  // Keep the killed process's log next to the new one.
  std::error_code ec;
  fs::rename(dir_ + "/supervisor.log",
             absl::StrCat(dir_, "/supervisor-", absl::ToUnixMillis(absl::Now()), ".log"), ec);
  return StartSupervisor();
}

void DeliverySystem::StartLoad(int rps, int threads) {
  load_ = std::make_unique<LoadGenerator>(frontend_port_, rps, threads);
}

void DeliverySystem::StopLoad() {
  if (load_) load_->Stop();
}

absl::StatusOr<std::string> DeliverySystem::SubmitCleanChange(const std::string& version,
                                                              const std::string& base_version,
                                                              const std::string& environment) {
  v1::SubmitChangeRequest request;
  v1::Change* change = request.mutable_change();
  change->set_target_service("demo");
  change->set_environment(environment);
  change->set_title(absl::StrCat("demo ", base_version, " -> ", version));
  change->set_author("delivery-test");
  change->set_version(version);
  change->set_base_version(base_version);
  const fs::path root = fs::path(SourceDir()) / "examples" / "clean-change";
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    auto* f = change->add_files();
    f->set_path(fs::relative(entry.path(), root).string());
    f->set_content(ReadFile(entry.path().string()));
  }
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  v1::SubmitChangeResponse response;
  grpc::Status s = stub_->SubmitChange(&ctx, request, &response);
  if (!s.ok()) return grpcutil::FromGrpcStatus(s);
  return response.change_id();
}

absl::StatusOr<v1::Rollout> DeliverySystem::WaitForRolloutOf(const std::string& change_id,
                                                             absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::string last = "no answer";
  while (absl::Now() < deadline) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    v1::ListRolloutsRequest request;
    request.set_service("demo");
    v1::ListRolloutsResponse response;
    grpc::Status s = stub_->ListRollouts(&ctx, request, &response);
    if (s.ok()) {
      for (const v1::Rollout& r : response.rollouts()) {
        if (r.change_id() == change_id) return r;
      }
      last = absl::StrCat(response.rollouts_size(), " other rollouts");
    } else {
      last = s.error_message();
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("no rollout for change ", change_id, " (", last, ")"));
}

absl::StatusOr<v1::Rollout> DeliverySystem::GetRollout(const std::string& rollout_id) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  v1::GetRolloutRequest request;
  request.set_rollout_id(rollout_id);
  v1::Rollout rollout;
  grpc::Status s = stub_->GetRollout(&ctx, request, &rollout);
  if (!s.ok()) return grpcutil::FromGrpcStatus(s);
  return rollout;
}

absl::StatusOr<v1::Rollout> DeliverySystem::WaitForRollout(
    const std::string& rollout_id, const std::function<bool(const v1::Rollout&)>& done,
    absl::Duration timeout, const std::function<void(const v1::Rollout&)>& observe) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::StatusOr<v1::Rollout> last = absl::UnavailableError("not polled");
  while (absl::Now() < deadline) {
    last = GetRollout(rollout_id);
    if (last.ok()) {
      if (observe) observe(*last);
      if (done(*last)) return last;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("rollout ", rollout_id, " not there after ", absl::FormatDuration(timeout),
                   "; last: ", last.ok() ? last->DebugString() : last.status().ToString()));
}

absl::Status DeliverySystem::SetKillSwitch(bool engaged) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  v1::SetKillSwitchRequest request;
  request.set_engaged(engaged);
  request.set_actor("delivery-test");
  request.set_reason(engaged ? "test: stop automation" : "test: resume automation");
  v1::KillSwitch response;
  return grpcutil::FromGrpcStatus(stub_->SetKillSwitch(&ctx, request, &response));
}

absl::StatusOr<std::string> DeliverySystem::SupervisorMetrics() const {
  auto [host, port] = SplitAddress(supervisor_http_);
  httplib::Client client(host, port);
  client.set_read_timeout(5, 0);
  auto result = client.Get("/metrics");
  if (!result || result->status != 200) {
    return absl::UnavailableError(absl::StrCat("GET http://", supervisor_http_, "/metrics"));
  }
  return result->body;
}

absl::StatusOr<int> DeliverySystem::HaproxyWeight(const std::string& server) const {
  auto answer = RuntimeCommand(absl::StrCat("get weight demo/", server));
  if (!answer.ok()) return answer.status();
  // "10 (initial 0)"
  int weight = 0;
  std::vector<std::string> words = absl::StrSplit(*answer, ' ');
  if (words.empty() || !absl::SimpleAtoi(words[0], &weight)) {
    return absl::InternalError(absl::StrCat("get weight demo/", server, ": ", *answer));
  }
  return weight;
}

absl::StatusOr<std::string> DeliverySystem::RuntimeCommand(const std::string& command) const {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError("socket failed");
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path_.c_str(), sizeof(addr.sun_path) - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return absl::UnavailableError(absl::StrCat("connect ", socket_path_, ": ", strerror(errno)));
  }
  const std::string line = command + "\n";
  (void)::send(fd, line.data(), line.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  for (ssize_t r; (r = ::recv(fd, buf, sizeof(buf), 0)) > 0;) out.append(buf, r);
  ::close(fd);
  return out;
}

std::string DeliverySystem::Logs() const {
  std::string out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (entry.path().extension() != ".log") continue;
    absl::StrAppend(&out, "==== ", entry.path().filename().string(), "\n",
                    ReadFile(entry.path().string()));
  }
  return out;
}

}  // namespace conclave::testing
