// The staged source: what the next commit adds. Compares HEAD's tree (the empty tree on an
// unborn branch) with the index ($GIT_INDEX_FILE when git set one: `git commit -a` and
// `git commit -- path` use a temporary index) and scans each new or changed blob whole, but
// reports only findings on the lines the commit adds. During a merge, a line counts only when
// it is new relative to MERGE_HEAD too: the conflict resolution, not what the other branch
// already had. Renames with no change, mode changes and deletions add nothing; submodule
// pointers are commit ids, not files, and are skipped and said so. Never writes the index, the
// work tree or refs.
//
// With `paths` (what the pre-commit framework passes: the staged files, or every tracked file
// under `pre-commit run --all-files`), only those paths count: a listed path with a staged
// change is checked as above, a listed path without one is checked whole, as staged.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/result.h"
#include "engine/scanner.h"
#include "engine/stats.h"
#include "git/repo.h"

namespace leakgate::git {

struct StagedOptions {
  std::size_t max_file_size;
  std::vector<std::string> paths = {};  // relative to the current directory; empty: everything
};

Status scan_staged(git_repository* repo, const StagedOptions& options,
                   const engine::Scanner& scanner, const engine::FindingFn& emit,
                   engine::ScanStats& stats);

}  // namespace leakgate::git
