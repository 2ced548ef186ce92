#include "base/text.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>
#include <unordered_set>

#include <fmt/format.h>

namespace leakgate {

double shannon_entropy(std::string_view s) {
  if (s.empty()) return 0;
  std::array<std::size_t, 256> counts{};
  for (unsigned char c : s) ++counts[c];
  double h = 0;
  const double n = double(s.size());
  for (std::size_t c : counts) {
    if (c == 0) continue;
    double p = double(c) / n;
    h -= p * std::log2(p);
  }
  return h;
}

namespace {

// Matches one class `[...]` at p[0] == '[' against c; advances p past the class.
bool match_class(std::string_view& p, char c) {
  std::size_t i = 1;
  bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
  if (negate) ++i;
  bool hit = false;
  std::size_t start = i;
  for (; i < p.size() && (p[i] != ']' || i == start); ++i) {
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      hit |= p[i] <= c && c <= p[i + 2];
      i += 2;
    } else {
      hit |= p[i] == c;
    }
  }
  p.remove_prefix(i < p.size() ? i + 1 : p.size());
  return hit != negate;
}

// The (pattern, path) suffix pairs at a star that are known not to match. Every p and s that
// glob_rec sees is a suffix of the pattern and path it started from, so their lengths name
// them. Without it a pattern of many stars backtracks in time exponential in their number.
struct GlobMemo {
  std::unordered_set<std::uint64_t> failed;
  static std::uint64_t key(std::string_view p, std::string_view s) {
    return std::uint64_t(p.size()) << 32 | std::uint64_t(s.size());
  }
};

bool glob_rec(std::string_view p, std::string_view s, GlobMemo& memo) {
  while (!p.empty()) {
    if (p.substr(0, 2) == "**") {
      std::string_view rest = p.substr(2);
      bool slash = !rest.empty() && rest[0] == '/';
      if (slash) rest.remove_prefix(1);
      if (rest.empty()) return true;
      if (!memo.failed.insert(GlobMemo::key(p, s)).second) return false;
      // `**/` matches zero or more whole components.
      for (std::size_t i = 0; i <= s.size(); ++i) {
        if ((i == 0 || s[i - 1] == '/') && glob_rec(rest, s.substr(i), memo)) return true;
        if (!slash && glob_rec(rest, s.substr(i), memo)) return true;
      }
      return false;
    }
    char pc = p[0];
    if (pc == '*') {
      std::string_view rest = p.substr(1);
      if (!memo.failed.insert(GlobMemo::key(p, s)).second) return false;
      for (std::size_t i = 0; i <= s.size(); ++i) {
        if (glob_rec(rest, s.substr(i), memo)) return true;
        if (i < s.size() && s[i] == '/') return false;
      }
      return false;
    }
    if (s.empty()) return false;
    if (pc == '?') {
      if (s[0] == '/') return false;
      p.remove_prefix(1);
    } else if (pc == '[') {
      if (s[0] == '/' || !match_class(p, s[0])) return false;
    } else {
      if (pc == '\\' && p.size() > 1) p.remove_prefix(1), pc = p[0];
      if (pc != s[0]) return false;
      p.remove_prefix(1);
    }
    s.remove_prefix(1);
  }
  return s.empty();
}

bool glob_rec(std::string_view p, std::string_view s) {
  GlobMemo memo;
  return glob_rec(p, s, memo);
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  if (pattern.substr(0, 2) == "./") pattern.remove_prefix(2);
  if (!pattern.empty() && pattern[0] == '/') {
    // Anchored at the root; like any pattern with a slash, it covers what is below a match.
    std::string anchored(pattern.substr(1));
    if (!anchored.empty() && anchored.back() == '/') anchored.pop_back();
    return glob_rec(anchored, path) || glob_rec(anchored + "/**", path);
  }
  if (pattern.find('/') == std::string_view::npos ||
      (pattern.back() == '/' && pattern.find('/') == pattern.size() - 1)) {
    // No slash: match any component, and everything below a matching directory.
    std::string_view bare = pattern;
    if (!bare.empty() && bare.back() == '/') bare.remove_suffix(1);
    std::size_t start = 0;
    while (start <= path.size()) {
      std::size_t end = path.find('/', start);
      std::string_view comp = path.substr(start, end == std::string_view::npos ? end : end - start);
      if (glob_rec(bare, comp)) return true;
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    return false;
  }
  if (pattern.back() == '/') {
    // A directory pattern covers everything below it.
    std::string p(pattern);
    p += "**";
    return glob_rec(p, path);
  }
  return glob_rec(pattern, path) || glob_rec(std::string(pattern) + "/**", path);
}

bool looks_binary(std::string_view data) {
  return std::memchr(data.data(), 0, std::min<std::size_t>(data.size(), 8000)) != nullptr;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool icontains(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    std::size_t j = 0;
    while (j < needle.size() &&
           std::tolower(static_cast<unsigned char>(haystack[i + j])) ==
               std::tolower(static_cast<unsigned char>(needle[j]))) {
      ++j;
    }
    if (j == needle.size()) return true;
  }
  return false;
}

std::string format_size(std::size_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KB", "MB", "GB", "TB"};
  double v = double(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) v /= 1024, ++u;
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, kUnits[u]);
}

bool parse_size(std::string_view text, std::size_t& out) {
  std::size_t i = 0;
  unsigned long long n = 0;
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return false;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    if (n > (1ULL << 50)) return false;
    n = n * 10 + unsigned(text[i] - '0');
  }
  while (i < text.size() && text[i] == ' ') ++i;
  std::string unit = to_lower(text.substr(i));
  unsigned long long mult = 1;
  if (unit.empty() || unit == "b") mult = 1;
  else if (unit == "k" || unit == "kb" || unit == "kib") mult = 1ULL << 10;
  else if (unit == "m" || unit == "mb" || unit == "mib") mult = 1ULL << 20;
  else if (unit == "g" || unit == "gb" || unit == "gib") mult = 1ULL << 30;
  else return false;
  if (n > std::numeric_limits<std::size_t>::max() / mult) return false;
  out = std::size_t(n * mult);
  return true;
}

