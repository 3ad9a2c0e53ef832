// Unified diff parsing (git diff, diff -u): the new side of every file, with the lines the
// diff adds. Pure functions; thread-safe.
#pragma once

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"

namespace conclave::change {

struct DiffFile {
  // New-side path without the "b/" prefix (old-side path for a deletion).
  std::string path;
  // New-side text of the hunks; lines outside any hunk are empty, so line N of new_text is
  // line N of the new file.
  std::string new_text;
  // 1-based new-side line numbers of '+' lines.
  absl::flat_hash_set<int> added_lines;
  bool deleted = false;
};

// InvalidArgument naming the diff line for a malformed diff: no file header, a bad hunk
// header, hunk line counts that do not match the header, a line outside a hunk.
absl::StatusOr<std::vector<DiffFile>> ParseUnifiedDiff(absl::string_view diff);

}  // namespace conclave::change
