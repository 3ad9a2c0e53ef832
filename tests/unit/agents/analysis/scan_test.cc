#include "agents/analysis/scan.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "agents/analysis/analysis_reviewer.h"
#include "tests/unit/agents/analysis/change_test_pack.h"
#include "tests/unit/agents/analysis/test_pack.h"

namespace conclave::analysis {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "conclave-scan-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string Write(const std::string& relative, const std::string& content) {
    const fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  int Scan(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return RunScan(pack_, args, out_, err_);
  }

  TestPack pack_;
  fs::path root_;
  std::ostringstream out_, err_;
};

TEST_F(ScanTest, ExitCodesFollowFailOn) {
  Write("clean/a.py", "x = 1\n");
  Write("dirty/b.py", "meh()\n\ndanger()\n");
  EXPECT_EQ(Scan({(root_ / "clean").string()}), kScanClean) << err_.str();
  EXPECT_EQ(Scan({(root_ / "dirty").string()}), kScanFindings);
  EXPECT_EQ(Scan({"--fail-on", "critical", (root_ / "dirty").string()}), kScanClean);
  EXPECT_EQ(Scan({"--fail-on=HIGH", (root_ / "dirty").string()}), kScanFindings);
  const std::string ruby = Write("app.rb", "puts 1\n");
  EXPECT_EQ(Scan({ruby}), kScanClean) << "INFO findings do not fail the default --fail-on low";
  EXPECT_EQ(Scan({"--fail-on", "info", ruby}), kScanFindings);
  EXPECT_NE(out_.str().find("INPUT002"), std::string::npos) << out_.str();
}

TEST_F(ScanTest, UsageAndIoErrorsExitTwoWithAPreciseMessage) {
  const std::string file = Write("a.py", "x = 1\n");
  EXPECT_EQ(Scan({}), kScanUsageError);
  EXPECT_NE(err_.str().find("no PATH"), std::string::npos) << err_.str();
  EXPECT_EQ(Scan({"--format", "xml", file}), kScanUsageError);
  EXPECT_NE(err_.str().find("'xml' is not one of text, json, sarif"), std::string::npos);
  EXPECT_EQ(Scan({"--fail-on", "severe", file}), kScanUsageError);
  EXPECT_NE(err_.str().find("--fail-on: 'severe'"), std::string::npos);
  EXPECT_EQ(Scan({"--bogus", file}), kScanUsageError);
  EXPECT_NE(err_.str().find("unknown option '--bogus'"), std::string::npos);
  EXPECT_EQ(Scan({file, "--format"}), kScanUsageError);
  EXPECT_NE(err_.str().find("--format needs a value"), std::string::npos);
  const std::string missing = (root_ / "missing.py").string();
  EXPECT_EQ(Scan({missing}), kScanUsageError);
  EXPECT_NE(err_.str().find(missing + ": no such file or directory"), std::string::npos);
  EXPECT_EQ(Scan({"--output", (root_ / "no/such/dir/report").string(), file}), kScanUsageError);
  EXPECT_NE(err_.str().find("cannot open for writing"), std::string::npos) << err_.str();
  EXPECT_EQ(Scan({"--help"}), kScanClean);
  EXPECT_NE(out_.str().find("--fail-on"), std::string::npos);
}

TEST_F(ScanTest, DirectoriesAreSearchedForPythonSkippingHiddenDirectories) {
  Write("src/pkg/mod.py", "danger()\n");
  Write("src/.venv/lib.py", "danger()\n");
  Write("src/__pycache__/x.py", "danger()\n");
  Write("src/README.md", "# readme\n");
  EXPECT_EQ(Scan({(root_ / "src").string()}), kScanFindings);
  const std::string text = out_.str();
  EXPECT_NE(text.find("pkg/mod.py:1:1: HIGH TEST001 danger() called"), std::string::npos) << text;
  EXPECT_EQ(text.find(".venv"), std::string::npos) << text;
  EXPECT_EQ(text.find("__pycache__"), std::string::npos) << text;
  EXPECT_EQ(text.find("README"), std::string::npos) << text;
  EXPECT_NE(text.find("1 finding (0 critical, 1 high, 0 medium, 0 low, 0 info) in 1 file"),
            std::string::npos)
      << text;
}

