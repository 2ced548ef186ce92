// Prefilter: finds every occurrence of a set of literal keywords, case-insensitively, in one
// pass (Aho-Corasick over a dense 256-way transition table).
//
//   Prefilter p({"pk_", "akia"});
//   p.scan(text, [](std::uint32_t keyword, std::size_t end) { ... });
//
// Immutable after construction; safe to share between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leakgate::engine {

class Prefilter {
 public:
  explicit Prefilter(const std::vector<std::string>& keywords);

  std::size_t keyword_length(std::uint32_t k) const { return lengths_[k]; }

  // Calls on_hit(keyword index, offset one past the hit's last byte) for every occurrence,
  // in order of end offset.
  template <class OnHit>
  void scan(std::string_view text, OnHit&& on_hit) const {
    std::uint32_t s = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n; ++i) {
      s = delta_[(std::size_t(s) << 8) | p[i]];
      if (s & kHasOutput) [[unlikely]] {
        std::uint32_t state = s & ~kHasOutput;
        for (std::uint32_t o = out_begin_[state]; o < out_begin_[state + 1]; ++o) {
          on_hit(out_[o], i + 1);
        }
        s = state;
      }
    }
  }

 private:
  static constexpr std::uint32_t kHasOutput = 1u << 31;
  std::vector<std::uint32_t> delta_;      // state * 256 + byte -> next state (| kHasOutput)
  std::vector<std::uint32_t> out_begin_;  // per state, a range into out_
  std::vector<std::uint32_t> out_;        // keyword indices
  std::vector<std::size_t> lengths_;
};

}  // namespace leakgate::engine
