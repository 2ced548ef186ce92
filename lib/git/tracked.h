// The tracked source: every file the repository tracks, as the index holds it (HEAD's tree in
// a bare repository), each scanned whole. What `baseline create` records next to history and
// what `ignore --unused` checks entries against. Submodules are commit ids and are skipped.
#pragma once

#include <cstddef>

#include "base/result.h"
#include "engine/scanner.h"
#include "engine/stats.h"
#include "git/repo.h"

namespace leakgate::git {

struct TrackedOptions {
  std::size_t max_file_size;
};

Status scan_tracked(git_repository* repo, const TrackedOptions& options,
                    const engine::Scanner& scanner, const engine::FindingFn& emit,
                    engine::ScanStats& stats);

}  // namespace leakgate::git
