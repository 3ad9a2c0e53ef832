#include "supervisor/core/audit_log.h"

#include <optional>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "supervisor/core/internal/sha256.h"

namespace conclave::supervisor {
namespace {

using conclave::v1::AuditRecord;
using conclave::v1::VerifyAuditLogResponse;

constexpr char kEncodingTag[] = "conclave.audit.v1";
constexpr size_t kSequenceDigits = 20;  // every uint64 fits

std::string RecordKey(uint64_t sequence) {
  return absl::StrFormat("%0*d", kSequenceDigits, sequence);
}

std::string IndexPrefix(std::string_view change_id) {
  return absl::StrCat(std::string(change_id), "/");
}

std::string IndexKey(std::string_view change_id, uint64_t sequence) {
  return absl::StrCat(IndexPrefix(change_id), RecordKey(sequence));
}

// The sequence a record or index key ends with; nullopt for a malformed key.
std::optional<uint64_t> SequenceOfKey(std::string_view key) {
  if (key.size() < kSequenceDigits) return std::nullopt;
  const std::string digits(key.substr(key.size() - kSequenceDigits));
  uint64_t sequence = 0;
  if (!absl::SimpleAtoi(digits, &sequence) || RecordKey(sequence) != digits) return std::nullopt;
  return sequence;
}

void AppendNetstring(std::string* out, std::string_view field) {
  absl::StrAppend(out, field.size(), ":", std::string(field), ",");
}

std::string Rfc3339Nanos(const google::protobuf::Timestamp& t) {
  return absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(t.seconds()),
                                       absl::UTCTimeZone()),
                      absl::StrFormat(".%09dZ", t.nanos()));
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  int64_t nanos = absl::ToUnixNanos(time);
  int64_t seconds = nanos / 1'000'000'000;
  nanos %= 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --seconds;
  }
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  t.set_nanos(static_cast<int32_t>(nanos));
  return t;
}

absl::StatusOr<AuditRecord> ParseRecord(std::string_view key, std::string_view value) {
  AuditRecord record;
  if (!record.ParseFromArray(value.data(), static_cast<int>(value.size())) ||
      RecordKey(record.sequence()) != key) {
    return absl::DataLossError(absl::StrCat("audit record under key ", std::string(key),
                                            " cannot be read back as that record"));
  }
  return record;
}

// Walks the records in key order, checking each against the one before; stops at the first
// broken one. Records past `head` (appended after the walk began) are not its business.
class ChainVerifier {
 public:
  ChainVerifier(store::KvStore* store, uint64_t head) : store_(store), head_(head) {}

