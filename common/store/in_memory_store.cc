// The in-memory KvStore: one ordered map per column family behind one mutex. Scan copies the
// matching range under the lock and visits it without the lock, so a visitor may call back into
// the store and sees a consistent snapshot, as with a RocksDB iterator.
#include <map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/store/kv_store.h"

namespace conclave::store {
namespace {

using Family = std::map<std::string, std::string, std::less<>>;

class InMemoryKvStore : public KvStore {
 public:
  explicit InMemoryKvStore(const std::vector<std::string>& families) {
    families_["default"];
    for (const std::string& name : families) families_[name];
  }

  absl::Status Put(std::string_view family, std::string_view key, std::string_view value,
                   bool sync) override {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<Family*> f = Find(family);
    if (!f.ok()) return f.status();
    (**f)[std::string(key)] = std::string(value);
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Get(std::string_view family, std::string_view key) override {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<Family*> f = Find(family);
    if (!f.ok()) return f.status();
    auto it = (*f)->find(key);
    if (it == (*f)->end()) {
      return absl::NotFoundError(
          absl::StrCat("no key '", std::string(key), "' in family '", std::string(family), "'"));
    }
    return it->second;
  }

  absl::Status Delete(std::string_view family, std::string_view key, bool sync) override {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<Family*> f = Find(family);
    if (!f.ok()) return f.status();
    auto it = (*f)->find(key);
    if (it != (*f)->end()) (*f)->erase(it);
    return absl::OkStatus();
  }

  absl::Status Write(const std::vector<WriteOp>& ops, bool sync) override {
    absl::MutexLock lock(&mu_);
    // Resolve every family first, so that a bad batch changes nothing.
    std::vector<Family*> targets;
    targets.reserve(ops.size());
    for (const WriteOp& op : ops) {
      absl::StatusOr<Family*> f = Find(op.family);
      if (!f.ok()) return f.status();
      targets.push_back(*f);
    }
    for (size_t i = 0; i < ops.size(); ++i) Apply(ops[i], targets[i]);
    return absl::OkStatus();
  }

  absl::Status Scan(
      std::string_view family, std::string_view prefix, bool reverse,
      const std::function<bool(std::string_view key, std::string_view value)>& visit) override {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> range = Range(family, prefix);
    if (!range.ok()) return range.status();
    if (reverse) {
      for (auto it = range->rbegin(); it != range->rend(); ++it) {
        if (!visit(it->first, it->second)) break;
      }
    } else {
      for (const auto& [key, value] : *range) {
        if (!visit(key, value)) break;
      }
    }
    return absl::OkStatus();
  }

 private:
  absl::StatusOr<Family*> Find(std::string_view family) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto it = families_.find(family);
    if (it == families_.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown column family '", std::string(family), "' in the in-memory store"));
    }
    return &it->second;
  }

  static void Apply(const WriteOp& op, Family* family) {
    if (op.value.has_value()) {
      (*family)[op.key] = *op.value;
    } else {
      family->erase(op.key);
    }
  }

  // A copy of the entries whose key starts with `prefix`, in key order.
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Range(std::string_view family,
                                                                         std::string_view prefix) {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<Family*> f = Find(family);
    if (!f.ok()) return f.status();
    std::vector<std::pair<std::string, std::string>> range;
    for (auto it = (*f)->lower_bound(prefix);
         it != (*f)->end() && std::string_view(it->first).starts_with(prefix); ++it) {
      range.emplace_back(it->first, it->second);
    }
    return range;
  }

  absl::Mutex mu_;
  std::map<std::string, Family, std::less<>> families_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

std::unique_ptr<KvStore> NewInMemoryKvStore(const std::vector<std::string>& families) {
  return std::make_unique<InMemoryKvStore>(families);
}

}  // namespace conclave::store
