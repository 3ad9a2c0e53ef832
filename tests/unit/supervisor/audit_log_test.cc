// The audit log over a real RocksDB in a temporary directory: the chain across appends and
// reopens, the documented hash encoding, tamper detection through the raw store, and
// concurrent appends.
#include "supervisor/core/audit_log.h"

#include <stdlib.h>

#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace conclave::supervisor {
namespace {

using conclave::v1::AuditRecord;
using ::testing::HasSubstr;

std::string Key(uint64_t sequence) { return absl::StrFormat("%020d", sequence); }

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::path(::testing::TempDir()) / "audit_log_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    Reopen();
  }

  void TearDown() override {
    log_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Reopen() {
    log_.reset();
    store_.reset();
    absl::StatusOr<std::unique_ptr<store::KvStore>> store =
        store::OpenRocksDbStore(dir_, AuditLog::StoreFamilies());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(store_.get(), &clock_);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
  }

  AuditRecord Append(const std::string& change_id, const std::string& action) {
    clock_.Advance(absl::Milliseconds(1));
    absl::StatusOr<AuditRecord> record =
        log_->Append(change_id, action, "supervisor", absl::StrCat("{\"n\":\"", action, "\"}"));
    EXPECT_TRUE(record.ok()) << record.status();
    return record.ok() ? *record : AuditRecord();
  }

  void AppendFive() {
    Append("chg_1", "submitted");
    Append("chg_2", "submitted");
    Append("chg_1", "dispatched");
    Append("", "supervisor_started");
    Append("chg_1", "decided");
  }

  AuditRecord Stored(uint64_t sequence) {
    AuditRecord record;
    EXPECT_TRUE(record.ParseFromString(*store_->Get(AuditLog::kRecordsFamily, Key(sequence))));
    return record;
  }

  void Store(uint64_t sequence, const AuditRecord& record) {
    ASSERT_TRUE(
        store_->Put(AuditLog::kRecordsFamily, Key(sequence), record.SerializeAsString(), true)
            .ok());
  }

  conclave::v1::VerifyAuditLogResponse Verify() {
    absl::StatusOr<conclave::v1::VerifyAuditLogResponse> result = log_->Verify();
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : conclave::v1::VerifyAuditLogResponse();
  }

  std::string dir_;
  FakeClock clock_;
  std::unique_ptr<store::KvStore> store_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditLogTest, AppendsAreNumberedLinkedAndHashed) {
  AuditRecord first = Append("chg_1", "submitted");
  AuditRecord second = Append("chg_1", "dispatched");
  EXPECT_EQ(first.sequence(), 1u);
  EXPECT_EQ(second.sequence(), 2u);
  EXPECT_EQ(first.prev_hash(), AuditLog::kGenesisHash);
  EXPECT_EQ(second.prev_hash(), first.hash());
  EXPECT_EQ(first.hash(), AuditRecordHash(first));
  EXPECT_EQ(first.hash().size(), 64u);
  EXPECT_EQ(first.time().seconds(), absl::ToUnixSeconds(clock_.Now() - absl::Milliseconds(1)));
  EXPECT_EQ(first.actor(), "supervisor");
  EXPECT_EQ(log_->last_sequence(), 2u);
  EXPECT_EQ(log_->last_hash(), second.hash());
}

TEST_F(AuditLogTest, TheHashIsTheDocumentedEncoding) {
  AuditRecord r;
  r.set_sequence(7);
  r.mutable_time()->set_seconds(1795341600);  // 2026-11-22T10:00:00Z
  r.mutable_time()->set_nanos(123);
  r.set_change_id("chg_01J");
  r.set_action("decided");
  r.set_actor("supervisor");
  r.set_detail_json("{\"outcome\":\"APPROVED\"}");
  r.set_prev_hash("abababababababababababababababababababababababababababababababab");
  EXPECT_EQ(AuditRecordCanonicalEncoding(r),
            "17:conclave.audit.v1,1:7,30:2026-11-22T10:00:00.000000123Z,7:chg_01J,7:decided,"
            "10:supervisor,22:{\"outcome\":\"APPROVED\"},"
            "64:abababababababababababababababababababababababababababababababab,");
  // Computed independently: python3 hashlib.sha256 over the string above.
  EXPECT_EQ(AuditRecordHash(r), "ed2873ec56ec7c5e2270425e5d9f21e90fdb2d3724b807e5c28f1bc8a632989e");
}

TEST_F(AuditLogTest, FieldBoundariesCannotBeShifted) {
  AuditRecord a, b;
  a.set_action("ab");
  a.set_actor("c");
  b.set_action("a");
  b.set_actor("bc");
  EXPECT_NE(AuditRecordHash(a), AuditRecordHash(b));
}

TEST_F(AuditLogTest, ReopenContinuesTheChain) {
  Append("chg_1", "submitted");
  AuditRecord second = Append("chg_1", "dispatched");
  Reopen();
  EXPECT_EQ(log_->last_sequence(), 2u);
  AuditRecord third = Append("chg_1", "decided");
  EXPECT_EQ(third.sequence(), 3u);
  EXPECT_EQ(third.prev_hash(), second.hash());
  auto result = Verify();
  EXPECT_TRUE(result.ok()) << result.message();
  EXPECT_EQ(result.records(), 3u);
  EXPECT_THAT(result.message(), HasSubstr(third.hash()));
}