  // Checks one stored record; false stops the walk (broken, or past the head).
  bool Check(std::string_view key, std::string_view value) {
    std::optional<uint64_t> sequence = SequenceOfKey(key);
    if (!sequence)
      return Fail(expected_,
                  absl::StrCat("a record has the malformed key '", std::string(key), "'"));
    if (*sequence > head_) return false;
    AuditRecord record;
    if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return Fail(*sequence, absl::StrCat("record ", *sequence, " cannot be parsed"));
    }
    if (!CheckPlace(*sequence, record) || !CheckContent(record) || !CheckIndexed(record)) {
      return false;
    }
    prev_hash_ = record.hash();
    ++expected_;
    ++records_;
    return true;
  }

  // After the walk: records missing from the end, or index entries without a record.
  void Finish() {
    if (!failed_ && records_ < head_) {
      Fail(records_ + 1, absl::StrFormat("records %d to %d are missing from the end of the log",
                                         records_ + 1, head_));
    }
    if (!failed_) CheckIndexHasNoStrays();
  }

  absl::Status status() const { return store_status_; }

  VerifyAuditLogResponse Response() const {
    VerifyAuditLogResponse response;
    response.set_ok(!failed_);
    response.set_records(records_);
    response.set_first_bad_sequence(failed_ ? first_bad_ : 0);
    response.set_message(
        failed_ ? message_
                : absl::StrFormat("%d records verified; head hash %s", records_, prev_hash_));
    return response;
  }

 private:
  bool CheckPlace(uint64_t sequence, const AuditRecord& record) {
    if (record.sequence() != sequence) {
      return Fail(sequence, absl::StrFormat("the record stored as %d says it is record %d (moved)",
                                            sequence, record.sequence()));
    }
    if (sequence != expected_) {
      return Fail(expected_, absl::StrFormat("record %d is missing: the log goes from %d to %d",
                                             expected_, expected_ - 1, sequence));
    }
    if (record.prev_hash() != prev_hash_) {
      return Fail(sequence, absl::StrFormat("record %d does not link to record %d: its prev_hash "
                                            "is %s, the hash of record %d is %s (relinked or "
                                            "reordered)",
                                            sequence, sequence - 1, record.prev_hash(),
                                            sequence - 1, prev_hash_));
    }
    return true;
  }

  bool CheckContent(const AuditRecord& record) {
    const std::string hash = AuditRecordHash(record);
    if (hash == record.hash()) return true;
    return Fail(record.sequence(),
                absl::StrFormat("record %d was altered: its content hashes to %s, it says %s",
                                record.sequence(), hash, record.hash()));
  }

  bool CheckIndexed(const AuditRecord& record) {
    absl::StatusOr<std::string> entry =
        store_->Get(AuditLog::kByChangeFamily, IndexKey(record.change_id(), record.sequence()));
    if (entry.ok()) return true;
    if (!absl::IsNotFound(entry.status())) return StoreFailed(entry.status());
    return Fail(record.sequence(),
                absl::StrFormat("record %d is missing from the index of change '%s'",
                                record.sequence(), record.change_id()));
  }

  // Every index entry must name a verified record of the same change.
  void CheckIndexHasNoStrays() {
    absl::Status s = store_->Scan(AuditLog::kByChangeFamily, "", false, [&](auto key, auto) {
      std::optional<uint64_t> sequence = SequenceOfKey(key);
      if (sequence && *sequence > head_) return true;
      return sequence && IndexEntryMatches(key, *sequence);
    });
    if (!s.ok()) StoreFailed(s);
  }

  bool IndexEntryMatches(std::string_view key, uint64_t sequence) {
    absl::StatusOr<std::string> value = store_->Get(AuditLog::kRecordsFamily, RecordKey(sequence));
    AuditRecord record;
    if (value.ok() && record.ParseFromString(*value) &&
        IndexKey(record.change_id(), sequence) == key) {
      return true;
    }
    if (!value.ok() && !absl::IsNotFound(value.status())) return StoreFailed(value.status());
    return Fail(sequence,
                absl::StrFormat("the index entry '%s' names no such record", std::string(key)));
  }

  bool Fail(uint64_t sequence, std::string message) {
    if (!failed_) {
      failed_ = true;
      first_bad_ = sequence;
      message_ = std::move(message);
    }
    return false;
  }

  bool StoreFailed(absl::Status s) {
    if (store_status_.ok()) store_status_ = std::move(s);
    failed_ = true;
    return false;
  }

  store::KvStore* store_;
  const uint64_t head_;
  uint64_t expected_ = 1;
  uint64_t records_ = 0;
  std::string prev_hash_ = AuditLog::kGenesisHash;
  bool failed_ = false;
  uint64_t first_bad_ = 0;
  std::string message_;
  absl::Status store_status_;
};

}  // namespace

std::string AuditRecordCanonicalEncoding(const AuditRecord& record) {
  std::string out;
  AppendNetstring(&out, kEncodingTag);
  AppendNetstring(&out, absl::StrCat(record.sequence()));
  AppendNetstring(&out, Rfc3339Nanos(record.time()));
  AppendNetstring(&out, record.change_id());
  AppendNetstring(&out, record.action());
  AppendNetstring(&out, record.actor());
  AppendNetstring(&out, record.detail_json());
  AppendNetstring(&out, record.prev_hash());
  return out;
}

std::string AuditRecordHash(const AuditRecord& record) {
  return internal::Sha256Hex(AuditRecordCanonicalEncoding(record));
}

std::vector<std::string> AuditLog::StoreFamilies() { return {kRecordsFamily, kByChangeFamily}; }

AuditLog::AuditLog(store::KvStore* store, Clock* clock, uint64_t last_sequence,
                   std::string last_hash)
    : store_(store),
      clock_(clock),
      last_sequence_(last_sequence),
      last_hash_(std::move(last_hash)) {}

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(store::KvStore* store, Clock* clock) {
  absl::StatusOr<AuditRecord> head = AuditRecord();
  bool found = false;
  absl::Status s = store->Scan(kRecordsFamily, "", /*reverse=*/true, [&](auto key, auto value) {
    head = ParseRecord(key, value);
    found = true;
    return false;
  });
  if (!s.ok()) return s;
  if (!head.ok()) return head.status();
  if (!found) return absl::WrapUnique(new AuditLog(store, clock, 0, kGenesisHash));
  return absl::WrapUnique(new AuditLog(store, clock, head->sequence(), head->hash()));
}

