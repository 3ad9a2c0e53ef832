// WatchQueue: how a watcher of a change or a rollout receives its events. The owner (the
// ChangeManager or the RolloutController) pushes events in order and closes the queue after the
// last one; the watcher (a gRPC stream) waits on Next() without holding the owner's lock.
// Thread-safe: one producer side and one consumer may use it at once.
#pragma once

#include <deque>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace conclave::supervisor {

template <typename Event>
class WatchQueue {
 public:
  // Waits up to `timeout` for the next event; false on timeout or when closed and drained.
  bool Next(Event* event, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return !events_.empty() || closed_; };
    mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
    if (events_.empty()) return false;
    *event = std::move(events_.front());
    events_.pop_front();
    return true;
  }

  // Ignored after Close().
  void Push(const Event& event) {
    absl::MutexLock lock(&mu_);
    if (!closed_) events_.push_back(event);
  }

  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }

  // Closed and drained: Next() will never return another event.
  bool done() const {
    absl::MutexLock lock(&mu_);
    return closed_ && events_.empty();
  }

 private:
  mutable absl::Mutex mu_;
  std::deque<Event> events_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace conclave::supervisor
