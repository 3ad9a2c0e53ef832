// The architecture reviewer's change-level rules (ARCH005-008) over small changes of several
// files: each rule's positive and tricky negative cases, module resolution (relative imports,
// packages), diff scoping, and the review policy's layers.
#include "agents/architecture/change_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "agents/analysis/analysis_reviewer.h"
#include "agents/analysis/file_analysis.h"
#include "agents/analysis/review_policy.h"
#include "agents/analysis/scan.h"
#include "agents/architecture/architecture_pack.h"

namespace conclave::architecture {
namespace {

using conclave::v1::Finding;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class ChangeRulesTest : public ::testing::Test {
 protected:
  // Analyzes `files` (path -> content) as one change and returns the findings of `rule`.
  // Files whose path is in `changed` are reviewed as if a diff added only those lines.
  std::vector<Finding> Review(const std::map<std::string, std::string>& files,
                              std::string_view rule,
                              const std::map<std::string, std::vector<int>>& changed = {}) {
    std::vector<analysis::ChangeFile> summaries;
    std::vector<Finding> findings, suppressed;
    for (const auto& [path, content] : files) {
      change::ReviewFile file;
      file.path = path;
      file.content = content;
      file.language = "python";
      if (auto it = changed.find(path); it != changed.end()) {
        file.changed_lines.insert(it->second.begin(), it->second.end());
      }
      analysis::FileAnalysis a = analysis::AnalyzeFile(*pack_, file);
      if (a.change_file) summaries.push_back(std::move(*a.change_file));
    }
    analysis::RunChangeStep(*pack_, policy_, std::move(summaries), findings, suppressed);
    std::vector<Finding> matching;
    for (const Finding& f : findings) {
      if (f.rule_id() == rule) matching.push_back(f);
    }
    suppressed_ = std::move(suppressed);
    return matching;
  }

  static std::string Where(const Finding& f) { return f.file() + ":" + std::to_string(f.line()); }

  std::unique_ptr<analysis::RulePack> pack_ = NewArchitecturePack();
  analysis::ReviewPolicy policy_;
  std::vector<Finding> suppressed_;
};

// --- ARCH005: import cycles ---

TEST_F(ChangeRulesTest, TwoModulesImportingEachOtherAreOneCycleReportedOnce) {
  const std::vector<Finding> f = Review(
      {{"app/a.py", "import os\nimport b\n"}, {"app/b.py", "from a import helper\n"}}, "ARCH005");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(Where(f[0]), "app/a.py:2");
  EXPECT_EQ(f[0].column(), 8);
  EXPECT_EQ(f[0].message(), "import cycle a -> b -> a");
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(f[0].cwe(), 1047);
}

TEST_F(ChangeRulesTest, RelativeImportsInAPackageMakeACycle) {
  const std::vector<Finding> f = Review({{"shop/__init__.py", ""},
                                         {"shop/orders.py", "from .billing import charge\n"},
                                         {"shop/billing.py", "x = 1\nfrom . import stock\n"},
                                         {"shop/stock.py", "from ..shop import orders\n"}},
                                        "ARCH005");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(Where(f[0]), "shop/billing.py:2");
  EXPECT_EQ(f[0].message(), "import cycle billing -> stock -> orders -> billing");
}

TEST_F(ChangeRulesTest, LazyTypeCheckingAndMainImportsMakeNoCycle) {
  EXPECT_THAT(Review({{"a.py", "import b\n"},
                      {"b.py",
                       "from typing import TYPE_CHECKING\n"
                       "if TYPE_CHECKING:\n"
                       "    import a\n"
                       "def f():\n"
                       "    import a\n"
                       "    return a\n"
                       "if __name__ == '__main__':\n"
                       "    import a\n"}},
                     "ARCH005"),
              IsEmpty());
}

TEST_F(ChangeRulesTest, AnAbsoluteImportInsideAPackageMeansTheTopLevelModule) {
  // asyncio/events.py `import subprocess` is the standard library's, not asyncio/subprocess.py.
  EXPECT_THAT(Review({{"aio/__init__.py", ""},
                      {"aio/events.py", "import subprocess\n"},
                      {"aio/subprocess.py", "from . import events\n"}},
                     "ARCH005"),
              IsEmpty());
}

TEST_F(ChangeRulesTest, ARelativeImportMarksItsDirectoryAsAPackage) {
  // app/ has no __init__.py in the change, but x.py imports relatively, so app is a package
  // and `import logging` in it is the standard library's.
  EXPECT_THAT(Review({{"app/x.py", "from .util import f\nimport logging\n"},
                      {"app/logging.py", "from app import x\n"}},
                     "ARCH005"),
              IsEmpty());
  EXPECT_THAT(Review({{"app/x.py", "import logging\n"}, {"app/logging.py", "from app import x\n"}},
                     "ARCH005"),
              SizeIs(1))
      << "without a sign that app is a package, app/ may be a script directory";
}

TEST_F(ChangeRulesTest, ImportsUnderIfFalseNeverRun) {
  EXPECT_THAT(Review({{"a.py", "import b\n"}, {"b.py", "if False:\n    import a\n"}}, "ARCH005"),
              IsEmpty());
}

TEST_F(ChangeRulesTest, ALargerTangleIsOneFindingNamingItsShortestCycle) {
  const std::vector<Finding> f = Review(
      {{"a.py", "import b\nimport c\n"}, {"b.py", "import a\nimport c\n"}, {"c.py", "import a\n"}},
      "ARCH005");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].message(),
            "import cycle a -> b -> a (one cycle of 3 modules that all import each other)");
}

