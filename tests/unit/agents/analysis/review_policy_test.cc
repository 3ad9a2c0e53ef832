// The review section of the policy file: severity overrides, layers and their globs, and the
// precise errors a bad section gives.
#include "agents/analysis/review_policy.h"

#include <gtest/gtest.h>

#include "agents/analysis/file_analysis.h"
#include "tests/unit/agents/analysis/test_pack.h"

namespace conclave::analysis {
namespace {

absl::StatusOr<ReviewPolicy> Parse(const std::string& yaml) {
  static const std::vector<RuleSpec> rules = AllRules(TestPack());
  return ReviewPolicy::Parse(yaml, "policy.yaml", rules);
}

std::string ErrorOf(const std::string& yaml) {
  absl::StatusOr<ReviewPolicy> p = Parse(yaml);
  EXPECT_FALSE(p.ok()) << yaml;
  return p.ok() ? "" : std::string(p.status().message());
}

conclave::v1::Finding FindingOf(const std::string& rule, conclave::v1::Severity severity) {
  conclave::v1::Finding f;
  f.set_rule_id(rule);
  f.set_severity(severity);
  return f;
}

TEST(ReviewPolicyTest, AFileWithoutAReviewSectionIsTheEmptyPolicy) {
  absl::StatusOr<ReviewPolicy> p = Parse("version: x\nenvironments: {dev: {}}\n");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->empty());
  std::vector<conclave::v1::Finding> f = {FindingOf("TEST001", conclave::v1::SEVERITY_HIGH)};
  p->ApplyOverrides(f);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_HIGH);
}

TEST(ReviewPolicyTest, OverridesChangeSeveritiesAndOffDropsTheRule) {
  absl::StatusOr<ReviewPolicy> p =
      Parse("review:\n  severity:\n    TEST001: Low\n    TEST002: off\n    INPUT003: critical\n");
  ASSERT_TRUE(p.ok()) << p.status();
  std::vector<conclave::v1::Finding> f = {FindingOf("TEST002", conclave::v1::SEVERITY_LOW),
                                          FindingOf("TEST001", conclave::v1::SEVERITY_HIGH),
                                          FindingOf("INPUT003", conclave::v1::SEVERITY_MEDIUM),
                                          FindingOf("INPUT001", conclave::v1::SEVERITY_MEDIUM)};
  p->ApplyOverrides(f);
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].rule_id(), "TEST001");
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_LOW);
  EXPECT_EQ(f[1].severity(), conclave::v1::SEVERITY_CRITICAL);
  EXPECT_EQ(f[2].severity(), conclave::v1::SEVERITY_MEDIUM) << "no override: unchanged";
}

TEST(ReviewPolicyTest, LayersAreMatchedInPolicyOrder) {
  absl::StatusOr<ReviewPolicy> p = Parse(
      "review:\n"
      "  layers:\n"
      "    api:\n"
      "      paths: ['app/api/**', 'app/views.py']\n"
      "      may_not_import: [db]\n"
      "    db: {paths: ['app/db/**', '**/models.py']}\n"
      "    anything: {paths: ['app/**']}\n");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->layers().size(), 3u);
  EXPECT_EQ(p->layers()[0].may_not_import, std::vector<int>{1});
  EXPECT_EQ(p->LayerOf("app/api/v1/orders.py"), 0);
  EXPECT_EQ(p->LayerOf("src/app/views.py"), 0) << "globs match a tail of the path";
  EXPECT_EQ(p->LayerOf("app/db/__init__.py"), 1);
  EXPECT_EQ(p->LayerOf("app/api/models.py"), 0) << "the first layer that matches wins";
  EXPECT_EQ(p->LayerOf("app/util.py"), 2);
  EXPECT_EQ(p->LayerOf("lib/util.py"), -1);
  EXPECT_EQ(p->LayerOf("myapp/db/x.py"), -1) << "a tail starts at a segment";
}

