// Fuzz target: the files that name known secrets, .leakgateignore (a line format) and the
// baseline (JSON). An ignore file that parses must print back to lines that parse the same.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/baseline.h"
#include "config/ignore_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leakgate;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto file = config::IgnoreFile::parse(text, ".leakgateignore")) {
    std::string again;
    for (const auto& e : file->entries()) again += config::format_ignore_line(e.ignore, "") + "\n";
    auto reparsed = config::IgnoreFile::parse(again, "again");
    if (!reparsed || reparsed->ignores().size() != file->ignores().size()) {
      std::fprintf(stderr, "an ignore file does not survive being written back\n");
      std::abort();
    }
  }
  if (auto baseline = config::Baseline::parse(text, "baseline.json")) {
    (void)baseline->to_json();
  }
  return 0;
}
