// Reporter: what a service links to feed the metrics agent. It batches request samples
// (latency, outcome) and gauge readings of one (service, version) and publishes them as
// conclave.v1.SampleBatch protobufs on conclave.metrics.<service> over core NATS.
//
// Record() and Gauge() never wait on the network: they append to a bounded queue under a
// lock held only for the append, and count what does not fit as dropped. One background
// thread publishes a batch every flush_interval, or as soon as batch_size samples wait, and
// once more when the Reporter is destroyed. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/bus/bus.h"
#include "common/clock/clock.h"
#include "conclave/v1/metrics.pb.h"

namespace conclave::reporter {

struct ReporterOptions {
  // Service and version of every sample; both required. The service becomes a subject token,
  // so it may not contain '.', '*', '>' or whitespace.
  std::string service;
  std::string version;
  // A batch is published at least this often while samples wait...
  absl::Duration flush_interval = absl::Milliseconds(250);
  // ...and as soon as this many wait.
  size_t batch_size = 500;
  // Samples beyond this many waiting are dropped (and counted), never blocking the caller.
  size_t queue_capacity = 20000;
  // Timestamps samples; RealClock() when null. Not owned.
  Clock* clock = nullptr;
};

// The subject samples of `service` are published on: conclave.metrics.<service>.
std::string MetricsSubject(const std::string& service);

class Reporter {
 public:
  // Publishes through `bus`, which must outlive the reporter.
  static absl::StatusOr<std::unique_ptr<Reporter>> Create(bus::Bus* bus, ReporterOptions options);
  // Connects to NATS at `nats_url` and owns the connection.
  static absl::StatusOr<std::unique_ptr<Reporter>> Connect(const std::string& nats_url,
                                                           ReporterOptions options);
  // Publishes what is still queued, then stops the flusher.
  ~Reporter();
  Reporter(const Reporter&) = delete;
  Reporter& operator=(const Reporter&) = delete;

  // One request: its latency and whether it succeeded.
  void Record(absl::Duration latency, bool ok);
  // One gauge reading, e.g. Gauge("cost", 0.002).
  void Gauge(const std::string& name, double value);
  // Publishes everything queued now, on the caller's thread.
  absl::Status Flush();

  // Samples dropped (queue full or publish failed) and published, since creation.
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  uint64_t published() const { return published_.load(std::memory_order_relaxed); }

 private:
  Reporter(bus::Bus* bus, std::unique_ptr<bus::Bus> owned, ReporterOptions options);
  void Enqueue(conclave::v1::Sample sample);
  void FlushLoop();
  absl::Status PublishBatch(std::vector<conclave::v1::Sample> samples);

  std::unique_ptr<bus::Bus> owned_bus_;
  bus::Bus* bus_;
  const ReporterOptions options_;
  const std::string subject_;
  Clock* clock_;

  // Serialises publishing, so batches leave in order and Flush() sees the flusher's batch out.
  absl::Mutex publish_mu_;
  absl::Mutex mu_;
  std::vector<conclave::v1::Sample> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Drops not yet reported in a batch.
  uint64_t unreported_drops_ ABSL_GUARDED_BY(mu_) = 0;

  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> published_{0};
  std::thread flusher_;
};

}  // namespace conclave::reporter
