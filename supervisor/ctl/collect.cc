#include "supervisor/ctl/collect.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/change/change_files.h"

namespace conclave::ctl {
namespace {

namespace fs = std::filesystem;

absl::Status FileSystemError(const fs::path& path, const std::error_code& ec) {
  return absl::UnavailableError(absl::StrCat(path.string(), ": ", ec.message()));
}

absl::StatusOr<std::string> ReadBytes(const fs::path& path, int64_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::PermissionDeniedError(absl::StrCat("cannot read ", path.string()));
  std::string bytes;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<size_t>(in.gcount()));
    // The file may have grown since it was measured; never hold more than the limit.
    if (static_cast<int64_t>(bytes.size()) > limit) {
      return absl::ResourceExhaustedError(
          absl::StrCat(path.string(), " grew past ", limit, " bytes while being read"));
    }
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", path.string()));
  return bytes;
}

// The files chosen so far, measured but not yet read, and the limits checked as they come.
class FileCollector {
 public:
  absl::Status AddFile(const fs::path& disk_path, std::string change_path) {
    std::error_code ec;
    const auto size = static_cast<int64_t>(fs::file_size(disk_path, ec));
    if (ec) return FileSystemError(disk_path, ec);
    if (size > change::kMaxFileBytes) {
      return absl::ResourceExhaustedError(absl::StrCat(disk_path.string(), " is ", size,
                                                       " bytes; a file may be at most ",
                                                       change::kMaxFileBytes, " bytes (1 MiB)"));
    }
    if (!seen_.insert(change_path).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "two files would both be sent as ", change_path, "; submit the directories separately"));
    }
    if (static_cast<int64_t>(files_.size()) + 1 > change::kMaxFiles) {
      return absl::ResourceExhaustedError(absl::StrCat("more than ", change::kMaxFiles,
                                                       " files; a change may hold at most ",
                                                       change::kMaxFiles));
    }
    total_bytes_ += size;
    if (total_bytes_ > change::kMaxChangeBytes) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "the files add up to more than ", change::kMaxChangeBytes,
          " bytes; a change may hold at most 8 MiB (reached at ", disk_path.string(), ")"));
    }
    files_.push_back({disk_path, std::move(change_path)});
    return absl::OkStatus();
  }

  absl::Status AddDirectory(const fs::path& root) {
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (absl::Status s = AddEntry(root, it); !s.ok()) return s;
    }
    if (ec) return FileSystemError(root, ec);
    return absl::OkStatus();
  }

  // Reads every chosen file, in path order, into `change`.
  absl::Status ReadInto(conclave::v1::Change& change) {
    std::sort(files_.begin(), files_.end(),
              [](const Chosen& a, const Chosen& b) { return a.change_path < b.change_path; });
    for (const Chosen& chosen : files_) {
      absl::StatusOr<std::string> bytes = ReadBytes(chosen.disk_path, change::kMaxFileBytes);
      if (!bytes.ok()) return bytes.status();
      conclave::v1::SourceFile* file = change.add_files();
      file->set_path(chosen.change_path);
      file->set_content(*std::move(bytes));
    }
    return absl::OkStatus();
  }

  bool empty() const { return files_.empty(); }

 private:
  struct Chosen {
    fs::path disk_path;
    std::string change_path;
  };

  absl::Status AddEntry(const fs::path& root, fs::recursive_directory_iterator& it) {
    const fs::directory_entry& entry = *it;
    std::error_code ec;
    if (entry.is_symlink(ec)) return absl::OkStatus();
    if (entry.is_directory(ec)) {
      if (SkippedDirectory(entry.path().filename().string())) it.disable_recursion_pending();
      return absl::OkStatus();
    }
    if (!entry.is_regular_file(ec)) return absl::OkStatus();
    return AddFile(entry.path(), entry.path().lexically_relative(root).generic_string());
  }

  std::vector<Chosen> files_;
  absl::flat_hash_set<std::string> seen_;
  int64_t total_bytes_ = 0;
};

// The path a file named directly on the command line has in the change: as given, relative to
// the current directory; its bare name when it lies outside the current directory.
std::string ChangePathForFile(const fs::path& given) {
  fs::path path = given.lexically_normal();
  const bool outside = path.is_absolute() || (!path.empty() && *path.begin() == "..");
  if (!outside) return path.generic_string();
  std::error_code ec;
  const fs::path relative = fs::relative(path, fs::current_path(), ec);
  if (!ec && !relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return path.filename().generic_string();
}

absl::StatusOr<conclave::v1::Change> CollectDiff(const fs::path& path) {
  std::error_code ec;
  const auto size = static_cast<int64_t>(fs::file_size(path, ec));
  if (ec) return FileSystemError(path, ec);
  if (size > change::kMaxChangeBytes) {
    return absl::ResourceExhaustedError(absl::StrCat(path.string(), " is ", size,
                                                     " bytes; a diff may be at most ",
                                                     change::kMaxChangeBytes, " bytes (8 MiB)"));
  }
  absl::StatusOr<std::string> text = ReadBytes(path, change::kMaxChangeBytes);
  if (!text.ok()) return text.status();
  if (text->empty()) return absl::InvalidArgumentError(absl::StrCat(path.string(), " is empty"));
  conclave::v1::Change change;
  change.set_unified_diff(*std::move(text));
  return change;
}

absl::Status AddPath(const std::string& given, FileCollector& collector) {
  std::error_code ec;
  const fs::file_status status = fs::status(given, ec);
  if (ec || !fs::exists(status)) {
    return absl::NotFoundError(absl::StrCat(given, ": no such file or directory"));
  }
  if (fs::is_directory(status)) return collector.AddDirectory(given);
  if (fs::is_regular_file(status)) return collector.AddFile(given, ChangePathForFile(given));
  return absl::InvalidArgumentError(absl::StrCat(given, " is not a file or directory"));
}

}  // namespace

bool SkippedDirectory(const std::string& name) {
  return absl::StartsWith(name, ".") || name == "build" || absl::StartsWith(name, "build-") ||
         name == "node_modules" || name == "__pycache__";
}

bool IsDiffPath(const std::string& path) {
  return absl::EndsWith(path, ".diff") || absl::EndsWith(path, ".patch");
}

absl::StatusOr<conclave::v1::Change> CollectChange(const std::vector<std::string>& paths) {
  if (paths.empty()) return absl::InvalidArgumentError("no paths to submit");
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!IsDiffPath(path) || fs::is_directory(path, ec)) continue;
    if (paths.size() > 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, " is a diff; a diff must be the only PATH (a change holds files or a diff)"));
    }
    if (!fs::exists(path, ec)) {
      return absl::NotFoundError(absl::StrCat(path, ": no such file or directory"));
    }
    return CollectDiff(path);
  }
  FileCollector collector;
  for (const std::string& path : paths) {
    if (absl::Status s = AddPath(path, collector); !s.ok()) return s;
  }
  if (collector.empty()) {
    return absl::InvalidArgumentError("nothing to submit: no files found under the given paths");
  }
  conclave::v1::Change change;
  if (absl::Status s = collector.ReadInto(change); !s.ok()) return s;
  return change;
}

}  // namespace conclave::ctl
