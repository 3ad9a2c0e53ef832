// `scan` over JavaScript with the security pack: directories pick up .js/.mjs/.cjs files, and
// text, JSON and SARIF report their findings like Python's.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "agents/analysis/scan.h"
#include "agents/security/security_pack.h"

namespace conclave::analysis {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kApp[] =
    "const express = require('express');\n"
    "const app = express();\n"
    "app.get('/go', (req, res) => {\n"
    "  res.redirect(req.query.next);\n"
    "});\n";

class JsScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "conclave-js-scan-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    Write("web/app.js", kApp);
    Write("web/lib/util.mjs", "export const twice = (x) => x * 2;\n");
    Write("web/node_modules/dep/index.js", "eval(process.argv[2]);\n");
    Write("web/broken.cjs", "const a = 1;\nconst = 2;\n");
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& relative, const std::string& content) {
    const fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }

  int Scan(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return RunScan(*pack_, args, out_, err_);
  }

  std::unique_ptr<RulePack> pack_ = security::NewSecurityPack();
  fs::path root_;
  std::ostringstream out_, err_;
};

TEST_F(JsScanTest, TextReportsJavaScriptFindingsAndParseErrors) {
  EXPECT_EQ(Scan({(root_ / "web").string()}), kScanFindings) << err_.str();
  const std::string text = out_.str();
  EXPECT_NE(text.find("app.js:4:3: MEDIUM SEC106"), std::string::npos) << text;
  EXPECT_NE(text.find("broken.cjs:2:1: MEDIUM INPUT003"), std::string::npos) << text;
  EXPECT_NE(text.find("does not parse as JavaScript"), std::string::npos) << text;
  EXPECT_EQ(text.find("node_modules"), std::string::npos) << "dependencies are skipped";
  EXPECT_EQ(text.find("INPUT002"), std::string::npos) << text;
  EXPECT_NE(text.find("in 3 files"), std::string::npos) << text;
}

TEST_F(JsScanTest, JsonAndSarifCarryTheRuleAndItsCwe) {
  const std::string app = (root_ / "web/app.js").string();
  ASSERT_EQ(Scan({"--format", "json", app}), kScanFindings) << err_.str();
  const json report = json::parse(out_.str());
  ASSERT_EQ(report["findings"].size(), 1u);
  EXPECT_EQ(report["findings"][0]["rule_id"], "SEC106");
  EXPECT_EQ(report["findings"][0]["line"], 4);

  ASSERT_EQ(Scan({"--format", "sarif", app}), kScanFindings) << err_.str();
  const json sarif = json::parse(out_.str());
  const json& run = sarif["runs"][0];
  ASSERT_EQ(run["results"].size(), 1u);
  const json& result = run["results"][0];
  EXPECT_EQ(result["ruleId"], "SEC106");
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startLine"], 4);
  const json& rule = run["tool"]["driver"]["rules"][result["ruleIndex"].get<int>()];
  EXPECT_EQ(rule["id"], "SEC106");
  EXPECT_EQ(rule["name"], "js-open-redirect");
  bool cwe = false;
  for (const json& tag : rule["properties"]["tags"]) cwe |= tag == "external/cwe/cwe-601";
  EXPECT_TRUE(cwe) << rule.dump();
}

TEST_F(JsScanTest, SuppressedAndCleanFilesPass) {
  Write("ok/app.js", std::string(kApp).replace(std::string(kApp).find("next);") + 6, 0,
                                               " // nosec SEC106"));
  EXPECT_EQ(Scan({(root_ / "ok").string()}), kScanClean) << out_.str();
  EXPECT_NE(out_.str().find("1 suppressed inline"), std::string::npos) << out_.str();
}

}  // namespace
}  // namespace conclave::analysis
