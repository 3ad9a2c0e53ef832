// DDSketch: a mergeable quantile sketch with a relative-error guarantee (Masson, Rim and Lee,
// VLDB 2019). Non-negative values go to logarithmic bins of ratio gamma = (1 + a) / (1 - a);
// the value reported for a bin is within relative error a of every value in it, so every
// quantile is within a of the exact one (of the item at rank floor(q * (n - 1))). Two
// sketches with the same accuracy merge exactly by adding bin counts.
// A value object; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace conclave::metrics_agent {

class DDSketch {
 public:
  // Values at or below this go to the zero bin and are reported as 0.
  static constexpr double kMinIndexable = 1e-9;
  // Index of the zero bin, below every other index.
  static constexpr int kZeroIndex = std::numeric_limits<int>::min();

  // `relative_accuracy` in (0, 1), e.g. 0.01 for 1 %.
  explicit DDSketch(double relative_accuracy = 0.01);

  // Adds `count` copies of `value`; negative and NaN values are ignored.
  void Add(double value, uint64_t count = 1);
  // Adds the bins of `other`, which must have the same relative accuracy.
  void Merge(const DDSketch& other);
  void Clear();

  // The q-quantile, q in [0, 1]; NaN when empty.
  double Quantile(double q) const;
  // Bin index of the q-quantile (as Quantile() picks it); kZeroIndex when empty.
  int QuantileIndex(double q) const;
  // Bin index of a value (kZeroIndex for values <= kMinIndexable).
  int IndexOf(double value) const;
  // The value reported for bin `index`.
  double ValueOf(int index) const;
  // How many values lie in bins above `index`.
  uint64_t CountAbove(int index) const;

  // Calls f(index, count) for each non-empty bin in ascending order, the zero bin first.
  template <typename F>
  void ForEachBin(F&& f) const {
    if (zero_count_ > 0) f(kZeroIndex, zero_count_);
    for (size_t i = 0; i < bins_.size(); ++i) {
      if (bins_[i] > 0) f(offset_ + static_cast<int>(i), bins_[i]);
    }
  }

  uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  double relative_accuracy() const { return relative_accuracy_; }

 private:
  void AddToBin(int index, uint64_t count);

  double relative_accuracy_;
  double gamma_;
  double log_gamma_;
  // bins_[i] counts values of index offset_ + i.
  int offset_ = 0;
  std::vector<uint64_t> bins_;
  uint64_t zero_count_ = 0;
  uint64_t count_ = 0;
};

}  // namespace conclave::metrics_agent