TEST_F(ChangeRulesTest, ACycleIsReportedAtTheImportTheDiffAdded) {
  const std::vector<Finding> f = Review({{"a.py", "import b\n"}, {"b.py", "x = 1\nimport a\n"}},
                                        "ARCH005", {{"a.py", {0}}, {"b.py", {2}}});
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(Where(f[0]), "b.py:2");
  EXPECT_EQ(f[0].message(), "import cycle b -> a -> b");
  EXPECT_THAT(Review({{"a.py", "import b\n"}, {"b.py", "x = 1\nimport a\n"}}, "ARCH005",
                     {{"a.py", {0}}, {"b.py", {1}}}),
              IsEmpty())
      << "a diff that touches no import of the cycle does not report it";
}

TEST_F(ChangeRulesTest, ACycleIsSuppressedInline) {
  EXPECT_THAT(Review({{"a.py", "import b  # conclave: ignore[ARCH005]\n"}, {"b.py", "import a\n"}},
                     "ARCH005"),
              IsEmpty());
  EXPECT_THAT(suppressed_, SizeIs(1));
}

// --- ARCH006: fan-out ---

std::string Imports(int n, int first = 0) {
  std::string out;
  for (int i = first; i < first + n; ++i) out += "import mod" + std::to_string(i) + "\n";
  return out;
}

TEST_F(ChangeRulesTest, MoreThanTwentyDistinctModulesIsHighFanOut) {
  const std::vector<Finding> f =
      Review({{"hub.py", "'''Doc.'''\n" + Imports(kMaxFanOut + 1)}}, "ARCH006");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(Where(f[0]), "hub.py:2");
  EXPECT_THAT(f[0].message(), HasSubstr("imports 21 distinct modules (limit 20): mod0, mod1"));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_LOW);
}

TEST_F(ChangeRulesTest, RepeatedAndFromImportsOfOneModuleCountOnce) {
  std::string source = Imports(kMaxFanOut);
  for (int i = 0; i < kMaxFanOut; ++i) {
    source += "from mod" + std::to_string(i) + " import a, b\n";
    source += "def f" + std::to_string(i) + "():\n    import mod" + std::to_string(i) + "\n";
  }
  EXPECT_THAT(Review({{"hub.py", source}}, "ARCH006"), IsEmpty());
}

TEST_F(ChangeRulesTest, SubmodulesImportedFromAPackageCountEach) {
  std::string source;
  for (int i = 0; i <= kMaxFanOut; ++i) source += "from . import part" + std::to_string(i) + "\n";
  EXPECT_THAT(Review({{"pkg/hub.py", source}}, "ARCH006"), SizeIs(1));
}

TEST_F(ChangeRulesTest, APackageInitReExportingItsSubmodulesIsItsFacade) {
  std::string reexports;
  for (int i = 0; i < 2 * kMaxFanOut; ++i) {
    reexports += "from .part" + std::to_string(i) + " import Thing" + std::to_string(i) + "\n";
  }
  EXPECT_THAT(Review({{"pkg/__init__.py", reexports + Imports(kMaxFanOut)}}, "ARCH006"), IsEmpty());
  const std::vector<Finding> f =
      Review({{"pkg/__init__.py", reexports + Imports(kMaxFanOut + 1)}}, "ARCH006");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].line(), 2 * kMaxFanOut + 1) << "at the first import that counts";
}

// --- ARCH007: layering ---

class LayeringTest : public ChangeRulesTest {
 protected:
  void SetUp() override {
    static const std::vector<analysis::RuleSpec> rules = analysis::AllRules(*pack_);
    absl::StatusOr<analysis::ReviewPolicy> p = analysis::ReviewPolicy::Parse(
        "review:\n"
        "  layers:\n"
        "    api: {paths: ['app/api/**'], may_not_import: [db]}\n"
        "    service: {paths: ['app/services/**'], may_not_import: [api]}\n"
        "    db: {paths: ['app/db/**'], may_not_import: [api, service]}\n",
        "policy.yaml", rules);
    ASSERT_TRUE(p.ok()) << p.status();
    policy_ = *p;
  }
};