TEST(ReviewPolicyTest, GlobsMatchSegmentsAndTails) {
  EXPECT_TRUE(PathGlobMatches("api/**", "api/x.py"));
  EXPECT_TRUE(PathGlobMatches("api/**", "repo/api/a/b/c.py"));
  EXPECT_TRUE(PathGlobMatches("api/*.py", "api/views.py"));
  EXPECT_FALSE(PathGlobMatches("api/*.py", "api/v1/views.py"));
  EXPECT_TRUE(PathGlobMatches("api/**/views.py", "api/views.py"));
  EXPECT_TRUE(PathGlobMatches("api/**/views.py", "api/v1/v2/views.py"));
  EXPECT_TRUE(PathGlobMatches("a?i/*", "abi/x"));
  EXPECT_FALSE(PathGlobMatches("api/**", "apis/x.py"));
  EXPECT_FALSE(PathGlobMatches("", "api/x.py"));
  EXPECT_TRUE(PathGlobMatches("/usr/lib/**", "/usr/lib/x.py"));
}

TEST(ReviewPolicyTest, ErrorsNameTheFileTheKeyAndTheLine) {
  EXPECT_EQ(ErrorOf("review:\n  severity:\n    TEST004: low\n"),
            "policy.yaml: review.severity.TEST004: unknown rule id 'TEST004' (this reviewer's "
            "TEST rules are TEST001, TEST002) (line 3)");
  EXPECT_EQ(ErrorOf("review:\n  severity:\n    XYZ001: low\n"),
            "policy.yaml: review.severity.XYZ001: unknown rule id 'XYZ001' (rule ids begin with "
            "INPUT, SEC, PERF or ARCH) (line 3)");
  EXPECT_EQ(ErrorOf("review:\n  severity:\n    TEST001: loud\n"),
            "policy.yaml: review.severity.TEST001: expected one of info, low, medium, high, "
            "critical, off, got 'loud' (line 3)");
  EXPECT_EQ(ErrorOf("review:\n  severity:\n    not-a-rule: low\n"),
            "policy.yaml: review.severity.not-a-rule: expected a rule id such as ARCH008, got "
            "'not-a-rule' (line 3)");
  EXPECT_EQ(ErrorOf("review:\n  severities: {}\n"),
            "policy.yaml: review.severities: expected one of severity, layers, got 'severities' "
            "(line 2)");
  EXPECT_EQ(ErrorOf("review:\n  layers:\n    api: {paths: [a/**], may_not_import: [db]}\n"),
            "policy.yaml: review.layers.api.may_not_import[0]: expected one of the layers "
            "defined (api), got 'db' (line 3)");
  EXPECT_EQ(ErrorOf("review:\n  layers:\n    api: {paths: [a/**], may_not_import: [api]}\n"),
            "policy.yaml: review.layers.api.may_not_import[0]: expected another layer than api "
            "itself, got 'api' (line 3)");
  EXPECT_EQ(ErrorOf("review:\n  layers:\n    api: {may_not_import: []}\n"),
            "policy.yaml: review.layers.api.paths: missing (it is required)");
  EXPECT_EQ(ErrorOf("review:\n  layers:\n    api: {paths: []}\n"),
            "policy.yaml: review.layers.api.paths: expected a non-empty list of path globs, got "
            "a list (line 3)");
  EXPECT_EQ(ErrorOf("review:\n  layers:\n    api: {paths: [x], imports: [y]}\n"),
            "policy.yaml: review.layers.api.imports: expected one of paths, may_not_import, got "
            "'imports' (line 3)");
  EXPECT_EQ(ErrorOf("review: [1, 2]\n"),
            "policy.yaml: review: expected a map with severity and layers, got a list (line 1)");
  EXPECT_NE(ErrorOf("review: {severity: [\n").find("policy.yaml:2:1: not valid YAML"),
            std::string::npos);
}

}  // namespace
}  // namespace conclave::analysis
