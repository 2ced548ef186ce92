// Fuzz target: what reads paths and path-like text. The input is "PATTERN\nPATH...": path
// globs (allowlists, ignore entries) against a path, both ways round; the commit message's
// scissors line; sizes (max_file_size, --max-file-size) and dates (--since).
#include <cstdint>
#include <string_view>

#include "base/text.h"
#include "input/message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leakgate;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t nl = text.find('\n');
  std::string_view pattern = text.substr(0, nl);
  std::string_view path = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  (void)glob_match(pattern, path);
  (void)glob_match(path, pattern);
  (void)input::before_scissors(text);
  std::size_t n = 0;
  (void)parse_size(pattern, n);
  (void)parse_date(pattern);
  return 0;
}
