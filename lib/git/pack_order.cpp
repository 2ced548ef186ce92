#include "git/pack_order.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace leakgate::git {
namespace {

namespace fs = std::filesystem;

std::uint32_t be32(const unsigned char* p) {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

// Parses a version 2 pack index. Returns false for anything else.
template <class Pack>
bool parse_idx(const std::vector<unsigned char>& d, Pack& pack) {
  constexpr std::size_t kHeader = 8, kFanout = 256 * 4;
  if (d.size() < kHeader + kFanout || std::memcmp(d.data(), "\377tOc", 4) != 0 ||
      be32(d.data() + 4) != 2) {
    return false;
  }
  const std::size_t n = be32(d.data() + kHeader + 255 * 4);
  const std::size_t names = kHeader + kFanout;
  const std::size_t crcs = names + n * GIT_OID_RAWSZ;
  const std::size_t small = crcs + n * 4;
  const std::size_t large = small + n * 4;
  if (d.size() < large) return false;
  pack.names.assign(d.begin() + std::ptrdiff_t(names), d.begin() + std::ptrdiff_t(crcs));
  pack.offsets.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t off = be32(d.data() + small + i * 4);
    if (off & 0x80000000u) {
      std::size_t at = large + std::size_t(off & 0x7fffffffu) * 8;
      if (at + 8 > d.size()) return false;
      off = 0;
      pack.offsets[i] = std::uint64_t(be32(d.data() + at)) << 32 | be32(d.data() + at + 4);
    } else {
      pack.offsets[i] = off;
    }
  }
  return true;
}

std::vector<fs::path> object_dirs(git_repository* repo) {
  std::vector<fs::path> dirs = {fs::path(git_repository_commondir(repo)) / "objects"};
  std::ifstream alt(dirs[0] / "info" / "alternates");
  for (std::string line; std::getline(alt, line);) {
    if (line.empty() || line[0] == '#') continue;
    fs::path p(line);
    dirs.push_back(p.is_absolute() ? p : dirs[0] / p);
  }
  return dirs;
}

}  // namespace

PackOrder PackOrder::load(git_repository* repo) {
  PackOrder order;
  for (const fs::path& dir : object_dirs(repo)) {
    std::error_code ec;
    std::vector<fs::path> idx;
    for (const auto& e : fs::directory_iterator(dir / "pack", ec)) {
      if (e.path().extension() == ".idx") idx.push_back(e.path());
    }
    std::sort(idx.begin(), idx.end());
    for (const fs::path& p : idx) {
      std::ifstream in(p, std::ios::binary);
      std::vector<unsigned char> data((std::istreambuf_iterator<char>(in)),
                                      std::istreambuf_iterator<char>());
      Pack pack;
      if (parse_idx(data, pack)) order.packs_.push_back(std::move(pack));
    }
  }
  return order;
}

std::uint64_t PackOrder::key(const git_oid& id) const {
  for (std::size_t p = 0; p < packs_.size(); ++p) {
    const Pack& pack = packs_[p];
    std::size_t lo = 0, hi = pack.offsets.size();
    while (lo < hi) {
      std::size_t mid = (lo + hi) / 2;
      int c = std::memcmp(pack.names.data() + mid * GIT_OID_RAWSZ, id.id, GIT_OID_RAWSZ);
      if (c == 0) return std::uint64_t(p) << 48 | pack.offsets[mid];
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
  }
  return ~std::uint64_t(0);
}

}  // namespace leakgate::git
