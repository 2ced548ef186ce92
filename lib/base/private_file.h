// Private files: how leakgate writes anything that may hold a secret (a report, a purge plan).
//
//   auto file = create_private_file("leaks.sarif");   // mode 0600, never through a symlink
//   if (!file) return file.error();
//   std::fputs(text, file->get());
//   LEAKGATE_TRY(close_private_file(std::move(*file), "leaks.sarif"));
//
// The file is opened with O_NOFOLLOW, so a symlink planted at the path (by another user, or in
// a repository) is refused rather than followed; an existing regular file is truncated and its
// mode set to 0600; a file with other hard links is refused, since writing it would change them.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace leakgate {

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

Result<FilePtr> create_private_file(const std::string& path);

// Flushes and closes, reporting a failed write (a full disk) as an error that names the path.
Status close_private_file(FilePtr file, std::string_view path);

// create_private_file, write `content`, close_private_file.
Status write_private_file(const std::string& path, std::string_view content);

}  // namespace leakgate
