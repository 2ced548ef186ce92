#include "engine/prefilter.h"

#include <cctype>
#include <array>
#include <deque>

namespace leakgate::engine {

Prefilter::Prefilter(const std::vector<std::string>& keywords) {
  // Build the trie over lower-cased keywords; -1 marks "no edge yet".
  std::vector<std::array<std::int32_t, 256>> go(1);
  go[0].fill(-1);
  std::vector<std::vector<std::uint32_t>> outputs(1);
  for (std::uint32_t k = 0; k < keywords.size(); ++k) {
    lengths_.push_back(keywords[k].size());
    std::size_t s = 0;
    for (unsigned char c : keywords[k]) {
      c = static_cast<unsigned char>(std::tolower(c));
      if (go[s][c] < 0) {
        go[s][c] = std::int32_t(go.size());
        go.emplace_back().fill(-1);
        outputs.emplace_back();
      }
      s = std::size_t(go[s][c]);
    }
    if (!keywords[k].empty()) outputs[s].push_back(k);
  }

  // Breadth-first: failure links, merged outputs, and the full transition function.
  const std::size_t states = go.size();
  std::vector<std::uint32_t> fail(states, 0);
  delta_.assign(states * 256, 0);
  std::deque<std::size_t> queue;
  for (int c = 0; c < 256; ++c) {
    int lc = std::tolower(c);
    std::int32_t t = go[0][lc];
    delta_[c] = t < 0 ? 0 : std::uint32_t(t);
    if (t > 0 && c == lc) queue.push_back(std::size_t(t));
  }
  while (!queue.empty()) {
    std::size_t s = queue.front();
    queue.pop_front();
    const auto& f_out = outputs[fail[s]];
    outputs[s].insert(outputs[s].end(), f_out.begin(), f_out.end());
    for (int c = 0; c < 256; ++c) {
      int lc = std::tolower(c);
      std::int32_t t = go[s][lc];
      if (t >= 0) {
        delta_[s * 256 + c] = std::uint32_t(t);
        if (c == lc) {
          fail[std::size_t(t)] = delta_[fail[s] * 256 + c];
          queue.push_back(std::size_t(t));
        }
      } else {
        delta_[s * 256 + c] = delta_[fail[s] * 256 + c];
      }
    }
  }

  out_begin_.reserve(states + 1);
  for (std::size_t s = 0; s < states; ++s) {
    out_begin_.push_back(std::uint32_t(out_.size()));
    out_.insert(out_.end(), outputs[s].begin(), outputs[s].end());
  }
  out_begin_.push_back(std::uint32_t(out_.size()));
  for (auto& t : delta_) {
    if (out_begin_[t] != out_begin_[t + 1]) t |= kHasOutput;
  }
}

}  // namespace leakgate::engine
