#include "engine/scanner.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>

#include "engine/matcher.h"

using namespace leakgate;

namespace {

rules::Rule rule(std::string id, std::string pattern, std::vector<std::string> keywords,
                 rules::Confidence confidence = rules::Confidence::medium, double entropy = 0) {
  rules::Rule r;
  r.id = std::move(id);
  r.pattern = std::move(pattern);
  r.keywords = std::move(keywords);
  r.confidence = confidence;
  r.entropy = entropy;
  r.origin = "test";
  return r;
}

// A secret of the form `key-` + 12 lower-case letters and digits.
rules::Rule key_rule() { return rule("key", R"(\b(key-[a-z0-9]{12})\b)", {"key-"}); }

struct Scanned {
  std::unique_ptr<engine::Matcher> matcher;  // findings point at its rules
  std::vector<engine::Finding> found;
  std::vector<std::pair<std::string, std::string>> suppressed;  // secret, reason
};

// Scans `text` at `path` with `rules` and the given allowlist and ignores.
Scanned scan(std::vector<rules::Rule> rules, std::string_view text, std::string_view path = "f.txt",
             rules::Allowlist allow = {}, std::vector<engine::Ignore> ignores = {},
             std::vector<engine::LineRange> only_lines = {}) {
  Scanned out;
  out.matcher = std::make_unique<engine::Matcher>(std::move(rules));
  auto scanner = engine::Scanner::create(*out.matcher, allow, std::move(ignores));
  REQUIRE(scanner.ok());
  engine::SuppressedFn on_suppressed = [&](engine::Finding&& f, std::string_view reason) {
    out.suppressed.emplace_back(f.secret, std::string(reason));
  };
  engine::Chunk chunk{text, path, std::move(only_lines)};
  Status s = scanner->scan(
      chunk, [&](engine::Finding&& f) { out.found.push_back(std::move(f)); }, &on_suppressed);
  REQUIRE(s.ok());
  return out;
}

const std::string kKey = "key-q8w7e6r5t4y3";
const std::string kKey2 = "key-m1n2b3v4c5x6";

}  // namespace

TEST_CASE("a finding carries rule, secret, path, 1-based line and byte column") {
  auto r = scan({key_rule()}, "first\nsecond\n  k = \"" + kKey + "\"\n", "src/a.py");
  REQUIRE(r.found.size() == 1);
  const engine::Finding& f = r.found[0];
  CHECK(f.rule->id == "key");
  CHECK(f.secret == kKey);
  CHECK(f.path == "src/a.py");
  CHECK(f.line == 3);
  CHECK(f.column == 8);
  CHECK(f.line_text == "  k = \"" + kKey + "\"");
  CHECK(f.fingerprint == engine::fingerprint("key", kKey));
  CHECK_FALSE(f.from_history);
}

TEST_CASE("the column counts bytes, not characters") {
  auto r = scan({key_rule()}, "\xc3\xa9\xc3\xa9 " + kKey);  // "éé " is five bytes
  REQUIRE(r.found.size() == 1);
  CHECK(r.found[0].column == 6);
}

TEST_CASE("a carriage return is not part of the finding's line text") {
  auto r = scan({key_rule()}, "x\r\nk=" + kKey + "\r\nz\r\n");
  REQUIRE(r.found.size() == 1);
  CHECK(r.found[0].line == 2);
  CHECK(r.found[0].column == 3);
  CHECK(r.found[0].line_text == "k=" + kKey);
}

TEST_CASE("a very long line is clipped around the secret") {
  std::string text = std::string(1000, 'a') + " " + kKey + " " + std::string(1000, 'b');
  auto r = scan({key_rule()}, text);
  REQUIRE(r.found.size() == 1);
  CHECK(r.found[0].column == 1002);
  CHECK(r.found[0].line_text.size() == 240);
  CHECK(r.found[0].line_text.find(kKey) == 60);
}

