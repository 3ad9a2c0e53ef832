#include "supervisor/ctl/collect.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/change/change_files.h"

namespace conclave::ctl {
namespace {

namespace fs = std::filesystem;

class CollectChangeTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) /
            ("ctl_collect_" + std::to_string(::getpid()) + "_" +
             testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path Write(const std::string& relative, const std::string& content) {
    const fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  static std::vector<std::string> Paths(const conclave::v1::Change& change) {
    std::vector<std::string> paths;
    for (const auto& f : change.files()) paths.push_back(f.path());
    return paths;
  }

  fs::path root_;
};

TEST_F(CollectChangeTest, DirectoryIsWalkedWithPathsRelativeToIt) {
  Write("repo/app/views.py", "import os\n");
  Write("repo/app/models/user.py", "class User: pass\n");
  Write("repo/README.md", "hello\n");
  Write("repo/.git/config", "[core]\n");
  Write("repo/app/.cache/x.py", "x\n");
  Write("repo/build/gen.py", "generated\n");
  Write("repo/build-debug/gen.py", "generated\n");
  Write("repo/web/node_modules/lib.js", "x\n");
  Write("repo/app/__pycache__/views.pyc", "x\n");

  absl::StatusOr<conclave::v1::Change> change = CollectChange({(root_ / "repo").string()});
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(Paths(*change),
            (std::vector<std::string>{"README.md", "app/models/user.py", "app/views.py"}));
  EXPECT_EQ(change->files(2).content(), "import os\n");
  EXPECT_TRUE(change->unified_diff().empty());
}

TEST_F(CollectChangeTest, ContentIsReadAsBytes) {
  const std::string binary("\x00\xff\xfe\n\x01", 5);
  Write("d/blob.bin", binary);
  absl::StatusOr<conclave::v1::Change> change = CollectChange({(root_ / "d").string()});
  ASSERT_TRUE(change.ok()) << change.status();
  ASSERT_EQ(change->files_size(), 1);
  EXPECT_EQ(change->files(0).content(), binary);
}

TEST_F(CollectChangeTest, SymbolicLinksAreNotFollowed) {
  Write("outside/secret.txt", "s\n");
  Write("d/a.py", "a\n");
  fs::create_directory_symlink(root_ / "outside", root_ / "d" / "linked");
  fs::create_symlink(root_ / "outside" / "secret.txt", root_ / "d" / "s.txt");
  absl::StatusOr<conclave::v1::Change> change = CollectChange({(root_ / "d").string()});
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(Paths(*change), std::vector<std::string>{"a.py"});
}

TEST_F(CollectChangeTest, FileGivenDirectlyKeepsItsRelativePath) {
  Write("app/views.py", "v\n");
  const fs::path saved = fs::current_path();
  fs::current_path(root_);
  absl::StatusOr<conclave::v1::Change> change = CollectChange({"./app/views.py"});
  absl::StatusOr<conclave::v1::Change> absolute =
      CollectChange({(root_ / "app" / "views.py").string()});
  fs::current_path(saved);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(Paths(*change), std::vector<std::string>{"app/views.py"});
  ASSERT_TRUE(absolute.ok()) << absolute.status();
  EXPECT_EQ(Paths(*absolute), std::vector<std::string>{"app/views.py"});
}

TEST_F(CollectChangeTest, FileOutsideTheCurrentDirectoryIsSentByName) {
  const fs::path file = Write("elsewhere/tool.py", "t\n");
  fs::create_directories(root_ / "cwd");
  const fs::path saved = fs::current_path();
  fs::current_path(root_ / "cwd");
  absl::StatusOr<conclave::v1::Change> change = CollectChange({"../elsewhere/tool.py"});
  fs::current_path(saved);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(Paths(*change), std::vector<std::string>{"tool.py"});
}

TEST_F(CollectChangeTest, DiffBecomesUnifiedDiff) {
  const std::string diff =
      "--- a/app.py\n+++ b/app.py\n@@ -1,1 +1,2 @@\n x = 1\n+y = eval(input())\n";
  const fs::path path = Write("fix.diff", diff);
  absl::StatusOr<conclave::v1::Change> change = CollectChange({path.string()});
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->unified_diff(), diff);
  EXPECT_EQ(change->files_size(), 0);

  const fs::path patch = Write("fix.patch", diff);
  change = CollectChange({patch.string()});
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->unified_diff(), diff);
}

