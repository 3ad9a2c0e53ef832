// KvStore: the one seam for durable state. Keys live in named column families; a family must
// be named when the store is opened. OpenRocksDbStore() is the real implementation (RocksDB,
// one column family per family); NewInMemoryKvStore() is the fake for unit tests.
// Implementations are thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace conclave::store {

// One operation of an atomic batch: a put, or a delete when `value` is unset.
struct WriteOp {
  std::string family;
  std::string key;
  std::optional<std::string> value;
};

class KvStore {
 public:
  virtual ~KvStore() = default;

  // Writes one key. `sync` = true returns only after the write is on stable storage (fsync of
  // the write-ahead log).
  virtual absl::Status Put(std::string_view family, std::string_view key, std::string_view value,
                           bool sync) = 0;
  // NotFound when the key is absent.
  virtual absl::StatusOr<std::string> Get(std::string_view family, std::string_view key) = 0;
  virtual absl::Status Delete(std::string_view family, std::string_view key, bool sync) = 0;
  // Applies all operations atomically.
  virtual absl::Status Write(const std::vector<WriteOp>& ops, bool sync) = 0;
  // Visits keys starting with `prefix` in byte order (reverse order when `reverse`), until
  // `visit` returns false.
  virtual absl::Status Scan(
      std::string_view family, std::string_view prefix, bool reverse,
      const std::function<bool(std::string_view key, std::string_view value)>& visit) = 0;
};

// Opens (creating if missing) a RocksDB database at `path` with the given column families.
absl::StatusOr<std::unique_ptr<KvStore>> OpenRocksDbStore(const std::string& path,
                                                          const std::vector<std::string>& families);

// An in-memory store with the same semantics; `sync` is ignored.
std::unique_ptr<KvStore> NewInMemoryKvStore(const std::vector<std::string>& families);

}  // namespace conclave::store
