// Fuzz target: the pre-push hook's standard input parser. Checks what it promises: every
// update it returns has object ids of hex digits and refs without a blank or a line break.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "git/push.h"

namespace {

bool hex_id(std::string_view s) {
  return (s.size() == 40 || s.size() == 64) &&
         s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool clean_ref(std::string_view s) { return s.find_first_of(" \n") == std::string_view::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto updates = leakgate::git::parse_push_updates(text);
  if (!updates) return 0;
  for (const auto& u : *updates) {
    if (!hex_id(u.local_sha) || !hex_id(u.remote_sha) || !clean_ref(u.local_ref) ||
        !clean_ref(u.remote_ref)) {
      std::fprintf(stderr, "parse_push_updates accepted a malformed line\n");
      std::abort();
    }
  }
  return 0;
}