TEST_CASE("findings come in offset order across rules") {
  auto r =
      scan({rule("b", R"(\b(bbb-[0-9]{4}))", {"bbb-"}), key_rule()}, kKey + " bbb-7391\n" + kKey2);
  REQUIRE(r.found.size() == 3);
  CHECK(r.found[0].secret == kKey);
  CHECK(r.found[1].secret == "bbb-7391");
  CHECK(r.found[2].secret == kKey2);
  CHECK(r.found[2].line == 2);
}

TEST_CASE("the fingerprint depends on rule and secret only") {
  auto r = scan({key_rule()}, kKey + "\n\n\n   " + kKey + "\n" + kKey2);
  REQUIRE(r.found.size() == 3);
  CHECK(r.found[0].fingerprint == r.found[1].fingerprint);
  CHECK(r.found[0].fingerprint != r.found[2].fingerprint);
  CHECK(r.found[0].fingerprint.size() == 24);
  CHECK(engine::fingerprint("key", kKey) != engine::fingerprint("other", kKey));
  CHECK(engine::fingerprint("ab", "c") != engine::fingerprint("a", "bc"));
}

TEST_CASE("a secret below the rule's minimum entropy is dropped as low entropy") {
  rules::Rule r = rule("e", R"(\b(tok_[a-z0-9]{12})\b)", {"tok_"}, rules::Confidence::medium, 3.0);
  auto low = scan({r}, "tok_abababababab");  // the secret's entropy: about 2.06 bits
  CHECK(low.found.empty());
  REQUIRE(low.suppressed.size() == 1);
  CHECK(low.suppressed[0] ==
        std::pair<std::string, std::string>{"tok_abababababab", "low entropy"});

  auto high = scan({r}, "tok_q8w7e6r5t4y3");
  REQUIRE(high.found.size() == 1);
  CHECK(high.found[0].secret == "tok_q8w7e6r5t4y3");
}

TEST_CASE("an obvious placeholder is dropped with its reason") {
  rules::Rule r = rule("v", R"(value=(\S+))", {"value="});
  auto out =
      scan({r}, "value=${API_TOKEN}\nvalue=aaaaaaaa\nvalue=your_token_here\nvalue=k9Qz2xLw\n");
  REQUIRE(out.found.size() == 1);
  CHECK(out.found[0].secret == "k9Qz2xLw");
  REQUIRE(out.suppressed.size() == 3);
  CHECK(out.suppressed[0].second == "template syntax");
  CHECK(out.suppressed[1].second == "repeated characters");
  CHECK(out.suppressed[2].second == "placeholder word");
}

TEST_CASE("the configuration's path allowlist drops findings in matching paths") {
  rules::Allowlist allow;
  allow.paths = {"tests/data/**", "*.snap"};
  CHECK(scan({key_rule()}, kKey, "tests/data/x/fixture.txt", allow).found.empty());
  CHECK(scan({key_rule()}, kKey, "ui/__snapshots__/a.snap", allow).found.empty());
  CHECK(scan({key_rule()}, kKey, "tests/database.txt", allow).found.size() == 1);
  CHECK(scan({key_rule()}, kKey, "src/a.txt", allow).found.size() == 1);

  auto r = scan({key_rule()}, kKey, "tests/data/f.txt", allow);
  REQUIRE(r.suppressed.size() == 1);
  CHECK(r.suppressed[0].second == "allowlisted path");
}

TEST_CASE("path_allowed answers for the configuration's paths and never for an empty path") {
  engine::Matcher matcher({key_rule()});
  rules::Allowlist allow;
  allow.paths = {"**"};
  auto scanner = engine::Scanner::create(matcher, allow);
  REQUIRE(scanner.ok());
  CHECK(scanner->path_allowed("anything/at/all"));
  CHECK_FALSE(scanner->path_allowed(""));
}

