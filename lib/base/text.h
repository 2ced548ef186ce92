// Small text utilities shared by the engine, the sources and the reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leakgate {

// Shannon entropy in bits per byte.
double shannon_entropy(std::string_view s);

// Glob match for paths: `*` and `?` stay within one path component, `**` crosses
// components (`**/x` also matches `x`), `[abc]` is a class. A pattern without a slash
// matches the last component anywhere in the tree, as in .gitignore.
bool glob_match(std::string_view pattern, std::string_view path);

// A NUL byte in the first 8000 bytes, git's own test for binary content.
bool looks_binary(std::string_view data);

std::string to_lower(std::string_view s);
bool icontains(std::string_view haystack, std::string_view needle);

// Human sizes: "1.5 MB"; parses "10MB", "512k", "2 GiB", "1000".
std::string format_size(std::size_t bytes);
bool parse_size(std::string_view text, std::size_t& out);

// Seconds since the epoch from "2024-01-31", "2024-01-31T12:00:00" (UTC), with "Z" or a
// "+02:00" offset, or "@1706700000". Nothing when it is none of these.
std::optional<std::int64_t> parse_date(std::string_view text);

}  // namespace leakgate
