#include "common/change/change_files.h"

#include <gtest/gtest.h>

#include "common/change/unified_diff.h"

namespace conclave::change {
namespace {

conclave::v1::Change BaseChange() {
  conclave::v1::Change c;
  c.set_target_service("checkout");
  c.set_environment("prod");
  return c;
}

TEST(ValidateChangeTest, EmptyChangeIsInvalid) {
  absl::Status s = ValidateChange(BaseChange());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("empty"), std::string::npos) << s;
}

TEST(ValidateChangeTest, MissingServiceAndEnvironment) {
  conclave::v1::Change c;
  c.add_files()->set_path("a.py");
  EXPECT_NE(ValidateChange(c).message().find("target_service"), std::string::npos);
  c.set_target_service("svc");
  EXPECT_NE(ValidateChange(c).message().find("environment"), std::string::npos);
}

TEST(ValidateChangeTest, FileOverLimitIsResourceExhausted) {
  auto c = BaseChange();
  auto* f = c.add_files();
  f->set_path("big.py");
  f->set_content(std::string(kMaxFileBytes + 1, 'x'));
  absl::Status s = ValidateChange(c);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("big.py"), std::string::npos) << s;
  f->set_content(std::string(kMaxFileBytes, 'x'));
  EXPECT_TRUE(ValidateChange(c).ok());
}

TEST(ValidateChangeTest, TotalOverLimit) {
  auto c = BaseChange();
  for (int i = 0; i < 9; ++i) {
    auto* f = c.add_files();
    f->set_path("f" + std::to_string(i) + ".py");
    f->set_content(std::string(kMaxFileBytes, 'x'));
  }
  EXPECT_EQ(ValidateChange(c).code(), absl::StatusCode::kResourceExhausted);
}

TEST(ValidateChangeTest, BadPaths) {
  for (const char* p : {"/etc/passwd", "../x.py", "a/../../b.py", ""}) {
    auto c = BaseChange();
    c.add_files()->set_path(p);
    EXPECT_EQ(ValidateChange(c).code(), absl::StatusCode::kInvalidArgument) << p;
  }
  auto c = BaseChange();
  c.add_files()->set_path("a.py");
  c.add_files()->set_path("a.py");
  EXPECT_NE(ValidateChange(c).message().find("twice"), std::string::npos);
}

TEST(ValidateChangeTest, FilesAndDiffTogetherIsInvalid) {
  auto c = BaseChange();
  c.add_files()->set_path("a.py");
  c.set_unified_diff("--- a/a.py\n+++ b/a.py\n@@ -0,0 +1 @@\n+x\n");
  EXPECT_EQ(ValidateChange(c).code(), absl::StatusCode::kInvalidArgument);
}

TEST(Utf8Test, FindsFirstInvalidByte) {
  EXPECT_EQ(FirstInvalidUtf8("hello"), -1);
  EXPECT_EQ(FirstInvalidUtf8("h\xc3\xa9llo"), -1);             // é
  EXPECT_EQ(FirstInvalidUtf8("\xf0\x9f\x98\x80"), -1);         // emoji
  EXPECT_EQ(FirstInvalidUtf8("ab\xff"), 2);
  EXPECT_EQ(FirstInvalidUtf8("ab\xc3"), 2);                    // truncated
  EXPECT_EQ(FirstInvalidUtf8("\xc0\xaf"), 0);                  // overlong
  EXPECT_EQ(FirstInvalidUtf8("\xed\xa0\x80"), 0);              // surrogate
}

TEST(LanguageTest, ByExtension) {
  EXPECT_EQ(LanguageForPath("a/b.py"), "python");
  EXPECT_EQ(LanguageForPath("stubs.pyi"), "python");
  EXPECT_EQ(LanguageForPath("main.rb"), "");
  EXPECT_EQ(LanguageForPath("README"), "");
}

constexpr char kDiff[] =
    "diff --git a/app/views.py b/app/views.py\n"
    "index 1111111..2222222 100644\n"
    "--- a/app/views.py\n"
    "+++ b/app/views.py\n"
    "@@ -3,3 +3,4 @@ def index():\n"
    " a = 1\n"
    "-b = 2\n"
    "+b = eval(x)\n"
    "+c = 3\n"
    " d = 4\n"
    "--- a/old.py\n"
    "+++ /dev/null\n"
    "@@ -1,1 +0,0 @@\n"
    "-gone\n";

