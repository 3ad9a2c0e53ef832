// AuditLog: the supervisor's append-only, hash-chained record of what happened to changes.
// Each record holds the SHA-256 of its predecessor, so editing, deleting or reordering a stored
// record breaks the chain and Verify() finds it (format: docs/AUDIT.md). Records live in the
// KvStore family "audit" keyed by zero-padded sequence, with an index "audit_by_change" keyed
// change_id + '/' + sequence; each append writes both in one synced batch.
//
// The log does not own the store or the clock. It is thread-safe: appends are serialised by
// a mutex that is held across the synced write, so sequences and links are never interleaved.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock/clock.h"
#include "common/store/kv_store.h"
#include "conclave/v1/supervisor.pb.h"

namespace conclave::supervisor {

class AuditLog {
 public:
  static constexpr char kRecordsFamily[] = "audit";
  static constexpr char kByChangeFamily[] = "audit_by_change";
  // prev_hash of the first record.
  static constexpr char kGenesisHash[] =
      "0000000000000000000000000000000000000000000000000000000000000000";

  // The column families the store must have.
  static std::vector<std::string> StoreFamilies();

  // Opens the log kept in `store`, continuing after its last record. `store` and `clock` must
  // outlive the log. DataLoss when the last record cannot be read back.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(store::KvStore* store, Clock* clock);

  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends a record (empty change_id for records about the system) and returns it once it is
  // on stable storage. On error nothing was written and the chain is unchanged.
  absl::StatusOr<conclave::v1::AuditRecord> Append(std::string_view change_id,
                                                   std::string_view action, std::string_view actor,
                                                   std::string_view detail_json);
  // Appends a record and writes `with` (the state transition it records) in the same atomic
  // batch, so the state and its audit record are never apart. With sync false the batch is in
  // RocksDB's write-ahead log when this returns (it survives a crash of the process) and
  // reaches the disk with the next synced write; with sync true it is on the disk.
  absl::StatusOr<conclave::v1::AuditRecord> Append(std::string_view change_id,
                                                   std::string_view action, std::string_view actor,
                                                   std::string_view detail_json,
                                                   std::vector<store::WriteOp> with, bool sync);

  // The records of one change in sequence order; empty for an unknown change.
  absl::StatusOr<std::vector<conclave::v1::AuditRecord>> ForChange(std::string_view change_id);
  // Every record in sequence order.
  absl::StatusOr<std::vector<conclave::v1::AuditRecord>> All();

  // Recomputes the chain from the first record to the head as of the call: each record's hash,
  // its link to the previous one, gap-free sequences, the index, and that no record is
  // missing from the end. A broken chain is an OK status with ok = false; an error status
  // means the store could not be read.
  absl::StatusOr<conclave::v1::VerifyAuditLogResponse> Verify();

  // The sequence and hash of the last record (0 and kGenesisHash when empty).
  uint64_t last_sequence() const;
  std::string last_hash() const;

 private:
  AuditLog(store::KvStore* store, Clock* clock, uint64_t last_sequence, std::string last_hash);

  absl::StatusOr<conclave::v1::AuditRecord> Read(uint64_t sequence);

  store::KvStore* const store_;
  Clock* const clock_;
  mutable absl::Mutex mu_;
  uint64_t last_sequence_ ABSL_GUARDED_BY(mu_);
  std::string last_hash_ ABSL_GUARDED_BY(mu_);
};

// The unambiguous byte string a record's hash is taken over: netstrings ("<length>:<bytes>,")
// of a version tag, then sequence, time (RFC 3339, UTC, nanoseconds), change_id, action,
// actor, detail_json and prev_hash. Exposed so exported records can be checked elsewhere.
std::string AuditRecordCanonicalEncoding(const conclave::v1::AuditRecord& record);

// Lower-case hex SHA-256 of AuditRecordCanonicalEncoding(record).
std::string AuditRecordHash(const conclave::v1::AuditRecord& record);

}  // namespace conclave::supervisor