TEST_CASE("secret, line and stopword allowlists each drop what they match") {
  rules::Allowlist allow;
  allow.secrets = {"^key-0{4}"};
  allow.lines = {"fixture"};
  allow.stopwords = {"TEST"};
  auto r = scan({key_rule()},
                "a key-0000q8w7e6r5\n"  // secret pattern
                "b " +
                    kKey +
                    " # fixture\n"          // line pattern
                    "c key-a1test2b3c4d\n"  // stopword, case-insensitive
                    "d " +
                    kKey2 + "\n",
                "f.txt", allow);
  REQUIRE(r.found.size() == 1);
  CHECK(r.found[0].secret == kKey2);
  REQUIRE(r.suppressed.size() == 3);
  CHECK(r.suppressed[0].second == "allowlisted secret");
  CHECK(r.suppressed[1].second == "allowlisted line");
  CHECK(r.suppressed[2].second == "stopword");
}

TEST_CASE("a rule's own allowlist applies to that rule only") {
  rules::Rule own = key_rule();
  own.allow.stopwords = {"q8w7"};
  rules::Rule other = rule("other", R"(\b(oth-[a-z0-9]{12})\b)", {"oth-"});
  auto r = scan({own, other}, kKey + " oth-q8w7e6r5t4y3");
  REQUIRE(r.found.size() == 1);
  CHECK(r.found[0].rule->id == "other");
  REQUIRE(r.suppressed.size() == 1);
  CHECK(r.suppressed[0] == std::pair<std::string, std::string>{kKey, "stopword"});
}

TEST_CASE("an allowlist pattern that does not compile fails Scanner::create") {
  engine::Matcher matcher({key_rule()});
  rules::Allowlist allow;
  allow.secrets = {"(unclosed"};
  auto scanner = engine::Scanner::create(matcher, allow);
  REQUIRE_FALSE(scanner.ok());
  CHECK_THAT(scanner.error().message,
             Catch::Contains("(unclosed") && Catch::Contains("does not compile"));
}

TEST_CASE("leakgate:allow on a secret's line drops it") {
  auto r = scan({key_rule()}, "a = '" + kKey + "'  # leakgate:allow\nb = '" + kKey2 + "'\n");
  REQUIRE(r.found.size() == 1);
  CHECK(r.found[0].secret == kKey2);
  REQUIRE(r.suppressed.size() == 1);
  CHECK(r.suppressed[0].second == "inline allow comment");
}

TEST_CASE("leakgate:allow-next-line drops the next line's secret only") {
  auto r =
      scan({key_rule()}, "# leakgate:allow-next-line\na = '" + kKey + "'\nb = '" + kKey2 + "'\n");
  REQUIRE(r.found.size() == 1);
  CHECK(r.found[0].secret == kKey2);
  CHECK(r.found[0].line == 3);
}

TEST_CASE("leakgate:allow-next-line does not allow its own line") {
  auto r = scan({key_rule()}, "a = '" + kKey + "'  # leakgate:allow-next-line\n" + kKey2 + "\n");
  REQUIRE(r.found.size() == 1);
  CHECK(r.found[0].secret == kKey);
}

TEST_CASE("leakgate:allow-next-line on the first line of a file covers the second") {
  auto r = scan({key_rule()}, "// leakgate:allow-next-line\n" + kKey);
  CHECK(r.found.empty());
}

TEST_CASE("leakgate:allow-next-line does not reach past an empty line") {
  auto r = scan({key_rule()}, "# leakgate:allow-next-line\n\n" + kKey + "\n");
  REQUIRE(r.found.size() == 1);
  CHECK(r.found[0].line == 3);
}

TEST_CASE("gitleaks and detect-secrets markers are honoured too") {
  auto r = scan({key_rule()}, kKey + " # gitleaks:allow\n" + kKey2 +
                                  " # pragma: allowlist secret\n"
                                  "# pragma: allowlist nextline secret\nx " +
                                  kKey + "\n");
  CHECK(r.found.empty());
  CHECK(r.suppressed.size() == 3);
}

