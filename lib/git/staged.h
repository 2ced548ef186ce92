// The staged source: what the next commit adds. Compares HEAD's tree (the empty tree on an
// unborn branch) with the index ($GIT_INDEX_FILE when git set one: `git commit -a` and
// `git commit -- path` use a temporary index) and scans each new or changed blob whole, but
// reports only findings on the lines the commit adds. Renames with no change, mode changes and
// deletions add nothing. Never writes the index, the work tree or refs.
#pragma once

#include <cstddef>

#include "base/result.h"
#include "engine/scanner.h"
#include "engine/stats.h"
#include "git/repo.h"

namespace leakgate::git {

struct StagedOptions {
  std::size_t max_file_size;
};

Status scan_staged(git_repository* repo, const StagedOptions& options,
                   const engine::Scanner& scanner, const engine::FindingFn& emit,
                   engine::ScanStats& stats);

}  // namespace leakgate::git
