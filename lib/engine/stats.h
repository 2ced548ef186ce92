// ScanStats: what a source read, skipped and could not read. A scan with errors is partial,
// and a partial scan is never reported as clean.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace leakgate::engine {

struct Skipped {
  std::string what;    // a path, or a blob id
  std::string reason;  // "binary", "larger than 64.0 MB", "allowlisted path", "submodule"
};

struct ScanStats {
  std::size_t files = 0;    // files or unique blobs scanned
  std::size_t bytes = 0;
  std::size_t commits = 0;  // commits walked (history)
  std::size_t cached = 0;   // blobs a scan cache knew to be clean (history --cache)
  std::vector<Skipped> skipped;
  std::vector<std::string> errors;  // things that could not be read: the scan is partial
  std::vector<std::string> notes;   // facts the user should know (a shallow clone, ...)
};

}  // namespace leakgate::engine