TEST_F(LayeringTest, ApiImportingDbDirectlyIsAViolationInEveryForm) {
  const std::vector<Finding> f = Review({{"app/api/views.py",
                                          "from app.services import orders\n"
                                          "from app.db import models\n"
                                          "import app.db.session as session\n"
                                          "from ..db.models import User\n"
                                          "def late():\n"
                                          "    from app.db import engine\n"}},
                                        "ARCH007");
  std::vector<std::string> where;
  for (const Finding& x : f) where.push_back(Where(x));
  EXPECT_THAT(where, ElementsAre("app/api/views.py:2", "app/api/views.py:3", "app/api/views.py:4",
                                 "app/api/views.py:6"));
  EXPECT_EQ(f[0].message(),
            "layer `api` imports `app.db` of layer `db`, which the policy forbids "
            "(review.layers.api.may_not_import)");
  EXPECT_EQ(f[0].cwe(), 1054);
}

TEST_F(LayeringTest, AllowedDirectionsAndLookAlikesAreNoViolation) {
  EXPECT_THAT(Review({{"app/api/views.py",
                       "from app.services import orders\n"
                       "import dbm\n"
                       "from app.api import db\n"
                       "from .db_helpers import x\n"},
                      {"app/services/orders.py", "from app.db import models\n"},
                      {"app/db/models.py", "import sqlalchemy\n"},
                      {"tools/script.py", "from app.db import models\n"}},
                     "ARCH007"),
              IsEmpty());
}

TEST_F(LayeringTest, ALayerKnownOnlyFromAFileOfTheChange) {
  // `from models import User` resolves to app/db/models.py in the same change.
  const std::vector<Finding> f = Review(
      {{"app/db/models.py", "x = 1\n"}, {"app/db/query.py", "from app.api.views import y\n"}},
      "ARCH007");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_THAT(f[0].message(), HasSubstr("layer `db` imports `app.api.views` of layer `api`"));
}

// --- ARCH008: duplicated blocks ---

const char kBlock[] =
    "    total = 0\n"
    "    for item in order.items:\n"
    "        price = item.price * item.quantity\n"
    "        if item.discount:\n"
    "            price -= price * item.discount / 100\n"
    "        total += round(price, 2)\n"
    "    return total\n";

TEST_F(ChangeRulesTest, ABlockCopiedIntoAnotherFileIsReportedAtTheSecondCopy) {
  const std::vector<Finding> f =
      Review({{"a.py", std::string("def order_total(order):\n") + kBlock},
              {"b.py", std::string("import x\n\n\ndef invoice_total(order):\n") + kBlock}},
             "ARCH008");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(Where(f[0]), "b.py:5");
  EXPECT_EQ(f[0].column(), 5);
  EXPECT_EQ(f[0].message(), "lines 5-11 duplicate a.py:2-8");
  EXPECT_EQ(f[0].cwe(), 1041);
}

TEST_F(ChangeRulesTest, ACopyInTheSameFileWithOtherCommentsAndSpacingIsADuplicate) {
  std::string spaced = kBlock;
  spaced.replace(spaced.find("total = 0"), 9, "total  =  0   # start");
  const std::vector<Finding> f =
      Review({{"a.py", std::string("def f(order):\n") + kBlock + "\n\ndef g(order):\n" + spaced}},
             "ARCH008");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].message(), "lines 12-18 duplicate lines 2-8");
}

TEST_F(ChangeRulesTest, RenamedCopiesShortBlocksAndImportListsAreNotDuplicates) {
  std::string renamed = kBlock;
  renamed.replace(renamed.find("item.discount:"), 13, "item.rebate:");
  std::string imports;
  for (int i = 0; i < 10; ++i) imports += "from pkg.mod" + std::to_string(i) + " import thing\n";
  EXPECT_THAT(Review({{"a.py", imports + "def f(order):\n" + kBlock},
                      {"b.py", imports + "def g(order):\n" + renamed},
                      {"c.py",
                       "def h():\n    x = 1\n    y = 2\n    z = 3\n    w = 4\n    v = 5\n"
                       "    return x\n"},
                      {"d.py",
                       "def h():\n    x = 1\n    y = 2\n    z = 3\n    w = 4\n    v = 5\n"
                       "    return x\n"}},
                     "ARCH008"),
              IsEmpty());
}

TEST_F(ChangeRulesTest, ALongCopyIsOneFinding) {
  std::string body;
  for (int i = 0; i < 30; ++i) {
    body += "    values.append(compute(" + std::to_string(i) + ", data, scale=factor))\n";
  }
  const std::vector<Finding> f = Review({{"a.py", "def f(values, data, factor):\n" + body},
                                         {"b.py", "def g(values, data, factor):\n" + body}},
                                        "ARCH008");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].message(), "lines 2-31 duplicate a.py:2-31");
}

