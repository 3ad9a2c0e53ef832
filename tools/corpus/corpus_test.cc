#include "tools/corpus/corpus.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace conclave::corpus {
namespace {

namespace fs = std::filesystem;
using analysis::FindingCollector;
using analysis::ParsedModule;
using analysis::RulePack;
using analysis::RuleSpec;

// Two small packs with known behaviour, so the scorer is tested apart from the real rules:
// "security" reports SEC901 at every call of danger(), "performance" PERF901 at every slow().
const RuleSpec kDanger = {"SEC901", "danger", conclave::v1::SEVERITY_HIGH, 78, 0.9, "d", "r"};
const RuleSpec kSlow = {"PERF901", "slow", conclave::v1::SEVERITY_LOW, 0, 0.9, "s", "r"};

class CallPack final : public RulePack {
 public:
  CallPack(std::string_view reviewer, const RuleSpec& rule, std::string callee)
      : reviewer_(reviewer), rules_{rule}, callee_(std::move(callee)) {}
  std::string_view reviewer() const override { return reviewer_; }
  std::string_view version() const override { return "0.0.1"; }
  const std::vector<RuleSpec>& rules() const override { return rules_; }
  analysis::RejectPolicy reject_policy() const override {
    return analysis::RejectPolicy::kNeverReject;
  }
  void Check(const ParsedModule& m, FindingCollector& out) const override {
    for (const analysis::Site& call : m.calls()) {
      if (m.CalleeName(call.node) == callee_) {
        out.Add(rules_[0], m.Locate(call.node), callee_ + "() called", "don't");
      }
    }
  }

 private:
  std::string_view reviewer_;
  std::vector<RuleSpec> rules_;
  std::string callee_;
};

class CorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device seed;
    root_ = fs::temp_directory_path() /
            ("conclave_corpus_test_" + std::to_string(getpid()) + "_" + std::to_string(seed()));
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& rel, const std::string& content) {
    const fs::path path = root_ / rel;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }

  Score Run() {
    absl::StatusOr<std::vector<Case>> cases = LoadCorpus(root_);
    EXPECT_TRUE(cases.ok()) << cases.status();
    if (!cases.ok()) return {};
    const RulePack* packs[] = {&security_, &performance_};
    return ScoreCorpus(packs, *cases);
  }

  static const RuleScore& Rule(const Score& s, std::string_view id) {
    for (const RuleScore& r : s.rules) {
      if (r.id == id) return r;
    }
    ADD_FAILURE() << "no rule " << id;
    static const RuleScore none;
    return none;
  }

  fs::path root_;
  CallPack security_{"security", kDanger, "danger"};
  CallPack performance_{"performance", kSlow, "slow"};
};

TEST(ParseMarkerTest, ReadsPythonAndJavaScriptMarkers) {
  EXPECT_EQ(*ParseMarker("cursor.execute(q)   # expect: SEC002"),
            std::vector<std::string>{"SEC002"});
  EXPECT_EQ(*ParseMarker("res.send(x) // expect: SEC101"), std::vector<std::string>{"SEC101"});
  EXPECT_EQ(*ParseMarker("x()  #expect:PERF003,SEC002"),
            (std::vector<std::string>{"PERF003", "SEC002"}));
  EXPECT_EQ(*ParseMarker("x()  # expect: SEC002 , PERF003  (both flows)\r"),
            (std::vector<std::string>{"PERF003", "SEC002"}));
  EXPECT_EQ(*ParseMarker("x()  # expect: INPUT003 unterminated string"),
            std::vector<std::string>{"INPUT003"});
}

TEST(ParseMarkerTest, LinesWithoutAMarkerGiveNothing) {
  EXPECT_TRUE(ParseMarker("")->empty());
  EXPECT_TRUE(ParseMarker("cursor.execute(q)  # SEC002 would be wrong here")->empty());
  EXPECT_TRUE(ParseMarker("s = 'we expect: SEC002 to stay quiet'")->empty());
}

TEST(ParseMarkerTest, MalformedMarkersAreErrorsNamingTheProblem) {
  const auto none = ParseMarker("x()  # expect:");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("no rule id"), std::string::npos);
  const auto lower = ParseMarker("x()  # expect: sec002");
  ASSERT_FALSE(lower.ok());
  EXPECT_NE(lower.status().message().find("'sec002'"), std::string::npos);
  EXPECT_FALSE(ParseMarker("x()  # expect: SEC002,").ok());
  EXPECT_FALSE(ParseMarker("x()  # expect: SEC002;PERF001").ok());
  EXPECT_FALSE(ParseMarker("x()  # expect: SEC").ok());
}