TEST_F(ScanTest, JsonReportHasFindingsSummaryAndVerdict) {
  Write("a.py", "meh()\ndanger()\n");
  EXPECT_EQ(Scan({"--format", "json", root_.string()}), kScanFindings);
  const json report = json::parse(out_.str());
  EXPECT_EQ(report["tool"]["name"], "conclave-security");
  EXPECT_EQ(report["files_scanned"], 1);
  EXPECT_EQ(report["lines_analyzed"], 2);
  EXPECT_EQ(report["summary"]["high"], 1);
  EXPECT_EQ(report["summary"]["low"], 1);
  EXPECT_EQ(report["failed"], true);
  EXPECT_EQ(report["verdict"]["verdict"], "REJECT");
  ASSERT_EQ(report["findings"].size(), 2u);
  EXPECT_EQ(report["findings"][1]["rule_id"], "TEST001");
  EXPECT_EQ(report["findings"][1]["line"], 2);
  EXPECT_EQ(report["findings"][1]["cwe"], 95);
  EXPECT_EQ(report["findings"][1]["severity"], "HIGH");
}

TEST_F(ScanTest, SarifReportFollowsTheSchemaFieldsCodeScanningReads) {
  Write("my app/a.py", "meh()\n  \ndanger()\n");
  const std::string output = (root_ / "report.sarif").string();
  fs::current_path(root_);
  EXPECT_EQ(Scan({"--format", "sarif", "--output", output, "my app"}), kScanFindings);
  EXPECT_EQ(out_.str(), "");
  std::ifstream in(output);
  const json sarif = json::parse(in);
  EXPECT_EQ(sarif["version"], "2.1.0");
  EXPECT_NE(sarif["$schema"].get<std::string>().find("sarif-2.1.0"), std::string::npos);
  ASSERT_EQ(sarif["runs"].size(), 1u);
  const json& run = sarif["runs"][0];
  const json& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "conclave-security");
  EXPECT_EQ(driver["version"], "0.1.0");
  EXPECT_TRUE(driver["informationUri"].get<std::string>().starts_with("https://"));
  ASSERT_EQ(driver["rules"].size(), 5u);
  const json& rule = driver["rules"][3];
  EXPECT_EQ(rule["id"], "TEST001");
  EXPECT_EQ(rule["name"], "danger-call");
  EXPECT_EQ(rule["shortDescription"]["text"], "Calls danger().");
  EXPECT_EQ(rule["fullDescription"]["text"], "Calls danger(). It is dangerous.");
  EXPECT_EQ(rule["help"]["text"], "Do not.");
  EXPECT_EQ(rule["defaultConfiguration"]["level"], "error");
  EXPECT_EQ(rule["properties"]["precision"], "very-high");
  EXPECT_NE(std::find(rule["properties"]["tags"].begin(), rule["properties"]["tags"].end(),
                      "external/cwe/cwe-95"),
            rule["properties"]["tags"].end());
  ASSERT_EQ(run["results"].size(), 2u);
  const json& result = run["results"][1];
  EXPECT_EQ(result["ruleId"], "TEST001");
  EXPECT_EQ(result["ruleIndex"], 3);
  EXPECT_EQ(result["level"], "error");
  EXPECT_NE(result["message"]["text"].get<std::string>().find("danger() called"),
            std::string::npos);
  const json& location = result["locations"][0]["physicalLocation"];
  EXPECT_EQ(location["artifactLocation"]["uri"], "my%20app/a.py");
  EXPECT_EQ(location["region"]["startLine"], 3);
  EXPECT_EQ(location["region"]["startColumn"], 1);
  EXPECT_EQ(run["results"][0]["level"], "note");
}

