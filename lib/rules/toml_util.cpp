#include "rules/toml_util.h"

#include <algorithm>

namespace leakgate::toml_util {

std::string where(std::string_view source, const toml::node& node) {
  const auto& begin = node.source().begin;
  if (!begin) return std::string(source);
  return fmt::format("{}:{}:{}", source, begin.line, begin.column);
}

namespace {

Error type_error(std::string_view source, const toml::node& node, std::string_view key,
                 std::string_view expected) {
  return make_error("{}: '{}' must be {}", where(source, node), key, expected);
}

}  // namespace

Status get(const toml::table& t, std::string_view key, std::string_view source,
           std::string& out) {
  const toml::node* n = t.get(key);
  if (!n) return {};
  if (!n->is_string()) return type_error(source, *n, key, "a string");
  out = n->as_string()->get();
  return {};
}

Status get(const toml::table& t, std::string_view key, std::string_view source, double& out) {
  const toml::node* n = t.get(key);
  if (!n) return {};
  if (auto v = n->value<double>(); v && (n->is_floating_point() || n->is_integer())) {
    out = *v;
    return {};
  }
  return type_error(source, *n, key, "a number");
}

Status get(const toml::table& t, std::string_view key, std::string_view source, bool& out) {
  const toml::node* n = t.get(key);
  if (!n) return {};
  if (!n->is_boolean()) return type_error(source, *n, key, "true or false");
  out = n->as_boolean()->get();
  return {};
}

Status get(const toml::table& t, std::string_view key, std::string_view source,
           std::size_t& out) {
  const toml::node* n = t.get(key);
  if (!n) return {};
  if (n->is_integer() && n->as_integer()->get() >= 0) {
    out = std::size_t(n->as_integer()->get());
    return {};
  }
  return type_error(source, *n, key, "a non-negative integer");
}

Status get(const toml::table& t, std::string_view key, std::string_view source,
           std::vector<std::string>& out) {
  const toml::node* n = t.get(key);
  if (!n) return {};
  const toml::array* a = n->as_array();
  if (!a) return type_error(source, *n, key, "an array of strings");
  out.clear();
  for (const toml::node& item : *a) {
    if (!item.is_string()) return type_error(source, item, key, "an array of strings");
    out.push_back(item.as_string()->get());
  }
  return {};
}

Status known_keys(const toml::table& t, std::string_view source,
                  std::initializer_list<std::string_view> known, std::string_view what) {
  for (const auto& [key, node] : t) {
    if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
      // Point at the key, not at its value: the key is what is wrong.
      const auto& at = key.source().begin;
      std::string place = at ? fmt::format("{}:{}:{}", source, at.line, at.column)
                             : where(source, node);
      return make_error("{}: unknown key '{}' in {}", place, key.str(), what);
    }
  }
  return {};
}

Result<toml::table> parse(std::string_view text, std::string_view source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    return make_error("{}:{}:{}: {}", source, b.line, b.column, e.description());
  }
}

}  // namespace leakgate::toml_util
