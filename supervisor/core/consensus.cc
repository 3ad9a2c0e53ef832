#include "supervisor/core/consensus.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace conclave::supervisor {
namespace {

using conclave::v1::Decision;
using conclave::v1::Finding;
using conclave::v1::Vote;

// Shares and confidences are sums of products of doubles: "exactly at the threshold" must not
// depend on the last bit of a rounding, so comparisons with a threshold allow this much.
constexpr double kTolerance = 1e-9;
constexpr int kTopFindings = 5;

bool AtLeast(double value, double threshold) { return value >= threshold - kTolerance; }

// Numbers come from the network: clamp them, and let an unknown risk or complexity count as
// the worst, so that it blocks auto-rollout rather than passing it.
double Clamp(double v, double max, double if_nan) {
  return std::isnan(v) ? if_nan : std::clamp(v, 0.0, max);
}

// Names as people read them in an explanation ("APPROVE", not "VERDICT_APPROVE").
const char* VerdictName(conclave::v1::Verdict v) {
  switch (v) {
    case conclave::v1::VERDICT_APPROVE:
      return "APPROVE";
    case conclave::v1::VERDICT_REQUEST_CHANGES:
      return "REQUEST_CHANGES";
    case conclave::v1::VERDICT_REJECT:
      return "REJECT";
    default:
      return "UNSPECIFIED";
  }
}

const char* OutcomeName(conclave::v1::Outcome o) {
  switch (o) {
    case conclave::v1::OUTCOME_APPROVED:
      return "APPROVED";
    case conclave::v1::OUTCOME_CHANGES_REQUESTED:
      return "CHANGES_REQUESTED";
    case conclave::v1::OUTCOME_REJECTED:
      return "REJECTED";
    case conclave::v1::OUTCOME_ESCALATED:
      return "ESCALATED";
    default:
      return "UNSPECIFIED";
  }
}

const char* SeverityName(conclave::v1::Severity s) {
  switch (s) {
    case conclave::v1::SEVERITY_INFO:
      return "INFO";
    case conclave::v1::SEVERITY_LOW:
      return "LOW";
    case conclave::v1::SEVERITY_MEDIUM:
      return "MEDIUM";
    case conclave::v1::SEVERITY_HIGH:
      return "HIGH";
    case conclave::v1::SEVERITY_CRITICAL:
      return "CRITICAL";
    default:
      return "UNSPECIFIED";
  }
}

// Formats `a` and `b` with at least `digits` decimals and more where needed to show that they
// differ, so that "0.6667 is below 0.6667" is never printed.
std::pair<std::string, std::string> FormatPair(double a, double b, int digits) {
  std::string fa, fb;
  for (int d = digits; d <= 9; ++d) {
    fa = absl::StrFormat("%.*f", d, a);
    fb = absl::StrFormat("%.*f", d, b);
    if (fa != fb || std::abs(a - b) <= kTolerance) break;
  }
  return {fa, fb};
}

// A vote that counts: from a voter of the policy, its first, with a verdict.
struct CountedVote {
  const Vote* vote;
  std::string reviewer;
  double weight;
  double confidence;
  bool approves() const { return vote->verdict() == conclave::v1::VERDICT_APPROVE; }
  double weighted() const { return weight * confidence; }
};

// What the votes add up to, before any rule is applied.
struct Tally {
  std::vector<CountedVote> counted;  // in voter-name order
  std::vector<std::string> ignored;  // "reviewer (why)"
  std::vector<std::string> missing_required;
  std::vector<std::string> absent;  // every voter without a counted vote, "reviewer (why)"
  double approve_weighted = 0;
  double total_weighted = 0;
  double risk = 0;
  double complexity = 0;

