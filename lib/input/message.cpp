#include "input/message.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace leakgate::input {

std::string_view before_scissors(std::string_view message) {
  // "<comment char> ------------------------ >8 ------------------------", on its own line.
  constexpr std::string_view kScissors = " ------------------------ >8 ------------------------";
  std::size_t pos = 0;
  while (pos < message.size()) {
    std::size_t nl = message.find('\n', pos);
    std::string_view line =
        message.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (line.size() == kScissors.size() + 1 && line.substr(1) == kScissors) {
      return message.substr(0, pos);
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return message;
}

Status scan_commit_message(const std::string& path, const engine::Scanner& scanner,
                           const engine::FindingFn& emit, engine::ScanStats& stats) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("{}: cannot read the commit message: {}", path, std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  std::string message = text.str();
  std::string_view kept = before_scissors(message);
  ++stats.files;
  stats.bytes += kept.size();
  return scanner.scan(engine::Chunk{kept, path, {}}, emit);
}

}  // namespace leakgate::input
