// The RocksDB KvStore: one RocksDB column family per store family. The DB and its column-family
// handles are owned here; handles are destroyed before the DB is closed, as RocksDB requires.
// RocksDB's own thread-safety makes the store thread-safe; nothing here needs a lock.
#include <map>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/store/kv_store.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace conclave::store {
namespace {

constexpr char kDefaultFamily[] = "default";

// The one place a rocksdb::Status becomes an absl::Status. `what` names the operation.
absl::Status FromRocksDb(const rocksdb::Status& s, const std::string& path, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string message =
      absl::StrCat("rocksdb ", std::string(what), " at ", path, ": ", s.ToString());
  using Code = rocksdb::Status::Code;
  switch (s.code()) {
    case Code::kNotFound:
      return absl::NotFoundError(message);
    case Code::kCorruption:
      return absl::DataLossError(message);
    case Code::kNotSupported:
      return absl::UnimplementedError(message);
    case Code::kInvalidArgument:
      return absl::InvalidArgumentError(message);
    case Code::kIOError:
      if (s.IsNoSpace()) return absl::ResourceExhaustedError(message);
      return absl::UnavailableError(message);
    case Code::kBusy:
    case Code::kTryAgain:
    case Code::kShutdownInProgress:
    case Code::kIncomplete:
      return absl::UnavailableError(message);
    case Code::kTimedOut:
      return absl::DeadlineExceededError(message);
    case Code::kAborted:
      return absl::AbortedError(message);
    default:
      return absl::InternalError(message);
  }
}

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
std::string_view ToView(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// The smallest key greater than every key starting with `prefix`; empty when there is none
// (an empty prefix, or one made only of 0xff bytes).
std::string PrefixSuccessor(std::string_view prefix) {
  std::string successor(prefix);
  while (!successor.empty()) {
    unsigned char& last = reinterpret_cast<unsigned char&>(successor.back());
    if (last != 0xff) {
      ++last;
      return successor;
    }
    successor.pop_back();
  }
  return successor;
}

// Destroys a column-family handle through the DB that made it.
struct FamilyHandleDeleter {
  rocksdb::DB* db;
  void operator()(rocksdb::ColumnFamilyHandle* handle) const {
    db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
};
using FamilyHandle = std::unique_ptr<rocksdb::ColumnFamilyHandle, FamilyHandleDeleter>;

class RocksDbStore : public KvStore {
 public:
  // Takes ownership of `db` and of every handle in `handles`.
  RocksDbStore(std::string path, rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> handles,
               const std::vector<std::string>& exposed)
      : path_(std::move(path)), db_(db) {
    for (rocksdb::ColumnFamilyHandle* handle : handles) {
      FamilyHandle owned(handle, FamilyHandleDeleter{db_.get()});
      const std::string name = handle->GetName();
      if (absl::c_linear_search(exposed, name)) {
        families_.emplace(name, std::move(owned));
      } else {
        hidden_.push_back(std::move(owned));
      }
    }
  }

  ~RocksDbStore() override {
    families_.clear();
    hidden_.clear();
    db_->Close().PermitUncheckedError();  // the destructor has no one to report to
  }

  absl::Status Put(std::string_view family, std::string_view key, std::string_view value,
                   bool sync) override {
    absl::StatusOr<rocksdb::ColumnFamilyHandle*> cf = Find(family);
    if (!cf.ok()) return cf.status();
    return FromRocksDb(db_->Put(WriteOptions(sync), *cf, ToSlice(key), ToSlice(value)), path_,
                       "put");
  }

  absl::StatusOr<std::string> Get(std::string_view family, std::string_view key) override {
    absl::StatusOr<rocksdb::ColumnFamilyHandle*> cf = Find(family);
    if (!cf.ok()) return cf.status();
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), *cf, ToSlice(key), &value);
    if (s.IsNotFound()) {
      return absl::NotFoundError(
          absl::StrCat("no key '", std::string(key), "' in family '", std::string(family), "'"));
    }
    if (!s.ok()) return FromRocksDb(s, path_, "get");
    return value;
  }

  absl::Status Delete(std::string_view family, std::string_view key, bool sync) override {
    absl::StatusOr<rocksdb::ColumnFamilyHandle*> cf = Find(family);
    if (!cf.ok()) return cf.status();
    return FromRocksDb(db_->Delete(WriteOptions(sync), *cf, ToSlice(key)), path_, "delete");
  }

  absl::Status Write(const std::vector<WriteOp>& ops, bool sync) override {
    rocksdb::WriteBatch batch;
    for (const WriteOp& op : ops) {
      absl::StatusOr<rocksdb::ColumnFamilyHandle*> cf = Find(op.family);
      if (!cf.ok()) return cf.status();
      rocksdb::Status s =
          op.value.has_value() ? batch.Put(*cf, op.key, *op.value) : batch.Delete(*cf, op.key);
      if (!s.ok()) return FromRocksDb(s, path_, "batch");
    }
    return FromRocksDb(db_->Write(WriteOptions(sync), &batch), path_, "write");
  }

  absl::Status Scan(
      std::string_view family, std::string_view prefix, bool reverse,
      const std::function<bool(std::string_view key, std::string_view value)>& visit) override {
    absl::StatusOr<rocksdb::ColumnFamilyHandle*> cf = Find(family);
    if (!cf.ok()) return cf.status();
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), *cf));
    if (reverse) {
      SeekToLastWithPrefix(it.get(), prefix);
    } else {
      it->Seek(ToSlice(prefix));
    }
    for (; it->Valid() && ToView(it->key()).starts_with(prefix);
         reverse ? it->Prev() : it->Next()) {
      if (!visit(ToView(it->key()), ToView(it->value()))) break;
    }
    return FromRocksDb(it->status(), path_, "scan");
  }

 private:
  static rocksdb::WriteOptions WriteOptions(bool sync) {
    rocksdb::WriteOptions options;
    options.sync = sync;
    return options;
  }

  // Positions `it` at the last key starting with `prefix`, or where no such key is.
  static void SeekToLastWithPrefix(rocksdb::Iterator* it, std::string_view prefix) {
    const std::string successor = PrefixSuccessor(prefix);
    if (successor.empty()) {
      it->SeekToLast();
      return;
    }
    it->SeekForPrev(successor);
    if (it->Valid() && ToView(it->key()) == successor) it->Prev();
  }

  absl::StatusOr<rocksdb::ColumnFamilyHandle*> Find(std::string_view family) const {
    auto it = families_.find(family);
    if (it == families_.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown column family '", std::string(family),
                                                     "' in the store at ", path_));
    }
    return it->second.get();
  }

  const std::string path_;
  // Declared before the handles so that it is destroyed after them.
  std::unique_ptr<rocksdb::DB> db_;
  std::map<std::string, FamilyHandle, std::less<>> families_;
  // Families present on disk but not asked for: RocksDB must open them, the store hides them.
  std::vector<FamilyHandle> hidden_;
};

