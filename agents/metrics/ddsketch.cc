#include "agents/metrics/ddsketch.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace conclave::metrics_agent {
namespace {

// A broken invariant of the caller (this abseil has no CHECK).
void CheckOrDie(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "DDSketch: %s\n", what);
  std::abort();
}

}  // namespace

DDSketch::DDSketch(double relative_accuracy)
    : relative_accuracy_(relative_accuracy),
      gamma_((1 + relative_accuracy) / (1 - relative_accuracy)),
      log_gamma_(std::log(gamma_)) {
  CheckOrDie(relative_accuracy > 0 && relative_accuracy < 1, "relative accuracy not in (0, 1)");
}

int DDSketch::IndexOf(double value) const {
  if (!(value > kMinIndexable)) return kZeroIndex;
  return static_cast<int>(std::ceil(std::log(value) / log_gamma_));
}

double DDSketch::ValueOf(int index) const {
  if (index == kZeroIndex) return 0;
  // The midpoint in relative terms of (gamma^(i-1), gamma^i].
  return 2 * std::exp(index * log_gamma_) / (gamma_ + 1);
}

void DDSketch::Add(double value, uint64_t count) {
  if (std::isnan(value) || value < 0 || count == 0) return;
  const int index = IndexOf(value);
  if (index == kZeroIndex) {
    zero_count_ += count;
    count_ += count;
    return;
  }
  AddToBin(index, count);
}

void DDSketch::AddToBin(int index, uint64_t count) {
  if (bins_.empty()) {
    offset_ = index;
    bins_.assign(1, 0);
  } else if (index < offset_) {
    bins_.insert(bins_.begin(), static_cast<size_t>(offset_ - index), 0);
    offset_ = index;
  } else if (index >= offset_ + static_cast<int>(bins_.size())) {
    bins_.resize(static_cast<size_t>(index - offset_ + 1), 0);
  }
  bins_[static_cast<size_t>(index - offset_)] += count;
  count_ += count;
}

void DDSketch::Merge(const DDSketch& other) {
  CheckOrDie(relative_accuracy_ == other.relative_accuracy_, "merging different accuracies");
  if (other.count_ == 0) return;
  zero_count_ += other.zero_count_;
  count_ += other.zero_count_;
  if (other.bins_.empty()) return;
  // Grow once to cover both ranges, then add bin by bin.
  const int last = other.offset_ + static_cast<int>(other.bins_.size()) - 1;
  AddToBin(other.offset_, 0);
  AddToBin(last, 0);
  const size_t shift = static_cast<size_t>(other.offset_ - offset_);
  for (size_t i = 0; i < other.bins_.size(); ++i) bins_[shift + i] += other.bins_[i];
  count_ += other.count_ - other.zero_count_;
}

void DDSketch::Clear() {
  bins_.clear();
  offset_ = 0;
  zero_count_ = 0;
  count_ = 0;
}

int DDSketch::QuantileIndex(double q) const {
  if (count_ == 0 || std::isnan(q)) return kZeroIndex;
  q = std::clamp(q, 0.0, 1.0);
  const double rank = std::floor(q * static_cast<double>(count_ - 1));
  double seen = static_cast<double>(zero_count_);
  if (seen > rank) return kZeroIndex;
  for (size_t i = 0; i < bins_.size(); ++i) {
    seen += static_cast<double>(bins_[i]);
    if (seen > rank) return offset_ + static_cast<int>(i);
  }
  return offset_ + static_cast<int>(bins_.size()) - 1;
}

double DDSketch::Quantile(double q) const {
  if (count_ == 0 || std::isnan(q)) return std::nan("");
  return ValueOf(QuantileIndex(q));
}

uint64_t DDSketch::CountAbove(int index) const {
  if (index == kZeroIndex) return count_ - zero_count_;
  uint64_t above = 0;
  for (size_t i = 0; i < bins_.size(); ++i) {
    if (offset_ + static_cast<int>(i) > index) above += bins_[i];
  }
  return above;
}

}  // namespace conclave::metrics_agent
