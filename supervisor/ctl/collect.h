// Turns the PATHs given to `conclavectl submit` into a Change: files and directories become
// Change.files with paths relative to what was given, one .diff or .patch file becomes
// Change.unified_diff. The size limits of common/change/change_files.h are checked while
// reading, so a change that is too large fails here with the offending path named, before
// anything is read into memory past the limit or sent. Reads the file system; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "conclave/v1/change.pb.h"

namespace conclave::ctl {

// Whether a directory walk skips a directory of this name: hidden ones (".git"), "build",
// "build-*", "node_modules", "__pycache__".
bool SkippedDirectory(const std::string& name);

// Whether `path` names a diff by its extension (.diff, .patch).
bool IsDiffPath(const std::string& path);

// The content of the change for `paths`: every regular file under each directory (symbolic
// links are not followed), each file given directly, or the text of a single diff. Paths are
// sorted. NotFound for a missing path; InvalidArgument for a diff mixed with other paths, a
// path listed twice, or nothing to submit; ResourceExhausted over a limit.
absl::StatusOr<conclave::v1::Change> CollectChange(const std::vector<std::string>& paths);

}  // namespace conclave::ctl
