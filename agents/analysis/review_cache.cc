#include "agents/analysis/review_cache.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

namespace conclave::analysis {
namespace {

// Feeds length-prefixed fields to a SHA-256, so that ("ab", "c") and ("a", "bc") differ.
class KeyHasher {
 public:
  KeyHasher() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~KeyHasher() { EVP_MD_CTX_free(ctx_); }
  KeyHasher(const KeyHasher&) = delete;
  KeyHasher& operator=(const KeyHasher&) = delete;

  void Field(std::string_view bytes) {
    Raw(static_cast<uint64_t>(bytes.size()));
    EVP_DigestUpdate(ctx_, bytes.data(), bytes.size());
  }
  void Raw(uint64_t value) { EVP_DigestUpdate(ctx_, &value, sizeof(value)); }

  ReviewCache::Key Finish() {
    ReviewCache::Key key{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx_, key.data(), &length);
    return key;
  }

 private:
  EVP_MD_CTX* ctx_;
};

size_t FindingBytes(const conclave::v1::Finding& f) {
  // The message's strings plus a fixed allowance for the message object and its scalars.
  return sizeof(conclave::v1::Finding) + 64 + f.rule_id().size() + f.file().size() +
         f.message().size() + f.suggestion().size();
}

}  // namespace

ReviewCache::ReviewCache(ReviewCacheOptions options, Clock clock)
    : options_(options), clock_(std::move(clock)) {}

ReviewCache::Key ReviewCache::KeyOf(std::string_view reviewer, std::string_view version,
                                    std::string_view config, const change::ReviewFile& file) {
  KeyHasher h;
  h.Field(reviewer);
  h.Field(version);
  h.Field(config);
  h.Field(file.path);
  h.Field(file.language);
  h.Field(file.content);
  h.Raw((file.partial ? 1u : 0u) | (file.deleted ? 2u : 0u));
  std::vector<int> lines(file.changed_lines.begin(), file.changed_lines.end());
  std::sort(lines.begin(), lines.end());
  h.Raw(lines.size());
  for (int line : lines) h.Raw(static_cast<uint64_t>(static_cast<int64_t>(line)));
  return h.Finish();
}

size_t ReviewCache::KeyHash::operator()(const Key& key) const {
  // The key is already a uniform hash; its first word is as good as any.
  size_t word;
  std::memcpy(&word, key.data(), sizeof(word));
  return word;
}

size_t ReviewCache::EstimateBytes(const FileAnalysis& analysis) {
  size_t bytes = sizeof(FileAnalysis);
  for (const conclave::v1::Finding& f : analysis.findings) bytes += FindingBytes(f);
  for (const conclave::v1::Finding& f : analysis.suppressed) bytes += FindingBytes(f);
  if (analysis.change_file) {
    const ChangeFile& file = *analysis.change_file;
    bytes += sizeof(ChangeFile) + file.path.size() +
             file.summary.windows.size() * sizeof(BlockWindow) +
             file.changed_lines.size() * 2 * sizeof(int);
    for (const ModuleImport& import : file.summary.imports) {
      bytes += sizeof(ModuleImport) + import.module.size();
      for (const std::string& name : import.names) bytes += sizeof(std::string) + name.size();
    }
  }
  return bytes;
}

std::shared_ptr<const FileAnalysis> ReviewCache::Lookup(const Key& key) {
  absl::MutexLock lock(&mu_);
  auto found = index_.find(key);
  if (found == index_.end()) {
    ++stats_.misses;
    if (misses_ != nullptr) misses_->Increment();
    return nullptr;
  }
  Lru::iterator it = found->second;
  if (clock_() - it->stored >= options_.ttl) {
    ++stats_.misses;
    ++stats_.expired;
    if (misses_ != nullptr) misses_->Increment();
    if (evicted_ttl_ != nullptr) evicted_ttl_->Increment();
    EraseLocked(it);
    PublishSizeLocked();
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it);
  ++stats_.hits;
  if (hits_ != nullptr) hits_->Increment();
  return it->analysis;
}

void ReviewCache::Store(const Key& key, std::shared_ptr<const FileAnalysis> analysis) {
  const size_t bytes = EstimateBytes(*analysis);
  absl::MutexLock lock(&mu_);
  if (auto found = index_.find(key); found != index_.end()) EraseLocked(found->second);
  if (bytes > options_.max_bytes || options_.max_entries == 0) {
    PublishSizeLocked();
    return;
  }
  lru_.push_front(Entry{key, std::move(analysis), bytes, clock_()});
  index_[key] = lru_.begin();
  stats_.bytes += bytes;
  ++stats_.entries;
  while (stats_.entries > options_.max_entries || stats_.bytes > options_.max_bytes) {
    ++stats_.evicted;
    if (evicted_lru_ != nullptr) evicted_lru_->Increment();
    EraseLocked(std::prev(lru_.end()));
  }
  PublishSizeLocked();
}

std::shared_ptr<const FileAnalysis> ReviewCache::GetOrAnalyze(
    const Key& key, const std::function<FileAnalysis()>& analyze) {
  if (std::shared_ptr<const FileAnalysis> cached = Lookup(key)) return cached;
  auto analysis = std::make_shared<const FileAnalysis>(analyze());
  Store(key, analysis);
  return analysis;
}

void ReviewCache::ExportMetrics(metrics::Registry* registry, const std::string& reviewer) {
  auto* lookups = registry->AddCounter(
      "conclave_review_cache_lookups_total",
      "Per-file review cache lookups by result (hit: the file's analysis was reused).",
      {"reviewer", "result"});
  auto* evictions = registry->AddCounter(
      "conclave_review_cache_evictions_total",
      "Entries dropped from the review cache: lru (entry or byte bound), ttl (expired).",
      {"reviewer", "reason"});
  auto* entries = registry->AddGauge("conclave_review_cache_entries",
                                     "Files whose analysis the review cache holds.", {"reviewer"});
  auto* bytes = registry->AddGauge("conclave_review_cache_bytes",
                                   "Estimated bytes of the analyses the review cache holds.",
                                   {"reviewer"});
  absl::MutexLock lock(&mu_);
  hits_ = lookups->With({reviewer, "hit"});
  misses_ = lookups->With({reviewer, "miss"});
  evicted_lru_ = evictions->With({reviewer, "lru"});
  evicted_ttl_ = evictions->With({reviewer, "ttl"});
  entries_ = entries->With({reviewer});
  bytes_ = bytes->With({reviewer});
  PublishSizeLocked();
}

ReviewCacheStats ReviewCache::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void ReviewCache::EraseLocked(Lru::iterator it) {
  stats_.bytes -= it->bytes;
  --stats_.entries;
  index_.erase(it->key);
  lru_.erase(it);
}

void ReviewCache::PublishSizeLocked() {
  if (entries_ != nullptr) entries_->Set(static_cast<double>(stats_.entries));
  if (bytes_ != nullptr) bytes_->Set(static_cast<double>(stats_.bytes));
}

}  // namespace conclave::analysis
