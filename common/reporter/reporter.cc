#include "common/reporter/reporter.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace conclave::reporter {
namespace {

bool ValidSubjectToken(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c == '.' || c == '*' || c == '>' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
  }
  return true;
}

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t nanos = absl::ToUnixNanos(t);
  out->set_seconds(nanos / 1000000000);
  out->set_nanos(static_cast<int32_t>(nanos % 1000000000));
}

void SetDuration(absl::Duration d, google::protobuf::Duration* out) {
  const int64_t nanos = absl::ToInt64Nanoseconds(d);
  out->set_seconds(nanos / 1000000000);
  out->set_nanos(static_cast<int32_t>(nanos % 1000000000));
}

}  // namespace

std::string MetricsSubject(const std::string& service) {
  return absl::StrCat("conclave.metrics.", service);
}

absl::StatusOr<std::unique_ptr<Reporter>> Reporter::Create(bus::Bus* bus,
                                                           ReporterOptions options) {
  if (bus == nullptr) return absl::InvalidArgumentError("reporter: no bus");
  if (!ValidSubjectToken(options.service)) {
    return absl::InvalidArgumentError(
        absl::StrCat("reporter: service '", options.service,
                     "' must be non-empty without '.', '*', '>' or whitespace"));
  }
  if (options.version.empty()) return absl::InvalidArgumentError("reporter: no version");
  if (options.batch_size == 0 || options.queue_capacity == 0 ||
      options.flush_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "reporter: batch_size, queue_capacity and flush_interval must be positive");
  }
  return std::unique_ptr<Reporter>(new Reporter(bus, nullptr, std::move(options)));
}

absl::StatusOr<std::unique_ptr<Reporter>> Reporter::Connect(const std::string& nats_url,
                                                            ReporterOptions options) {
  bus::NatsOptions nats;
  nats.url = nats_url;
  nats.name = absl::StrCat("reporter-", options.service, "-", options.version);
  auto bus = bus::ConnectNats(nats);
  if (!bus.ok()) return bus.status();
  auto reporter = Create(bus->get(), std::move(options));
  if (!reporter.ok()) return reporter.status();
  (*reporter)->owned_bus_ = std::move(*bus);
  return reporter;
}

Reporter::Reporter(bus::Bus* bus, std::unique_ptr<bus::Bus> owned, ReporterOptions options)
    : owned_bus_(std::move(owned)),
      bus_(bus),
      options_(std::move(options)),
      subject_(MetricsSubject(options_.service)),
      clock_(options_.clock != nullptr ? options_.clock : RealClock()) {
  queue_.reserve(options_.batch_size);
  flusher_ = std::thread([this] { FlushLoop(); });
}

Reporter::~Reporter() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  flusher_.join();
  (void)Flush();
}

void Reporter::Record(absl::Duration latency, bool ok) {
  conclave::v1::Sample sample;
  SetTimestamp(clock_->Now(), sample.mutable_timestamp());
  SetDuration(latency, sample.mutable_latency());
  sample.set_outcome(ok ? conclave::v1::REQUEST_OUTCOME_OK : conclave::v1::REQUEST_OUTCOME_ERROR);
  Enqueue(std::move(sample));
}

void Reporter::Gauge(const std::string& name, double value) {
  conclave::v1::Sample sample;
  SetTimestamp(clock_->Now(), sample.mutable_timestamp());
  (*sample.mutable_gauges())[name] = value;
  Enqueue(std::move(sample));
}

void Reporter::Enqueue(conclave::v1::Sample sample) {
  absl::MutexLock lock(&mu_);
  if (queue_.size() >= options_.queue_capacity) {
    ++unreported_drops_;
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  queue_.push_back(std::move(sample));
}

void Reporter::FlushLoop() {
  auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return stopping_ || queue_.size() >= options_.batch_size;
  };
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&ready), options_.flush_interval);
      if (stopping_) return;
    }
    (void)Flush();
  }
}

absl::Status Reporter::Flush() {
  absl::MutexLock publishing(&publish_mu_);
  std::vector<conclave::v1::Sample> taken;
  {
    absl::MutexLock lock(&mu_);
    taken.swap(queue_);
    queue_.reserve(options_.batch_size);
  }
  absl::Status status;
  for (size_t begin = 0; begin < taken.size(); begin += options_.batch_size) {
    const size_t end = std::min(taken.size(), begin + options_.batch_size);
    std::vector<conclave::v1::Sample> batch(std::make_move_iterator(taken.begin() + begin),
                                            std::make_move_iterator(taken.begin() + end));
    if (absl::Status s = PublishBatch(std::move(batch)); !s.ok()) status = s;
  }
  return status;
}

absl::Status Reporter::PublishBatch(std::vector<conclave::v1::Sample> samples) {
  conclave::v1::SampleBatch batch;
  {
    absl::MutexLock lock(&mu_);
    batch.set_dropped(unreported_drops_);
    unreported_drops_ = 0;
  }
  const uint64_t n = samples.size();
  for (auto& s : samples) {
    s.set_service(options_.service);
    s.set_version(options_.version);
    *batch.add_samples() = std::move(s);
  }
  bus::Message msg;
  msg.subject = subject_;
  msg.data = batch.SerializeAsString();
  absl::Status status = bus_->PublishCore(msg);
  if (status.ok()) {
    published_.fetch_add(n, std::memory_order_relaxed);
  } else {
    dropped_.fetch_add(n, std::memory_order_relaxed);
    absl::MutexLock lock(&mu_);
    unreported_drops_ += n + batch.dropped();
  }
  return status;
}

}  // namespace conclave::reporter
