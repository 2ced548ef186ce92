// Pack order: where each object sits in the repository's pack files, read straight from the
// pack indexes (.idx, version 2). Reading blobs in that order reads each pack front to back,
// so delta bases are fresh in libgit2's cache and the disk reads stream; libgit2 has no call
// that lists objects by offset.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <git2.h>

#include "base/result.h"

namespace leakgate::git {

class PackOrder {
 public:
  // Reads every .idx under the repository's objects/pack (and its alternates'). Unreadable or
  // unknown index files are left out: they only cost order, never correctness.
  static PackOrder load(git_repository* repo);

  // A sort key: pack number in the high bits, offset in the low bits; loose objects sort last.
  std::uint64_t key(const git_oid& id) const;
  std::size_t packs() const { return packs_.size(); }

 private:
  struct Pack {
    std::vector<unsigned char> names;   // N * 20 bytes, sorted
    std::vector<std::uint64_t> offsets;
  };
  std::vector<Pack> packs_;
};

}  // namespace leakgate::git
