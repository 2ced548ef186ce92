// Helpers for reading TOML tables with messages that name file, line and column.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "base/result.h"

namespace leakgate::toml_util {

std::string where(std::string_view source, const toml::node& node);

// Each of these leaves `out` unchanged when the key is absent.
Status get(const toml::table& t, std::string_view key, std::string_view source, std::string& out);
Status get(const toml::table& t, std::string_view key, std::string_view source, double& out);
Status get(const toml::table& t, std::string_view key, std::string_view source, bool& out);
Status get(const toml::table& t, std::string_view key, std::string_view source,
           std::size_t& out);
Status get(const toml::table& t, std::string_view key, std::string_view source,
           std::vector<std::string>& out);

// An error for the first key of `t` that is not in `known`.
Status known_keys(const toml::table& t, std::string_view source,
                  std::initializer_list<std::string_view> known, std::string_view what);

// Parses a whole document; a syntax error becomes "source:line:col: message".
Result<toml::table> parse(std::string_view text, std::string_view source);

}  // namespace leakgate::toml_util