TEST_CASE("an ignored fingerprint drops the secret, anywhere or only under its path") {
  std::string fp = engine::fingerprint("key", kKey);
  CHECK(scan({key_rule()}, kKey, "a/b.txt", {}, {{fp, ""}}).found.empty());
  CHECK(scan({key_rule()}, kKey, "docs/x.md", {}, {{fp, "docs/**"}}).found.empty());
  CHECK(scan({key_rule()}, kKey, "src/x.md", {}, {{fp, "docs/**"}}).found.size() == 1);
  auto other = scan({key_rule()}, kKey2, "a/b.txt", {}, {{fp, ""}});
  REQUIRE(other.found.size() == 1);
  auto r = scan({key_rule()}, kKey, "a/b.txt", {}, {{fp, ""}});
  REQUIRE(r.suppressed.size() == 1);
  CHECK(r.suppressed[0].second == "ignored fingerprint");
}

TEST_CASE("where secrets overlap, the more confident rule wins whatever the rule order") {
  rules::Rule generic = rule("generic", R"(token=(\S{16,}))", {"token="}, rules::Confidence::low);
  rules::Rule specific = key_rule();
  specific.confidence = rules::Confidence::high;
  for (bool specific_first : {true, false}) {
    std::vector<rules::Rule> rs = specific_first ? std::vector<rules::Rule>{specific, generic}
                                                 : std::vector<rules::Rule>{generic, specific};
    auto r = scan(rs, "token=" + kKey + "\n");
    INFO("specific first: " << specific_first);
    REQUIRE(r.found.size() == 1);
    CHECK(r.found[0].rule->id == "key");
    REQUIRE(r.suppressed.size() == 1);
    CHECK(r.suppressed[0] ==
          std::pair<std::string, std::string>{kKey, "overlaps a finding of a more specific rule"});
  }
}

TEST_CASE("where overlapping rules are equally confident, the earlier rule wins") {
  rules::Rule a = rule("a", R"(\b(key-[a-z0-9]{12}))", {"key-"});
  rules::Rule b = rule("b", R"(\b(key-[a-z0-9]{8}))", {"key-"});
  auto ab = scan({a, b}, kKey);
  REQUIRE(ab.found.size() == 1);
  CHECK(ab.found[0].rule->id == "a");
  auto ba = scan({b, a}, kKey);
  REQUIRE(ba.found.size() == 1);
  CHECK(ba.found[0].rule->id == "b");
  CHECK(ba.found[0].secret == "key-q8w7e6r5");
}

TEST_CASE("secrets that touch without overlapping are both reported") {
  rules::Rule a = rule("a", R"((aaa-[0-9]{4}))", {"aaa-"}, rules::Confidence::high);
  rules::Rule b = rule("b", R"((bbb-[0-9]{4}))", {"bbb-"}, rules::Confidence::low);
  auto r = scan({a, b}, "aaa-1234bbb-5678");
  REQUIRE(r.found.size() == 2);
  CHECK(r.found[0].secret == "aaa-1234");
  CHECK(r.found[1].secret == "bbb-5678");
  CHECK(r.found[1].column == 9);
}

TEST_CASE("a filtered candidate does not shadow an overlapping finding of another rule") {
  rules::Rule specific = key_rule();
  specific.confidence = rules::Confidence::high;
  specific.allow.stopwords = {"q8w7"};
  rules::Rule generic = rule("generic", R"(token=(\S{16,}))", {"token="}, rules::Confidence::low);
  auto r = scan({specific, generic}, "token=" + kKey);
  REQUIRE(r.found.size() == 1);
  CHECK(r.found[0].rule->id == "generic");
}

TEST_CASE("with only_lines, secrets on other lines are not candidates at all") {
  std::string text = kKey + "\nplain\n" + kKey2 + "\nkey-z9y8x7w6v5u4\n";
  auto r = scan({key_rule()}, text, "f.txt", {}, {}, {{2, 3}});
  REQUIRE(r.found.size() == 1);
  CHECK(r.found[0].secret == kKey2);
  CHECK(r.found[0].line == 3);
  CHECK(r.suppressed.empty());

  auto several = scan({key_rule()}, text, "f.txt", {}, {}, {{1, 1}, {4, 4}});
  REQUIRE(several.found.size() == 2);
  CHECK(several.found[0].line == 1);
  CHECK(several.found[1].line == 4);
}

