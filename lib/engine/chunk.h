// Chunk: bytes to scan and where they came from. Sources make chunks; the engine reads them.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace leakgate::engine {

// 1-based, inclusive.
struct LineRange {
  std::size_t first, last;
};

struct Chunk {
  std::string_view data;
  std::string_view path;  // relative to the repository or as given; may be empty (stdin)
  // When non-empty, only findings that touch one of these lines count: a staged scan reads
  // the whole new file (for context) but reports only what the commit adds. Sorted.
  std::vector<LineRange> only_lines;
};

}  // namespace leakgate::engine
