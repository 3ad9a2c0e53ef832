#include "supervisor/core/policy.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "supervisor/core/internal/sha256.h"

namespace conclave::supervisor {
namespace {

// An accepted interval of a number, and how an error message says it.
struct Range {
  double min;
  bool min_inclusive;
  double max;
  const char* expected;
};

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr Range kPositive = {0, false, kInf, "a positive number"};
constexpr Range kShare = {0, false, 1, "a number in (0, 1]"};
constexpr Range kUnitInterval = {0, true, 1, "a number in [0, 1]"};
constexpr Range kScore = {0, false, 10, "a number in (0, 10]"};

bool InRange(double v, const Range& r) {
  return std::isfinite(v) && (r.min_inclusive ? v >= r.min : v > r.min) && v <= r.max;
}

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return node.Scalar().empty() ? "an empty string" : node.Scalar();
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    default:
      return "nothing";
  }
}

std::string Child(const std::string& path, const std::string& key) {
  return path.empty() ? key : absl::StrCat(path, ".", key);
}

// Reviewer names become bus subjects (conclave.task.<reviewer>.Review) and keys.
bool ValidReviewerName(const std::string& name) {
  return !name.empty() && absl::c_all_of(name, [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

// A number, or for shares also a fraction "n/d" so that 2/3 can be written exactly.
bool ParseNumber(const std::string& text, bool allow_fraction, double* out) {
  const size_t slash = text.find('/');
  if (!allow_fraction || slash == std::string::npos) return absl::SimpleAtod(text, out);
  double numerator = 0, denominator = 0;
  if (!absl::SimpleAtod(text.substr(0, slash), &numerator) ||
      !absl::SimpleAtod(text.substr(slash + 1), &denominator) || denominator == 0) {
    return false;
  }
  *out = numerator / denominator;
  return true;
}

// The text the version hash is taken over: every value that affects a decision, in a fixed
// order and format, and nothing else (no comments, no key order, no number spelling).
std::string CanonicalContent(const std::string& version,
                             const std::map<std::string, EnvironmentPolicy, std::less<>>& envs) {
  std::string out = absl::StrCat("conclave.policy.v1\nversion ", version, "\n");
  for (const auto& [name, env] : envs) {
    absl::StrAppendFormat(&out, "env %s\napproval_share %.17g\nreject_min_confidence %.17g\n", name,
                          env.approval_share, env.reject_min_confidence);
    absl::StrAppendFormat(&out, "review_deadline_ns %d\nauto_rollout %.17g %.17g %.17g\n",
                          absl::ToInt64Nanoseconds(env.review_deadline),
                          env.auto_rollout.min_confidence, env.auto_rollout.max_risk,
                          env.auto_rollout.max_complexity);
    for (const auto& [reviewer, voter] : env.voters) {
      absl::StrAppendFormat(&out, "voter %s %.17g %d\n", reviewer, voter.weight,
                            voter.required ? 1 : 0);
    }
    const RolloutPolicy& r = env.rollout;
    absl::StrAppendFormat(
        &out, "rollout %s steps %s hold_ns %d judge_ns %d timeout_ns %d tries %d\n",
        RolloutModeName(r.mode), absl::StrJoin(r.steps, ","), absl::ToInt64Nanoseconds(r.step_hold),
        absl::ToInt64Nanoseconds(r.judge_interval), absl::ToInt64Nanoseconds(r.agent_timeout),
        r.max_action_attempts);
  }
  return out;
}

RolloutPolicy::Mode DefaultRolloutMode(const std::string& environment) {
  if (environment == "dev") return RolloutPolicy::Mode::kDryRun;
  if (environment == "staging") return RolloutPolicy::Mode::kManualPromotion;
  return RolloutPolicy::Mode::kAutomatic;
}

}  // namespace

const char* RolloutModeName(RolloutPolicy::Mode mode) {
  switch (mode) {
    case RolloutPolicy::Mode::kDryRun:
      return "dry_run";
    case RolloutPolicy::Mode::kManualPromotion:
      return "manual_promotion";
    case RolloutPolicy::Mode::kAutomatic:
      return "automatic";
  }
  return "automatic";
}

// Walks the YAML tree, keeping the key path of every value for error messages.
class PolicyParser {
 public:
  explicit PolicyParser(std::string_view source) : source_(source) {}

  absl::StatusOr<Policy> ParseDocument(const YAML::Node& root) {
    if (!root.IsMap()) return Error("", "a map with keys version and environments", root);
    // `review` is the reviewers' section (severity overrides, layers; docs/POLICY.md), which
    // they parse and check at their start; here it only counts in the version hash.
    if (absl::Status s = CheckKeys(root, "", {"version", "environments", "review"}); !s.ok()) {
      return s;
    }
    Policy policy;
    absl::StatusOr<std::string> version = Version(root["version"]);
    if (!version.ok()) return version.status();
    if (absl::Status s = Environments(root["environments"], &policy.environments_); !s.ok()) {
      return s;
    }
    std::string canonical = CanonicalContent(*version, policy.environments_);
    if (root["review"].IsDefined()) {
      absl::StrAppend(&canonical, "review\n", YAML::Dump(root["review"]));
    }
    const std::string digest = internal::Sha256Hex(canonical);
    policy.version_ = absl::StrCat(*version, "+", digest.substr(0, 8));
    return policy;
  }

  absl::Status Error(const std::string& path, absl::string_view expected,
                     const YAML::Node& got) const {
    std::string message = absl::StrCat(source_, ": ", path.empty() ? "document" : path,
                                       ": expected ", expected, ", got ", Describe(got));
    if (got.IsDefined() && got.Mark().line >= 0) {
      absl::StrAppend(&message, " (line ", got.Mark().line + 1, ")");
    }
    return absl::InvalidArgumentError(message);
  }

 private:
  absl::StatusOr<std::string> Version(const YAML::Node& node) const {
    if (!node.IsScalar() || absl::StripAsciiWhitespace(node.Scalar()).empty() ||
        node.Scalar().find('\n') != std::string::npos) {
      return Error("version", "a one-line version string such as \"2026-11-22.1\"", node);
    }
    return std::string(absl::StripAsciiWhitespace(node.Scalar()));
  }

  absl::Status Environments(const YAML::Node& node,
                            std::map<std::string, EnvironmentPolicy, std::less<>>* out) const {
    if (!node.IsMap()) return Error("environments", "a map of dev, staging and prod", node);
    if (absl::Status s = CheckKeys(node, "environments", Policy::EnvironmentNames()); !s.ok()) {
      return s;
    }
    for (const std::string& name : Policy::EnvironmentNames()) {
      const std::string path = Child("environments", name);
      EnvironmentPolicy env;
      env.rollout.mode = DefaultRolloutMode(name);
      if (absl::Status s = Environment(node[name], path, &env); !s.ok()) return s;
      (*out)[name] = std::move(env);
    }
    return absl::OkStatus();
  }

  absl::Status Environment(const YAML::Node& node, const std::string& path,
                           EnvironmentPolicy* env) const {
    if (!node.IsMap()) return Error(path, "a map with voters, approval_share, ...", node);
    if (absl::Status s = CheckKeys(node, path,
                                   {"voters", "approval_share", "reject_min_confidence",
                                    "review_deadline", "auto_rollout", "rollout"});
        !s.ok()) {
      return s;
    }
    absl::Status s = Voters(node["voters"], Child(path, "voters"), &env->voters);
    if (s.ok()) s = OptionalNumber(node, path, "approval_share", kShare, &env->approval_share);
    if (s.ok()) {
      s = OptionalNumber(node, path, "reject_min_confidence", kShare, &env->reject_min_confidence);
    }
    if (s.ok()) s = OptionalDuration(node, path, "review_deadline", &env->review_deadline);
    if (s.ok()) s = Gate(node["auto_rollout"], Child(path, "auto_rollout"), &env->auto_rollout);
    if (s.ok()) s = Rollout(node["rollout"], Child(path, "rollout"), &env->rollout);
    return s;
  }

  absl::Status Rollout(const YAML::Node& node, const std::string& path, RolloutPolicy* r) const {
    if (!node.IsDefined()) return absl::OkStatus();
    if (!node.IsMap()) return Error(path, "a map with steps, step_hold, judge_interval, ...", node);
    if (absl::Status s = CheckKeys(node, path,
                                   {"mode", "steps", "step_hold", "judge_interval", "agent_timeout",
                                    "max_action_attempts"});
        !s.ok()) {
      return s;
    }
    absl::Status s = RolloutMode(node["mode"], Child(path, "mode"), &r->mode);
    if (s.ok()) s = Steps(node["steps"], Child(path, "steps"), &r->steps);
    if (s.ok()) s = OptionalDuration(node, path, "step_hold", &r->step_hold);
    if (s.ok()) s = OptionalDuration(node, path, "judge_interval", &r->judge_interval);
    if (s.ok()) s = OptionalDuration(node, path, "agent_timeout", &r->agent_timeout);
    if (s.ok() && r->judge_interval > r->step_hold) {
      return Error(Child(path, "judge_interval"),
                   absl::StrCat("a duration no longer than step_hold (",
                                absl::FormatDuration(r->step_hold), ")"),
                   node["judge_interval"]);
    }
    if (s.ok()) s = Attempts(node["max_action_attempts"], Child(path, "max_action_attempts"), r);
    return s;
  }

  absl::Status RolloutMode(const YAML::Node& node, const std::string& path,
                           RolloutPolicy::Mode* mode) const {
    if (!node.IsDefined()) return absl::OkStatus();
    for (auto m : {RolloutPolicy::Mode::kDryRun, RolloutPolicy::Mode::kManualPromotion,
                   RolloutPolicy::Mode::kAutomatic}) {
      if (node.IsScalar() && node.Scalar() == RolloutModeName(m)) {
        *mode = m;
        return absl::OkStatus();
      }
    }
    return Error(path, "one of dry_run, manual_promotion, automatic", node);
  }

  // Strictly increasing percentages in 1..100 that end at 100, so every rollout finishes with
  // the canary taking all traffic and no step repeats a weight.
  absl::Status Steps(const YAML::Node& node, const std::string& path,
                     std::vector<int>* steps) const {
    if (!node.IsDefined()) return absl::OkStatus();
    if (!node.IsSequence() || node.size() == 0) {
      return Error(path, "a list of increasing percentages ending at 100, e.g. [10, 25, 50, 100]",
                   node);
    }
    std::vector<int> out;
    for (size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      const std::string item_path = absl::StrCat(path, "[", i, "]");
      int value = 0;
      if (!item.IsScalar() || !absl::SimpleAtoi(item.Scalar(), &value) || value < 1 ||
          value > 100) {
        return Error(item_path, "a whole percentage in 1..100", item);
      }
      if (!out.empty() && value <= out.back()) {
        return Error(item_path,
                     absl::StrCat("a percentage above the previous step (", out.back(), ")"), item);
      }
      out.push_back(value);
    }
    if (out.back() != 100) {
      return Error(absl::StrCat(path, "[", node.size() - 1, "]"),
                   "100 as the last step (full promotion)", node[node.size() - 1]);
    }
    *steps = std::move(out);
    return absl::OkStatus();
  }

  absl::Status Attempts(const YAML::Node& node, const std::string& path, RolloutPolicy* r) const {
    if (!node.IsDefined()) return absl::OkStatus();
    int value = 0;
    if (!node.IsScalar() || !absl::SimpleAtoi(node.Scalar(), &value) || value < 1 || value > 1000) {
      return Error(path, "a whole number in 1..1000", node);
    }
    r->max_action_attempts = value;
    return absl::OkStatus();
  }

  absl::Status Voters(const YAML::Node& node, const std::string& path,
                      std::map<std::string, VoterPolicy>* voters) const {
    if (!node.IsMap() || node.size() == 0) {
      return Error(path, "a map of at least one reviewer to {weight, required}", node);
    }
    for (const auto& entry : node) {
      const std::string name = entry.first.Scalar();
      if (!ValidReviewerName(name)) {
        return Error(path, "reviewer names of letters, digits, '-' or '_'", entry.first);
      }
      if (absl::Status s = Voter(entry.second, Child(path, name), &(*voters)[name]); !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status Voter(const YAML::Node& node, const std::string& path, VoterPolicy* voter) const {
    if (!node.IsMap()) return Error(path, "a map with weight and required", node);
    if (absl::Status s = CheckKeys(node, path, {"weight", "required"}); !s.ok()) return s;
    if (absl::Status s = OptionalNumber(node, path, "weight", kPositive, &voter->weight); !s.ok()) {
      return s;
    }
    const YAML::Node required = node["required"];
    if (!required.IsDefined()) return absl::OkStatus();
    if (!required.IsScalar() || !YAML::convert<bool>::decode(required, voter->required)) {
      return Error(Child(path, "required"), "true or false", required);
    }
    return absl::OkStatus();
  }

  absl::Status Gate(const YAML::Node& node, const std::string& path, AutoRolloutGate* gate) const {
    if (!node.IsDefined()) return absl::OkStatus();
    if (!node.IsMap()) {
      return Error(path, "a map with min_confidence, max_risk and max_complexity", node);
    }
    if (absl::Status s = CheckKeys(node, path, {"min_confidence", "max_risk", "max_complexity"});
        !s.ok()) {
      return s;
    }
    absl::Status s =
        OptionalNumber(node, path, "min_confidence", kUnitInterval, &gate->min_confidence);
    if (s.ok()) s = OptionalNumber(node, path, "max_risk", kScore, &gate->max_risk);
    if (s.ok()) s = OptionalNumber(node, path, "max_complexity", kScore, &gate->max_complexity);
    return s;
  }

  // Leaves `*out` (the default) alone when `key` is absent from `map`.
  absl::Status OptionalNumber(const YAML::Node& map, const std::string& path, const char* key,
                              const Range& range, double* out) const {
    const YAML::Node node = map[key];
    if (!node.IsDefined()) return absl::OkStatus();
    const bool fraction = range.max == 1;  // shares and confidences may be written as "2/3"
    double value = 0;
    if (!node.IsScalar() || !ParseNumber(node.Scalar(), fraction, &value) ||
        !InRange(value, range)) {
      return Error(Child(path, key), range.expected, node);
    }
    *out = value;
    return absl::OkStatus();
  }

  absl::Status OptionalDuration(const YAML::Node& map, const std::string& path, const char* key,
                                absl::Duration* out) const {
    const YAML::Node node = map[key];
    if (!node.IsDefined()) return absl::OkStatus();
    absl::Duration value;
    if (!node.IsScalar() || !absl::ParseDuration(node.Scalar(), &value) ||
        value <= absl::ZeroDuration() || value == absl::InfiniteDuration()) {
      return Error(Child(path, key), "a positive duration such as 30s, 2m or 500ms", node);
    }
    *out = value;
    return absl::OkStatus();
  }

  // Unknown keys are errors: a misspelt threshold must not silently fall back to its default.
  absl::Status CheckKeys(const YAML::Node& map, const std::string& path,
                         const std::vector<std::string>& allowed) const {
    for (const auto& entry : map) {
      const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
      if (!absl::c_linear_search(allowed, key)) {
        return Error(Child(path, key), absl::StrCat("one of ", absl::StrJoin(allowed, ", ")),
                     entry.first);
      }
    }
    for (const std::string& key : allowed) {
      if (RequiredKey(key) && !map[key].IsDefined()) {
        return absl::InvalidArgumentError(
            absl::StrCat(source_, ": ", Child(path, key), ": missing (it is required)"));
      }
    }
    return absl::OkStatus();
  }

  static bool RequiredKey(const std::string& key) {
    static const std::vector<std::string>* required = new std::vector<std::string>{
        "version", "environments", "dev", "staging", "prod", "voters", "weight"};
    return absl::c_linear_search(*required, key);
  }

  std::string source_;
};

const std::vector<std::string>& Policy::EnvironmentNames() {
  static const std::vector<std::string>* names =
      new std::vector<std::string>{"dev", "staging", "prod"};
  return *names;
}

absl::StatusOr<Policy> Policy::Parse(std::string_view yaml, std::string_view source) {
  PolicyParser parser(source);
  try {
    return parser.ParseDocument(YAML::Load(std::string(yaml)));
  } catch (const YAML::Exception& e) {
    // yaml-cpp reports syntax errors, and a few conversions, by throwing; none leaves here.
    std::string where =
        e.mark.is_null() ? "" : absl::StrCat(":", e.mark.line + 1, ":", e.mark.column + 1);
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(source), where, ": not valid YAML: ", e.msg));
  }
}

absl::StatusOr<Policy> Policy::LoadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(
        absl::StrCat("cannot read policy file ", path, ": ", std::strerror(errno)));
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  return Parse(contents.str(), path);
}

const EnvironmentPolicy* Policy::Find(std::string_view environment) const {
  auto it = environments_.find(environment);
  return it == environments_.end() ? nullptr : &it->second;
}

std::vector<std::string> Policy::Reviewers(std::string_view environment) const {
  std::vector<std::string> reviewers;
  if (const EnvironmentPolicy* env = Find(environment)) {
    for (const auto& [name, voter] : env->voters) reviewers.push_back(name);
  }
  return reviewers;
}

}  // namespace conclave::supervisor