TEST_F(CorpusTest, LoadsOneChangePerCaseDirectoryWithItsPolicyApart) {
  Write("security/sec901_pkg/a.py", "x = 1\n");
  Write("security/sec901_pkg/sub/b.py", "y = 2\n");
  Write("security/sec901_pkg/policy.yaml", "review: {}\n");
  Write("security/sec901_pkg/__pycache__/a.cpython-311.pyc", "\x01");
  Write("performance/perf901_loop/c.py", "z = 3\n");
  Write("README.md", "the corpus\n");
  absl::StatusOr<std::vector<Case>> cases = LoadCorpus(root_);
  ASSERT_TRUE(cases.ok()) << cases.status();
  ASSERT_EQ(cases->size(), 2u);
  EXPECT_EQ((*cases)[0].name, "performance/perf901_loop");
  EXPECT_FALSE((*cases)[0].policy.has_value());
  EXPECT_EQ((*cases)[1].name, "security/sec901_pkg");
  ASSERT_EQ((*cases)[1].files.size(), 2u);
  EXPECT_EQ((*cases)[1].files[0].path, "a.py");
  EXPECT_EQ((*cases)[1].files[1].path, "sub/b.py");
  EXPECT_EQ((*cases)[1].policy, "review: {}\n");
}

TEST_F(CorpusTest, StrayFilesAndEmptyCorporaAreErrors) {
  EXPECT_FALSE(LoadCorpus(root_).ok()) << "no cases";
  EXPECT_EQ(LoadCorpus(root_ / "missing").status().code(), absl::StatusCode::kNotFound);
  Write("security/loose.py", "x = 1\n");
  const auto stray = LoadCorpus(root_);
  ASSERT_FALSE(stray.ok());
  EXPECT_NE(stray.status().message().find("loose.py"), std::string::npos);
}

TEST_F(CorpusTest, AMarkedCorpusScoresPerfectly) {
  Write("security/sec901_calls/tp.py", "import os\ndanger()  # expect: SEC901\n");
  Write("security/sec901_calls/tn.py", "def danger_free():\n    return 1\n");
  Write("performance/perf901_slow/tp.py", "for x in y:\n    slow(x)  # expect: PERF901\n");
  Write("performance/perf901_slow/tn.py", "fast()\n");
  const Score s = Run();
  EXPECT_TRUE(s.errors.empty());
  EXPECT_EQ(s.cases, 2);
  EXPECT_EQ(s.files, 4);
  const RuleScore& danger = Rule(s, "SEC901");
  EXPECT_EQ(danger.reviewer, "security");
  EXPECT_EQ(danger.tp, 1);
  EXPECT_EQ(danger.fp, 0);
  EXPECT_EQ(danger.fn, 0);
  EXPECT_TRUE(danger.has_tp_case);
  EXPECT_TRUE(danger.has_tn_file);
  EXPECT_EQ(s.reviewer("performance")->tp, 1);
  EXPECT_TRUE(Passes(s, {}));
}