std::optional<std::int64_t> parse_date(std::string_view text) {
  auto number = [&](std::size_t at, std::size_t len) -> std::optional<int> {
    if (at + len > text.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  if (!text.empty() && text[0] == '@') {
    std::int64_t v = 0;
    if (text.size() < 2 || text.size() > 19) return std::nullopt;
    for (char c : text.substr(1)) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return v;
  }
  auto y = number(0, 4), mo = number(5, 2), d = number(8, 2);
  if (!y || !mo || !d || text[4] != '-' || text[7] != '-' || *mo < 1 || *mo > 12 || *d < 1 ||
      *d > 31) {
    return std::nullopt;
  }
  int h = 0, mi = 0, sec = 0, offset = 0;
  std::size_t at = 10;
  if (text.size() > 10) {
    if (text[10] != 'T' && text[10] != ' ') return std::nullopt;
    auto hh = number(11, 2), mm = number(14, 2), ss = number(17, 2);
    if (!hh || !mm || !ss || text[13] != ':' || text[16] != ':' || *hh > 23 || *mm > 59 ||
        *ss > 60) {
      return std::nullopt;
    }
    h = *hh, mi = *mm, sec = *ss;
    at = 19;
    if (at < text.size()) {
      if (text[at] == 'Z' && at + 1 == text.size()) {
        at = text.size();
      } else if ((text[at] == '+' || text[at] == '-') && text.size() == at + 6 && text[at + 3] == ':') {
        auto oh = number(at + 1, 2), om = number(at + 4, 2);
        if (!oh || !om) return std::nullopt;
        offset = (*oh * 60 + *om) * 60 * (text[at] == '-' ? -1 : 1);
        at = text.size();
      } else {
        return std::nullopt;
      }
    }
  }
  std::tm tm{};
  tm.tm_year = *y - 1900;
  tm.tm_mon = *mo - 1;
  tm.tm_mday = *d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  return std::int64_t(timegm(&tm)) - offset;
}

}  // namespace leakgate
