#include "agents/metrics/ddsketch.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace conclave::metrics_agent {
namespace {

// The exact value at the rank the sketch reports: floor(q * (n - 1)) of the sorted values.
double ExactQuantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(std::floor(q * static_cast<double>(v.size() - 1)))];
}

TEST(DDSketchTest, EveryQuantileIsWithinTheRelativeAccuracyOnRandomData) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(testing::Message() << "seed " << seed);
    std::mt19937_64 rng(seed);
    std::lognormal_distribution<double> lognormal(std::log(100.0), 1.5);
    std::vector<double> values;
    DDSketch sketch(0.01);
    for (int i = 0; i < 20000; ++i) {
      const double v = lognormal(rng);
      values.push_back(v);
      sketch.Add(v);
    }
    for (double q : {0.0, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
      const double exact = ExactQuantile(values, q);
      EXPECT_LE(std::fabs(sketch.Quantile(q) - exact), 0.01 * exact + 1e-12) << "q " << q;
    }
  }
}

TEST(DDSketchTest, MergingEqualsSketchingTheUnion) {
  std::mt19937_64 rng(7);
  std::exponential_distribution<double> exp(0.01);
  DDSketch a(0.02), b(0.02), both(0.02);
  for (int i = 0; i < 5000; ++i) {
    const double x = exp(rng), y = exp(rng) * 50;
    a.Add(x);
    b.Add(y);
    both.Add(x);
    both.Add(y);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), both.count());
  for (double q : {0.01, 0.5, 0.95, 0.99}) EXPECT_DOUBLE_EQ(a.Quantile(q), both.Quantile(q));
}

TEST(DDSketchTest, EmptyIsNaNAndZeroesAndNegativesAreHandled) {
  DDSketch s;
  EXPECT_TRUE(std::isnan(s.Quantile(0.5)));
  s.Add(-1);
  s.Add(std::nan(""));
  EXPECT_TRUE(s.empty());
  s.Add(0, 3);
  s.Add(10);
  EXPECT_EQ(s.count(), 4u);
  EXPECT_EQ(s.Quantile(0.5), 0);
  EXPECT_NEAR(s.Quantile(1), 10, 0.1);
  EXPECT_EQ(s.CountAbove(s.IndexOf(5)), 1u);
}

}  // namespace
}  // namespace conclave::metrics_agent
