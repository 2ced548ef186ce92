#include "config/config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/sha256.h"
#include "base/text.h"
#include "rules/toml_util.h"

namespace leakgate::config {
namespace {

using toml_util::get;
using toml_util::where;

Status parse_ignores(const toml::node& n, std::string_view source, Config& c) {
  const toml::array* a = n.as_array();
  if (!a) return make_error("{}: 'ignore' must be an array of tables ([[ignore]])", where(source, n));
  for (const toml::node& item : *a) {
    const toml::table* t = item.as_table();
    if (!t) return make_error("{}: 'ignore' entries must be tables", where(source, item));
    LEAKGATE_TRY(toml_util::known_keys(*t, source, {"fingerprint", "path", "reason"}, "an ignore entry"));
    engine::Ignore ig;
    std::string reason;
    LEAKGATE_TRY(get(*t, "fingerprint", source, ig.fingerprint));
    LEAKGATE_TRY(get(*t, "path", source, ig.path));
    LEAKGATE_TRY(get(*t, "reason", source, reason));
    if (ig.fingerprint.empty()) {
      return make_error("{}: an ignore entry needs a 'fingerprint'", where(source, item));
    }
    c.ignores.push_back(std::move(ig));
  }
  return {};
}

Status parse_overrides(const toml::node& n, std::string_view source, Config& c) {
  const toml::table* t = n.as_table();
  if (!t) return make_error("{}: 'override' must be a table of rule ids", where(source, n));
  for (const auto& [id, node] : *t) {
    const toml::table* ot = node.as_table();
    if (!ot) return make_error("{}: override.{} must be a table", where(source, node), id.str());
    LEAKGATE_TRY(toml_util::known_keys(*ot, source, {"entropy", "confidence", "allow"},
                                       "a rule override"));
    Override o;
    if (ot->contains("entropy")) {
      double e = 0;
      LEAKGATE_TRY(get(*ot, "entropy", source, e));
      o.entropy = e;
    }
    if (ot->contains("confidence")) {
      std::string s;
      LEAKGATE_TRY(get(*ot, "confidence", source, s));
      o.confidence = rules::parse_confidence(s);
      if (!o.confidence) {
        return make_error("{}: confidence must be high, medium or low", where(source, node));
      }
    }
    if (const toml::node* allow = ot->get("allow")) {
      if (!allow->is_table()) return make_error("{}: 'allow' must be a table", where(source, *allow));
      LEAKGATE_TRY(rules::parse_allowlist(*allow->as_table(), source, o.allow));
    }
    c.overrides[std::string(id.str())] = std::move(o);
  }
  return {};
}

}  // namespace

Result<Config> parse(std::string_view toml_text, std::string_view source) {
  auto doc = toml_util::parse(toml_text, source);
  if (!doc) return doc.error();
  LEAKGATE_TRY(toml_util::known_keys(
      *doc, source,
      {"extend", "disable", "max_file_size", "allow", "ignore", "override", "rules"},
      "the configuration"));
  Config c;
  c.source = std::string(source);
  LEAKGATE_TRY(get(*doc, "extend", source, c.extend));
  LEAKGATE_TRY(get(*doc, "disable", source, c.disable));
  if (const toml::node* n = doc->get("max_file_size")) {
    std::string text;
    if (n->is_integer()) {
      LEAKGATE_TRY(get(*doc, "max_file_size", source, c.max_file_size));
    } else if (n->is_string() && parse_size(n->as_string()->get(), c.max_file_size)) {
    } else {
      return make_error("{}: max_file_size must be a size such as \"64MB\" or a byte count",
                        where(source, *n));
    }
  }
  if (const toml::node* n = doc->get("allow")) {
    if (!n->is_table()) return make_error("{}: 'allow' must be a table", where(source, *n));
    LEAKGATE_TRY(rules::parse_allowlist(*n->as_table(), source, c.allow));
  }
  if (const toml::node* n = doc->get("ignore")) LEAKGATE_TRY(parse_ignores(*n, source, c));
  if (const toml::node* n = doc->get("override")) LEAKGATE_TRY(parse_overrides(*n, source, c));
  if (const toml::node* n = doc->get("rules")) {
    if (!n->is_array()) return make_error("{}: 'rules' must be an array of tables", where(source, *n));
    auto rules = rules::Catalogue::from_toml(*n->as_array(), source);
    if (!rules) return rules.error();
    c.rules = std::move(*rules);
  }
  return c;
}

Result<Config> load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("{}: cannot read configuration: {}", path, std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

Result<rules::Catalogue> effective_rules(const Config& config) {
  rules::Catalogue out;
  if (config.extend) {
    auto builtin = rules::Catalogue::builtin();
    if (!builtin) return builtin.error();
    out = std::move(*builtin);
  }
  LEAKGATE_TRY(out.add(config.rules));
  LEAKGATE_TRY(out.disable(config.disable));
  for (const auto& [id, o] : config.overrides) {
    rules::Rule* r = out.find(id);
    if (!r) return make_error("{}: override of unknown rule '{}'", config.source, id);
    if (o.entropy) r->entropy = *o.entropy;
    if (o.confidence) r->confidence = *o.confidence;
    auto append = [](std::vector<std::string>& to, const std::vector<std::string>& from) {
      to.insert(to.end(), from.begin(), from.end());
    };
    append(r->allow.paths, o.allow.paths);
    append(r->allow.secrets, o.allow.secrets);
    append(r->allow.lines, o.allow.lines);
    append(r->allow.stopwords, o.allow.stopwords);
  }
  return out;
}

namespace {

void feed(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}

void feed(std::string& out, const std::vector<std::string>& list) {
  out += std::to_string(list.size());
  out += '[';
  for (const auto& s : list) feed(out, s);
}

void feed(std::string& out, const rules::Allowlist& a) {
  feed(out, a.paths);
  feed(out, a.secrets);
  feed(out, a.lines);
  feed(out, a.stopwords);
}

}  // namespace

std::string ruleset_digest(const std::vector<rules::Rule>& rules, const Config& config,
                           std::string_view version) {
  std::string in;
  feed(in, version);
  for (const rules::Rule& r : rules) {
    feed(in, r.id);
    feed(in, r.pattern);
    feed(in, r.keywords);
    feed(in, fmt::format("{}/{}/{}", r.entropy, int(r.confidence), r.context));
    feed(in, r.allow);
  }
  feed(in, config.allow);
  for (const auto& i : config.ignores) {
    feed(in, i.fingerprint);
    feed(in, i.path);
  }
  return sha256_hex(in);
}

}  // namespace leakgate::config