TEST_F(AuditLogTest, ForChangeReturnsOneChangeInOrder) {
  AppendFive();
  Append("chg_10", "submitted");  // shares a prefix with chg_1
  absl::StatusOr<std::vector<AuditRecord>> records = log_->ForChange("chg_1");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0].action(), "submitted");
  EXPECT_EQ((*records)[1].action(), "dispatched");
  EXPECT_EQ((*records)[2].action(), "decided");
  EXPECT_EQ(log_->ForChange("")->size(), 1u) << "system records have the empty change id";
  EXPECT_TRUE(log_->ForChange("chg_404")->empty());
  absl::StatusOr<std::vector<AuditRecord>> all = log_->All();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 6u);
  EXPECT_EQ(all->back().sequence(), 6u);
}

TEST_F(AuditLogTest, EmptyLogVerifies) {
  auto result = Verify();
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.records(), 0u);
  EXPECT_EQ(result.first_bad_sequence(), 0u);
}

TEST_F(AuditLogTest, EditedDetailIsFound) {
  AppendFive();
  AuditRecord record = Stored(3);
  record.set_detail_json("{\"n\":\"nothing happened\"}");
  Store(3, record);
  auto result = Verify();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.first_bad_sequence(), 3u);
  EXPECT_EQ(result.records(), 2u);
  EXPECT_THAT(result.message(), HasSubstr("record 3 was altered"));
}

TEST_F(AuditLogTest, EditWithARecomputedHashBreaksTheNextLink) {
  AppendFive();
  AuditRecord record = Stored(2);
  record.set_actor("someone-else");
  record.set_hash(AuditRecordHash(record));
  Store(2, record);
  auto result = Verify();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.first_bad_sequence(), 3u);
  EXPECT_THAT(result.message(), HasSubstr("record 3 does not link to record 2"));
}

TEST_F(AuditLogTest, DeletedRecordIsFound) {
  AppendFive();
  ASSERT_TRUE(store_->Delete(AuditLog::kRecordsFamily, Key(2), true).ok());
  auto result = Verify();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.first_bad_sequence(), 2u);
  EXPECT_THAT(result.message(), HasSubstr("record 2 is missing: the log goes from 1 to 3"));
}

TEST_F(AuditLogTest, DeletedLastRecordIsFound) {
  AppendFive();
  ASSERT_TRUE(store_->Delete(AuditLog::kRecordsFamily, Key(5), true).ok());
  auto result = Verify();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.first_bad_sequence(), 5u);
  EXPECT_THAT(result.message(), HasSubstr("missing from the end"));
}

TEST_F(AuditLogTest, RenumberedRecordIsFound) {
  AppendFive();
  // Move record 3 into the place of record 2, renumbered and rehashed: the links give it away.
  AuditRecord moved = Stored(3);
  moved.set_sequence(2);
  moved.set_hash(AuditRecordHash(moved));
  Store(2, moved);
  auto result = Verify();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.first_bad_sequence(), 2u);
  EXPECT_THAT(result.message(), HasSubstr("does not link"));
}

TEST_F(AuditLogTest, RecordStoredUnderAnotherSequenceIsFound) {
  AppendFive();
  Store(2, Stored(4));
  auto result = Verify();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.first_bad_sequence(), 2u);
  EXPECT_THAT(result.message(), HasSubstr("says it is record 4"));
}

TEST_F(AuditLogTest, RemovedIndexEntryIsFound) {
  AppendFive();
  ASSERT_TRUE(store_->Delete(AuditLog::kByChangeFamily, "chg_1/" + Key(3), true).ok());
  auto result = Verify();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.first_bad_sequence(), 3u);
  EXPECT_THAT(result.message(), HasSubstr("missing from the index of change 'chg_1'"));
}

TEST_F(AuditLogTest, ForgedIndexEntryIsFound) {
  AppendFive();
  ASSERT_TRUE(store_->Put(AuditLog::kByChangeFamily, "chg_2/" + Key(1), "", true).ok());
  auto result = Verify();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.first_bad_sequence(), 1u);
  EXPECT_THAT(result.message(), HasSubstr("names no such record"));
}

TEST_F(AuditLogTest, UnreadableHeadFailsOpen) {
  Append("chg_1", "submitted");
  ASSERT_TRUE(store_->Put(AuditLog::kRecordsFamily, Key(2), "\xff\xff garbage", true).ok());
  absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(store_.get(), &clock_);
  EXPECT_EQ(log.status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(AuditLogTest, StoreWithoutTheFamiliesFailsOpen) {
  std::unique_ptr<store::KvStore> bare = store::NewInMemoryKvStore({"changes"});
  EXPECT_EQ(AuditLog::Open(bare.get(), &clock_).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(AuditLogTest, ConcurrentAppendsKeepOneValidChain) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kPerThread; ++i) {
        EXPECT_TRUE(log_->Append(absl::StrCat("chg_", t), "vote", "security", "{}").ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  auto result = Verify();
  EXPECT_TRUE(result.ok()) << result.message();
  EXPECT_EQ(result.records(), uint64_t{kThreads * kPerThread});
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(log_->ForChange(absl::StrCat("chg_", t))->size(), size_t{kPerThread});
  }
}

}  // namespace
}  // namespace conclave::supervisor
