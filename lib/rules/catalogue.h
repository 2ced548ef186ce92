// Catalogue: an ordered set of rules with unique ids, parsed from TOML.
//
//   Result<Catalogue> c = Catalogue::builtin();
//   Status s = c->add(Catalogue::parse(user_text, ".leakgate.toml"));
//   c->disable({"generic-api-key"});
//
// Parsing checks the shape of each rule (required fields, types, known keys); whether the
// patterns compile and the examples hold is engine/lint.h's job, since it needs the engine.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "rules/rule.h"

namespace toml {
inline namespace v3 {
class array;
class table;
}
}  // namespace toml

namespace leakgate::rules {

class Catalogue {
 public:
  Catalogue() = default;

  // Parses a rule file: `[[rules]]` tables. `source` names the file in messages.
  static Result<Catalogue> parse(std::string_view toml_text, std::string_view source);
  // Parses the `[[rules]]` array of an already parsed TOML document.
  static Result<Catalogue> from_toml(const toml::array& rules, std::string_view source);
  // The catalogue embedded in the binary (lib/rules/builtin/*.toml).
  static Result<Catalogue> builtin();

  const std::vector<Rule>& rules() const { return rules_; }
  std::vector<Rule>& rules() { return rules_; }
  const Rule* find(std::string_view id) const;
  Rule* find(std::string_view id);

  // Appends other's rules; a duplicate id is an error naming both places.
  Status add(Catalogue other);
  // Removes rules by id; an unknown id is an error (a typo would silently disable nothing).
  Status disable(const std::vector<std::string>& ids);

 private:
  std::vector<Rule> rules_;
};

// Parses an allowlist table (`paths`, `secrets`, `lines`, `stopwords`); a `secrets` or `lines`
// pattern that does not compile is an error naming its file, line and column.
Status parse_allowlist(const toml::table& t, std::string_view source, Allowlist& out);

// The embedded files, as (name, text) pairs; generated at build time.
struct EmbeddedFile {
  const char* name;
  const char* text;
};
const std::vector<EmbeddedFile>& builtin_rule_files();

}  // namespace leakgate::rules
