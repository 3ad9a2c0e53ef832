#include "agents/metrics/window.h"

#include "gtest/gtest.h"

namespace conclave::metrics_agent {
namespace {

namespace v1 = conclave::v1;

v1::Sample Request(const std::string& version, double ms, bool error) {
  v1::Sample s;
  s.set_service("checkout");
  s.set_version(version);
  s.set_outcome(error ? v1::REQUEST_OUTCOME_ERROR : v1::REQUEST_OUTCOME_OK);
  ToProtoDuration(absl::Milliseconds(ms), s.mutable_latency());
  return s;
}

const absl::Time kT0 = absl::FromUnixSeconds(1700000000);

TEST(SampleStoreTest, BucketsPerSecondAndVersion) {
  SampleStore store(WindowOptions{absl::Seconds(1), absl::Seconds(10), 0.01});
  ASSERT_TRUE(store.Add(Request("v1", 10, false), kT0).ok());
  ASSERT_TRUE(store.Add(Request("v1", 20, true), kT0 + absl::Milliseconds(500)).ok());
  ASSERT_TRUE(store.Add(Request("v1", 30, false), kT0 + absl::Seconds(2)).ok());
  ASSERT_TRUE(store.Add(Request("v2", 30, false), kT0).ok());
  auto b = store.Collect("checkout", "v1", kT0, kT0 + absl::Seconds(3));
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].requests, 2u);
  EXPECT_EQ(b[0].errors, 1u);
  EXPECT_EQ(b[1].requests, 1u);
  EXPECT_EQ(store.series_count(), 2u);
  EXPECT_TRUE(store.Collect("checkout", "v3", kT0, kT0 + absl::Seconds(3)).empty());
}

TEST(SampleStoreTest, OldBucketsAreEvictedAndTooOldSamplesRejected) {
  SampleStore store(WindowOptions{absl::Seconds(1), absl::Seconds(10), 0.01});
  ASSERT_TRUE(store.Add(Request("v1", 10, false), kT0).ok());
  // A sample one horizon later reuses the slot of kT0's bucket.
  ASSERT_TRUE(store.Add(Request("v1", 10, false), kT0 + absl::Seconds(10)).ok());
  auto b = store.Collect("checkout", "v1", kT0 - absl::Seconds(5), kT0 + absl::Seconds(11));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].index, store.BucketIndex(kT0 + absl::Seconds(10)));
  EXPECT_EQ(store.Add(Request("v1", 10, false), kT0).code(), absl::StatusCode::kOutOfRange);
  // Within the horizon, late samples are still accepted.
  EXPECT_TRUE(store.Add(Request("v1", 10, false), kT0 + absl::Seconds(2)).ok());
}

TEST(SampleStoreTest, RejectsSamplesWithoutIdentityAndBeyondMaxSeries) {
  SampleStore store(WindowOptions{}, 1);
  v1::Sample anonymous = Request("v1", 1, false);
  anonymous.clear_service();
  EXPECT_EQ(store.Add(anonymous, kT0).code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(store.Add(Request("v1", 1, false), kT0).ok());
  EXPECT_EQ(store.Add(Request("v2", 1, false), kT0).code(), absl::StatusCode::kResourceExhausted);
}

TEST(SampleStoreTest, GaugeOnlySamplesAreNotRequests) {
  SampleStore store;
  v1::Sample g;
  g.set_service("checkout");
  g.set_version("v1");
  (*g.mutable_gauges())["cost"] = 2;
  ASSERT_TRUE(store.Add(g, kT0).ok());
  (*g.mutable_gauges())["cost"] = 4;
  ASSERT_TRUE(store.Add(g, kT0 + absl::Milliseconds(1)).ok());
  auto b = store.Collect("checkout", "v1", kT0, kT0 + absl::Seconds(1));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].requests, 0u);
  EXPECT_DOUBLE_EQ(b[0].gauges["cost"].mean(), 3);
  EXPECT_DOUBLE_EQ(b[0].gauges["cost"].last, 4);
}

}  // namespace
}  // namespace conclave::metrics_agent
