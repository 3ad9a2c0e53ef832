#include "agents/metrics/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace conclave::metrics_agent {
namespace {

std::vector<double> DefaultRatios() {
  return {1.05, 1.1, 1.2, 1.35, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 6.0, 10.0};
}

double LogSumExp(const std::vector<double>& v) {
  const double m = *std::max_element(v.begin(), v.end());
  double s = 0;
  for (double x : v) s += std::exp(x - m);
  return m + std::log(s);
}

// U statistic's normal approximation, given sum over tie groups of (t^3 - t).
TestResult MannWhitneyFromU(double u, double n1, double n2, double tie_term) {
  const double n = n1 + n2;
  const double mean = n1 * n2 / 2;
  const double variance = n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1)));
  if (variance <= 0) return {u, 1};
  const double z = (u - mean - 0.5) / std::sqrt(variance);
  return {u, NormalUpperTail(z)};
}

}  // namespace

double NormalUpperTail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

RatioEProcess::RatioEProcess() : RatioEProcess(DefaultRatios()) {}

RatioEProcess::RatioEProcess(std::vector<double> ratios) : log_lr_(ratios.size(), 0) {
  for (double r : ratios) log_ratios_.push_back(std::log(r));
}

void RatioEProcess::Update(uint64_t canary_requests, uint64_t canary_events,
                           uint64_t stable_requests, uint64_t stable_events) {
  const uint64_t events = canary_events + stable_events;
  const uint64_t requests = canary_requests + stable_requests;
  if (events == 0 || requests == 0) return;
  const double rho = static_cast<double>(canary_requests) / static_cast<double>(requests);
  const double x = static_cast<double>(canary_events);
  const double e = static_cast<double>(events);
  for (size_t k = 0; k < log_lr_.size(); ++k) {
    const double r = std::exp(log_ratios_[k]);
    log_lr_[k] += x * log_ratios_[k] - e * std::log(rho * r + 1 - rho);
  }
  max_log_e_ = std::max(max_log_e_, log_e());
}

double RatioEProcess::log_e() const {
  return LogSumExp(log_lr_) - std::log(static_cast<double>(log_lr_.size()));
}

double ShareExceedsLogE(uint64_t events, uint64_t n, double p0) {
  if (n == 0 || !(p0 > 0 && p0 < 1)) return 0;
  const double x = static_cast<double>(events), rest = static_cast<double>(n - events);
  std::vector<double> terms;
  for (double r : {1.1, 1.25, 1.5, 2.0, 3.0, 5.0}) {
    const double p1 = std::min(p0 * r, (1 + p0) / 2);
    terms.push_back(x * std::log(p1 / p0) + rest * std::log((1 - p1) / (1 - p0)));
  }
  return LogSumExp(terms) - std::log(static_cast<double>(terms.size()));
}

TestResult MannWhitneyGreater(const DDSketch& canary, const DDSketch& stable) {
  if (canary.empty() || stable.empty()) return {0, 1};
  // Walk the union of bins in ascending order: each canary value beats the stable values in
  // lower bins and ties (half) with those in its own bin.
  std::vector<std::pair<int, uint64_t>> c, s;
  canary.ForEachBin([&](int i, uint64_t n) { c.emplace_back(i, n); });
  stable.ForEachBin([&](int i, uint64_t n) { s.emplace_back(i, n); });
  double u = 0, tie_term = 0, stable_below = 0;
  size_t a = 0, b = 0;
  while (a < c.size() || b < s.size()) {
    const int index =
        std::min(a < c.size() ? c[a].first : INT32_MAX, b < s.size() ? s[b].first : INT32_MAX);
    const double nc =
        (a < c.size() && c[a].first == index) ? static_cast<double>(c[a++].second) : 0;
    const double ns =
        (b < s.size() && s[b].first == index) ? static_cast<double>(s[b++].second) : 0;
    u += nc * (stable_below + ns / 2);
    const double t = nc + ns;
    tie_term += t * t * t - t;
    stable_below += ns;
  }
  return MannWhitneyFromU(u, static_cast<double>(canary.count()),
                          static_cast<double>(stable.count()), tie_term);
}

TestResult MannWhitneyGreater(const std::vector<double>& canary,
                              const std::vector<double>& stable) {
  if (canary.empty() || stable.empty()) return {0, 1};
  std::vector<std::pair<double, bool>> all;  // (value, is canary)
  for (double v : canary) all.emplace_back(v, true);
  for (double v : stable) all.emplace_back(v, false);
  std::sort(all.begin(), all.end());
  double canary_rank_sum = 0, tie_term = 0;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j].first == all[i].first) ++j;
    const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t k = i; k < j; ++k) {
      if (all[k].second) canary_rank_sum += mid_rank;
    }
    const double t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    i = j;
  }
  const double n1 = static_cast<double>(canary.size());
  const double u = canary_rank_sum - n1 * (n1 + 1) / 2;
  return MannWhitneyFromU(u, n1, static_cast<double>(stable.size()), tie_term);
}

TestResult TwoProportionGreater(uint64_t canary_events, uint64_t canary_n, uint64_t stable_events,
                                uint64_t stable_n) {
  if (canary_n == 0 || stable_n == 0) return {0, 1};
  const double n1 = static_cast<double>(canary_n), n2 = static_cast<double>(stable_n);
  const double p1 = static_cast<double>(canary_events) / n1;
  const double p2 = static_cast<double>(stable_events) / n2;
  const double pooled = static_cast<double>(canary_events + stable_events) / (n1 + n2);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se == 0) return {0, 1};
  const double z = (p1 - p2) / se;
  return {z, NormalUpperTail(z)};
}

TestResult WelchGreater(double canary_mean, double canary_variance, uint64_t canary_n,
                        double stable_mean, double stable_variance, uint64_t stable_n) {
  if (canary_n < 2 || stable_n < 2) return {0, 1};
  const double se = std::sqrt(canary_variance / static_cast<double>(canary_n) +
                              stable_variance / static_cast<double>(stable_n));
  if (se == 0) return {0, canary_mean > stable_mean ? 0.0 : 1.0};
  const double t = (canary_mean - stable_mean) / se;
  return {t, NormalUpperTail(t)};
}

}  // namespace conclave::metrics_agent
