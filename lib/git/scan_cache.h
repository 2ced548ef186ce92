// ScanCache: blobs already scanned with nothing found, kept between sweeps (`history --cache`)
// in the repository's git directory, so that a sweep after new commits scans only new blobs.
// The cache is keyed by a digest of everything that decides a blob's findings (rules,
// allowlists, ignores, leakgate's version): when that changes, the cache is discarded.
#pragma once

#include <string>

#include <git2.h>

#include "base/result.h"
#include "git/oid_map.h"

namespace leakgate::git {

class ScanCache {
 public:
  // Reads `path`; a missing, unreadable or foreign file, or another digest, gives an empty cache.
  static ScanCache load(std::string path, std::string digest);

  bool contains(const git_oid& id) const { return ids_.contains(id); }
  void add(const git_oid& id) { ids_.insert(id, {}); }
  std::size_t size() const { return ids_.size(); }
  // Writes the cache atomically (a temporary file renamed over it), mode 0600.
  Status save() const;

  // <common git dir>/leakgate/scan-cache
  static std::string default_path(git_repository* repo);

 private:
  std::string path_, digest_;
  OidSet ids_;
};

}  // namespace leakgate::git
