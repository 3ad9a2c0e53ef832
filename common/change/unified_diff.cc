#include "common/change/unified_diff.h"

#include <cstdlib>
#include <map>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace conclave::change {
namespace {

// Line numbers a rebuilt file may reach: a file within the 1 MiB limit of change_files.h has
// at most that many lines, and the rebuilt files of one diff together at most as many as the
// 8 MiB change limit allows. A hunk header past them is an error, not a reason to allocate
// millions of empty lines.
constexpr int kMaxNewLine = 1 << 20;
constexpr int64_t kMaxTotalNewLines = int64_t{8} << 20;

// Parses "@@ -a[,b] +c[,d] @@..." into the old and new line counts and the new start.
bool ParseHunkHeader(absl::string_view line, int* new_start, int* old_count, int* new_count) {
  if (!absl::ConsumePrefix(&line, "@@ -")) return false;
  const size_t end = line.find(" @@");
  if (end == absl::string_view::npos) return false;
  std::vector<absl::string_view> sides = absl::StrSplit(line.substr(0, end), " +");
  if (sides.size() != 2) return false;
  auto range = [](absl::string_view s, int* start, int* count) {
    std::vector<absl::string_view> parts = absl::StrSplit(s, ',');
    if (parts.empty() || parts.size() > 2 || !absl::SimpleAtoi(parts[0], start)) return false;
    *count = 1;
    if (parts.size() == 2 && !absl::SimpleAtoi(parts[1], count)) return false;
    return *start >= 0 && *count >= 0;
  };
  int old_start;
  return range(sides[0], &old_start, old_count) && range(sides[1], new_start, new_count);
}

std::string StripPathPrefix(absl::string_view path) {
  const size_t tab = path.find('\t');  // diff -u puts a timestamp after a tab
  if (tab != absl::string_view::npos) path = path.substr(0, tab);
  if (absl::StartsWith(path, "a/") || absl::StartsWith(path, "b/")) path.remove_prefix(2);
  return std::string(path);
}

class DiffParser {
 public:
  absl::StatusOr<std::vector<DiffFile>> Run(absl::string_view diff) {
    std::vector<absl::string_view> lines = absl::StrSplit(diff, '\n');
    if (!lines.empty() && lines.back().empty()) lines.pop_back();
    for (size_t i = 0; i < lines.size(); ++i) {
      line_no_ = static_cast<int>(i) + 1;
      absl::string_view line = absl::StripSuffix(lines[i], "\r");
      if (absl::Status s = Consume(line, i + 1 < lines.size() ? lines[i + 1] : ""); !s.ok()) {
        return s;
      }
    }
    if (absl::Status s = FinishHunk(); !s.ok()) return s;
    FlushFile();
    if (files_.empty()) {
      return absl::InvalidArgumentError("unified_diff has no file header ('--- a/x' / '+++ b/x')");
    }
    return std::move(files_);
  }

