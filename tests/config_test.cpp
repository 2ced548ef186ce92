#include "config/config.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "support/temp_repo.h"

using namespace leakgate;

namespace {

config::Config parse_ok(std::string_view text) {
  auto c = config::parse(text, ".leakgate.toml");
  INFO((c ? std::string() : c.error().message));
  REQUIRE(c.ok());
  return std::move(*c);
}

std::string parse_error(std::string_view text) {
  auto c = config::parse(text, ".leakgate.toml");
  REQUIRE_FALSE(c.ok());
  return c.error().message;
}

bool has_rule(const rules::Catalogue& c, std::string_view id) { return c.find(id) != nullptr; }

const char* kOwnRule = R"(
[[rules]]
id = "acme-key"
name = "Acme key"
pattern = '''\b(acme_[a-z0-9]{16})\b'''
keywords = ["acme_"]
)";

}  // namespace

TEST_CASE("an empty configuration is the defaults") {
  config::Config c = parse_ok("");
  CHECK(c.source == ".leakgate.toml");
  CHECK(c.extend);
  CHECK(c.disable.empty());
  CHECK(c.max_file_size == std::size_t(64) << 20);
  CHECK(c.allow.empty());
  CHECK(c.ignores.empty());
  CHECK(c.overrides.empty());
  CHECK(c.rules.rules().empty());
}

TEST_CASE("a full configuration is read into every field") {
  config::Config c = parse_ok(R"(
extend = false
disable = ["acme-key"]
max_file_size = "10MB"

[allow]
paths = ["tests/data/**", "*.snap"]
secrets = ['^AKIA[0-9A-Z]{12}TEST$']
lines = ['fixture']
stopwords = ["dummy"]

[[ignore]]
fingerprint = "0a1b2c3d4e5f60718293a4b5"
path = "docs/**"
reason = "rotated in 2024"

[[ignore]]
fingerprint = "ffffffffffffffffffffffff"

[override.acme-key]
entropy = 4.2
confidence = "low"
allow = { stopwords = ["localhost"] }
)" + std::string(kOwnRule));
  CHECK_FALSE(c.extend);
  CHECK(c.disable == std::vector<std::string>{"acme-key"});
  CHECK(c.max_file_size == 10u << 20);
  CHECK(c.allow.paths == std::vector<std::string>{"tests/data/**", "*.snap"});
  CHECK(c.allow.secrets == std::vector<std::string>{"^AKIA[0-9A-Z]{12}TEST$"});
  CHECK(c.allow.lines == std::vector<std::string>{"fixture"});
  CHECK(c.allow.stopwords == std::vector<std::string>{"dummy"});
  REQUIRE(c.ignores.size() == 2);
  CHECK(c.ignores[0].fingerprint == "0a1b2c3d4e5f60718293a4b5");
  CHECK(c.ignores[0].path == "docs/**");
  CHECK(c.ignores[1].fingerprint == "ffffffffffffffffffffffff");
  CHECK(c.ignores[1].path.empty());
  REQUIRE(c.overrides.count("acme-key") == 1);
  const config::Override& o = c.overrides.at("acme-key");
  CHECK(o.entropy == 4.2);
  CHECK(o.confidence == rules::Confidence::low);
  CHECK(o.allow.stopwords == std::vector<std::string>{"localhost"});
  REQUIRE(c.rules.rules().size() == 1);
  const rules::Rule& r = c.rules.rules()[0];
  CHECK(r.id == "acme-key");
  CHECK(r.name == "Acme key");
  CHECK(r.pattern == R"(\b(acme_[a-z0-9]{16})\b)");
  CHECK(r.keywords == std::vector<std::string>{"acme_"});
  CHECK(r.origin == ".leakgate.toml:25:1");
}

TEST_CASE("max_file_size takes a size or a byte count") {
  CHECK(parse_ok("max_file_size = 1000").max_file_size == 1000);
  CHECK(parse_ok("max_file_size = \"512k\"").max_file_size == 512 * 1024);
  CHECK(parse_error("max_file_size = \"lots\"") ==
        ".leakgate.toml:1:17: max_file_size must be a size such as \"64MB\" or a byte count");
  CHECK(parse_error("max_file_size = -1") ==
        ".leakgate.toml:1:17: 'max_file_size' must be a non-negative integer");
}

