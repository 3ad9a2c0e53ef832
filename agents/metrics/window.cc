#include "agents/metrics/window.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace conclave::metrics_agent {

void GaugeSummary::Add(double value, absl::Time at) {
  if (count == 0 || value > max) max = value;
  ++count;
  sum += value;
  sum_squares += value * value;
  if (at >= last_time) {
    last = value;
    last_time = at;
  }
}

void GaugeSummary::Merge(const GaugeSummary& other) {
  if (other.count == 0) return;
  if (count == 0 || other.max > max) max = other.max;
  count += other.count;
  sum += other.sum;
  sum_squares += other.sum_squares;
  if (other.last_time >= last_time) {
    last = other.last;
    last_time = other.last_time;
  }
}

double GaugeSummary::mean() const {
  return count == 0 ? std::nan("") : sum / static_cast<double>(count);
}

double GaugeSummary::variance() const {
  if (count < 2) return 0;
  const double n = static_cast<double>(count);
  return std::max(0.0, (sum_squares - sum * sum / n) / (n - 1));
}

void Bucket::Reset(int64_t new_index) {
  index = new_index;
  requests = 0;
  errors = 0;
  latency_ms.Clear();
  gauges.clear();
}

void Bucket::Merge(const Bucket& other) {
  requests += other.requests;
  errors += other.errors;
  latency_ms.Merge(other.latency_ms);
  for (const auto& [name, g] : other.gauges) gauges[name].Merge(g);
}

namespace {

// Buckets in the ring: horizon / width, at least one. (Debian's IDivDuration writes the
// remainder unconditionally, so it gets somewhere to write it.)
size_t RingSize(const WindowOptions& o) {
  absl::Duration rem;
  return static_cast<size_t>(
      std::max<int64_t>(1, absl::IDivDuration(o.horizon, o.bucket_width, &rem)));
}

}  // namespace

SlidingWindow::SlidingWindow(const WindowOptions& options)
    : options_(options), ring_(RingSize(options), Bucket(options.sketch_accuracy)) {
  for (auto& b : ring_) b.index = INT64_MIN;
}

int64_t SlidingWindow::BucketIndex(absl::Time t) const {
  return absl::ToInt64Nanoseconds(absl::Floor(t - absl::UnixEpoch(), options_.bucket_width)) /
         absl::ToInt64Nanoseconds(options_.bucket_width);
}

absl::Status SlidingWindow::Add(const conclave::v1::Sample& sample, absl::Time at) {
  const int64_t index = BucketIndex(at);
  const int64_t n = static_cast<int64_t>(ring_.size());
  if (newest_ != INT64_MIN && index <= newest_ - n) {
    return absl::OutOfRangeError(
        absl::StrCat("sample at ", absl::FormatTime(at), " is older than the window horizon"));
  }
  newest_ = std::max(newest_, index);
  Bucket& b = ring_[static_cast<size_t>(((index % n) + n) % n)];
  if (b.index != index) b.Reset(index);
  if (sample.outcome() != conclave::v1::REQUEST_OUTCOME_UNSPECIFIED) {
    ++b.requests;
    if (sample.outcome() == conclave::v1::REQUEST_OUTCOME_ERROR) ++b.errors;
    b.latency_ms.Add(absl::ToDoubleMilliseconds(FromProtoDuration(sample.latency())));
  }
  for (const auto& [name, value] : sample.gauges()) {
    if (!std::isnan(value)) b.gauges[name].Add(value, at);
  }
  return absl::OkStatus();
}

std::vector<Bucket> SlidingWindow::Collect(int64_t first, int64_t last) const {
  std::vector<Bucket> out;
  const int64_t n = static_cast<int64_t>(ring_.size());
  first = std::max(first, last - n + 1);
  for (int64_t i = first; i <= last; ++i) {
    const Bucket& b = ring_[static_cast<size_t>(((i % n) + n) % n)];
    if (b.index == i && !b.empty()) out.push_back(b);
  }
  return out;
}

SampleStore::SampleStore(WindowOptions options, size_t max_series)
    : options_(options), max_series_(max_series) {}

SampleStore::Series* SampleStore::Find(const std::string& service,
                                       const std::string& version) const {
  absl::MutexLock lock(&mu_);
  auto it = series_.find({service, version});
  return it == series_.end() ? nullptr : it->second.get();
}

absl::Status SampleStore::Add(const conclave::v1::Sample& sample, absl::Time received) {
  if (sample.service().empty() || sample.version().empty()) {
    return absl::InvalidArgumentError("sample without service or version");
  }
  Series* series = Find(sample.service(), sample.version());
  if (series == nullptr) {
    absl::MutexLock lock(&mu_);
    auto& slot = series_[{sample.service(), sample.version()}];
    if (!slot) {
      if (series_.size() > max_series_) {
        series_.erase({sample.service(), sample.version()});
        return absl::ResourceExhaustedError(
            absl::StrCat("more than ", max_series_, " (service, version) series"));
      }
      slot = std::make_unique<Series>(options_);
    }
    series = slot.get();
  }
  const absl::Time at = sample.has_timestamp() ? FromProtoTime(sample.timestamp()) : received;
  absl::MutexLock lock(&series->mu);
  return series->window.Add(sample, at);
}

std::vector<Bucket> SampleStore::Collect(const std::string& service, const std::string& version,
                                         absl::Time from, absl::Time to) const {
  Series* series = Find(service, version);
  if (series == nullptr || to <= from) return {};
  absl::MutexLock lock(&series->mu);
  return series->window.Collect(BucketIndex(from), BucketIndex(to - absl::Nanoseconds(1)));
}

int64_t SampleStore::BucketIndex(absl::Time t) const {
  return absl::ToInt64Nanoseconds(absl::Floor(t - absl::UnixEpoch(), options_.bucket_width)) /
         absl::ToInt64Nanoseconds(options_.bucket_width);
}

absl::Time SampleStore::BucketStart(int64_t index) const {
  return absl::UnixEpoch() + options_.bucket_width * index;
}

size_t SampleStore::series_count() const {
  absl::MutexLock lock(&mu_);
  return series_.size();
}

absl::Time FromProtoTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

absl::Duration FromProtoDuration(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

void ToProtoTime(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t nanos = absl::ToUnixNanos(t);
  out->set_seconds(nanos / 1000000000);
  out->set_nanos(static_cast<int32_t>(nanos % 1000000000));
}

void ToProtoDuration(absl::Duration d, google::protobuf::Duration* out) {
  const int64_t nanos = absl::ToInt64Nanoseconds(d);
  out->set_seconds(nanos / 1000000000);
  out->set_nanos(static_cast<int32_t>(nanos % 1000000000));
}

}  // namespace conclave::metrics_agent
