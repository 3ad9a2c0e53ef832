#include "common/change/change_files.h"

#include "absl/strings/string_view.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/change/unified_diff.h"

namespace conclave::change {
namespace {

absl::Status ValidatePath(const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("a file has an empty path");
  if (path.size() > 4096) {
    return absl::InvalidArgumentError(absl::StrCat("path longer than 4096 bytes: ", path.substr(0, 64), "..."));
  }
  if (FirstInvalidUtf8(path) >= 0) {
    return absl::InvalidArgumentError("a file path is not valid UTF-8");
  }
  if (path.front() == '/' || path.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("path must be relative: ", path));
  }
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part == "..") {
      return absl::InvalidArgumentError(absl::StrCat("path must not contain '..': ", path));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateFiles(const conclave::v1::Change& change) {
  if (change.files_size() > kMaxFiles) {
    return absl::ResourceExhaustedError(absl::StrCat("change has ", change.files_size(),
                                                     " files; the limit is ", kMaxFiles));
  }
  int64_t total = 0;
  absl::flat_hash_set<std::string> seen;
  for (const auto& file : change.files()) {
    if (absl::Status s = ValidatePath(file.path()); !s.ok()) return s;
    if (!seen.insert(file.path()).second) {
      return absl::InvalidArgumentError(absl::StrCat("file listed twice: ", file.path()));
    }
    const int64_t size = static_cast<int64_t>(file.content().size());
    if (size > kMaxFileBytes) {
      return absl::ResourceExhaustedError(absl::StrCat("file ", file.path(), " is ", size,
                                                       " bytes; the limit is ", kMaxFileBytes));
    }
    total += size;
  }
  if (total > kMaxChangeBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("change is ", total, " bytes; the limit is ", kMaxChangeBytes));
  }
  return absl::OkStatus();
}

absl::Status ValidateDiff(const conclave::v1::Change& change) {
  const auto size = static_cast<int64_t>(change.unified_diff().size());
  if (size > kMaxChangeBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("diff is ", size, " bytes; the limit is ", kMaxChangeBytes));
  }
  absl::StatusOr<std::vector<DiffFile>> files = ParseUnifiedDiff(change.unified_diff());
  if (!files.ok()) return files.status();
  if (files->size() > static_cast<size_t>(kMaxFiles)) {
    return absl::ResourceExhaustedError(
        absl::StrCat("diff touches ", files->size(), " files; the limit is ", kMaxFiles));
  }
  for (const DiffFile& f : *files) {
    if (absl::Status s = ValidatePath(f.path); !s.ok()) return s;
  }
  return absl::OkStatus();
}

bool ValidName(absl::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

int64_t FirstInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    uint32_t min;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000;
    } else {
      return static_cast<int64_t>(i);
    }
    if (i + len > n) return static_cast<int64_t>(i);
    uint32_t cp = c & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return static_cast<int64_t>(i);
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return static_cast<int64_t>(i);
    }
    i += len;
  }
  return -1;
}

std::string LanguageForPath(const std::string& path) {
  if (absl::EndsWith(path, ".py") || absl::EndsWith(path, ".pyi") ||
      absl::EndsWith(path, ".pyw")) {
    return "python";
  }
  if (absl::EndsWith(path, ".js") || absl::EndsWith(path, ".mjs") ||
      absl::EndsWith(path, ".cjs")) {
    return "javascript";
  }
  return "";
}

absl::Status ValidateChange(const conclave::v1::Change& change) {
  if (change.target_service().empty()) {
    return absl::InvalidArgumentError("change has no target_service");
  }
  if (!ValidName(change.target_service())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "target_service must be 1-128 characters of [A-Za-z0-9._-], got '",
        change.target_service().substr(0, 64), "'"));
  }
  if (change.environment().empty()) {
    return absl::InvalidArgumentError("change has no environment (dev, staging or prod)");
  }
  const bool has_files = change.files_size() > 0;
  const bool has_diff = !change.unified_diff().empty();
  if (!has_files && !has_diff) {
    return absl::InvalidArgumentError("change is empty: it has no files and no unified_diff");
  }
  if (has_files && has_diff) {
    return absl::InvalidArgumentError("change has both files and a unified_diff; send one");
  }
  return has_files ? ValidateFiles(change) : ValidateDiff(change);
}

absl::StatusOr<std::vector<ReviewFile>> ExpandChange(const conclave::v1::Change& change) {
  if (absl::Status s = ValidateChange(change); !s.ok()) return s;
  std::vector<ReviewFile> out;
  if (change.files_size() > 0) {
    out.reserve(change.files_size());
    for (const auto& file : change.files()) {
      ReviewFile rf;
      rf.path = file.path();
      rf.content = file.content();
      rf.language = file.language().empty() ? LanguageForPath(file.path()) : file.language();
      out.push_back(std::move(rf));
    }
    return out;
  }
  absl::StatusOr<std::vector<DiffFile>> files = ParseUnifiedDiff(change.unified_diff());
  if (!files.ok()) return files.status();
  for (DiffFile& f : *files) {
    ReviewFile rf;
    rf.path = f.path;
    rf.language = LanguageForPath(f.path);
    rf.deleted = f.deleted;
    rf.partial = true;
    rf.content = std::move(f.new_text);
    rf.changed_lines = std::move(f.added_lines);
    // A diff that only removes lines has nothing in scope; mark line 0 so InScope() is false
    // for every real line instead of true for all.
    if (rf.changed_lines.empty()) rf.changed_lines.insert(0);
    out.push_back(std::move(rf));
  }
  return out;
}

}  // namespace conclave::change