TEST_CASE("a syntax error names file, line and column") {
  CHECK_THAT(parse_error("extend = true\n\nallow = [\"a\" \"b\"]\n"),
             Catch::StartsWith(".leakgate.toml:3:14: "));
  CHECK_THAT(parse_error("extend = tru\n"), Catch::StartsWith(".leakgate.toml:1:13: "));
}

TEST_CASE("an unknown key's error names it and points at the key, not at its value") {
  CHECK(parse_error("extend = true\ncolour = \"red\"\n") ==
        ".leakgate.toml:2:1: unknown key 'colour' in the configuration");
  CHECK(parse_error("[allow]\npaths = []\npath = [\"x\"]\n") ==
        ".leakgate.toml:3:1: unknown key 'path' in an allowlist");
  CHECK(parse_error("[[ignore]]\nfingerprint = \"ab\"\nglob = \"x\"\n") ==
        ".leakgate.toml:3:1: unknown key 'glob' in an ignore entry");
  CHECK(parse_error("[override.acme-key]\nentropie = 3\n") ==
        ".leakgate.toml:2:1: unknown key 'entropie' in a rule override");
  CHECK(parse_error("[[rules]]\nid = \"x\"\npatern = \"(x)\"\n") ==
        ".leakgate.toml:3:1: unknown key 'patern' in a rule");
}

TEST_CASE("a value of the wrong type names the key and where it is") {
  CHECK(parse_error("extend = \"yes\"") == ".leakgate.toml:1:10: 'extend' must be true or false");
  CHECK(parse_error("disable = \"acme-key\"") ==
        ".leakgate.toml:1:11: 'disable' must be an array of strings");
  CHECK(parse_error("allow = [\"x\"]") == ".leakgate.toml:1:9: 'allow' must be a table");
  CHECK(parse_error("[allow]\npaths = [\"a\", 3]") ==
        ".leakgate.toml:2:15: 'paths' must be an array of strings");
}

TEST_CASE("an ignore entry needs a fingerprint") {
  CHECK(parse_error("[[ignore]]\npath = \"docs/**\"\n") ==
        ".leakgate.toml:1:1: an ignore entry needs a 'fingerprint'");
}

TEST_CASE("an override's confidence must be high, medium or low") {
  CHECK_THAT(parse_error("[override.acme-key]\nconfidence = \"very\"\n"),
             Catch::StartsWith(".leakgate.toml:") &&
                 Catch::EndsWith("confidence must be high, medium or low"));
}

TEST_CASE("an allowlist pattern that does not compile is an error naming file, line and column") {
  CHECK_THAT(parse_error("[allow]\nsecrets = ['ok', '(unclosed']\n"),
             Catch::StartsWith(".leakgate.toml:2:18: ") && Catch::Contains("'(unclosed'") &&
                 Catch::Contains("does not compile"));
  CHECK_THAT(parse_error("[allow]\nlines = ['[z-a]']\n"),
             Catch::StartsWith(".leakgate.toml:2:10: ") && Catch::Contains("does not compile"));
  CHECK_THAT(parse_error("[override.acme-key]\nallow = { secrets = ['a++'] }\n"),
             Catch::StartsWith(".leakgate.toml:2:22: ") && Catch::Contains("does not compile"));
  CHECK_THAT(parse_error(std::string(kOwnRule) + "allow = { lines = ['(?P<x'] }\n"),
             Catch::StartsWith(".leakgate.toml:7:20: ") && Catch::Contains("does not compile"));
}

TEST_CASE("a rule's bad pattern is left for the matcher, which names the rule's place") {
  config::Config c = parse_ok("\n\n[[rules]]\nid = \"bad\"\npattern = '(x'\nkeywords = [\"x\"]\n");
  REQUIRE(c.rules.rules().size() == 1);
  CHECK(c.rules.rules()[0].origin == ".leakgate.toml:3:1");
}