// The families to expose: the requested ones plus "default", without duplicates.
std::vector<std::string> ExposedFamilies(const std::vector<std::string>& requested) {
  std::vector<std::string> exposed = {kDefaultFamily};
  for (const std::string& name : requested) {
    if (!absl::c_linear_search(exposed, name)) exposed.push_back(name);
  }
  return exposed;
}

// The families to open: the exposed ones plus any already on disk.
std::vector<rocksdb::ColumnFamilyDescriptor> FamiliesToOpen(
    const std::string& path, const std::vector<std::string>& exposed) {
  std::vector<std::string> names = exposed;
  std::vector<std::string> existing;
  // Fails when there is no database yet, which leaves `existing` empty: nothing more to open.
  rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &existing).PermitUncheckedError();
  for (const std::string& name : existing) {
    if (!absl::c_linear_search(names, name)) names.push_back(name);
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  return descriptors;
}

}  // namespace

absl::StatusOr<std::unique_ptr<KvStore>> OpenRocksDbStore(
    const std::string& path, const std::vector<std::string>& families) {
  const std::vector<std::string> exposed = ExposedFamilies(families);
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(options, path, FamiliesToOpen(path, exposed), &handles, &db);
  if (!s.ok())
    return FromRocksDb(s, path, absl::StrCat("open [", absl::StrJoin(exposed, ","), "]"));
  return std::make_unique<RocksDbStore>(path, db, std::move(handles), exposed);
}

}  // namespace conclave::store
