// The file-system source: files, directories (recursively, everything but `.git`, symlinks not
// followed, ignore files not honoured: build outputs are often ignored and still shipped) and
// standard input.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/result.h"
#include "engine/scanner.h"
#include "engine/stats.h"

namespace leakgate::input {

struct PathOptions {
  std::size_t max_file_size;
};

// Scans each path; "-" is standard input. Unreadable files and directories are recorded in
// stats.errors (the scan is then partial) and the scan goes on.
Status scan_paths(const std::vector<std::string>& paths, const PathOptions& options,
                  const engine::Scanner& scanner, const engine::FindingFn& emit,
                  engine::ScanStats& stats);

}  // namespace leakgate::input