  double share() const { return total_weighted > 0 ? approve_weighted / total_weighted : 0; }
};

bool Failed(const std::vector<std::string>& failed, const std::string& reviewer) {
  return absl::c_linear_search(failed, reviewer);
}

const Vote* FirstValidVote(const std::vector<Vote>& votes, const std::string& reviewer) {
  for (const Vote& v : votes) {
    if (v.reviewer() == reviewer && v.verdict() != conclave::v1::VERDICT_UNSPECIFIED) return &v;
  }
  return nullptr;
}

void NoteIgnoredVotes(const EnvironmentPolicy& policy, const std::vector<Vote>& votes,
                      Tally* tally) {
  for (const Vote& v : votes) {
    if (!policy.voters.contains(v.reviewer())) {
      tally->ignored.push_back(absl::StrCat(v.reviewer(), " (not a voter of this environment)"));
    } else if (v.verdict() == conclave::v1::VERDICT_UNSPECIFIED) {
      tally->ignored.push_back(absl::StrCat(v.reviewer(), " (vote without a verdict)"));
    } else if (FirstValidVote(votes, v.reviewer()) != &v) {
      tally->ignored.push_back(absl::StrCat(v.reviewer(), " (second vote)"));
    }
  }
}

void Count(const CountedVote& c, Tally* tally) {
  tally->total_weighted += c.weighted();
  if (c.approves()) tally->approve_weighted += c.weighted();
  tally->risk = std::max(tally->risk, Clamp(c.vote->risk(), 10, 10));
  tally->complexity = std::max(tally->complexity, Clamp(c.vote->complexity(), 10, 10));
  tally->counted.push_back(c);
}

Tally TallyVotes(const EnvironmentPolicy& policy, const std::vector<Vote>& votes,
                 const std::vector<std::string>& failed) {
  Tally tally;
  for (const auto& [reviewer, voter] : policy.voters) {
    if (const Vote* v = FirstValidVote(votes, reviewer)) {
      Count({v, reviewer, voter.weight, Clamp(v->confidence(), 1, 0)}, &tally);
      continue;
    }
    const bool failed_review = Failed(failed, reviewer);
    tally.absent.push_back(
        absl::StrCat(reviewer, failed_review ? " (review failed)" : " (no vote)"));
    if (voter.required) tally.missing_required.push_back(reviewer);
  }
  NoteIgnoredVotes(policy, votes, &tally);
  return tally;
}

// The confident REJECT that vetoes: the most confident, then the heaviest, then by name.
std::optional<CountedVote> Veto(const EnvironmentPolicy& policy, const Tally& tally) {
  std::optional<CountedVote> veto;
  for (const CountedVote& c : tally.counted) {
    if (c.vote->verdict() != conclave::v1::VERDICT_REJECT ||
        !AtLeast(c.confidence, policy.reject_min_confidence)) {
      continue;
    }
    if (!veto || std::tie(c.confidence, c.weight) > std::tie(veto->confidence, veto->weight)) {
      veto = c;
    }
  }
  return veto;
}

// Σ w·c / Σ w over the votes `agrees` selects; 0 when it selects none.
template <typename Pred>
double WeightedConfidence(const Tally& tally, Pred agrees) {
  double weighted = 0, weights = 0;
  for (const CountedVote& c : tally.counted) {
    if (!agrees(c)) continue;
    weighted += c.weighted();
    weights += c.weight;
  }
  return weights > 0 ? weighted / weights : 0;
}

std::string VoteLine(const CountedVote& c) {
  return absl::StrFormat(
      "  - %s: %s, confidence %.2f, weight %.2f (w*c %.3f), risk %.1f, complexity %.1f, "
      "%d finding%s",
      c.reviewer, VerdictName(c.vote->verdict()), c.confidence, c.weight, c.weighted(),
      c.vote->risk(), c.vote->complexity(), c.vote->findings_size(),
      c.vote->findings_size() == 1 ? "" : "s");
}

std::string FindingLine(const std::string& reviewer, const Finding& f) {
  std::string where = f.file();
  if (f.line() > 0) absl::StrAppend(&where, ":", f.line());
  return absl::StrFormat("  - %s %s %s %s: %s", reviewer, f.rule_id(), SeverityName(f.severity()),
                         where.empty() ? "(change)" : where, f.message());
}

// The most severe, then most confident, findings of the votes that decided.
std::vector<std::string> TopFindings(const std::vector<CountedVote>& decisive) {
  std::vector<std::pair<const std::string*, const Finding*>> all;
  for (const CountedVote& c : decisive) {
    for (const Finding& f : c.vote->findings()) all.emplace_back(&c.reviewer, &f);
  }
  auto key = [](const auto& p) {
    const Finding& f = *p.second;
    return std::make_tuple(-static_cast<int>(f.severity()), -f.confidence(), *p.first, f.file(),
                           f.line(), f.rule_id());
  };
  std::stable_sort(all.begin(), all.end(),
                   [&](const auto& a, const auto& b) { return key(a) < key(b); });
  std::vector<std::string> lines;
  for (size_t i = 0; i < all.size() && i < kTopFindings; ++i) {
    lines.push_back(FindingLine(*all[i].first, *all[i].second));
  }
  if (all.size() > kTopFindings) {
    lines.push_back(absl::StrCat("  (", all.size() - kTopFindings, " more)"));
  }
  return lines;
}

// Which gate values keep an APPROVED change from rolling out on its own; empty when none.
std::vector<std::string> GateBlocks(const AutoRolloutGate& gate, const Decision& d) {
  std::vector<std::string> blocks;
  if (!AtLeast(d.confidence(), gate.min_confidence)) {
    auto [value, limit] = FormatPair(d.confidence(), gate.min_confidence, 2);
    blocks.push_back(absl::StrCat("confidence ", value, " is below min_confidence ", limit));
  }
  if (d.risk() >= gate.max_risk) {
    auto [value, limit] = FormatPair(d.risk(), gate.max_risk, 1);
    blocks.push_back(absl::StrCat("risk ", value, " is not below max_risk ", limit));
  }
  if (d.complexity() >= gate.max_complexity) {
    auto [value, limit] = FormatPair(d.complexity(), gate.max_complexity, 1);
    blocks.push_back(absl::StrCat("complexity ", value, " is not below max_complexity ", limit));
  }
  return blocks;
}

std::string AutoRolloutLine(const AutoRolloutGate& gate, const Decision& d) {
  if (d.outcome() != conclave::v1::OUTCOME_APPROVED) {
    return "Auto-rollout: no (only an APPROVED change rolls out on its own).";
  }
  std::vector<std::string> blocks = GateBlocks(gate, d);
  if (blocks.empty()) {
    return absl::StrFormat(
        "Auto-rollout: yes (confidence %.2f >= %.2f, risk %.1f < %.1f, complexity %.1f < %.1f).",
        d.confidence(), gate.min_confidence, d.risk(), gate.max_risk, d.complexity(),
        gate.max_complexity);
  }
  return absl::StrCat(
      "Auto-rollout: no, a person approves the rollout: ", absl::StrJoin(blocks, "; "), ".");
}

std::string Headline(const EnvironmentPolicy& policy, const Tally& tally,
                     const std::optional<CountedVote>& veto, const Decision& d) {
  const std::string outcome = OutcomeName(d.outcome());
  if (veto) {
    return absl::StrFormat(
        "%s: %s voted REJECT with confidence %.2f (weight %.2f), at or above the veto threshold "
        "reject_min_confidence %.2f.",
        outcome, veto->reviewer, veto->confidence, veto->weight, policy.reject_min_confidence);
  }
  if (!tally.missing_required.empty()) {
    return absl::StrCat(outcome, ": required voter", tally.missing_required.size() > 1 ? "s " : " ",
                        absl::StrJoin(tally.missing_required, ", "),
                        " did not vote; a person decides.");
  }
  if (tally.total_weighted <= 0) {
    return absl::StrCat(outcome,
                        ": no vote carries weight (the sum of weight x confidence is 0); a person "
                        "decides.");
  }
  auto [share, threshold] = FormatPair(d.approval_share(), policy.approval_share, 4);
  const bool approved = d.outcome() == conclave::v1::OUTCOME_APPROVED;
  return absl::StrCat(outcome, ": approval share ", share,
                      approved ? " reaches the threshold " : " is below the threshold ", threshold,
                      " (sum of w*c of APPROVE votes / sum of w*c of all votes).");
}

std::string Explain(const EnvironmentPolicy& policy, std::string_view environment,
                    std::string_view policy_version, const Tally& tally,
                    const std::optional<CountedVote>& veto,
                    const std::vector<CountedVote>& decisive, const Decision& d) {
  std::vector<std::string> lines = {Headline(policy, tally, veto, d)};
  lines.push_back(
      absl::StrCat("Policy ", std::string(policy_version), " for ", std::string(environment), "."));
  lines.push_back("Votes:");
  for (const CountedVote& c : tally.counted) lines.push_back(VoteLine(c));
  for (const std::string& a : tally.absent) lines.push_back(absl::StrCat("  - ", a));
  if (!tally.ignored.empty()) {
    lines.push_back(absl::StrCat("Ignored: ", absl::StrJoin(tally.ignored, ", "), "."));
  }
  std::vector<std::string> findings = TopFindings(decisive);
  if (!findings.empty()) {
    lines.push_back("Top findings of the deciding votes:");
    lines.insert(lines.end(), findings.begin(), findings.end());
  }
  lines.push_back(AutoRolloutLine(policy.auto_rollout, d));
  return absl::StrJoin(lines, "\n");
}

// The votes that agree with the outcome: they set its confidence and their findings explain it.
std::vector<CountedVote> Decisive(const Tally& tally, const std::optional<CountedVote>& veto,
                                  conclave::v1::Outcome outcome) {
  if (veto) return {*veto};
  std::vector<CountedVote> decisive;
  for (const CountedVote& c : tally.counted) {
    const bool agrees = outcome == conclave::v1::OUTCOME_APPROVED            ? c.approves()
                        : outcome == conclave::v1::OUTCOME_CHANGES_REQUESTED ? !c.approves()
                                                                             : true;
    if (agrees) decisive.push_back(c);
  }
  return decisive;
}

conclave::v1::Outcome OutcomeOf(const EnvironmentPolicy& policy, const Tally& tally,
                                const std::optional<CountedVote>& veto) {
  if (veto) return conclave::v1::OUTCOME_REJECTED;
  if (!tally.missing_required.empty() || tally.total_weighted <= 0) {
    return conclave::v1::OUTCOME_ESCALATED;
  }
  return AtLeast(tally.share(), policy.approval_share) ? conclave::v1::OUTCOME_APPROVED
                                                       : conclave::v1::OUTCOME_CHANGES_REQUESTED;
}

double ConfidenceOf(const Tally& tally, const std::optional<CountedVote>& veto,
                    conclave::v1::Outcome outcome) {
  switch (outcome) {
    case conclave::v1::OUTCOME_REJECTED:
      return veto->confidence;
    case conclave::v1::OUTCOME_APPROVED:
      return WeightedConfidence(tally, [](const CountedVote& c) { return c.approves(); });
    case conclave::v1::OUTCOME_CHANGES_REQUESTED:
      return WeightedConfidence(tally, [](const CountedVote& c) { return !c.approves(); });
    default:
      return 0;
  }
}

}  // namespace