TEST_CASE("with only_lines, a secret spanning lines counts when any of its lines is added") {
  rules::Rule multi = rule("multi", R"((BEGIN\n[a-z0-9]{8}\nEND))", {"begin"});
  multi.context = 32;  // the match reaches beyond its keyword's line
  std::string text = "x\nBEGIN\nq8w7e6r5\nEND\ny\n";
  auto last = scan({multi}, text, "f.txt", {}, {}, {{4, 4}});
  REQUIRE(last.found.size() == 1);
  CHECK(last.found[0].line == 2);
  CHECK(scan({multi}, text, "f.txt", {}, {}, {{3, 3}}).found.size() == 1);
  CHECK(scan({multi}, text, "f.txt", {}, {}, {{1, 1}, {5, 5}}).found.empty());
}

TEST_CASE("the inline allow still reads the line before an added line outside only_lines") {
  std::string text = "# leakgate:allow-next-line\n" + kKey + "\n";
  auto r = scan({key_rule()}, text, "f.txt", {}, {}, {{2, 2}});
  CHECK(r.found.empty());
}

TEST_CASE("inline_allowed reads the markers") {
  CHECK(engine::inline_allowed("x  # leakgate:allow", ""));
  CHECK(engine::inline_allowed("x", "# leakgate:allow-next-line"));
  CHECK_FALSE(engine::inline_allowed("x # leakgate:allow-next-line", ""));
  CHECK_FALSE(engine::inline_allowed("x", "# leakgate:allow"));
  CHECK_FALSE(engine::inline_allowed("x", ""));
  CHECK(engine::inline_allowed("x // gitleaks:allow", ""));
  CHECK(engine::inline_allowed("x # pragma: allowlist secret", ""));
  CHECK(engine::inline_allowed("x", "# pragma: allowlist nextline secret"));
}

// Regression (bench/adversarial): the inline-comment test and the line allowlists searched the
// whole line once for each match on it, so one minified line of 20,000 secrets took minutes.
TEST_CASE("a huge line of many secrets is filtered in linear time, every filter still applied") {
  std::uint32_t seed = 1;
  auto keys = [&](int n, const std::string& tail) {
    const char* alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string line;
    for (int i = 0; i < n; ++i) {
      line += "a=key-";
      for (int c = 0; c < 12; ++c) {
        seed = seed * 1664525u + 1013904223u;
        line += alphabet[(seed >> 16) % 36];
      }
      line += ' ';
    }
    return line + tail;
  };
  std::string text = "first\n" + keys(20'000, "\n");
  auto start = std::chrono::steady_clock::now();
  auto r = scan({key_rule()}, text);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  CHECK(r.found.size() == 20'000);

  SECTION("an inline allow at the end of the line covers every secret on it") {
    auto allowed = scan({key_rule()}, "first\n" + keys(2'000, "// leakgate:allow\n" + kKey + "\n"));
    CHECK(allowed.suppressed.size() == 2'000);
    REQUIRE(allowed.found.size() == 1);
    CHECK(allowed.found[0].line == 3);
  }
  SECTION("the configuration's and the rule's line allowlists are each asked about the line") {
    rules::Allowlist config_allow;
    config_allow.lines = {"config-fixture$"};
    rules::Rule own = key_rule();
    own.allow.lines = {"^rule-fixture"};
    auto listed = scan({own}, keys(500, "config-fixture\n") + "rule-fixture " + keys(500, "\n") +
                                  keys(3, "\n"),
                       "f.txt", config_allow);
    CHECK(listed.found.size() == 3);
    REQUIRE(listed.suppressed.size() == 1'000);
    CHECK(listed.suppressed.front().second == "allowlisted line");
    CHECK(listed.suppressed.back().second == "allowlisted line");
  }
}
