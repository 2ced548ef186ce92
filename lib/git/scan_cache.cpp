#include "git/scan_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace leakgate::git {
namespace {
constexpr std::string_view kMagic = "leakgate scan cache 1\n";
}

std::string ScanCache::default_path(git_repository* repo) {
  return (std::filesystem::path(git_repository_commondir(repo)) / "leakgate" / "scan-cache").string();
}

ScanCache ScanCache::load(std::string path, std::string digest) {
  ScanCache c;
  c.path_ = std::move(path);
  c.digest_ = std::move(digest);
  std::ifstream in(c.path_, std::ios::binary);
  if (!in) return c;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string header = std::string(kMagic) + c.digest_ + "\n";
  if (data.compare(0, header.size(), header) != 0) return c;  // another rule set: start afresh
  std::size_t body = data.size() - header.size();
  if (body % GIT_OID_RAWSZ != 0) return c;
  for (std::size_t at = header.size(); at < data.size(); at += GIT_OID_RAWSZ) {
    git_oid id;
    git_oid_fromraw(&id, reinterpret_cast<const unsigned char*>(data.data() + at));
    c.add(id);
  }
  return c;
}

Status ScanCache::save() const {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(path_).parent_path(), ec);
  std::string tmp = path_ + ".tmp";
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return make_error("{}: cannot write the scan cache: {}", tmp, std::strerror(errno));
  std::string data = std::string(kMagic) + digest_ + "\n";
  ids_.for_each([&](const git_oid& id) {
    data.append(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
  });
  bool ok = true;
  for (std::size_t done = 0; ok && done < data.size();) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += std::size_t(n);
  }
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path_.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return make_error("{}: cannot write the scan cache: {}", path_, std::strerror(errno));
  }
  return {};
}

}  // namespace leakgate::git
