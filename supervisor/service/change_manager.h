// ChangeManager: the supervisor's core, free of transport. It accepts changes (persisted with
// a synced write before Submit returns), dispatches one task per reviewer over the bus,
// records votes, decides by consensus when every voter answered or the deadline passed, and
// appends every transition to the audit log. After a restart Resume() re-dispatches what was
// not decided. The gRPC service and the bus loops call into it.
//
// Threading: every method is thread-safe. One mutex serialises state transitions of all
// changes (each is a synced RocksDB write, then an audit append); watchers get events through
// their own queues and never hold the mutex while they wait.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/bus/bus.h"
#include "common/bus/topology.h"
#include "common/clock/clock.h"
#include "common/metrics/metrics.h"
#include "common/store/kv_store.h"
#include "conclave/v1/review.pb.h"
#include "conclave/v1/supervisor.pb.h"
#include "supervisor/core/audit_log.h"
#include "supervisor/core/policy.h"
#include "supervisor/core/watch_queue.h"

namespace conclave::supervisor {

// Receives a change's events in order. Owned by the caller of Watch().
using EventQueue = WatchQueue<conclave::v1::ChangeEvent>;

// Called once for each change decided APPROVED that carries a version (Change.version), after
// the decision is persisted: the supervisor starts its rollout there. Runs on the deciding
// thread with the manager's mutex held, so it must not call back into the manager.
using ApprovedChangeHook = std::function<void(const conclave::v1::ChangeRecord&)>;

class ChangeManager {
 public:
  // The column families the manager's store must have.
  static std::vector<std::string> StoreFamilies();

  // Everything passed in must outlive the manager.
  ChangeManager(store::KvStore* store, AuditLog* audit, bus::Bus* bus, const Policy* policy,
                Clock* clock, metrics::Registry* registry);
  ~ChangeManager();

  // Loads undecided changes and re-dispatches them with a fresh deadline.
  absl::Status Resume();

  // Validates, persists (synced), audits and dispatches. The returned record is ACCEPTED when
  // the bus is down (dispatch is retried by Tick), REVIEWING otherwise.
  absl::StatusOr<conclave::v1::ChangeRecord> Submit(conclave::v1::Change change,
                                                    const std::string& traceparent);
  absl::StatusOr<conclave::v1::ChangeRecord> Get(const std::string& change_id);
  // Newest first.
  absl::StatusOr<std::vector<conclave::v1::ChangeRecord>> List(int limit,
                                                               conclave::v1::ChangeState state);

  // Registers `queue` for the change's events: past events are pushed at once, live ones as
  // they happen. The queue is closed after DECIDED. Call Unwatch before destroying the queue.
  absl::Status Watch(const std::string& change_id, EventQueue* queue);
  void Unwatch(const std::string& change_id, EventQueue* queue);

  // Handles one result from conclave.result.>. OK means the message may be acked (also for a
  // malformed or late result, which is logged and dropped); an error means retry it.
  absl::Status HandleResult(const bus::Message& message);
  // A task that was delivered max_deliver times: its reviewer counts as failed.
  void HandleDeadLetter(const bus::DeadLetter& dead_letter);

  // Decides changes past their deadline and retries dispatches that failed. Called
  // periodically by the supervisor's timer thread.
  void Tick();

  // Closes every watcher queue (shutdown).
  void CloseWatchers();

  // Sets the hook for approved changes with a version; call before Resume(). Empty: none.
  void SetApprovedChangeHook(ApprovedChangeHook hook);

 private:
  struct OpenChange {
    conclave::v1::ChangeRecord record;
    uint32_t next_event = 1;
  };

  absl::Status Dispatch(OpenChange& open) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status RecordVote(OpenChange& open, const conclave::v1::ReviewResponse& response)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status RecordFailure(OpenChange& open, const std::string& reviewer,
                             const std::string& message) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status MaybeDecide(OpenChange& open, bool deadline_passed)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Persists the record, the event and its audit record in one batch (fsynced for SUBMITTED
  // and DECIDED), and notifies watchers.
  absl::Status Commit(OpenChange& open, conclave::v1::ChangeEvent event, const std::string& action,
                      const std::string& actor, const std::string& detail_json)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::vector<conclave::v1::ChangeEvent>> LoadEvents(const std::string& change_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::vector<std::string> PendingReviewers(const conclave::v1::ChangeRecord& record) const;

  store::KvStore* store_;
  AuditLog* audit_;
  bus::Bus* bus_;
  const Policy* policy_;
  Clock* clock_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, OpenChange> open_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::vector<EventQueue*>> watchers_ ABSL_GUARDED_BY(mu_);
  std::vector<bus::DeadLetter> dead_letters_ ABSL_GUARDED_BY(mu_);
  ApprovedChangeHook on_approved_ ABSL_GUARDED_BY(mu_);

  metrics::Family<metrics::Counter>* submitted_;
  metrics::Family<metrics::Counter>* decisions_;
  metrics::Family<metrics::Histogram>* decision_seconds_;
  metrics::Family<metrics::Counter>* votes_;
  metrics::Family<metrics::Counter>* reviewer_errors_;
  metrics::Family<metrics::Gauge>* open_changes_;
};

}  // namespace conclave::supervisor
