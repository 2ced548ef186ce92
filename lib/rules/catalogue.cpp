#include "rules/catalogue.h"

#include <algorithm>

#include <re2/re2.h>

#include "rules/toml_util.h"

namespace leakgate::rules {

std::string_view to_string(Confidence c) {
  switch (c) {
    case Confidence::low: return "low";
    case Confidence::medium: return "medium";
    case Confidence::high: return "high";
  }
  return "medium";
}

std::optional<Confidence> parse_confidence(std::string_view s) {
  if (s == "low") return Confidence::low;
  if (s == "medium") return Confidence::medium;
  if (s == "high") return Confidence::high;
  return std::nullopt;
}

namespace {

using toml_util::get;
using toml_util::where;

Result<std::vector<Example>> parse_examples(const toml::table& t, std::string_view key,
                                            std::string_view source) {
  std::vector<Example> out;
  const toml::node* n = t.get(key);
  if (!n) return out;
  const toml::array* a = n->as_array();
  if (!a) return make_error("{}: '{}' must be an array", where(source, *n), key);
  for (const toml::node& item : *a) {
    if (item.is_string()) {
      out.push_back({item.as_string()->get(), std::nullopt});
      continue;
    }
    const toml::table* et = item.as_table();
    if (!et) {
      return make_error("{}: '{}' entries must be strings or {{ text, secret }} tables",
                        where(source, item), key);
    }
    LEAKGATE_TRY(toml_util::known_keys(*et, source, {"text", "secret"}, "an example"));
    Example e;
    std::string secret;
    LEAKGATE_TRY(get(*et, "text", source, e.text));
    LEAKGATE_TRY(get(*et, "secret", source, secret));
    if (e.text.empty()) return make_error("{}: an example needs 'text'", where(source, item));
    if (!secret.empty()) e.secret = secret;
    out.push_back(std::move(e));
  }
  return out;
}

// Compiles each pattern of t[key] (already read as strings) so that a bad one is reported
// here, where its file, line and column are known; the scanner compiles them again to use them.
Status check_patterns(const toml::table& t, std::string_view key, std::string_view source) {
  const toml::array* a = t.get_as<toml::array>(key);
  if (!a) return {};
  RE2::Options opt;
  opt.set_encoding(RE2::Options::EncodingLatin1);
  opt.set_log_errors(false);
  for (const toml::node& item : *a) {
    const std::string& pattern = item.as_string()->get();
    RE2 re(pattern, opt);
    if (!re.ok()) {
      return make_error("{}: allowlist pattern '{}' does not compile: {}", where(source, item),
                        pattern, re.error());
    }
  }
  return {};
}

}  // namespace

Status parse_allowlist(const toml::table& t, std::string_view source, Allowlist& out) {
  LEAKGATE_TRY(toml_util::known_keys(t, source, {"paths", "secrets", "lines", "stopwords"},
                                     "an allowlist"));
  LEAKGATE_TRY(get(t, "paths", source, out.paths));
  LEAKGATE_TRY(get(t, "secrets", source, out.secrets));
  LEAKGATE_TRY(get(t, "lines", source, out.lines));
  LEAKGATE_TRY(get(t, "stopwords", source, out.stopwords));
  LEAKGATE_TRY(check_patterns(t, "secrets", source));
  LEAKGATE_TRY(check_patterns(t, "lines", source));
  return {};
}

namespace {

Result<Rule> parse_rule(const toml::table& t, std::string_view source) {
  LEAKGATE_TRY(toml_util::known_keys(
      t, source,
      {"id", "name", "pattern", "keywords", "entropy", "confidence", "context", "references",
       "remediation", "examples", "negative_examples", "allow"},
      "a rule"));
  Rule r;
  r.origin = where(source, t);
  LEAKGATE_TRY(get(t, "id", source, r.id));
  if (r.id.empty()) return make_error("{}: a rule needs an 'id'", r.origin);
  const std::string who = fmt::format("{}: rule '{}'", r.origin, r.id);
  LEAKGATE_TRY(get(t, "name", source, r.name));
  LEAKGATE_TRY(get(t, "pattern", source, r.pattern));
  LEAKGATE_TRY(get(t, "keywords", source, r.keywords));
  LEAKGATE_TRY(get(t, "entropy", source, r.entropy));
  LEAKGATE_TRY(get(t, "context", source, r.context));
  LEAKGATE_TRY(get(t, "references", source, r.references));
  LEAKGATE_TRY(get(t, "remediation", source, r.remediation));
  std::string confidence = "medium";
  LEAKGATE_TRY(get(t, "confidence", source, confidence));
  auto c = parse_confidence(confidence);
  if (!c) return make_error("{}: confidence must be high, medium or low", who);
  r.confidence = *c;
  auto examples = parse_examples(t, "examples", source);
  if (!examples) return examples.error();
  r.examples = std::move(*examples);
  LEAKGATE_TRY(get(t, "negative_examples", source, r.negative_examples));
  if (const toml::node* allow = t.get("allow")) {
    if (!allow->is_table()) return make_error("{}: 'allow' must be a table", who);
    LEAKGATE_TRY(parse_allowlist(*allow->as_table(), source, r.allow));
  }
  if (r.pattern.empty()) return make_error("{}: needs a 'pattern'", who);
  if (r.keywords.empty()) {
    return make_error("{}: needs at least one entry in 'keywords' (the prefilter runs a rule "
                      "only where one of its keywords occurs)", who);
  }
  for (const auto& k : r.keywords) {
    if (k.empty()) return make_error("{}: keywords must not be empty strings", who);
  }
  if (r.entropy < 0 || r.entropy > 8) return make_error("{}: entropy must be 0 to 8", who);
  if (r.name.empty()) r.name = r.id;
  return r;
}

}  // namespace

Result<Catalogue> Catalogue::from_toml(const toml::array& rules, std::string_view source) {
  Catalogue c;
  for (const toml::node& n : rules) {
    const toml::table* t = n.as_table();
    if (!t) return make_error("{}: 'rules' must be an array of tables", where(source, n));
    auto r = parse_rule(*t, source);
    if (!r) return r.error();
    Catalogue one;
    one.rules_.push_back(std::move(*r));
    LEAKGATE_TRY(c.add(std::move(one)));
  }
  return c;
}

Result<Catalogue> Catalogue::parse(std::string_view toml_text, std::string_view source) {
  auto doc = toml_util::parse(toml_text, source);
  if (!doc) return doc.error();
  LEAKGATE_TRY(toml_util::known_keys(*doc, source, {"rules"}, "a rule file"));
  const toml::node* rules = doc->get("rules");
  if (!rules) return Catalogue{};
  if (!rules->is_array()) {
    return make_error("{}: 'rules' must be an array of tables ([[rules]])", where(source, *rules));
  }
  return from_toml(*rules->as_array(), source);
}

Result<Catalogue> Catalogue::builtin() {
  Catalogue all;
  for (const EmbeddedFile& f : builtin_rule_files()) {
    auto c = parse(f.text, fmt::format("builtin:{}", f.name));
    if (!c) return c.error();
    LEAKGATE_TRY(all.add(std::move(*c)));
  }
  return all;
}

const Rule* Catalogue::find(std::string_view id) const {
  auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Rule& r) { return r.id == id; });
  return it == rules_.end() ? nullptr : &*it;
}

Rule* Catalogue::find(std::string_view id) {
  return const_cast<Rule*>(std::as_const(*this).find(id));
}

Status Catalogue::add(Catalogue other) {
  for (Rule& r : other.rules_) {
    if (const Rule* prev = find(r.id)) {
      return make_error("{}: duplicate rule id '{}' (first defined at {})", r.origin, r.id,
                        prev->origin);
    }
    rules_.push_back(std::move(r));
  }
  return {};
}

Status Catalogue::disable(const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Rule& r) { return r.id == id; });
    if (it == rules_.end()) return make_error("cannot disable unknown rule '{}'", id);
    rules_.erase(it);
  }
  return {};
}

}  // namespace leakgate::rules