TEST_F(ScanTest, ExplicitFileOfUnknownLanguageIsReportedNotSkipped) {
  const std::string file = Write("script.sh", "rm -rf /\n");
  EXPECT_EQ(Scan({"--fail-on", "info", file}), kScanFindings);
  EXPECT_NE(out_.str().find("INFO INPUT002"), std::string::npos) << out_.str();
}

TEST_F(ScanTest, ReportIsTheSameForEveryNumberOfJobs) {
  for (int i = 0; i < 40; ++i) {
    std::string body;
    for (int j = 0; j <= i % 7; ++j) body += (j % 2 ? "danger()\n" : "meh()\n");
    Write("pkg/m" + std::to_string(i) + ".py", body);
  }
  Write("pkg/broken.py", "def f(:\n");
  ASSERT_EQ(Scan({"--format", "json", "--jobs", "1", root_.string()}), kScanFindings);
  const std::string one = out_.str();
  for (const char* jobs : {"2", "3", "8"}) {
    ASSERT_EQ(Scan({"--format", "json", "-j", jobs, root_.string()}), kScanFindings);
    EXPECT_EQ(out_.str(), one) << "--jobs " << jobs;
  }
  EXPECT_EQ(json::parse(one)["files_scanned"], 41);
}

TEST_F(ScanTest, JobsMustBeAPositiveNumber) {
  const std::string file = Write("a.py", "x = 1\n");
  for (const char* bad : {"0", "-1", "many", "100000"}) {
    EXPECT_EQ(Scan({"--jobs", bad, file}), kScanUsageError) << bad;
    EXPECT_NE(err_.str().find("--jobs"), std::string::npos) << err_.str();
  }
  EXPECT_EQ(Scan({"--jobs=2", file}), kScanClean) << err_.str();
}

TEST_F(ScanTest, SuppressedFindingsAreCountedNotReported) {
  const std::string file = Write("a.py", "danger()  # nosec\ndanger()  # nosec TEST002\n");
  ASSERT_EQ(Scan({"--format", "json", file}), kScanFindings) << err_.str();
  const json report = json::parse(out_.str());
  EXPECT_EQ(report["suppressed"], 1);
  ASSERT_EQ(report["findings"].size(), 1u);
  EXPECT_EQ(report["findings"][0]["line"], 2);
  EXPECT_EQ(report["suppressed_findings"][0]["line"], 1);

  Write("a.py", "danger()  # conclave: ignore[TEST001]\n");
  EXPECT_EQ(Scan({"--format", "sarif", file}), kScanClean) << "suppressed findings do not fail";
  const json sarif = json::parse(out_.str());
  const json& results = sarif["runs"][0]["results"];
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0]["suppressions"][0]["kind"], "inSource");
}

TEST_F(ScanTest, BaselineHidesKnownFindingsAcrossLineShifts) {
  const std::string file = Write("app.py", "def f():\n    danger()\n    meh()\n");
  const std::string baseline = (root_ / "baseline.json").string();
  ASSERT_EQ(Scan({"--write-baseline", baseline, file}), kScanFindings) << err_.str();
  EXPECT_EQ(Scan({"--baseline", baseline, file}), kScanClean) << out_.str();

  // Code added above: the same findings on other lines stay hidden; a new one is reported.
  Write("app.py", "import os\n\n\ndef f():\n    danger()\n    meh()\n    danger(1)\n");
  ASSERT_EQ(Scan({"--format", "json", "--baseline", baseline, file}), kScanFindings);
  const json report = json::parse(out_.str());
  EXPECT_EQ(report["baseline_hidden"], 2);
  ASSERT_EQ(report["findings"].size(), 1u) << out_.str();
  EXPECT_EQ(report["findings"][0]["line"], 7);

  // A second identical line is a second finding: the baseline hides one occurrence only.
  Write("app.py", "def f():\n    danger()\n    danger()\n    meh()\n");
  ASSERT_EQ(Scan({"--format", "json", "--baseline", baseline, file}), kScanFindings);
  EXPECT_EQ(json::parse(out_.str())["findings"].size(), 1u) << out_.str();

  // A plain JSON report is a baseline too.
  const std::string report_file = (root_ / "report.json").string();
  ASSERT_EQ(Scan({"--format", "json", "--output", report_file, file}), kScanFindings);
  EXPECT_EQ(Scan({"--baseline", report_file, file}), kScanClean) << out_.str();
}

