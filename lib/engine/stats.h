// ScanStats: what a source read, skipped and could not read. A scan with errors is partial,
// and a partial scan is never reported as clean.
#pragma once

#include <chrono>
#include <cstddef>
#include <utility>
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
  // Where the time went, in order, for --timings: (phase, milliseconds).
  std::vector<std::pair<std::string, double>> timings;
};

// Measures consecutive phases: lap("index read") records the time since the previous lap.
class Laps {
 public:
  explicit Laps(ScanStats& stats) : stats_(stats) {}
  void lap(std::string phase) {
    auto now = std::chrono::steady_clock::now();
    stats_.timings.emplace_back(std::move(phase),
                                std::chrono::duration<double, std::milli>(now - last_).count());
    last_ = now;
  }

 private:
  ScanStats& stats_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace leakgate::engine
