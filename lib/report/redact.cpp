#include "report/redact.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

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

std::string snippet(const engine::Finding& f, bool show_secrets) {
  const std::string& line = f.line_text;
  if (show_secrets) return line;
  std::vector<engine::TextSpan> spans = f.line_secrets;
  // The finding's own secret, from its column: a finding made without spans still hides it.
  std::size_t own = f.column > f.line_offset ? f.column - 1 - f.line_offset : line.size();
  if (own < line.size()) spans.push_back({own, std::min(line.size(), own + f.secret.size())});
  std::sort(spans.begin(), spans.end(),
            [](const engine::TextSpan& a, const engine::TextSpan& b) { return a.begin < b.begin; });
  std::string out;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < spans.size();) {
    std::size_t begin = std::clamp(spans[i].begin, pos, line.size());
    std::size_t end = std::min(spans[i].end, line.size());
    // Overlapping spans are redacted as one.
    for (++i; i < spans.size() && spans[i].begin < end; ++i) {
      end = std::max(end, std::min(spans[i].end, line.size()));
    }
    if (end <= begin) continue;
    out.append(line, pos, begin - pos)
        .append(redact(std::string_view(line).substr(begin, end - begin)));
    pos = end;
  }
  out.append(line, pos);
  return redact_in(out, f.secret);
}

}  // namespace leakgate::report
