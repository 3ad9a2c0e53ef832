// conclave-loadgen: sends GET requests to --url at a steady --rps for --duration and counts the
// answers per version (the X-Version response header) and the errors (5xx, or no answer), so
// the traffic split a rollout sets can be seen from the client's side. Prints a line per
// --report_every and a summary; with --json the summary is one JSON object.
//
// Threading model: --concurrency workers, each with its own keep-alive connection, take the
// request slots start + k/rps in turn (open loop: a slow answer delays only its worker); the
// counts sit behind one mutex; the main thread prints the periodic lines.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/flags/flags.h"

namespace conclave::loadgen {
namespace {

constexpr char kProgram[] = "conclave-loadgen";

struct Options {
  std::string url;
  double rps = 50;
  absl::Duration duration = absl::Seconds(10);
  int concurrency = 16;
  absl::Duration timeout = absl::Seconds(5);
  absl::Duration report_every = absl::ZeroDuration();
  bool json = false;
};

// Counts of one period or of the whole run.
struct Counts {
  std::map<std::string, int64_t> by_version;
  int64_t requests = 0;
  int64_t errors = 0;
  std::vector<double> latencies_ms;
};

class Tally {
 public:
  void Add(const std::string& version, bool error, double latency_ms) {
    absl::MutexLock lock(&mu_);
    for (Counts* c : {&total_, &period_}) {
      ++c->requests;
      if (error) ++c->errors;
      if (!version.empty()) ++c->by_version[version];
      c->latencies_ms.push_back(latency_ms);
    }
  }
  Counts TakePeriod() {
    absl::MutexLock lock(&mu_);
    return std::exchange(period_, Counts{});
  }
  Counts Total() {
    absl::MutexLock lock(&mu_);
    return total_;
  }

 private:
  absl::Mutex mu_;
  Counts total_ ABSL_GUARDED_BY(mu_);
  Counts period_ ABSL_GUARDED_BY(mu_);
};

// Splits "http://host:port/path" into the scheme-host-port part and the path.
bool SplitUrl(const std::string& url, std::string* origin, std::string* path) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return false;
  const size_t slash = url.find('/', scheme + 3);
  *origin = url.substr(0, slash);
  *path = slash == std::string::npos ? "/" : url.substr(slash);
  return !origin->empty();
}

double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(q * values.size()))];
}

std::string VersionsText(const Counts& c) {
  std::vector<std::string> parts;
  for (const auto& [v, n] : c.by_version) {
    parts.push_back(
        absl::StrCat(v, "=", n, " (",
                     absl::StrFormat("%.1f", 100.0 * n / std::max<int64_t>(1, c.requests)), "%)"));
  }
  return parts.empty() ? "none" : absl::StrJoin(parts, " ");
}

std::string SummaryJson(const Counts& c, absl::Duration elapsed) {
  std::vector<std::string> versions;
  for (const auto& [v, n] : c.by_version) versions.push_back(absl::StrCat("\"", v, "\":", n));
  return absl::StrCat("{\"requests\":", c.requests, ",\"errors\":", c.errors, ",\"versions\":{",
                      absl::StrJoin(versions, ","),
                      "},\"elapsed_s\":", absl::StrFormat("%.3f", absl::ToDoubleSeconds(elapsed)),
                      ",\"p50_ms\":", absl::StrFormat("%.2f", Quantile(c.latencies_ms, 0.5)),
                      ",\"p95_ms\":", absl::StrFormat("%.2f", Quantile(c.latencies_ms, 0.95)),
                      ",\"p99_ms\":", absl::StrFormat("%.2f", Quantile(c.latencies_ms, 0.99)), "}");
}

void Worker(const Options& o, const std::string& origin, const std::string& path, absl::Time start,
            std::atomic<int64_t>* next_slot, int64_t slots, Tally* tally) {
  httplib::Client client(origin);
  const int64_t us = absl::ToInt64Microseconds(o.timeout);
  client.set_connection_timeout(us / 1000000, us % 1000000);
  client.set_read_timeout(us / 1000000, us % 1000000);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  const absl::Duration period = absl::Seconds(1) / o.rps;
  while (true) {
    const int64_t slot = next_slot->fetch_add(1);
    if (slot >= slots) return;
    const absl::Time at = start + period * slot;
    if (absl::Time now = absl::Now(); now < at) absl::SleepFor(at - now);
    const absl::Time sent = absl::Now();
    httplib::Result result = client.Get(path);
    const double ms = absl::ToDoubleMilliseconds(absl::Now() - sent);
    if (!result) {
      tally->Add("", true, ms);
      continue;
    }
    tally->Add(result->get_header_value("X-Version"), result->status >= 500, ms);
  }
}