TEST_F(ScanTest, BaselineDoesNotHideAChangedLineOrAnotherFile) {
  const std::string a = Write("a.py", "danger(x)\n");
  const std::string b = Write("b.py", "danger(x)\n");
  const std::string baseline = (root_ / "baseline.json").string();
  ASSERT_EQ(Scan({"--write-baseline", baseline, a}), kScanFindings);
  EXPECT_EQ(Scan({"--baseline", baseline, b}), kScanFindings) << "another path";
  Write("a.py", "danger(y)\n");
  EXPECT_EQ(Scan({"--baseline", baseline, a}), kScanFindings) << "the line's text changed";
  Write("bad.json", "{\"findings\": 3}");
  EXPECT_EQ(Scan({"--baseline", (root_ / "bad.json").string(), a}), kScanUsageError);
  EXPECT_NE(err_.str().find("--baseline"), std::string::npos) << err_.str();
  EXPECT_EQ(Scan({"--baseline", (root_ / "missing.json").string(), a}), kScanUsageError);
}

// ---- the change-level step and the review policy ----

class ChangeScanTest : public ScanTest {
 protected:
  int ScanChange(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return RunScan(change_pack_, args, out_, err_);
  }
  // rule:file:line of each finding of a JSON report.
  static std::vector<std::string> Found(const json& findings) {
    std::vector<std::string> out;
    for (const json& f : findings) {
      out.push_back(f["rule_id"].get<std::string>() + ":" + f["file"].get<std::string>() + ":" +
                    std::to_string(f["line"].get<int>()));
    }
    return out;
  }

  ChangeTestPack change_pack_;
};

TEST_F(ChangeScanTest, ChangeRulesSeeEveryFileScannedAndMatchTheReviewer) {
  Write("app/a.py", "import b\nimport os\n");
  Write("app/b.py", "x = 1\nimport a\n");
  Write("app/c.py", "import d\n");
  ASSERT_EQ(ScanChange({"--format=json", "--jobs=2", (root_ / "app").string()}), kScanFindings)
      << err_.str();
  const json report = json::parse(out_.str());
  const std::string a = (root_ / "app/a.py").lexically_normal().generic_string();
  const std::string b = (root_ / "app/b.py").lexically_normal().generic_string();
  EXPECT_EQ(Found(report["findings"]),
            (std::vector<std::string>{"TEST003:" + a + ":1", "TEST003:" + b + ":2"}));
  EXPECT_FALSE(report["findings"][0]["fingerprint"].get<std::string>().empty());

  // The reviewer over the same files as one change reports the same findings.
  conclave::v1::Change change;
  change.set_target_service("svc");
  change.set_environment("dev");
  for (const auto& [path, content] : {std::pair{"a.py", "import b\nimport os\n"},
                                      {"b.py", "x = 1\nimport a\n"},
                                      {"c.py", "import d\n"}}) {
    auto* f = change.add_files();
    f->set_path(path);
    f->set_content(content);
  }
  AnalysisReviewer reviewer(std::make_unique<ChangeTestPack>());
  absl::StatusOr<conclave::v1::Vote> vote = reviewer.Review(change);
  ASSERT_TRUE(vote.ok()) << vote.status();
  std::vector<std::string> reviewed;
  for (const auto& f : vote->findings()) {
    reviewed.push_back(f.rule_id() + ":" + f.file() + ":" + std::to_string(f.line()));
  }
  EXPECT_EQ(reviewed, (std::vector<std::string>{"TEST003:a.py:1", "TEST003:b.py:2"}));
  EXPECT_EQ(vote->verdict(), conclave::v1::VERDICT_REQUEST_CHANGES);
}

