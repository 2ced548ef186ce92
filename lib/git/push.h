// The push source: what a `git push` is about to send. Git gives the pre-push hook one line a
// ref on standard input:
//
//   <local ref> SP <local sha> SP <remote ref> SP <remote sha> LF
//
// For each line the commits being pushed are those the local sha reaches that no
// remote-tracking ref (refs/remotes/*) reaches, nor the remote sha when it is known here. A
// new branch (remote sha zero) and a force push are handled the same way; a deletion (local
// sha zero) pushes nothing and scans nothing. Each commit is compared with its parents (the
// empty tree for a root commit) and only the lines it adds are checked; for a merge, only the
// lines new relative to every parent. Findings name the commit and path.
//
//   auto updates = git::parse_push_updates(stdin_text);
//   git::scan_push(repo, *updates, {max_size}, scanner, emit, stats);
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "engine/scanner.h"
#include "engine/stats.h"
#include "git/repo.h"

namespace leakgate::git {

struct PushUpdate {
  std::string local_ref, local_sha, remote_ref, remote_sha;
};

// Parses git's pre-push input; a malformed line is an error that quotes it.
Result<std::vector<PushUpdate>> parse_push_updates(std::string_view text);

struct PushOptions {
  std::size_t max_file_size;
};

Status scan_push(git_repository* repo, const std::vector<PushUpdate>& updates,
                 const PushOptions& options, const engine::Scanner& scanner,
                 const engine::FindingFn& emit, engine::ScanStats& stats);

}  // namespace leakgate::git
