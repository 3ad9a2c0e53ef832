// End-to-end decision latency and throughput of the review pipeline, next to a raw NATS.c
// request-reply fan-out to three responders measured in the same run on the same nats-server.
//
// Starts the real system (nats-server, conclave-supervisor, three reviewers), submits a
// 100-line single-file Python change, and times submit → DECIDED as the client sees it
// (WatchChange); each submission differs by a comment line, so the reviewers analyze every one
// (a resubmitted identical change, answered by the review cache, is timed on its own line).
// The change's own event timestamps split each decision into phases:
//   submit   SubmitChange RPC: validate, synced persist, audit, dispatch (3 JetStream publishes)
//   reviews  DISPATCHED → last vote recorded (bus both ways + analysis + vote persist)
//   analysis the slowest reviewer's own analysis time (from its vote), part of `reviews`
//   decide   last vote → DECIDED recorded (consensus + persist + audit)
//   notify   DECIDED recorded → the client holds the event
// Usage: e2e_bench [--changes N] [--throughput N] [--clients N] [--raw N]
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "tests/bench/support/raw_fanout.h"
#include "tests/integration/system/conclave_system.h"

namespace conclave::bench {
namespace {

using google::protobuf::util::TimeUtil;

struct Phases {
  double total_ms = 0, submit_ms = 0, reviews_ms = 0, analysis_ms = 0, decide_ms = 0,
         notify_ms = 0;
};

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }
absl::Time T(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

std::string HundredLineChange() {
  std::string src = "\"\"\"Order totals.\"\"\"\n\nimport math\n\n";
  for (int i = 0; src.size() < 4000 && i < 24; ++i) {
    absl::StrAppend(&src, "\ndef total_", i, "(items, rate):\n",
                    "    subtotal = sum(item.price * item.qty for item in items)\n",
                    "    return math.floor(subtotal * (1 + rate))\n");
  }
  return src;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

// Submits one change and watches it to the decision; fills the phases.
absl::Status DecideOne(testing::ConclaveSystem& sys, const conclave::v1::Change& change,
                       Phases* out) {
  const absl::Time t0 = absl::Now();
  auto id = sys.Submit(change);
  if (!id.ok()) return id.status();
  const absl::Time t_submitted = absl::Now();
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  conclave::v1::WatchChangeRequest req;
  req.set_change_id(*id);
  auto reader = sys.stub().WatchChange(&ctx, req);
  conclave::v1::ChangeEvent e;
  absl::Time dispatched, last_vote, decided;
  double analysis_ms = 0;
  while (reader->Read(&e)) {
    switch (e.type()) {
      case conclave::v1::EVENT_TYPE_DISPATCHED: dispatched = T(e.time()); break;
      case conclave::v1::EVENT_TYPE_VOTE_RECEIVED:
        last_vote = T(e.time());
        analysis_ms = std::max(analysis_ms, e.vote().analysis_micros() / 1000.0);
        break;
      case conclave::v1::EVENT_TYPE_DECIDED: decided = T(e.time()); break;
      default: break;
    }
  }
  const absl::Time t1 = absl::Now();
  if (grpc::Status s = reader->Finish(); !s.ok()) return absl::InternalError(s.error_message());
  *out = {Ms(t1 - t0), Ms(t_submitted - t0), Ms(last_vote - dispatched), analysis_ms,
          Ms(decided - last_vote), Ms(t1 - decided)};
  return absl::OkStatus();
}

int Run(int changes, int throughput_changes, int clients, int raw_requests) {
  auto sys = testing::ConclaveSystem::Start(testing::TestPolicy(absl::Seconds(60)));
  if (!sys.ok()) {
    std::fprintf(stderr, "cannot start the system: %s\n", sys.status().ToString().c_str());
    return 1;
  }
  if (absl::Status s = (*sys)->StartAllReviewers(); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  // Every submission differs by its last line, so each is analyzed in full: the reviewers'
  // review cache would otherwise answer every submission after the first.
  const std::string base = HundredLineChange();
  auto revision = [&](int n) {
    return testing::MakeChange({{"orders.py", base + "# revision " + std::to_string(n) + "\n"}});
  };
  const conclave::v1::Change change = revision(0);
  std::printf("change: 1 file, %zu bytes, %d lines\n", change.files(0).content().size(),
              static_cast<int>(std::count(change.files(0).content().begin(),
                                          change.files(0).content().end(), '\n')));
  Phases p;
  for (int i = 0; i < 20; ++i) {  // warm-up: connections, caches, RocksDB
    if (absl::Status s = DecideOne(**sys, revision(1 + i), &p); !s.ok()) {
      std::fprintf(stderr, "warm-up failed: %s\n", s.ToString().c_str());
      return 1;
    }
  }
  std::vector<double> total, submit, reviews, analysis, decide, notify;
  int serial = 100;
  for (int i = 0; i < changes; ++i) {
    if (absl::Status s = DecideOne(**sys, revision(serial++), &p); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
    total.push_back(p.total_ms);
    submit.push_back(p.submit_ms);
    reviews.push_back(p.reviews_ms);
    analysis.push_back(p.analysis_ms);
    decide.push_back(p.decide_ms);
    notify.push_back(p.notify_ms);
  }

  // The same change resubmitted: every reviewer answers from its review cache.
  std::vector<double> resubmitted;
  for (int i = 0; i < std::max(20, changes / 4); ++i) {
    if (absl::Status s = DecideOne(**sys, change, &p); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
    resubmitted.push_back(p.total_ms);
  }

  // Throughput: `clients` threads, each submitting and watching to the decision, closed loop.
  std::atomic<int> next{0}, failed{0};
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      Phases q;
      for (int n; (n = next.fetch_add(1)) < throughput_changes;) {
        if (!DecideOne(**sys, revision(1'000'000 + n), &q).ok()) failed.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);

  auto raw = MeasureRawFanout((*sys)->nats().url(), raw_requests,
                              change.ByteSizeLong());
  std::printf("\nend-to-end decision latency, %d sequential changes (ms)\n", changes);
  std::printf("  %-10s %8s %8s\n", "phase", "p50", "p99");
  auto row = [](const char* name, const std::vector<double>& v) {
    std::printf("  %-10s %8.2f %8.2f\n", name, Percentile(v, 0.5), Percentile(v, 0.99));
  };
  row("total", total);
  row("submit", submit);
  row("reviews", reviews);
  row("analysis", analysis);
  row("decide", decide);
  row("notify", notify);
  std::printf("  %-10s %8.2f %8.2f   (the same change again, %zu times: review cache hits)\n",
              "resubmit", Percentile(resubmitted, 0.5), Percentile(resubmitted, 0.99),
              resubmitted.size());
  std::printf("\nthroughput: %d changes, %d concurrent clients: %.1f changes/s (%d failed)\n",
              throughput_changes, clients, throughput_changes / seconds, failed.load());
  if (!raw.ok()) {
    std::fprintf(stderr, "raw fan-out failed: %s\n", raw.status().ToString().c_str());
    return 1;
  }
  std::printf("\nbaseline: raw NATS.c request-reply fan-out to 3 responders, %d requests, "
              "%zu-byte payload\n  p50 %.3f ms  p99 %.3f ms  %.0f fan-outs/s\n",
              raw_requests, static_cast<size_t>(change.ByteSizeLong()), raw->p50_us / 1000.0,
              raw->p99_us / 1000.0, raw->per_second);
  const double ratio = Percentile(total, 0.5) / (raw->p50_us / 1000.0);
  std::printf("\nratio: Conclave p50 / raw fan-out p50 = %.1fx (target <= 3x)\n", ratio);
  return failed.load() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace conclave::bench

int main(int argc, char** argv) {
  int changes = 200, throughput = 300, clients = 8, raw = 2000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    int* target = flag == "--changes" ? &changes
                  : flag == "--throughput" ? &throughput
                  : flag == "--clients" ? &clients
                  : flag == "--raw" ? &raw
                  : nullptr;
    if (target == nullptr || !absl::SimpleAtoi(argv[i + 1], target)) {
      std::fprintf(stderr, "usage: %s [--changes N] [--throughput N] [--clients N] [--raw N]\n",
                   argv[0]);
      return 2;
    }
  }
  return conclave::bench::Run(changes, throughput, clients, raw);
}
