// conclave-demo-service: the HTTP service the local delivery demo rolls out. GET / answers
// "hello from <service> <version>" with the header X-Version: <version>, after an injected
// delay (--latency_ms) and failing with 500 for a share of requests (--error_rate), so a bad
// canary can be started on purpose. GET /healthz answers "ok". With --nats_url every request to
// / is reported (latency, outcome) through common/reporter on conclave.metrics.<service>.
//
// Threading model: cpp-httplib's pool of 64 threads serves requests; the reporter publishes
// from its own thread; the main thread waits for SIGTERM/SIGINT and stops the server.
#include <httplib.h>

#include <fstream>
#include <iostream>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/flags/flags.h"
#include "common/log/log.h"
#include "common/reporter/reporter.h"
#include "common/runtime/signals.h"

namespace conclave::demo {
namespace {

constexpr char kProgram[] = "conclave-demo-service";

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string service = "demo";
  std::string version = "v1";
  int latency_ms = 0;
  double error_rate = 0;
  std::string nats_url;
  std::string port_file;
  int threads = 64;
  std::string log_level = "info";
};

void DefineFlags(flags::FlagSet& flags, Options* o) {
  flags.String("host", &o->host, "DEMO_HOST", "Address to listen on.");
  flags.Int("port", &o->port, "DEMO_PORT", "Port to listen on; 0 picks a free one.");
  flags.String("service", &o->service, "DEMO_SERVICE", "Service name reported with samples.");
  flags.String("version", &o->version, "DEMO_VERSION", "Version answered in X-Version.");
  flags.Int("latency_ms", &o->latency_ms, "DEMO_LATENCY_MS", "Delay added to every GET /.");
  flags.Double("error_rate", &o->error_rate, "DEMO_ERROR_RATE",
               "Share of GET / answered 500, 0..1.");
  flags.String("nats_url", &o->nats_url, "CONCLAVE_NATS_URL",
               "Report each request to conclave.metrics.<service> over NATS; empty: off.");
  flags.String("port_file", &o->port_file, "DEMO_PORT_FILE",
               "Write the port listened on to this file once listening.");
  flags.Int("threads", &o->threads, "DEMO_THREADS", "Request-serving threads.");
  flags.String("log_level", &o->log_level, "CONCLAVE_LOG_LEVEL", "debug, info, warn or error.");
}

// Whether this request fails, with probability `rate`.
bool Fails(double rate) {
  if (rate <= 0) return false;
  thread_local std::mt19937_64 rng(std::random_device{}());
  return std::uniform_real_distribution<double>(0, 1)(rng) < rate;
}

void Route(httplib::Server& server, const Options& o, reporter::Reporter* reporter) {
  server.Get("/", [&o, reporter](const httplib::Request&, httplib::Response& res) {
    const absl::Time start = absl::Now();
    if (o.latency_ms > 0) absl::SleepFor(absl::Milliseconds(o.latency_ms));
    const bool ok = !Fails(o.error_rate);
    res.set_header("X-Version", o.version);
    if (ok) {
      res.set_content(absl::StrCat("hello from ", o.service, " ", o.version, "\n"), "text/plain");
    } else {
      res.status = 500;
      res.set_content(absl::StrCat(o.service, " ", o.version, ": injected error\n"), "text/plain");
    }
    if (reporter != nullptr) reporter->Record(absl::Now() - start, ok);
  });
  server.Get("/healthz", [&o](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Version", o.version);
    res.set_content("ok\n", "text/plain");
  });
}

int Serve(const Options& o) {
  std::unique_ptr<reporter::Reporter> reporter;
  if (!o.nats_url.empty()) {
    auto created =
        reporter::Reporter::Connect(o.nats_url, {.service = o.service, .version = o.version});
    if (!created.ok()) {
      spdlog::critical("cannot report samples: {}", created.status().ToString());
      return 1;
    }
    reporter = std::move(*created);
  }
  httplib::Server server;
  const int threads = std::max(1, o.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Headers and body leave in separate writes; without TCP_NODELAY the body waits for a
  // delayed ACK (40 ms behind HAProxy).
  server.set_tcp_nodelay(true);
  Route(server, o, reporter.get());
  const int port = o.port == 0 ? server.bind_to_any_port(o.host) : o.port;
  if (port < 0 || (o.port != 0 && !server.bind_to_port(o.host, o.port))) {
    spdlog::critical("cannot listen on {}:{}", o.host, o.port);
    return 1;
  }
  if (!o.port_file.empty()) {
    const std::string tmp = o.port_file + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::rename(tmp.c_str(), o.port_file.c_str());
  }
  std::thread stopper([&server] {
    runtime::WaitForShutdown();
    server.stop();
  });
  spdlog::info("{} {} listening on {}:{} (latency {} ms, error rate {}, reporting {})", o.service,
               o.version, o.host, port, o.latency_ms, o.error_rate,
               o.nats_url.empty() ? "off" : o.nats_url);
  server.listen_after_bind();
  runtime::RequestShutdown();
  stopper.join();
  if (reporter != nullptr) (void)reporter->Flush();
  spdlog::info("stopped");
  return 0;
}

}  // namespace
}  // namespace conclave::demo

int main(int argc, char** argv) {
  using namespace conclave;
  flags::FlagSet flags(demo::kProgram,
                       "[flags]\n\nA demo HTTP service for progressive delivery: GET / and "
                       "GET /healthz, answering\nX-Version, with injected latency and errors, "
                       "reporting samples to the metrics agent.");
  demo::Options o;
  demo::DefineFlags(flags, &o);
  auto args = flags.Parse(argc, argv);
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (!args.ok() || !args->empty()) {
    std::cerr << demo::kProgram << ": "
              << (args.ok() ? "unexpected argument '" + (*args)[0] + "'"
                            : std::string(args.status().message()))
              << " (see --help)\n";
    return 2;
  }
  if (o.error_rate < 0 || o.error_rate > 1 || o.latency_ms < 0) {
    std::cerr << demo::kProgram << ": --error_rate must be in 0..1, --latency_ms >= 0\n";
    return 2;
  }
  if (absl::Status s = log::InitLogging({demo::kProgram, "text", o.log_level}); !s.ok()) {
    std::cerr << demo::kProgram << ": " << s.message() << "\n";
    return 2;
  }
  runtime::InstallShutdownSignals();
  return demo::Serve(o);
}
