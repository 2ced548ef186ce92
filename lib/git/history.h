// The history source: every blob that history can reach, scanned once, each finding attributed
// to the commit and path that first brought its blob, and told where it still lives.
//
// 1. ObjectGraph reads every commit, tree and tag once, in pack order.
// 2. Tips: every ref (branches, remote-tracking branches, tags, refs/stash, notes, any other)
//    and a detached HEAD, peeled; tags of trees and blobs are tips too. Or the revisions asked
//    for (`--branch`, `A..B`).
// 3. Attribution (in memory): commits parents first, each unique tree once; a blob belongs to
//    the first commit whose tree holds it. A merge whose own tree adds a blob is its origin.
// 4. Scan: the blobs in scope, in pack order, on a second thread while this one reads.
// 5. Report: one finding per secret and path (later versions of the file are counted), with
//    the refs that reach its commit and the branch tips that still hold it, in history order.
// With all_objects, commits and blobs that no ref reaches are added, marked unreachable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "engine/scanner.h"
#include "engine/stats.h"
#include "git/repo.h"

namespace leakgate::git {

struct HistoryProgress {
  const char* phase;        // "reading history", "scanning blobs"
  std::size_t done, total;  // objects while reading history; bytes while scanning
};

struct HistoryOptions {
  std::size_t max_blob_size = std::size_t(64) << 20;
  bool all_objects = false;
  // Revisions whose history is swept; empty: every ref and HEAD.
  std::vector<std::string> include = {};
  // Revisions whose history counts as known (A in A..B): what they bring is not scanned.
  std::vector<std::string> exclude = {};
  // Seconds since the epoch: blobs whose commit is older are not scanned. 0: no limit.
  std::int64_t since = 0;
  // Non-empty: keep blobs found clean in this cache file, under this digest (see ScanCache).
  std::string cache_path = {}, cache_digest = {};
  // Called now and then; how often to draw is the caller's business.
  std::function<void(const HistoryProgress&)> progress = {};
};

Status scan_history(git_repository* repo, const HistoryOptions& options,
                    const engine::Scanner& scanner, const engine::FindingFn& emit,
                    engine::ScanStats& stats);

}  // namespace leakgate::git
