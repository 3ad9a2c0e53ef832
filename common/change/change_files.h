// Change validation and expansion: the limits every process enforces on a change, and the
// files a reviewer analyzes, whether the change came as files or as a unified diff.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "conclave/v1/change.pb.h"

namespace conclave::change {

inline constexpr int64_t kMaxFileBytes = 1 << 20;       // 1 MiB per file
inline constexpr int64_t kMaxChangeBytes = 8 << 20;     // 8 MiB per change
inline constexpr int kMaxFiles = 1000;

// A file to analyze. For a diff, `content` is the new-side text of the hunks with the lines
// outside hunks left empty, so line numbers are those of the new file.
struct ReviewFile {
  std::string path;
  std::string content;
  // "python", "javascript", or "" when unknown (see LanguageForPath).
  std::string language;
  // New-side lines added by a diff; empty for whole files (every line is in scope).
  absl::flat_hash_set<int> changed_lines;
  // True for diff-reconstructed content (partial file).
  bool partial = false;
  // True when the file was deleted by the diff (nothing to analyze).
  bool deleted = false;

  // Whether a finding on `line` concerns the change.
  bool InScope(int line) const { return changed_lines.empty() || changed_lines.contains(line); }
};

// Checks the change is well-formed: content present, limits respected, paths relative and
// sane, environment and service present. InvalidArgument / ResourceExhausted with a precise
// message otherwise.
absl::Status ValidateChange(const conclave::v1::Change& change);

// The files of a change, expanded from `files` or parsed from `unified_diff`.
absl::StatusOr<std::vector<ReviewFile>> ExpandChange(const conclave::v1::Change& change);

// "python" for .py/.pyi/.pyw, "javascript" for .js/.mjs/.cjs, "" otherwise (unknown language).
std::string LanguageForPath(const std::string& path);

// Position of the first invalid UTF-8 byte, or -1 when `text` is valid UTF-8.
int64_t FirstInvalidUtf8(std::string_view text);

}  // namespace conclave::change
