#include "input/paths.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/text.h"

namespace leakgate::input {
namespace {

// Reads all of fd; false with errno set on failure.
bool read_all(int fd, std::string& out, std::size_t limit) {
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) return true;
    out.append(buf, std::size_t(n));
    if (out.size() > limit) return true;
  }
}

std::string display(const std::string& path) {
  return path.size() > 2 && path.compare(0, 2, "./") == 0 ? path.substr(2) : path;
}

class Walker {
 public:
  Walker(const PathOptions& o, const engine::Scanner& s, const engine::FindingFn& emit,
         engine::ScanStats& stats)
      : o_(o), scanner_(s), emit_(emit), stats_(stats) {}

  Status path(const std::string& p, bool top) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) {
      stats_.errors.push_back(fmt::format("{}: {}", p, std::strerror(errno)));
      return {};
    }
    if (S_ISLNK(st.st_mode)) {
      // A symlink named on the command line is followed; inside a tree it is not.
      if (!top) return {};
      if (::stat(p.c_str(), &st) != 0) {
        stats_.errors.push_back(fmt::format("{}: {}", p, std::strerror(errno)));
        return {};
      }
    }
    if (S_ISDIR(st.st_mode)) return directory(p);
    if (!S_ISREG(st.st_mode)) {
      if (top) stats_.skipped.push_back({p, "not a regular file"});
      return {};
    }
    return file(p, std::size_t(st.st_size));
  }

  Status stdin_() {
    std::string data;
    if (!read_all(0, data, SIZE_MAX)) {
      return make_error("standard input: {}", std::strerror(errno));
    }
    return scan("", data);
  }

 private:
  Status directory(const std::string& p) {
    DIR* dir = ::opendir(p.c_str());
    if (!dir) {
      stats_.errors.push_back(fmt::format("{}: {}", p, std::strerror(errno)));
      return {};
    }
    std::vector<std::string> names;
    while (dirent* e = ::readdir(dir)) {
      std::string name = e->d_name;
      if (name == "." || name == ".." || name == ".git") continue;
      names.push_back(std::move(name));
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    std::string prefix = p.back() == '/' ? p : p + "/";
    for (const auto& name : names) LEAKGATE_TRY(path(prefix + name, false));
    return {};
  }

  Status file(const std::string& p, std::size_t size) {
    std::string shown = display(p);
    if (scanner_.path_allowed(shown)) {
      stats_.skipped.push_back({shown, "allowlisted path"});
      return {};
    }
    if (size > o_.max_file_size) {
      stats_.skipped.push_back({shown, fmt::format("larger than {}", format_size(o_.max_file_size))});
      return {};
    }
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
      stats_.errors.push_back(fmt::format("{}: {}", shown, std::strerror(errno)));
      return {};
    }
    std::string data;
    data.reserve(size);
    bool ok = read_all(fd, data, o_.max_file_size);
    int err = errno;
    ::close(fd);
    if (!ok) {
      stats_.errors.push_back(fmt::format("{}: {}", shown, std::strerror(err)));
      return {};
    }
    if (data.size() > o_.max_file_size) {
      stats_.skipped.push_back({shown, fmt::format("larger than {}", format_size(o_.max_file_size))});
      return {};
    }
    return scan(shown, data);
  }

  Status scan(const std::string& shown, const std::string& data) {
    if (looks_binary(data)) {
      stats_.skipped.push_back({shown.empty() ? "(stdin)" : shown, "binary"});
      return {};
    }
    ++stats_.files;
    stats_.bytes += data.size();
    return scanner_.scan(engine::Chunk{data, shown, {}}, emit_);
  }

  const PathOptions& o_;
  const engine::Scanner& scanner_;
  const engine::FindingFn& emit_;
  engine::ScanStats& stats_;
};

}  // namespace

Status scan_paths(const std::vector<std::string>& paths, const PathOptions& options,
                  const engine::Scanner& scanner, const engine::FindingFn& emit,
                  engine::ScanStats& stats) {
  Walker walker(options, scanner, emit, stats);
  for (const std::string& p : paths) {
    LEAKGATE_TRY(p == "-" ? walker.stdin_() : walker.path(p, true));
  }
  return {};
}

}  // namespace leakgate::input