bool ReadyToDecide(const EnvironmentPolicy& policy, const std::vector<Vote>& votes,
                   const std::vector<std::string>& failed_reviewers, bool deadline_passed) {
  if (deadline_passed) return true;
  for (const auto& [reviewer, voter] : policy.voters) {
    const bool voted =
        absl::c_any_of(votes, [&](const Vote& v) { return v.reviewer() == reviewer; });
    if (!voted && !Failed(failed_reviewers, reviewer)) return false;
  }
  return true;
}

Decision Decide(const EnvironmentPolicy& policy, std::string_view environment,
                std::string_view policy_version, const std::vector<Vote>& votes,
                const std::vector<std::string>& failed_reviewers) {
  const Tally tally = TallyVotes(policy, votes, failed_reviewers);
  const std::optional<CountedVote> veto = Veto(policy, tally);
  Decision d;
  d.set_outcome(OutcomeOf(policy, tally, veto));
  d.set_approval_share(tally.share());
  d.set_confidence(ConfidenceOf(tally, veto, d.outcome()));
  d.set_risk(tally.risk);
  d.set_complexity(tally.complexity);
  d.set_environment(std::string(environment));
  d.set_policy_version(std::string(policy_version));
  if (veto) d.set_vetoed_by(veto->reviewer);
  for (const std::string& r : tally.missing_required) d.add_missing_voters(r);
  d.set_auto_rollout(d.outcome() == conclave::v1::OUTCOME_APPROVED &&
                     GateBlocks(policy.auto_rollout, d).empty());
  d.set_explanation(Explain(policy, environment, policy_version, tally, veto,
                            Decisive(tally, veto, d.outcome()), d));
  return d;
}

}  // namespace conclave::supervisor