absl::StatusOr<AuditRecord> AuditLog::Append(std::string_view change_id, std::string_view action,
                                             std::string_view actor, std::string_view detail_json) {
  return Append(change_id, action, actor, detail_json, {}, /*sync=*/true);
}

absl::StatusOr<AuditRecord> AuditLog::Append(std::string_view change_id, std::string_view action,
                                             std::string_view actor, std::string_view detail_json,
                                             std::vector<store::WriteOp> with, bool sync) {
  AuditRecord record;
  record.set_change_id(std::string(change_id));
  record.set_action(std::string(action));
  record.set_actor(std::string(actor));
  record.set_detail_json(std::string(detail_json));
  absl::MutexLock lock(&mu_);
  record.set_sequence(last_sequence_ + 1);
  *record.mutable_time() = ToTimestamp(clock_->Now());
  record.set_prev_hash(last_hash_);
  record.set_hash(AuditRecordHash(record));
  std::vector<store::WriteOp> ops = std::move(with);
  ops.push_back({kRecordsFamily, RecordKey(record.sequence()), record.SerializeAsString()});
  ops.push_back({kByChangeFamily, IndexKey(change_id, record.sequence()), std::string()});
  if (absl::Status s = store_->Write(ops, sync); !s.ok()) return s;
  last_sequence_ = record.sequence();
  last_hash_ = record.hash();
  return record;
}

absl::StatusOr<AuditRecord> AuditLog::Read(uint64_t sequence) {
  absl::StatusOr<std::string> value = store_->Get(kRecordsFamily, RecordKey(sequence));
  if (absl::IsNotFound(value.status())) {
    return absl::DataLossError(
        absl::StrCat("the audit index names record ", sequence, ", which is not in the log"));
  }
  if (!value.ok()) return value.status();
  return ParseRecord(RecordKey(sequence), *value);
}

absl::StatusOr<std::vector<AuditRecord>> AuditLog::ForChange(std::string_view change_id) {
  std::vector<uint64_t> sequences;
  absl::Status s =
      store_->Scan(kByChangeFamily, IndexPrefix(change_id), false, [&](auto key, auto) {
        std::optional<uint64_t> sequence = SequenceOfKey(key);
        // A longer id that merely starts with change_id + '/' is not
        // this change (ids have no '/', but the store does not know).
        if (sequence && key == IndexKey(change_id, *sequence)) {
          sequences.push_back(*sequence);
        }
        return true;
      });
  if (!s.ok()) return s;
  std::vector<AuditRecord> records;
  for (uint64_t sequence : sequences) {
    absl::StatusOr<AuditRecord> record = Read(sequence);
    if (!record.ok()) return record.status();
    records.push_back(*std::move(record));
  }
  return records;
}

absl::StatusOr<std::vector<AuditRecord>> AuditLog::All() {
  std::vector<AuditRecord> records;
  absl::Status parse_error;
  absl::Status s = store_->Scan(kRecordsFamily, "", false, [&](auto key, auto value) {
    absl::StatusOr<AuditRecord> record = ParseRecord(key, value);
    if (!record.ok()) {
      parse_error = record.status();
      return false;
    }
    records.push_back(*std::move(record));
    return true;
  });
  if (!s.ok()) return s;
  if (!parse_error.ok()) return parse_error;
  return records;
}

absl::StatusOr<VerifyAuditLogResponse> AuditLog::Verify() {
  ChainVerifier verifier(store_, last_sequence());
  absl::Status s = store_->Scan(kRecordsFamily, "", false,
                                [&](auto key, auto value) { return verifier.Check(key, value); });
  if (!s.ok()) return s;
  verifier.Finish();
  if (!verifier.status().ok()) return verifier.status();
  return verifier.Response();
}

uint64_t AuditLog::last_sequence() const {
  absl::MutexLock lock(&mu_);
  return last_sequence_;
}

std::string AuditLog::last_hash() const {
  absl::MutexLock lock(&mu_);
  return last_hash_;
}

}  // namespace conclave::supervisor