TEST_F(ChangeRulesTest, DuplicatesHonourDiffScope) {
  EXPECT_THAT(Review({{"a.py", std::string("def f(order):\n") + kBlock},
                      {"b.py", std::string("def g(order):\n") + kBlock + "x = 1\n"}},
                     "ARCH008", {{"b.py", {9}}}),
              IsEmpty());
}

// --- the reviewer and scan agree ---

TEST(ChangeRulesSeamTest, ScanOfADirectoryAndAReviewOfItsFilesReportTheSame) {
  const std::map<std::string, std::string> files = {
      {"app/api/views.py", "from app.db import models\nimport app.services.orders\n"},
      {"app/services/orders.py", "import app.services.billing\n"},
      {"app/services/billing.py",
       "import app.services.orders\n\ndef total(order):\n" + std::string(kBlock)},
      {"app/db/models.py", "def total(order):\n" + std::string(kBlock)}};
  const std::string policy_text =
      "review:\n  layers:\n    api: {paths: ['app/api/**'], may_not_import: [db]}\n"
      "    db: {paths: ['app/db/**']}\n";
  std::string tmpl = (std::filesystem::temp_directory_path() / "conclave-arch-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  const std::filesystem::path root = tmpl;
  for (const auto& [path, content] : files) {
    std::filesystem::create_directories((root / path).parent_path());
    std::ofstream(root / path) << content;
  }
  std::ofstream(root / "policy.yaml") << policy_text;

  std::unique_ptr<analysis::RulePack> pack = NewArchitecturePack();
  std::ostringstream out, err;
  const std::string prefix = root.generic_string() + "/";
  ASSERT_EQ(analysis::RunScan(*pack,
                              {"--format=json", "--policy", (root / "policy.yaml").string(),
                               (root / "app").string()},
                              out, err),
            analysis::kScanFindings)
      << err.str();
  std::vector<std::string> scanned;
  const nlohmann::json report = nlohmann::json::parse(out.str());
  for (const auto& f : report["findings"]) {
    std::string line = f["rule_id"].get<std::string>() + " " + f["file"].get<std::string>() + ":" +
                       std::to_string(f["line"].get<int>()) + " " + f["message"].get<std::string>();
    for (size_t at; (at = line.find(prefix)) != std::string::npos;) line.erase(at, prefix.size());
    scanned.push_back(line);
  }
  std::filesystem::remove_all(root);

  const std::vector<analysis::RuleSpec> rules = analysis::AllRules(*pack);
  absl::StatusOr<analysis::ReviewPolicy> policy =
      analysis::ReviewPolicy::Parse(policy_text, "policy.yaml", rules);
  ASSERT_TRUE(policy.ok()) << policy.status();
  analysis::AnalysisReviewer reviewer(NewArchitecturePack(), *policy);
  conclave::v1::Change change;
  change.set_target_service("shop");
  change.set_environment("dev");
  for (const auto& [path, content] : files) {
    auto* f = change.add_files();
    f->set_path(path);
    f->set_content(content);
  }
  absl::StatusOr<conclave::v1::Vote> vote = reviewer.Review(change);
  ASSERT_TRUE(vote.ok()) << vote.status();
  std::vector<std::string> reviewed;
  for (const Finding& f : vote->findings()) {
    reviewed.push_back(f.rule_id() + " " + f.file() + ":" + std::to_string(f.line()) + " " +
                       f.message());
  }
  EXPECT_EQ(scanned, reviewed);
  EXPECT_THAT(reviewed,
              ElementsAre("ARCH007 app/api/views.py:1 layer `api` imports `app.db` of layer `db`, "
                          "which the policy forbids (review.layers.api.may_not_import)",
                          "ARCH005 app/services/billing.py:1 import cycle billing -> orders -> "
                          "billing",
                          "ARCH008 app/services/billing.py:4 lines 4-10 duplicate "
                          "app/db/models.py:2-8"));
}

// --- module names ---

TEST(ModuleNameTest, PathsBecomeDottedNames) {
  EXPECT_EQ(ModuleNameOfPath("pkg/sub/mod.py"), "pkg.sub.mod");
  EXPECT_EQ(ModuleNameOfPath("pkg/__init__.py"), "pkg");
  EXPECT_EQ(ModuleNameOfPath("/usr/lib/python3.11/json/decoder.py"), "json.decoder");
  EXPECT_EQ(ModuleNameOfPath("stubs/x.pyi"), "stubs.x");
}

}  // namespace
}  // namespace conclave::architecture