TEST_F(CollectChangeTest, DiffMustBeTheOnlyPath) {
  const fs::path diff = Write("fix.diff", "--- a/x\n+++ b/x\n");
  const fs::path other = Write("other.py", "o\n");
  absl::StatusOr<conclave::v1::Change> change = CollectChange({other.string(), diff.string()});
  EXPECT_EQ(change.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(change.status().message().find("only PATH"), std::string::npos) << change.status();
}

TEST_F(CollectChangeTest, EmptyDiffIsRejected) {
  const fs::path diff = Write("empty.patch", "");
  EXPECT_EQ(CollectChange({diff.string()}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CollectChangeTest, FileOverTheLimitIsNamed) {
  Write("d/ok.py", "ok\n");
  Write("d/big.py", std::string(change::kMaxFileBytes + 1, 'x'));
  absl::StatusOr<conclave::v1::Change> change = CollectChange({(root_ / "d").string()});
  ASSERT_EQ(change.status().code(), absl::StatusCode::kResourceExhausted) << change.status();
  EXPECT_NE(change.status().message().find("big.py"), std::string::npos) << change.status();
  EXPECT_NE(change.status().message().find("1 MiB"), std::string::npos) << change.status();

  Write("d/big.py", std::string(change::kMaxFileBytes, 'x'));
  EXPECT_TRUE(CollectChange({(root_ / "d").string()}).ok());
}

TEST_F(CollectChangeTest, ChangeOverTheTotalLimitIsRejected) {
  const std::string half_mib(change::kMaxFileBytes, 'x');
  const int files = static_cast<int>(change::kMaxChangeBytes / change::kMaxFileBytes) + 1;
  for (int i = 0; i < files; ++i) Write("d/f" + std::to_string(i) + ".txt", half_mib);
  absl::StatusOr<conclave::v1::Change> change = CollectChange({(root_ / "d").string()});
  ASSERT_EQ(change.status().code(), absl::StatusCode::kResourceExhausted) << change.status();
  EXPECT_NE(change.status().message().find("8 MiB"), std::string::npos) << change.status();
}

TEST_F(CollectChangeTest, TooManyFilesIsRejected) {
  for (int i = 0; i <= change::kMaxFiles; ++i) Write("d/f" + std::to_string(i), "");
  absl::StatusOr<conclave::v1::Change> change = CollectChange({(root_ / "d").string()});
  ASSERT_EQ(change.status().code(), absl::StatusCode::kResourceExhausted) << change.status();
  EXPECT_NE(change.status().message().find("1000"), std::string::npos) << change.status();
}

TEST_F(CollectChangeTest, SamePathFromTwoDirectoriesIsAnError) {
  Write("a/x.py", "1\n");
  Write("b/x.py", "2\n");
  absl::StatusOr<conclave::v1::Change> change =
      CollectChange({(root_ / "a").string(), (root_ / "b").string()});
  EXPECT_EQ(change.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(change.status().message().find("x.py"), std::string::npos) << change.status();
}

TEST_F(CollectChangeTest, MissingPathAndEmptyDirectory) {
  EXPECT_EQ(CollectChange({(root_ / "nope").string()}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CollectChange({(root_ / "nope.diff").string()}).status().code(),
            absl::StatusCode::kNotFound);
  fs::create_directories(root_ / "empty" / ".git");
  Write("empty/.git/HEAD", "ref\n");
  absl::StatusOr<conclave::v1::Change> change = CollectChange({(root_ / "empty").string()});
  EXPECT_EQ(change.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(change.status().message().find("nothing to submit"), std::string::npos);
}

TEST(SkippedDirectoryTest, HiddenAndBuildDirectories) {
  for (const char* name : {".git", ".venv", "build", "build-ctl", "node_modules", "__pycache__"}) {
    EXPECT_TRUE(SkippedDirectory(name)) << name;
  }
  for (const char* name : {"src", "builder", "app", "rebuild"}) {
    EXPECT_FALSE(SkippedDirectory(name)) << name;
  }
}

}  // namespace
}  // namespace conclave::ctl
