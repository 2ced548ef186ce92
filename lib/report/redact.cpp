#include "report/redact.h"

#include <algorithm>

#include <fmt/format.h>

namespace leakgate::report {

std::string redact(std::string_view secret) {
  std::size_t keep = std::min<std::size_t>(8, secret.size() / 6);
  // Never cut a UTF-8 sequence in two.
  while (keep > 0 && (static_cast<unsigned char>(secret[keep]) & 0xC0) == 0x80) --keep;
  return fmt::format("{}\u2026({} chars)", secret.substr(0, keep), secret.size());
}

std::string redact_in(std::string_view line, std::string_view secret) {
  std::string out;
  if (secret.empty()) return std::string(line);
  std::string r = redact(secret);
  std::size_t pos = 0;
  while (true) {
    std::size_t hit = line.find(secret, pos);
    if (hit == std::string_view::npos) break;
    out.append(line.substr(pos, hit - pos)).append(r);
    pos = hit + secret.size();
  }
  out.append(line.substr(pos));
  return out;
}

}  // namespace leakgate::report