TEST_F(CorpusTest, AFailingCorpusCountsEachFalsePositiveAndNegativeAndFails) {
  // 2 TP, 1 FP (unmarked call), 1 FN (marker on a line without a call) for SEC901.
  Write("security/sec901_calls/a.py",
        "danger()  # expect: SEC901\n"
        "danger()  # expect: SEC901\n"
        "danger()\n"
        "safe()  # expect: SEC901\n");
  const Score s = Run();
  const RuleScore& r = Rule(s, "SEC901");
  EXPECT_EQ(r.tp, 2);
  EXPECT_EQ(r.fp, 1);
  EXPECT_EQ(r.fn, 1);
  EXPECT_DOUBLE_EQ(*r.precision(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(*r.recall(), 2.0 / 3.0);
  EXPECT_FALSE(r.has_tn_file) << "its only file has markers";
  EXPECT_FALSE(Passes(s, {}));
  EXPECT_TRUE(Passes(s, {.min_precision = 0.6, .min_recall = 0.6}));
  ASSERT_EQ(s.false_positives.size(), 1u);
  EXPECT_EQ(s.false_positives[0].file, "security/sec901_calls/a.py");
  EXPECT_EQ(s.false_positives[0].line, 3);
  ASSERT_EQ(s.false_negatives.size(), 1u);
  EXPECT_EQ(s.false_negatives[0].line, 4);
  const std::string report = FormatReport(s, {}, /*verbose=*/false);
  EXPECT_NE(report.find("security/sec901_calls/a.py:3: SEC901"), std::string::npos) << report;
  EXPECT_NE(report.find("security/sec901_calls/a.py:4: SEC901"), std::string::npos) << report;
  EXPECT_NE(report.find("FAIL"), std::string::npos) << report;
  // PERF901 has no case at all, so it is flagged.
  EXPECT_NE(
      report.find("rules without a true-positive case: INPUT001, INPUT002, INPUT003, PERF901\n"),
      std::string::npos)
      << report;
}

TEST_F(CorpusTest, EveryPackRunsOnEveryCase) {
  // A security call in a performance case is a finding like any other: here a false positive.
  Write("performance/perf901_slow/a.py", "slow()  # expect: PERF901\ndanger()\n");
  const Score s = Run();
  EXPECT_EQ(Rule(s, "PERF901").tp, 1);
  EXPECT_EQ(Rule(s, "SEC901").fp, 1);
  EXPECT_FALSE(MeetsThresholds(*s.reviewer("security"), {}));
  EXPECT_TRUE(MeetsThresholds(*s.reviewer("performance"), {}));
}

TEST_F(CorpusTest, ASecondFindingOnAMarkedLineIsAFalsePositive) {
  Write("security/sec901_twice/a.py", "danger(danger())  # expect: SEC901\n");
  const Score s = Run();
  EXPECT_EQ(Rule(s, "SEC901").tp, 1);
  EXPECT_EQ(Rule(s, "SEC901").fp, 1);
  ASSERT_EQ(s.false_positives.size(), 1u);
  EXPECT_NE(s.false_positives[0].detail.find("2 times"), std::string::npos);
}

TEST_F(CorpusTest, AMarkerNamingAnUnknownRuleFailsTheRun) {
  Write("security/sec901_calls/a.py", "danger()  # expect: SEC901\nx = 1  # expect: TST999\n");
  const Score s = Run();
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_NE(s.errors[0].find("security/sec901_calls/a.py:2"), std::string::npos) << s.errors[0];
  EXPECT_NE(s.errors[0].find("TST999"), std::string::npos);
  EXPECT_EQ(Rule(s, "SEC901").tp, 1);
  EXPECT_FALSE(Passes(s, {}));
}

TEST_F(CorpusTest, InputRulesAreScoredOnceAndWholeFileFindingsMatchLineOne) {
  Write("input/input001_latin1/a.py", "x = 1\nname = 'caf\xe9'  # expect: INPUT001\ndanger()\n");
  Write("input/input002_ruby/app.rb", "# expect: INPUT002\nputs 'hi'\n");
  Write("input/input003_broken/a.py", "def f(:  # expect: INPUT003\n    pass\n");
  const Score s = Run();
  EXPECT_TRUE(s.errors.empty()) << s.errors[0];
  for (const char* id : {"INPUT001", "INPUT002", "INPUT003"}) {
    EXPECT_EQ(Rule(s, id).reviewer, "input");
    EXPECT_EQ(Rule(s, id).tp, 1) << id;
    EXPECT_EQ(Rule(s, id).fp, 0) << id << " is reported by both packs but counted once";
  }
  EXPECT_EQ(Rule(s, "SEC901").fp, 0) << "a file that is not UTF-8 is not analyzed";
  EXPECT_EQ(s.reviewer("input")->tp, 3);
}

TEST_F(CorpusTest, ACasePolicyConfiguresItsReview) {
  // The case's policy turns SEC901 off, so its unmarked danger() is no false positive there.
  Write("security/sec901_off/a.py", "danger()\n");
  Write("security/sec901_off/policy.yaml", "review:\n  severity:\n    SEC901: off\n");
  Write("security/sec901_on/a.py", "danger()  # expect: SEC901\n");
  const Score s = Run();
  EXPECT_TRUE(s.errors.empty()) << s.errors.front();
  EXPECT_EQ(Rule(s, "SEC901").tp, 1);
  EXPECT_EQ(Rule(s, "SEC901").fp, 0);
}

TEST_F(CorpusTest, APolicyThatDoesNotLoadIsAnError) {
  Write("security/sec901_bad/a.py", "danger()  # expect: SEC901\n");
  Write("security/sec901_bad/policy.yaml", "review:\n  severity:\n    SEC901: loud\n");
  const Score s = Run();
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_NE(s.errors[0].find("security/sec901_bad/policy.yaml"), std::string::npos) << s.errors[0];
  EXPECT_FALSE(Passes(s, {}));
}

}  // namespace
}  // namespace conclave::corpus
