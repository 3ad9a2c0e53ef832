// One behavioural suite run against both KvStore implementations, so the in-memory fake that
// unit tests use cannot drift from the RocksDB store the supervisor runs on. RocksDB-only
// behaviour (reopening, files on disk) follows at the end.
#include "common/store/kv_store.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace conclave::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

const std::vector<std::string> kFamilies = {"changes", "events"};

// A fresh directory under the test's temporary directory, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::path(::testing::TempDir()) / "kv_store_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << pattern;
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

enum class Backend { kRocksDb, kInMemory };

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kRocksDb ? "RocksDb" : "InMemory";
}

void PrintTo(Backend backend, std::ostream* os) {
  *os << (backend == Backend::kRocksDb ? "RocksDb" : "InMemory");
}

using Entries = std::vector<std::pair<std::string, std::string>>;

class KvStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { store_ = Open(kFamilies); }

  std::unique_ptr<KvStore> Open(const std::vector<std::string>& families) {
    if (GetParam() == Backend::kInMemory) return NewInMemoryKvStore(families);
    absl::StatusOr<std::unique_ptr<KvStore>> store = OpenRocksDbStore(dir_.path(), families);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  Entries ScanAll(std::string_view family, std::string_view prefix, bool reverse) {
    Entries entries;
    absl::Status s = store_->Scan(family, prefix, reverse, [&](auto key, auto value) {
      entries.emplace_back(std::string(key), std::string(value));
      return true;
    });
    EXPECT_TRUE(s.ok()) << s;
    return entries;
  }

  void PutAll(std::string_view family, const std::vector<std::string>& keys) {
    for (const std::string& key : keys) {
      ASSERT_TRUE(store_->Put(family, key, absl::StrCat("v-", key), false).ok());
    }
  }

  TempDir dir_;  // declared first: outlives the store
  std::unique_ptr<KvStore> store_;
};

TEST_P(KvStoreTest, PutThenGetReturnsTheValue) {
  ASSERT_TRUE(store_->Put("changes", "chg_1", "hello", /*sync=*/true).ok());
  absl::StatusOr<std::string> value = store_->Get("changes", "chg_1");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, "hello");
}