TEST(UnifiedDiffTest, ParsesNewSideWithLineNumbers) {
  auto files = ParseUnifiedDiff(kDiff);
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_EQ(files->size(), 2u);
  const DiffFile& f = (*files)[0];
  EXPECT_EQ(f.path, "app/views.py");
  EXPECT_FALSE(f.deleted);
  EXPECT_EQ(f.added_lines, (absl::flat_hash_set<int>{4, 5}));
  EXPECT_EQ(f.new_text, "\n\na = 1\nb = eval(x)\nc = 3\nd = 4\n");
  EXPECT_EQ((*files)[1].path, "old.py");
  EXPECT_TRUE((*files)[1].deleted);
}

TEST(UnifiedDiffTest, NewFileFromDevNull) {
  auto files = ParseUnifiedDiff("--- /dev/null\n+++ b/new.py\n@@ -0,0 +1,2 @@\n+x = 1\n+y = 2\n");
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ((*files)[0].new_text, "x = 1\ny = 2\n");
  EXPECT_EQ((*files)[0].added_lines.size(), 2u);
}

TEST(UnifiedDiffTest, MalformedDiffsNameTheLine) {
  EXPECT_NE(ParseUnifiedDiff("just text\n").status().message().find("no file header"),
            std::string::npos);
  auto bad_header = ParseUnifiedDiff("--- a/x\n+++ b/x\n@@ nonsense @@\n+a\n");
  EXPECT_NE(bad_header.status().message().find("line 3"), std::string::npos)
      << bad_header.status();
  auto short_hunk = ParseUnifiedDiff("--- a/x\n+++ b/x\n@@ -1,2 +1,3 @@\n a\n+b\n");
  EXPECT_NE(short_hunk.status().message().find("ended inside a hunk"), std::string::npos)
      << short_hunk.status();
  auto long_hunk = ParseUnifiedDiff("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+c\n");
  EXPECT_EQ(long_hunk.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(UnifiedDiffTest, HunksPastTheLinesAFileCanHaveAreErrorsNotAllocations) {
  // A 1 MiB file has at most 2^20 lines; a hunk at line 20 000 000 would rebuild 20 million
  // empty lines.
  auto far = ParseUnifiedDiff("--- a/x.py\n+++ b/x.py\n@@ -0,0 +20000000,2 @@\n+x\n+y\n");
  EXPECT_EQ(far.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(far.status().message().find("line 3: hunk reaches past line 1048576"),
            std::string::npos)
      << far.status();
  auto wide = ParseUnifiedDiff("--- a/x.py\n+++ b/x.py\n@@ -1 +1048576,2 @@\n-a\n+x\n+y\n");
  EXPECT_EQ(wide.status().code(), absl::StatusCode::kInvalidArgument) << wide.status();
  auto zero = ParseUnifiedDiff("--- a/x.py\n+++ b/x.py\n@@ -0,0 +0,1 @@\n+x = 1\n");
  EXPECT_NE(zero.status().message().find("starts at line 0"), std::string::npos)
      << zero.status();
  auto last = ParseUnifiedDiff("--- a/x.py\n+++ b/x.py\n@@ -0,0 +1048576 @@\n+x\n");
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_TRUE((*last)[0].added_lines.contains(1048576));

  // Nine files each near the per-file bound pass it, but not the change's.
  std::string many;
  for (int i = 0; i < 9; ++i) {
    many += "--- a/f" + std::to_string(i) + ".py\n+++ b/f" + std::to_string(i) +
            ".py\n@@ -0,0 +1000000 @@\n+x\n";
  }
  auto total = ParseUnifiedDiff(many);
  EXPECT_EQ(total.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(total.status().message().find("lines together"), std::string::npos) << total.status();
}

TEST(ExpandChangeTest, DiffScopesFindingsToAddedLines) {
  auto c = BaseChange();
  c.set_unified_diff(kDiff);
  auto files = ExpandChange(c);
  ASSERT_TRUE(files.ok()) << files.status();
  const ReviewFile& f = (*files)[0];
  EXPECT_EQ(f.language, "python");
  EXPECT_TRUE(f.partial);
  EXPECT_TRUE(f.InScope(4));
  EXPECT_FALSE(f.InScope(3));
  EXPECT_FALSE((*files)[1].InScope(1));  // a deletion has nothing in scope
}

TEST(ExpandChangeTest, WholeFilesAreFullyInScope) {
  auto c = BaseChange();
  auto* f = c.add_files();
  f->set_path("lib/x.rb");
  f->set_content("puts 1\n");
  auto files = ExpandChange(c);
  ASSERT_TRUE(files.ok());
  EXPECT_EQ((*files)[0].language, "");
  EXPECT_TRUE((*files)[0].InScope(1));
  EXPECT_EQ((*files)[0].content, "puts 1\n");
}

}  // namespace
}  // namespace conclave::change