TEST_F(ChangeScanTest, ChangeFindingsHonourInlineSuppressionsAndTheBaseline) {
  Write("a.py", "import b  # conclave: ignore[TEST003]\n");
  Write("b.py", "import a\n");
  ASSERT_EQ(ScanChange({"--format=json", root_.string()}), kScanFindings);
  json report = json::parse(out_.str());
  ASSERT_EQ(report["findings"].size(), 1u) << out_.str();
  EXPECT_EQ(report["suppressed"], 1);
  const std::string baseline = (root_ / "baseline.json").string();
  ASSERT_EQ(ScanChange({"--write-baseline", baseline, root_.string()}), kScanFindings);
  ASSERT_EQ(ScanChange({"--format=json", "--baseline", baseline, root_.string()}), kScanClean)
      << out_.str();
  EXPECT_EQ(json::parse(out_.str())["baseline_hidden"], 1);
}

TEST_F(ChangeScanTest, PolicyOverridesSeveritiesAndTurnsRulesOff) {
  Write("src/a.py", "import b\ndanger()\n");
  Write("src/b.py", "import a\n");
  const std::string policy = Write("policy.yaml",
                                   "version: x\n"
                                   "review:\n"
                                   "  severity: {TEST003: off, TEST001: info, PERF002: low}\n");
  ASSERT_EQ(ScanChange({"--format=json", "--policy", policy, (root_ / "src").string()}), kScanClean)
      << err_.str() << out_.str();
  const json report = json::parse(out_.str());
  ASSERT_EQ(report["findings"].size(), 1u) << out_.str();
  EXPECT_EQ(report["findings"][0]["rule_id"], "TEST001");
  EXPECT_EQ(report["findings"][0]["severity"], "INFO");
  EXPECT_EQ(report["verdict"]["verdict"], "APPROVE");
}

TEST_F(ChangeScanTest, PolicyErrorsNameTheKeyAndExitTwo) {
  const std::string dir = (root_ / "src").string();
  Write("src/a.py", "x = 1\n");
  const std::string unknown_rule = Write("p1.yaml", "review:\n  severity:\n    TEST009: low\n");
  EXPECT_EQ(ScanChange({"--policy", unknown_rule, dir}), kScanUsageError);
  EXPECT_NE(err_.str().find("review.severity.TEST009: unknown rule id 'TEST009'"),
            std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find("line 3"), std::string::npos) << err_.str();
  const std::string unknown_layer =
      Write("p2.yaml", "review:\n  layers:\n    api: {paths: ['api/**'], may_not_import: [db]}\n");
  EXPECT_EQ(ScanChange({"--policy", unknown_layer, dir}), kScanUsageError);
  EXPECT_NE(err_.str().find("review.layers.api.may_not_import[0]: expected one of the layers "
                            "defined (api), got 'db'"),
            std::string::npos)
      << err_.str();
  EXPECT_EQ(ScanChange({"--policy", (root_ / "missing.yaml").string(), dir}), kScanUsageError);
  EXPECT_NE(err_.str().find("cannot read policy file"), std::string::npos) << err_.str();
  EXPECT_EQ(ScanChange({"--policy", dir}), kScanUsageError) << "a directory is no policy file";
  EXPECT_EQ(ScanChange({"--policy"}), kScanUsageError);
  EXPECT_NE(err_.str().find("--policy needs a value"), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace conclave::analysis