TEST_CASE("a rule needs an id, a pattern and keywords") {
  CHECK(parse_error("[[rules]]\npattern = '(x)'\nkeywords = [\"x\"]\n") ==
        ".leakgate.toml:1:1: a rule needs an 'id'");
  CHECK(parse_error("[[rules]]\nid = \"r\"\nkeywords = [\"x\"]\n") ==
        ".leakgate.toml:1:1: rule 'r': needs a 'pattern'");
  CHECK_THAT(parse_error("[[rules]]\nid = \"r\"\npattern = '(x)'\n"),
             Catch::StartsWith(".leakgate.toml:1:1: rule 'r': needs at least one entry in "
                               "'keywords'"));
}

TEST_CASE("two rules with the same id are an error naming both places") {
  CHECK(parse_error(std::string(kOwnRule) + kOwnRule) ==
        ".leakgate.toml:8:1: duplicate rule id 'acme-key' (first defined at .leakgate.toml:2:1)");
}

TEST_CASE("load reads a file, and a missing file is an error naming it") {
  leakgate::test::TempDir dir;
  std::string path = dir / "conf.toml";
  {
    auto missing = config::load(path);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message ==
          path + ": cannot read configuration: No such file or directory");
  }
  std::FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f);
  std::fputs("[allow]\npaths = [\"x/**\"]\n\nbogus = 1\n", f);
  std::fclose(f);
  auto bad = config::load(path);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == path + ":4:1: unknown key 'bogus' in an allowlist");
}

TEST_CASE("effective rules start from the built-in catalogue and add one's own") {
  auto rules = config::effective_rules(parse_ok(kOwnRule));
  REQUIRE(rules.ok());
  CHECK(has_rule(*rules, "clickup-personal-token"));
  CHECK(has_rule(*rules, "acme-key"));
  CHECK(rules->rules().back().id == "acme-key");
}

TEST_CASE("extend = false drops the built-in rules") {
  auto rules = config::effective_rules(parse_ok(std::string("extend = false\n") + kOwnRule));
  REQUIRE(rules.ok());
  REQUIRE(rules->rules().size() == 1);
  CHECK(rules->rules()[0].id == "acme-key");
}

TEST_CASE("disable removes built-in and own rules, and an unknown id is an error") {
  auto rules = config::effective_rules(
      parse_ok(std::string("disable = [\"clickup-personal-token\", \"acme-key\"]\n") + kOwnRule));
  REQUIRE(rules.ok());
  CHECK_FALSE(has_rule(*rules, "clickup-personal-token"));
  CHECK_FALSE(has_rule(*rules, "acme-key"));
  CHECK(has_rule(*rules, "clickup-oauth-client-secret"));

  auto typo = config::effective_rules(parse_ok("disable = [\"clickup-personal-tokn\"]\n"));
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.error().message == "cannot disable unknown rule 'clickup-personal-tokn'");
}

TEST_CASE("an override tunes a rule and adds to its allowlist") {
  auto rules = config::effective_rules(parse_ok(std::string(kOwnRule) + R"(
[override.acme-key]
entropy = 3.5
confidence = "high"
allow = { stopwords = ["test"], paths = ["docs/**"] }
)"));
  REQUIRE(rules.ok());
  const rules::Rule* r = rules->find("acme-key");
  REQUIRE(r);
  CHECK(r->entropy == 3.5);
  CHECK(r->confidence == rules::Confidence::high);
  CHECK(r->allow.stopwords == std::vector<std::string>{"test"});
  CHECK(r->allow.paths == std::vector<std::string>{"docs/**"});
}

TEST_CASE("an override of an unknown rule is an error") {
  auto rules = config::effective_rules(parse_ok("[override.no-such-rule]\nentropy = 3\n"));
  REQUIRE_FALSE(rules.ok());
  CHECK(rules.error().message == ".leakgate.toml: override of unknown rule 'no-such-rule'");
}

TEST_CASE("an own rule may not reuse a built-in rule's id") {
  auto rules = config::effective_rules(parse_ok(
      "[[rules]]\nid = \"clickup-personal-token\"\npattern = '(x)'\nkeywords = [\"xx\"]\n"));
  REQUIRE_FALSE(rules.ok());
  CHECK_THAT(rules.error().message,
             Catch::StartsWith(".leakgate.toml:1:1: duplicate rule id 'clickup-personal-token'"));
}
