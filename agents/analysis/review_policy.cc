#include "agents/analysis/review_policy.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace conclave::analysis {
namespace {

// The reviewers' rule families (input rules, security, performance, architecture): an override
// of another reviewer's rule is that reviewer's to check.
constexpr std::array<std::string_view, 4> kRuleFamilies = {"INPUT", "SEC", "PERF", "ARCH"};
constexpr size_t kMaxGlobSegments = 64;

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return node.Scalar().empty() ? "an empty string" : "'" + node.Scalar() + "'";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    default:
      return "nothing";
  }
}

// "ARCH" of "ARCH007"; empty when the id is not capitals followed by digits.
std::string_view Family(std::string_view id) {
  size_t letters = 0;
  while (letters < id.size() && id[letters] >= 'A' && id[letters] <= 'Z') ++letters;
  if (letters == 0 || letters == id.size()) return {};
  for (size_t i = letters; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9') return {};
  }
  return id.substr(0, letters);
}

std::optional<conclave::v1::Severity> SeverityNamed(std::string name, bool& off) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  off = name == "off";
  if (name == "info") return conclave::v1::SEVERITY_INFO;
  if (name == "low") return conclave::v1::SEVERITY_LOW;
  if (name == "medium") return conclave::v1::SEVERITY_MEDIUM;
  if (name == "high") return conclave::v1::SEVERITY_HIGH;
  if (name == "critical") return conclave::v1::SEVERITY_CRITICAL;
  return std::nullopt;
}

// One glob segment against one path segment: `*` any characters, `?` one. Iterative with one
// backtrack point (the last `*`), so the cost is bounded by glob × segment length.
bool SegmentMatches(std::string_view glob, std::string_view text) {
  size_t g = 0, t = 0, star_g = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (g < glob.size() && (glob[g] == '?' || glob[g] == text[t])) {
      ++g;
      ++t;
    } else if (g < glob.size() && glob[g] == '*') {
      star_g = g++;
      star_t = t;
    } else if (star_g != std::string_view::npos) {
      g = star_g + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size() && out.size() <= kMaxGlobSegments) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) out.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

// Glob segments against path segments from glob[gi] and path[pi], `**` matching any number of
// segments, with the same single backtrack point (the last `**`).
bool SegmentsMatch(const std::vector<std::string_view>& glob, size_t gi,
                   const std::vector<std::string_view>& path, size_t pi) {
  size_t star_g = SIZE_MAX, star_p = 0;
  while (pi < path.size()) {
    if (gi < glob.size() && glob[gi] == "**") {
      star_g = gi++;
      star_p = pi;
    } else if (gi < glob.size() && SegmentMatches(glob[gi], path[pi])) {
      ++gi;
      ++pi;
    } else if (star_g != SIZE_MAX) {
      gi = star_g + 1;
      pi = ++star_p;
    } else {
      return false;
    }
  }
  while (gi < glob.size() && glob[gi] == "**") ++gi;
  return gi == glob.size();
}

class SectionParser {
 public:
  SectionParser(std::string source, std::span<const RuleSpec> rules)
      : source_(std::move(source)), rules_(rules) {}

  absl::Status Error(const std::string& key, std::string_view expected,
                     const YAML::Node& got) const {
    std::string message =
        source_ + ": " + key + ": expected " + std::string(expected) + ", got " + Describe(got);
    if (got.IsDefined() && got.Mark().line >= 0) {
      message += " (line " + std::to_string(got.Mark().line + 1) + ")";
    }
    return absl::InvalidArgumentError(message);
  }

  absl::Status CheckKeys(const YAML::Node& map, const std::string& path,
                         std::initializer_list<std::string_view> allowed) const {
    for (const auto& entry : map) {
      const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string names;
        for (std::string_view a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
        return Error(path + "." + key, "one of " + names, entry.first);
      }
    }
    return absl::OkStatus();
  }