int Run(const Options& o) {
  std::string origin, path;
  if (!SplitUrl(o.url, &origin, &path)) {
    std::cerr << kProgram << ": --url must look like http://127.0.0.1:8080/\n";
    return 2;
  }
  const int64_t slots = static_cast<int64_t>(o.rps * absl::ToDoubleSeconds(o.duration));
  std::atomic<int64_t> next_slot{0};
  Tally tally;
  const absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, o.concurrency); ++i) {
    workers.emplace_back(Worker, std::cref(o), origin, path, start, &next_slot, slots, &tally);
  }
  std::atomic<bool> done{false};
  std::thread reporter([&] {
    if (o.report_every <= absl::ZeroDuration()) return;
    absl::Time next = start + o.report_every;
    while (!done) {
      absl::SleepFor(
          std::min(absl::Milliseconds(50), std::max(absl::ZeroDuration(), next - absl::Now())));
      if (absl::Now() < next) continue;
      const Counts c = tally.TakePeriod();
      std::cout << absl::StrFormat("t=%.1fs requests=%d errors=%d ",
                                   absl::ToDoubleSeconds(absl::Now() - start), c.requests, c.errors)
                << VersionsText(c) << std::endl;
      next += o.report_every;
    }
  });
  for (auto& w : workers) w.join();
  done = true;
  reporter.join();
  const absl::Duration elapsed = absl::Now() - start;
  const Counts total = tally.Total();
  if (o.json) {
    std::cout << SummaryJson(total, elapsed) << std::endl;
  } else {
    std::cout << absl::StrFormat(
                     "%d requests in %.1fs (%.1f/s), %d errors, p50 %.1f ms, p95 %.1f ms, "
                     "p99 %.1f ms\n",
                     total.requests, absl::ToDoubleSeconds(elapsed),
                     total.requests / std::max(1e-9, absl::ToDoubleSeconds(elapsed)), total.errors,
                     Quantile(total.latencies_ms, 0.5), Quantile(total.latencies_ms, 0.95),
                     Quantile(total.latencies_ms, 0.99))
              << "versions: " << VersionsText(total) << std::endl;
  }
  return 0;
}

}  // namespace
}  // namespace conclave::loadgen

int main(int argc, char** argv) {
  using namespace conclave;
  flags::FlagSet flags(
      loadgen::kProgram,
      "--url URL [flags]\n\nSends GET requests at a steady rate and counts the "
      "answers per version (X-Version header)\nand the errors (5xx or no answer).");
  loadgen::Options o;
  flags.String("url", &o.url, "LOADGEN_URL", "Where to send GET requests.");
  flags.Double("rps", &o.rps, "LOADGEN_RPS", "Requests per second.");
  flags.Duration("duration", &o.duration, "LOADGEN_DURATION", "How long to send, e.g. 30s.");
  flags.Int("concurrency", &o.concurrency, "LOADGEN_CONCURRENCY",
            "Connections; a slow answer holds only its own.");
  flags.Duration("timeout", &o.timeout, "LOADGEN_TIMEOUT", "Per-request timeout.");
  flags.Duration("report_every", &o.report_every, "LOADGEN_REPORT_EVERY",
                 "Print a line of counts this often (0: only the summary).");
  flags.Bool("json", &o.json, "LOADGEN_JSON", "Print the summary as one JSON object.");
  auto args = flags.Parse(argc, argv);
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (!args.ok() || !args->empty() || o.url.empty() || o.rps <= 0 ||
      o.duration <= absl::ZeroDuration()) {
    std::cerr << loadgen::kProgram << ": "
              << (!args.ok() ? std::string(args.status().message())
                             : "--url is required; --rps and --duration must be > 0")
              << " (see --help)\n";
    return 2;
  }
  return loadgen::Run(o);
}
