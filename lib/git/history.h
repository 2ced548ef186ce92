// The history source: every blob that history can reach, scanned once, each finding attributed
// to the commit and path that first introduced its blob.
//
// 1. Tips: every ref (branches, remote-tracking branches, tags, refs/stash, notes, any other)
//    and HEAD, peeled; tags that point at trees or blobs are tips too.
// 2. Attribution: commits in topological order, parents first; each commit's tree is walked,
//    skipping trees already seen, so each unique tree is read once and each blob is attributed
//    to the first commit (and its path there) that holds it. A merge whose own tree adds a blob
//    is that blob's origin.
// 3. Scan: each unique blob once; no diffs are made at all.
// With all_objects, commits and blobs that no ref reaches are added afterwards, marked
// unreachable.
#pragma once

#include <cstddef>
#include <functional>

#include "base/result.h"
#include "engine/scanner.h"
#include "engine/stats.h"
#include "git/repo.h"

namespace leakgate::git {

struct HistoryProgress {
  const char* phase;  // "reading history", "scanning blobs"
  std::size_t done, total;  // objects while reading history; bytes while scanning
};

struct HistoryOptions {
  std::size_t max_blob_size;
  bool all_objects = false;
  // Called now and then (a few times a second at most is the caller's business).
  std::function<void(const HistoryProgress&)> progress;
};

Status scan_history(git_repository* repo, const HistoryOptions& options,
                    const engine::Scanner& scanner, const engine::FindingFn& emit,
                    engine::ScanStats& stats);

}  // namespace leakgate::git