  // An id this reviewer knows, or one of another reviewer's family.
  absl::Status CheckRuleId(const std::string& id, const YAML::Node& key) const {
    const std::string_view family = Family(id);
    const std::string path = "review.severity." + id;
    if (family.empty()) return Error(path, "a rule id such as ARCH008", key);
    std::string own;  // this reviewer's ids of the same family
    for (const RuleSpec& rule : rules_) {
      if (rule.id == id) return absl::OkStatus();
      if (Family(rule.id) == family) own += (own.empty() ? "" : ", ") + std::string(rule.id);
    }
    const bool known_family =
        std::find(kRuleFamilies.begin(), kRuleFamilies.end(), family) != kRuleFamilies.end();
    if (own.empty() && known_family) return absl::OkStatus();
    std::string message = source_ + ": " + path + ": unknown rule id '" + id + "' (";
    if (!own.empty()) {
      message += "this reviewer's " + std::string(family) + " rules are " + own + ")";
    } else {
      message += "rule ids begin with INPUT, SEC, PERF or ARCH)";
    }
    if (key.Mark().line >= 0) message += " (line " + std::to_string(key.Mark().line + 1) + ")";
    return absl::InvalidArgumentError(message);
  }

  absl::Status Severity(const YAML::Node& node, ReviewPolicy::SeverityMap& out) const {
    if (!node.IsMap()) return Error("review.severity", "a map of rule id to severity", node);
    for (const auto& entry : node) {
      const std::string id = entry.first.IsScalar() ? entry.first.Scalar() : "";
      if (absl::Status s = CheckRuleId(id, entry.first); !s.ok()) return s;
      bool off = false;
      const std::optional<conclave::v1::Severity> severity =
          entry.second.IsScalar() ? SeverityNamed(entry.second.Scalar(), off) : std::nullopt;
      if (!severity && !off) {
        return Error("review.severity." + id, "one of info, low, medium, high, critical, off",
                     entry.second);
      }
      out[id] = severity;
    }
    return absl::OkStatus();
  }

  absl::Status StringList(const YAML::Node& node, const std::string& path, std::string_view what,
                          std::vector<std::string>& out) const {
    if (!node.IsSequence() || node.size() == 0) {
      return Error(path, "a non-empty list of " + std::string(what), node);
    }
    for (size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      if (!item.IsScalar() || item.Scalar().empty()) {
        return Error(path + "[" + std::to_string(i) + "]", what, item);
      }
      out.push_back(item.Scalar());
    }
    return absl::OkStatus();
  }

  absl::Status Layers(const YAML::Node& node, std::vector<Layer>& out) const {
    if (!node.IsMap()) return Error("review.layers", "a map of layer name to layer", node);
    std::vector<std::vector<std::string>> forbidden;
    std::vector<YAML::Node> forbidden_nodes;
    for (const auto& entry : node) {
      const std::string name = entry.first.IsScalar() ? entry.first.Scalar() : "";
      const std::string path = "review.layers." + name;
      if (name.empty()) return Error("review.layers", "layer names", entry.first);
      if (!entry.second.IsMap()) {
        return Error(path, "a map with paths and may_not_import", entry.second);
      }
      if (absl::Status s = CheckKeys(entry.second, path, {"paths", "may_not_import"}); !s.ok()) {
        return s;
      }
      Layer layer;
      layer.name = name;
      if (!entry.second["paths"].IsDefined()) {
        return absl::InvalidArgumentError(source_ + ": " + path +
                                          ".paths: missing (it is required)");
      }
      if (absl::Status s =
              StringList(entry.second["paths"], path + ".paths", "path globs", layer.paths);
          !s.ok()) {
        return s;
      }
      std::vector<std::string> names;
      const YAML::Node may_not = entry.second["may_not_import"];
      if (may_not.IsDefined()) {
        if (absl::Status s = StringList(may_not, path + ".may_not_import", "layer names", names);
            !s.ok()) {
          return s;
        }
      }
      out.push_back(std::move(layer));
      forbidden.push_back(std::move(names));
      forbidden_nodes.push_back(may_not);
    }
    // Names resolve once every layer is known, so a layer may forbid one defined after it.
    for (size_t i = 0; i < out.size(); ++i) {
      for (size_t j = 0; j < forbidden[i].size(); ++j) {
        const std::string& target = forbidden[i][j];
        const auto it =
            std::find_if(out.begin(), out.end(), [&](const Layer& l) { return l.name == target; });
        const std::string path =
            "review.layers." + out[i].name + ".may_not_import[" + std::to_string(j) + "]";
        if (it == out.end()) {
          std::string names;
          for (const Layer& l : out) names += (names.empty() ? "" : ", ") + l.name;
          return Error(path, "one of the layers defined (" + names + ")", forbidden_nodes[i][j]);
        }
        if (it - out.begin() == static_cast<ptrdiff_t>(i)) {
          return Error(path, "another layer than " + out[i].name + " itself",
                       forbidden_nodes[i][j]);
        }
        out[i].may_not_import.push_back(static_cast<int>(it - out.begin()));
      }
    }
    return absl::OkStatus();
  }

