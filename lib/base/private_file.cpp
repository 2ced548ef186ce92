#include "base/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace leakgate {

namespace {

Error file_error(std::string_view path, std::string_view what, int err) {
  return make_error("{}: {}: {}", path, what, std::strerror(err));
}

}  // namespace

Result<FilePtr> create_private_file(const std::string& path) {
  // No O_TRUNC yet: a file that turns out to be unsuitable must be left as it was. O_NONBLOCK
  // keeps a FIFO without a reader from hanging the scan; it is cleared below.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
                  0600);
  if (fd < 0) {
    int err = errno;
    if (err == ELOOP)
      return make_error("{}: is a symbolic link; refusing to write through it", path);
    return file_error(path, "cannot create", err);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return file_error(path, "cannot stat", err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error("{}: is not a regular file; refusing to write it", path);
  }
  if (st.st_nlink > 1) {
    ::close(fd);
    return make_error("{}: has other hard links; refusing to write it", path);
  }
  if (::fchmod(fd, 0600) != 0 || ::ftruncate(fd, 0) != 0 ||
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
    int err = errno;
    ::close(fd);
    return file_error(path, "cannot prepare", err);
  }
  std::FILE* f = ::fdopen(fd, "w");
  if (!f) {
    int err = errno;
    ::close(fd);
    return file_error(path, "cannot open", err);
  }
  return FilePtr(f);
}

Status close_private_file(FilePtr file, std::string_view path) {
  std::FILE* f = file.release();
  bool failed = std::fflush(f) != 0 || std::ferror(f) != 0;
  int err = errno;
  if (std::fclose(f) != 0 && !failed) {
    failed = true;
    err = errno;
  }
  if (failed) return file_error(path, "cannot write", err);
  return {};
}

Status write_private_file(const std::string& path, std::string_view content) {
  auto file = create_private_file(path);
  if (!file) return file.error();
  std::fwrite(content.data(), 1, content.size(), file->get());
  return close_private_file(std::move(*file), path);
}

}  // namespace leakgate
