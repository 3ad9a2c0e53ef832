// Sliding windows of samples: for each (service, version), a ring of fixed-width time buckets
// (1 s by default) over a horizon (15 min by default). A bucket holds request and error
// counts, a DDSketch of latencies in milliseconds, and per-gauge summaries. Samples older
// than the horizon are rejected; a bucket slot is reused once its time has passed.
// SlidingWindow is not thread-safe; SampleStore is, with one lock per series.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agents/metrics/ddsketch.h"
#include "conclave/v1/metrics.pb.h"

namespace conclave::metrics_agent {

// Readings of one gauge.
struct GaugeSummary {
  uint64_t count = 0;
  double sum = 0;
  double sum_squares = 0;
  double max = 0;
  double last = 0;
  absl::Time last_time = absl::InfinitePast();

  void Add(double value, absl::Time at);
  void Merge(const GaugeSummary& other);
  double mean() const;
  double variance() const;
};

struct Bucket {
  explicit Bucket(double accuracy) : latency_ms(accuracy) {}
  // Bucket number: floor(time / width) since the Unix epoch.
  int64_t index = 0;
  uint64_t requests = 0;
  uint64_t errors = 0;
  DDSketch latency_ms;
  std::map<std::string, GaugeSummary> gauges;

  bool empty() const { return requests == 0 && gauges.empty(); }
  void Reset(int64_t new_index);
  void Merge(const Bucket& other);
};

struct WindowOptions {
  absl::Duration bucket_width = absl::Seconds(1);
  absl::Duration horizon = absl::Minutes(15);
  double sketch_accuracy = 0.01;
};

class SlidingWindow {
 public:
  explicit SlidingWindow(const WindowOptions& options);

  // Adds one sample at `at`. OutOfRange when it is older than the horizon, measured back from
  // the newest bucket seen.
  absl::Status Add(const conclave::v1::Sample& sample, absl::Time at);
  // Copies of the non-empty buckets whose index is in [first, last], ascending.
  std::vector<Bucket> Collect(int64_t first, int64_t last) const;

  int64_t BucketIndex(absl::Time t) const;

 private:
  WindowOptions options_;
  std::vector<Bucket> ring_;
  int64_t newest_ = INT64_MIN;
};

// Every series the agent knows. Thread-safe.
class SampleStore {
 public:
  explicit SampleStore(WindowOptions options = {}, size_t max_series = 10000);

  // Adds a sample; `received` stands in for a missing timestamp. InvalidArgument without
  // service or version, ResourceExhausted past max_series, OutOfRange when too old.
  absl::Status Add(const conclave::v1::Sample& sample, absl::Time received);
  // The buckets of (service, version) overlapping [from, to), ascending; empty when unknown.
  std::vector<Bucket> Collect(const std::string& service, const std::string& version,
                              absl::Time from, absl::Time to) const;
  // Bucket index of a time, and the start time of a bucket.
  int64_t BucketIndex(absl::Time t) const;
  absl::Time BucketStart(int64_t index) const;
  const WindowOptions& options() const { return options_; }
  size_t series_count() const;

 private:
  struct Series {
    explicit Series(const WindowOptions& o) : window(o) {}
    mutable absl::Mutex mu;
    SlidingWindow window ABSL_GUARDED_BY(mu);
  };
  Series* Find(const std::string& service, const std::string& version) const;

  const WindowOptions options_;
  const size_t max_series_;
  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Series>> series_
      ABSL_GUARDED_BY(mu_);
};

// Time conversions for the protobuf well-known types.
absl::Time FromProtoTime(const google::protobuf::Timestamp& t);
absl::Duration FromProtoDuration(const google::protobuf::Duration& d);
void ToProtoTime(absl::Time t, google::protobuf::Timestamp* out);
void ToProtoDuration(absl::Duration d, google::protobuf::Duration* out);

}  // namespace conclave::metrics_agent