 private:
  std::string source_;
  std::span<const RuleSpec> rules_;
};

}  // namespace

absl::StatusOr<ReviewPolicy> ReviewPolicy::Parse(std::string_view yaml, std::string_view source,
                                                 std::span<const RuleSpec> rules) {
  const SectionParser parser{std::string(source), rules};
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    if (!root.IsMap()) return parser.Error("document", "a map", root);
    ReviewPolicy policy;
    // The other top-level keys are the supervisor's, which checks them.
    const YAML::Node review = root["review"];
    if (!review.IsDefined() || review.IsNull()) return policy;
    if (!review.IsMap()) return parser.Error("review", "a map with severity and layers", review);
    if (absl::Status s = parser.CheckKeys(review, "review", {"severity", "layers"}); !s.ok()) {
      return s;
    }
    if (review["severity"].IsDefined()) {
      if (absl::Status s = parser.Severity(review["severity"], policy.severity_); !s.ok()) {
        return s;
      }
    }
    if (review["layers"].IsDefined()) {
      if (absl::Status s = parser.Layers(review["layers"], policy.layers_); !s.ok()) return s;
    }
    return policy;
  } catch (const YAML::Exception& e) {
    std::string where = e.mark.is_null() ? ""
                                         : ":" + std::to_string(e.mark.line + 1) + ":" +
                                               std::to_string(e.mark.column + 1);
    return absl::InvalidArgumentError(std::string(source) + where + ": not valid YAML: " + e.msg);
  }
}

absl::StatusOr<ReviewPolicy> ReviewPolicy::LoadFile(const std::string& path,
                                                    std::span<const RuleSpec> rules) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError("cannot read policy file " + path + ": " + std::strerror(errno));
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  return Parse(contents.str(), path, rules);
}

void ReviewPolicy::ApplyOverrides(std::vector<conclave::v1::Finding>& findings) const {
  if (severity_.empty()) return;
  std::erase_if(findings, [&](conclave::v1::Finding& f) {
    const auto it = severity_.find(f.rule_id());
    if (it == severity_.end()) return false;
    if (!it->second) return true;
    f.set_severity(*it->second);
    return false;
  });
}

int ReviewPolicy::LayerOf(std::string_view path) const {
  for (size_t i = 0; i < layers_.size(); ++i) {
    for (const std::string& glob : layers_[i].paths) {
      if (PathGlobMatches(glob, path)) return static_cast<int>(i);
    }
  }
  return -1;
}

bool PathGlobMatches(std::string_view glob, std::string_view path) {
  const std::vector<std::string_view> g = Segments(glob);
  const std::vector<std::string_view> p = Segments(path);
  if (g.empty() || g.size() > kMaxGlobSegments || p.size() > kMaxGlobSegments) return false;
  for (size_t start = 0; start < p.size(); ++start) {
    if (SegmentsMatch(g, 0, p, start)) return true;
  }
  return false;
}

}  // namespace conclave::analysis