 private:
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat("unified_diff line ", line_no_, ": ", what));
  }

  absl::Status Consume(absl::string_view line, absl::string_view next) {
    if (old_left_ > 0 || new_left_ > 0) return HunkLine(line);
    if (absl::StartsWith(line, "--- ") && absl::StartsWith(next, "+++ ")) {
      FlushFile();
      old_path_ = StripPathPrefix(line.substr(4));
      return absl::OkStatus();
    }
    if (absl::StartsWith(line, "+++ ")) {
      if (old_path_.empty()) return Error("'+++' without a preceding '---'");
      std::string new_path = StripPathPrefix(line.substr(4));
      current_ = DiffFile{};
      current_->deleted = new_path == "/dev/null";
      current_->path = current_->deleted ? old_path_ : new_path;
      return absl::OkStatus();
    }
    if (absl::StartsWith(line, "@@")) {
      if (!current_) return Error("hunk before any file header");
      int old_count, new_count;
      if (!ParseHunkHeader(line, &new_line_, &old_count, &new_count)) {
        return Error(absl::StrCat("malformed hunk header: ", line.substr(0, 80)));
      }
      if (new_count == 0) ++new_line_;  // "+0,0" / "+N,0": no new-side lines
      if (new_line_ == 0) {
        return Error(absl::StrCat("hunk with new-side lines starts at line 0 (lines count from 1): ",
                                  line.substr(0, 80)));
      }
      if (new_line_ > kMaxNewLine || new_count > kMaxNewLine - new_line_ + 1) {
        return Error(absl::StrCat("hunk reaches past line ", kMaxNewLine,
                                  ", more lines than a file within the size limit has: ",
                                  line.substr(0, 80)));
      }
      const int64_t end = static_cast<int64_t>(new_line_) + new_count;
      if (end > file_lines_) {
        total_lines_ += end - file_lines_;
        file_lines_ = end;
      }
      if (total_lines_ > kMaxTotalNewLines) {
        return Error(absl::StrCat("the diff's files reach more than ", kMaxTotalNewLines,
                                  " lines together, more than a change within the size limit "
                                  "has"));
      }
      old_left_ = old_count;
      new_left_ = new_count;
      return absl::OkStatus();
    }
    if (absl::StartsWith(line, "\\")) return absl::OkStatus();  // "\ No newline at end of file"
    // Anything else between files is git's extended header or commentary ("diff --git",
    // "index", "new file mode", a commit message); a '+'/'-'/' ' line here means a hunk ran
    // longer than its header said.
    if (current_ && (absl::StartsWith(line, "+") || absl::StartsWith(line, "-"))) {
      return Error("line beyond the counts of its hunk header");
    }
    return absl::OkStatus();
  }

  absl::Status HunkLine(absl::string_view line) {
    if (absl::StartsWith(line, "\\")) return absl::OkStatus();
    const char tag = line.empty() ? ' ' : line[0];
    absl::string_view text = line.empty() ? line : line.substr(1);
    switch (tag) {
      case ' ':
        if (old_left_ == 0 || new_left_ == 0) return Error("context line beyond hunk counts");
        --old_left_;
        SetNewLine(text, /*added=*/false);
        return absl::OkStatus();
      case '+':
        if (new_left_ == 0) return Error("added line beyond hunk counts");
        SetNewLine(text, /*added=*/true);
        return absl::OkStatus();
      case '-':
        if (old_left_ == 0) return Error("removed line beyond hunk counts");
        --old_left_;
        return absl::OkStatus();
      default:
        return Error(absl::StrCat("hunk ended early: expected ", old_left_, " old and ",
                                  new_left_, " new lines more"));
    }
  }

  void SetNewLine(absl::string_view text, bool added) {
    if (static_cast<int>(new_lines_.size()) < new_line_) new_lines_.resize(new_line_);
    new_lines_[new_line_ - 1] = std::string(text);
    if (added) current_->added_lines.insert(new_line_);
    ++new_line_;
    --new_left_;
  }

  absl::Status FinishHunk() {
    if (old_left_ > 0 || new_left_ > 0) {
      return Error(absl::StrCat("diff ended inside a hunk: ", old_left_, " old and ", new_left_,
                                " new lines missing"));
    }
    return absl::OkStatus();
  }

  void FlushFile() {
    if (current_) {
      for (const std::string& l : new_lines_) absl::StrAppend(&current_->new_text, l, "\n");
      files_.push_back(std::move(*current_));
    }
    current_.reset();
    new_lines_.clear();
    file_lines_ = 0;
  }

  std::vector<DiffFile> files_;
  std::optional<DiffFile> current_;
  std::vector<std::string> new_lines_;
  std::string old_path_;
  int line_no_ = 0;
  int new_line_ = 0;
  int old_left_ = 0;
  int new_left_ = 0;
  int64_t file_lines_ = 0;   // highest new-side line the current file's hunks reach
  int64_t total_lines_ = 0;  // the sum of file_lines_ over the files so far
};

}  // namespace

absl::StatusOr<std::vector<DiffFile>> ParseUnifiedDiff(absl::string_view diff) {
  return DiffParser().Run(diff);
}

}  // namespace conclave::change
