#include "config/ignore_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/text.h"

namespace leakgate::config {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Splits "body # comment" at the first '#' that starts the line or follows a blank.
std::pair<std::string_view, std::string_view> split_comment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return {line.substr(0, i), trim(line.substr(i + 1))};
    }
  }
  return {line, {}};
}

constexpr const char* kHeader =
    "# leakgate: known secrets to ignore, one a line: <fingerprint> [path-glob]  # why\n"
    "# The fingerprint is a hash of rule and secret (leakgate prints it with each finding), so an\n"
    "# entry keeps working as lines move and stops working when a different secret appears.\n";

}  // namespace

bool is_fingerprint(std::string_view text) {
  if (text.size() < 16 || text.size() > 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<IgnoreFile> IgnoreFile::parse(std::string_view text, std::string_view source) {
  IgnoreFile file;
  std::size_t number = 0;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++number;
    auto [body, comment] = split_comment(line);
    body = trim(body);
    if (body.empty()) continue;
    std::size_t blank = body.find_first_of(" \t");
    std::string_view fp = body.substr(0, blank);
    std::string_view path = blank == std::string_view::npos ? "" : trim(body.substr(blank));
    if (!is_fingerprint(fp)) {
      return make_error(
          "{}:{}: '{}' is not a fingerprint (16 to 64 lower-case hex digits, as leakgate prints "
          "them)",
          source, number, fp);
    }
    file.entries_.push_back({{std::string(fp), std::string(path)}, std::string(comment), number});
  }
  return file;
}

Result<IgnoreFile> IgnoreFile::load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return IgnoreFile{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("{}: cannot read: {}", path, std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

std::vector<engine::Ignore> IgnoreFile::ignores() const {
  std::vector<engine::Ignore> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) out.push_back(e.ignore);
  return out;
}

bool IgnoreFile::contains(std::string_view fingerprint, std::string_view path) const {
  for (const Entry& e : entries_) {
    if (e.ignore.fingerprint == fingerprint && e.ignore.path == path) return true;
  }
  return false;
}

bool ignore_applies(const engine::Ignore& ignore, const engine::Finding& finding) {
  return ignore.fingerprint == finding.fingerprint &&
         (ignore.path.empty() || glob_match(ignore.path, finding.path));
}

std::string format_ignore_line(const engine::Ignore& ignore, std::string_view comment) {
  std::string line = ignore.fingerprint;
  if (!ignore.path.empty()) line += " " + ignore.path;
  if (!comment.empty()) line += fmt::format("  # {}", comment);
  return line;
}

Status append_ignore_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::string existing;
  std::error_code ec;
  bool exists = std::filesystem::exists(path, ec);
  if (exists) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error("{}: cannot read: {}", path, std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    existing = text.str();
  }
  std::string out;
  if (!exists) out = kHeader;
  if (!existing.empty() && existing.back() != '\n') out += '\n';
  for (const auto& l : lines) out += l + '\n';
  std::ofstream file(path, std::ios::binary | std::ios::app);
  if (!file || !(file << out) || !file.flush()) {
    return make_error("{}: cannot write: {}", path, std::strerror(errno));
  }
  return {};
}

}  // namespace leakgate::config