TEST_P(KvStoreTest, GetOfAMissingKeyIsNotFound) {
  absl::StatusOr<std::string> value = store_->Get("changes", "absent");
  EXPECT_EQ(value.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(value.status().message(), HasSubstr("absent"));
}

TEST_P(KvStoreTest, PutOverwrites) {
  ASSERT_TRUE(store_->Put("changes", "k", "one", false).ok());
  ASSERT_TRUE(store_->Put("changes", "k", "two", false).ok());
  EXPECT_EQ(*store_->Get("changes", "k"), "two");
}

TEST_P(KvStoreTest, DeleteRemovesTheKeyAndDeletingAMissingKeyIsOk) {
  ASSERT_TRUE(store_->Put("changes", "k", "v", false).ok());
  ASSERT_TRUE(store_->Delete("changes", "k", /*sync=*/true).ok());
  EXPECT_EQ(store_->Get("changes", "k").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(store_->Delete("changes", "never-there", false).ok());
}

TEST_P(KvStoreTest, FamiliesAreSeparateKeySpaces) {
  ASSERT_TRUE(store_->Put("changes", "k", "in changes", false).ok());
  ASSERT_TRUE(store_->Put("events", "k", "in events", false).ok());
  EXPECT_EQ(*store_->Get("changes", "k"), "in changes");
  EXPECT_EQ(*store_->Get("events", "k"), "in events");
}

TEST_P(KvStoreTest, DefaultFamilyIsAlwaysPresent) {
  EXPECT_TRUE(store_->Put("default", "k", "v", false).ok());
  EXPECT_EQ(*store_->Get("default", "k"), "v");
}

TEST_P(KvStoreTest, UnknownFamilyIsInvalidArgumentForEveryOperation) {
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  EXPECT_EQ(store_->Put("nope", "k", "v", false).code(), kInvalid);
  EXPECT_EQ(store_->Get("nope", "k").status().code(), kInvalid);
  EXPECT_EQ(store_->Delete("nope", "k", false).code(), kInvalid);
  EXPECT_EQ(store_->Write({{"nope", "k", "v"}}, false).code(), kInvalid);
  absl::Status scan = store_->Scan("nope", "", false, [](auto, auto) { return true; });
  EXPECT_EQ(scan.code(), kInvalid);
  EXPECT_THAT(scan.message(), HasSubstr("nope"));
}

TEST_P(KvStoreTest, KeysAndValuesAreBinarySafe) {
  const std::string key("a\0b", 3);
  const std::string value("\0\xff\x01", 3);
  ASSERT_TRUE(store_->Put("changes", key, value, false).ok());
  EXPECT_EQ(*store_->Get("changes", key), value);
  EXPECT_EQ(store_->Get("changes", "a").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(KvStoreTest, WriteAppliesPutsAndDeletesAcrossFamilies) {
  ASSERT_TRUE(store_->Put("events", "old", "x", false).ok());
  std::vector<WriteOp> ops = {
      {"changes", "chg_1", "record"}, {"events", "chg_1/1", "event"}, {"events", "old", {}}};
  ASSERT_TRUE(store_->Write(ops, /*sync=*/true).ok());
  EXPECT_EQ(*store_->Get("changes", "chg_1"), "record");
  EXPECT_EQ(*store_->Get("events", "chg_1/1"), "event");
  EXPECT_EQ(store_->Get("events", "old").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(KvStoreTest, WriteWithAnUnknownFamilyAppliesNothing) {
  std::vector<WriteOp> ops = {{"changes", "a", "1"}, {"missing", "b", "2"}};
  EXPECT_EQ(store_->Write(ops, false).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Get("changes", "a").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(KvStoreTest, LaterOperationsInABatchWin) {
  std::vector<WriteOp> ops = {
      {"changes", "k", "first"}, {"changes", "k", {}}, {"changes", "k", "last"}};
  ASSERT_TRUE(store_->Write(ops, false).ok());
  EXPECT_EQ(*store_->Get("changes", "k"), "last");
}

TEST_P(KvStoreTest, EmptyWriteIsOk) { EXPECT_TRUE(store_->Write({}, true).ok()); }

TEST_P(KvStoreTest, ScanVisitsOnlyThePrefixInKeyOrder) {
  PutAll("events", {"chg_2/002", "chg_1/002", "chg_1/001", "chg_10/001", "chg_1", "chg_0/9"});
  EXPECT_THAT(ScanAll("events", "chg_1/", /*reverse=*/false),
              ElementsAre(Pair("chg_1/001", "v-chg_1/001"), Pair("chg_1/002", "v-chg_1/002")));
}

TEST_P(KvStoreTest, ReverseScanVisitsThePrefixNewestFirst) {
  PutAll("events", {"chg_2/002", "chg_1/002", "chg_1/001", "chg_1/003", "chg_0/9"});
  Entries entries = ScanAll("events", "chg_1/", /*reverse=*/true);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].first, "chg_1/003");
  EXPECT_EQ(entries[1].first, "chg_1/002");
  EXPECT_EQ(entries[2].first, "chg_1/001");
}

TEST_P(KvStoreTest, EmptyPrefixScansTheWholeFamilyBothWays) {
  PutAll("changes", {"b", "a", "c"});
  PutAll("events", {"other"});
  Entries forward = ScanAll("changes", "", false);
  Entries reverse = ScanAll("changes", "", true);
  ASSERT_EQ(forward.size(), 3u);
  ASSERT_EQ(reverse.size(), 3u);
  EXPECT_EQ(forward.front().first, "a");
  EXPECT_EQ(reverse.front().first, "c");
}

TEST_P(KvStoreTest, ReverseScanHandlesPrefixesEndingInFfBytes) {
  const std::string prefix = "k\xff";
  PutAll("changes", {"k", prefix, prefix + "\x01", prefix + "\xff", "l"});
  Entries entries = ScanAll("changes", prefix, /*reverse=*/true);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].first, prefix + "\xff");
  EXPECT_EQ(entries[2].first, prefix);
}

TEST_P(KvStoreTest, ReverseScanSkipsTheKeyJustPastThePrefix) {
  PutAll("changes", {"a/1", "a/2", "a0", "b"});  // '0' is the byte after '/'
  Entries entries = ScanAll("changes", "a/", /*reverse=*/true);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].first, "a/2");
}

TEST_P(KvStoreTest, ScanOfAnAbsentPrefixVisitsNothing) {
  PutAll("changes", {"a", "c"});
  EXPECT_TRUE(ScanAll("changes", "b", false).empty());
  EXPECT_TRUE(ScanAll("changes", "b", true).empty());
  EXPECT_TRUE(ScanAll("events", "", true).empty());
}

TEST_P(KvStoreTest, ScanStopsWhenTheVisitorReturnsFalse) {
  PutAll("changes", {"a", "b", "c", "d"});
  for (bool reverse : {false, true}) {
    std::vector<std::string> seen;
    ASSERT_TRUE(store_
                    ->Scan("changes", "", reverse,
                           [&](auto key, auto) {
                             seen.emplace_back(key);
                             return seen.size() < 2;
                           })
                    .ok());
    EXPECT_EQ(seen.size(), 2u) << "reverse=" << reverse;
    EXPECT_EQ(seen.front(), reverse ? "d" : "a");
  }
}

TEST_P(KvStoreTest, VisitorMayWriteToTheStoreAndSeesASnapshot) {
  PutAll("changes", {"a", "b"});
  int visited = 0;
  ASSERT_TRUE(
      store_
          ->Scan("changes", "", false,
                 [&](auto key, auto) {
                   ++visited;
                   return store_->Put("changes", absl::StrCat("z", visited), "", false).ok();
                 })
          .ok());
  EXPECT_EQ(visited, 2);
  EXPECT_EQ(ScanAll("changes", "", false).size(), 4u);
}

TEST_P(KvStoreTest, ConcurrentWritersAllLand) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string key = absl::StrCat(t, "/", i);
        EXPECT_TRUE(store_->Write({{"changes", key, "v"}, {"events", key, "e"}}, false).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ScanAll("changes", "", false).size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(ScanAll("events", "", true).size(), size_t{kThreads * kPerThread});
}

INSTANTIATE_TEST_SUITE_P(Backends, KvStoreTest,
                         ::testing::Values(Backend::kRocksDb, Backend::kInMemory), BackendName);

// RocksDB only: what survives a reopen, and what a bad path reports.
class RocksDbStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<KvStore> Open(const std::vector<std::string>& families) {
    absl::StatusOr<std::unique_ptr<KvStore>> store = OpenRocksDbStore(dir_.path(), families);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }
  TempDir dir_;
};

TEST_F(RocksDbStoreTest, SyncedWritesSurviveReopen) {
  {
    std::unique_ptr<KvStore> store = Open(kFamilies);
    ASSERT_TRUE(store->Put("changes", "chg_1", "record", /*sync=*/true).ok());
    ASSERT_TRUE(
        store->Write({{"events", "chg_1/1", "e1"}, {"events", "chg_1/2", "e2"}}, true).ok());
  }
  std::unique_ptr<KvStore> store = Open(kFamilies);
  EXPECT_EQ(*store->Get("changes", "chg_1"), "record");
  EXPECT_EQ(*store->Get("events", "chg_1/2"), "e2");
}

TEST_F(RocksDbStoreTest, ReopenWithFewerFamiliesKeepsTheOthersOnDisk) {
  {
    std::unique_ptr<KvStore> store = Open({"changes", "audit"});
    ASSERT_TRUE(store->Put("audit", "1", "first", true).ok());
  }
  {
    std::unique_ptr<KvStore> store = Open({"changes"});
    EXPECT_EQ(store->Get("audit", "1").status().code(), absl::StatusCode::kInvalidArgument);
  }
  std::unique_ptr<KvStore> store = Open({"changes", "audit"});
  EXPECT_EQ(*store->Get("audit", "1"), "first");
}

TEST_F(RocksDbStoreTest, ReopenWithANewFamilyCreatesIt) {
  { Open({"changes"}); }
  std::unique_ptr<KvStore> store = Open({"changes", "rollouts"});
  EXPECT_TRUE(store->Put("rollouts", "r", "v", true).ok());
}

TEST_F(RocksDbStoreTest, SecondOpenOfTheSameDirectoryFailsAndNamesThePath) {
  std::unique_ptr<KvStore> first = Open(kFamilies);
  absl::StatusOr<std::unique_ptr<KvStore>> second = OpenRocksDbStore(dir_.path(), kFamilies);
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second.status().message(), HasSubstr(dir_.path()));
}

TEST_F(RocksDbStoreTest, OpenOnARegularFileFailsAndNamesThePath) {
  const std::string file = dir_.path() + "/not-a-directory";
  { std::ofstream(file) << "x"; }
  absl::StatusOr<std::unique_ptr<KvStore>> store = OpenRocksDbStore(file, kFamilies);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr(file));
}

}  // namespace
}  // namespace conclave::store
