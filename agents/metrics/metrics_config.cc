#include "agents/metrics/metrics_config.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "yaml-cpp/yaml.h"

namespace conclave::metrics_agent {
namespace {

namespace v1 = conclave::v1;

absl::Status Invalid(const std::string& where, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("metrics config: ", where, ": ", what));
}

absl::Status ReadDuration(const YAML::Node& node, const std::string& where, absl::Duration* out) {
  if (!node) return absl::OkStatus();
  absl::Duration d;
  if (!absl::ParseDuration(node.as<std::string>(), &d) || d < absl::ZeroDuration()) {
    return Invalid(where, absl::StrCat("'", node.as<std::string>(), "' is not a duration"));
  }
  *out = d;
  return absl::OkStatus();
}

absl::StatusOr<v1::Aggregation> ParseAggregation(const std::string& s, const std::string& where) {
  if (s == "mean") return v1::AGGREGATION_MEAN;
  if (s == "max") return v1::AGGREGATION_MAX;
  if (s == "last") return v1::AGGREGATION_LAST;
  if (s == "sum") return v1::AGGREGATION_SUM;
  return Invalid(where, absl::StrCat("aggregation '", s, "' is not mean, max, last or sum"));
}

absl::StatusOr<v1::MetricSpec> ParseSpec(const YAML::Node& n, const std::string& where) {
  v1::MetricSpec spec;
  if (!n["name"]) return Invalid(where, "metric without a name");
  spec.set_name(n["name"].as<std::string>());
  if (n["quantile"]) spec.set_quantile(n["quantile"].as<double>());
  if (n["gauge"]) spec.set_gauge(n["gauge"].as<std::string>());
  if (n["aggregation"]) {
    auto a = ParseAggregation(n["aggregation"].as<std::string>(), where);
    if (!a.ok()) return a.status();
    spec.set_aggregation(*a);
  }
  if (n["absolute_max"]) spec.set_absolute_max(n["absolute_max"].as<double>());
  if (n["max_relative_increase"]) {
    spec.set_max_relative_increase(n["max_relative_increase"].as<double>());
  }
  if (n["max_absolute_increase"]) {
    spec.set_max_absolute_increase(n["max_absolute_increase"].as<double>());
  }
  if (n["min_samples"]) spec.set_min_samples(n["min_samples"].as<uint32_t>());
  if (auto resolved = ResolveSpec(spec); !resolved.ok()) {
    return Invalid(where, std::string(resolved.status().message()));
  }
  return spec;
}

absl::StatusOr<ServiceConfig> ParseService(const YAML::Node& n, const std::string& where) {
  ServiceConfig service;
  const std::string source = n["source"] ? n["source"].as<std::string>() : "bus";
  if (source == "prometheus") {
    service.source = ServiceConfig::Source::kPrometheus;
  } else if (source != "bus") {
    return Invalid(where, absl::StrCat("source '", source, "' is not bus or prometheus"));
  }
  if (!n["metrics"]) return service;
  for (size_t i = 0; i < n["metrics"].size(); ++i) {
    const YAML::Node m = n["metrics"][i];
    const std::string at = absl::StrCat(where, ".metrics[", i, "]");
    auto spec = ParseSpec(m, at);
    if (!spec.ok()) return spec.status();
    if (service.source == ServiceConfig::Source::kBus) {
      service.metrics.push_back(*spec);
      continue;
    }
    if (!m["query"]) return Invalid(at, "a prometheus metric needs a query");
    PromMetric pm{*spec, m["query"].as<std::string>(),
                  m["samples_query"] ? m["samples_query"].as<std::string>() : ""};
    // Without a samples query the samples are the points of the range query.
    if (pm.samples_query.empty() && !m["min_samples"]) pm.spec.set_min_samples(3);
    service.prometheus.push_back(std::move(pm));
  }
  return service;
}

absl::Status ParseTop(const YAML::Node& root, MetricsConfig* c) {
  if (const YAML::Node w = root["window"]) {
    if (auto s = ReadDuration(w["bucket_width"], "window.bucket_width", &c->window.bucket_width);
        !s.ok()) {
      return s;
    }
    if (auto s = ReadDuration(w["horizon"], "window.horizon", &c->window.horizon); !s.ok()) {
      return s;
    }
    if (w["sketch_accuracy"]) c->window.sketch_accuracy = w["sketch_accuracy"].as<double>();
    if (w["max_series"]) c->max_series = w["max_series"].as<size_t>();
  }
  if (!(c->window.sketch_accuracy > 0 && c->window.sketch_accuracy < 1)) {
    return Invalid("window.sketch_accuracy", "must be in (0, 1)");
  }
  if (c->window.bucket_width <= absl::ZeroDuration() ||
      c->window.horizon < c->window.bucket_width) {
    return Invalid("window", "bucket_width must be positive and no longer than horizon");
  }
  if (const YAML::Node j = root["judge"]) {
    if (j["alpha"]) c->judge.default_alpha = j["alpha"].as<double>();
    if (!(c->judge.default_alpha > 0 && c->judge.default_alpha < 1)) {
      return Invalid("judge.alpha", "must be in (0, 1)");
    }
    for (auto [key, target] :
         {std::pair{"duration", &c->judge.default_duration}, std::pair{"settle", &c->judge.settle},
          std::pair{"calibration", &c->judge.calibration}}) {
      if (auto s = ReadDuration(j[key], absl::StrCat("judge.", key), target); !s.ok()) return s;
    }
    if (j["min_calibration"]) c->judge.min_calibration = j["min_calibration"].as<uint64_t>();
  }
  if (const YAML::Node p = root["prometheus"]) {
    if (p["url"]) c->prometheus.url = p["url"].as<std::string>();
    if (auto s = ReadDuration(p["timeout"], "prometheus.timeout", &c->prometheus.timeout);
        !s.ok()) {
      return s;
    }
    if (auto s = ReadDuration(p["step"], "prometheus.step", &c->prometheus.step); !s.ok()) {
      return s;
    }
  }
  if (const YAML::Node services = root["services"]) {
    for (const auto& entry : services) {
      const std::string name = entry.first.as<std::string>();
      auto service = ParseService(entry.second, absl::StrCat("services.", name));
      if (!service.ok()) return service.status();
      if (service->source == ServiceConfig::Source::kPrometheus && c->prometheus.url.empty()) {
        return Invalid(absl::StrCat("services.", name), "source prometheus needs prometheus.url");
      }
      c->services[name] = std::move(*service);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<MetricsConfig> ParseMetricsConfig(const std::string& yaml) {
  MetricsConfig config;
  try {
    const YAML::Node root = YAML::Load(yaml);
    if (root && !root.IsNull() && !root.IsMap()) return Invalid("top level", "not a mapping");
    if (absl::Status s = ParseTop(root, &config); !s.ok()) return s;
  } catch (const YAML::Exception& e) {
    return Invalid("yaml", e.what());
  }
  return config;
}

absl::StatusOr<MetricsConfig> LoadMetricsConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read metrics config ", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseMetricsConfig(text.str());
}

std::string ExpandQuery(const std::string& query, const std::string& service,
                        const std::string& version, absl::Duration window) {
  const int64_t seconds = std::max<int64_t>(1, absl::ToInt64Seconds(window));
  return absl::StrReplaceAll(query, {{"{{service}}", service},
                                     {"{{version}}", version},
                                     {"{{window}}", absl::StrCat(seconds, "s")}});
}

}  // namespace conclave::metrics_agent
