// The reports: every format, redaction everywhere (the line snippet too), the report file, the
// summary. Unit tests drive the sinks directly; end-to-end tests run the real binary.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/matcher.h"
#include "engine/scanner.h"
#include "report/redact.h"
#include "report/sink.h"
#include "support/findings.h"
#include "support/planted.h"
#include "support/temp_repo.h"

using namespace leakgate;
using namespace leakgate::test;
namespace fs = std::filesystem;

namespace {

// What a sink wrote, captured in memory.
class Capture {
 public:
  Capture() : file_(open_memstream(&data_, &size_)) { REQUIRE(file_); }
  ~Capture() {
    if (file_) std::fclose(file_);
    std::free(data_);
  }
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return std::string(data_, size_);
  }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* file_;
};

rules::Rule key_rule(std::size_t context = 0) {
  rules::Rule r;
  r.id = "key";
  r.name = "Test key";
  r.pattern = R"(\b(key-[a-z0-9]{12})\b)";
  r.keywords = {"key-"};
  r.confidence = rules::Confidence::high;
  r.context = context;
  r.remediation = "Rotate the test key.";
  r.origin = "test";
  return r;
}

const std::string kKey = "key-q8w7e6r5t4y3";
const std::string kKey2 = "key-m1n2b3v4c5x6";

struct Scanned {
  std::unique_ptr<engine::Matcher> matcher;  // the findings point at its rules
  std::vector<engine::Finding> found;
};

Scanned scan(std::vector<rules::Rule> rules, std::string_view text, rules::Allowlist allow = {}) {
  Scanned out{std::make_unique<engine::Matcher>(std::move(rules)), {}};
  auto scanner = engine::Scanner::create(*out.matcher, allow);
  REQUIRE(scanner.ok());
  REQUIRE(scanner
              ->scan({text, "f.txt", {}},
                     [&](engine::Finding&& f) { out.found.push_back(std::move(f)); })
              .ok());
  return out;
}

const rules::Rule& test_rule() {
  static const rules::Rule r = key_rule();
  return r;
}

engine::Finding finding(const std::string& secret, const std::string& path, std::size_t line,
                        std::string line_text) {
  engine::Finding f;
  f.rule = &test_rule();
  f.secret = secret;
  f.path = path;
  f.line = line;
  f.line_text = std::move(line_text);
  f.column = f.line_text.find(secret) + 1;
  f.fingerprint = engine::fingerprint(f.rule->id, secret);
  return f;
}

std::string slurp_file(const std::string& path) { return slurp(path); }

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

// --- The snippet: the line without any secret on it --------------------------------------

TEST_CASE("the snippet redacts every secret on the line, not only the finding's own") {
  auto scanned = scan({key_rule()}, "a=" + kKey + " b=" + kKey2 + "\n");
  const auto& found = scanned.found;
  REQUIRE(found.size() == 2);
  for (const auto& f : found) {
    std::string s = report::snippet(f, false);
    CHECK(s == "a=" + report::redact(kKey) + " b=" + report::redact(kKey2));
    CHECK(report::snippet(f, true) == "a=" + kKey + " b=" + kKey2);
  }
}

TEST_CASE("the snippet redacts a secret on the line that a filter dropped") {
  rules::Allowlist allow;
  allow.secrets = {"^key-m1n2"};
  auto scanned = scan({key_rule()}, "a=" + kKey + " b=" + kKey2 + "\n", allow);
  const auto& found = scanned.found;
  REQUIRE(found.size() == 1);
  CHECK(found[0].secret == kKey);
  CHECK(report::snippet(found[0], false).find(kKey2) == std::string::npos);
  CHECK(report::snippet(found[0], false).find("key-m1n2") == std::string::npos);
}

TEST_CASE("the snippet redacts the part of a secret that the clip of a long line cuts") {
  // The line text keeps 240 bytes from 60 before the first key: the second key starts 6 bytes
  // before its end.
  std::string text =
      std::string(1000, 'a') + " " + kKey + " " + std::string(156, 'c') + " " + kKey2 + " end\n";
  auto scanned = scan({key_rule()}, text);
  const auto& found = scanned.found;
  REQUIRE(found.size() == 2);
  const auto& f = found[0];
  REQUIRE(f.line_text.size() == 240);
  REQUIRE(f.line_offset == 941);
  REQUIRE(f.line_text.substr(234) == "key-m1");
  std::string s = report::snippet(f, false);
  CHECK(s.find(kKey) == std::string::npos);
  CHECK(s.find("key-m1") == std::string::npos);
  CHECK_THAT(s, Catch::EndsWith(report::redact("key-m1")));
  // The second finding's own clip starts 60 bytes before it and holds all of it.
  CHECK(report::snippet(found[1], false).find(kKey2) == std::string::npos);
}

TEST_CASE("the snippet redacts the first line of a secret that spans lines") {
  rules::Rule r = key_rule(200);
  r.pattern = R"((BEGIN-[a-z]{4}\n[a-z]{4}-END))";
  r.keywords = {"begin-"};
  auto scanned = scan({r}, "x = BEGIN-abcd\nefgh-END\n");
  const auto& found = scanned.found;
  REQUIRE(found.size() == 1);
  REQUIRE(found[0].line_text == "x = BEGIN-abcd");
  std::string s = report::snippet(found[0], false);
  CHECK(s.find("BEGIN-abcd") == std::string::npos);
  CHECK_THAT(s, Catch::StartsWith("x = "));
}

TEST_CASE("a finding made without spans still has its own secret redacted in the snippet") {
  engine::Finding f = finding(kKey, "a.txt", 1, "x " + kKey + " y " + kKey);
  CHECK(report::snippet(f, false) == "x " + report::redact(kKey) + " y " + report::redact(kKey));
}

// --- Formats ---------------------------------------------------------------------------------

TEST_CASE("parse_format knows every format and to_string names it back") {
  for (const char* name : report::kFormatNames) {
    auto f = report::parse_format(name);
    REQUIRE(f);
    CHECK(report::to_string(*f) == name);
  }
  CHECK_FALSE(report::parse_format("xml"));
}

TEST_CASE("Summary::add counts by rule, by confidence and by reachability") {
  report::Summary s;
  engine::Finding a = finding(kKey, "a", 1, kKey);
  engine::Finding b = finding(kKey, "b", 1, kKey);
  engine::Finding c = finding(kKey2, "c", 1, kKey2);
  c.from_history = true;
  c.origin.reachable = false;
  for (const auto* f : {&a, &b, &c}) s.add(*f);
  CHECK(s.findings == 3);
  CHECK(s.fingerprints.size() == 2);
  CHECK(s.by_rule == std::map<std::string, std::size_t>{{"key", 3}});
  CHECK(s.by_confidence == std::map<std::string, std::size_t>{{"high", 3}});
  CHECK(s.unreachable == 1);
  CHECK(s.reachable == 0);
}

TEST_CASE("text for a terminal groups the places of each secret under it") {
  Capture out, err;
  report::Options o;
  o.grouped = true;
  o.mode = "scan";
  auto sink = report::make_sink(report::Format::text, o, out.file(), err.file());
  report::Summary s;
  for (auto f : {finding(kKey, "a.env", 1, "A=" + kKey), finding(kKey2, "b.env", 2, kKey2),
                 finding(kKey, "c.env", 3, "C=" + kKey)}) {
    s.add(f);
    sink->finding(f);
  }
  CHECK(out.text().empty());  // a group is complete only at the end
  sink->finish(s);
  auto lines = lines_of(out.text());
  REQUIRE(lines.size() == 8);
  CHECK(lines[0] == "key " + report::redact(kKey) + "  (Test key, high confidence, 2 places)");
  CHECK(lines[1] == "  a.env:1:3");
  CHECK(lines[2] == "    A=" + report::redact(kKey));
  CHECK(lines[3] == "  c.env:3:3");
  CHECK(lines[5] == "key " + report::redact(kKey2) + "  (Test key, high confidence, 1 place)");
  CHECK(out.text().find(kKey) == std::string::npos);
  CHECK_THAT(err.text(), Catch::Contains("leakgate scan: 3 secrets"));
  CHECK_THAT(err.text(), Catch::Contains("2 distinct; by rule: key 3; by confidence: high 3"));
}

TEST_CASE("text for a pipe is one plain line per finding, as they come") {
  Capture out, err;
  report::Options o;
  o.mode = "scan";
  auto sink = report::make_sink(report::Format::text, o, out.file(), err.file());
  sink->finding(finding(kKey, "a.env", 1, "A=" + kKey));
  CHECK(out.text() == "a.env:1:3: key: " + report::redact(kKey) + "\n");
  sink->finding(finding(kKey, "b\x1b[2J.env", 4, kKey));
  CHECK_THAT(out.text(), Catch::EndsWith("b\\x1b[2J.env:4:1: key: " + report::redact(kKey) + "\n"));
}

TEST_CASE("the text summary shows each rule's remediation once, and the skipped items") {
  Capture out, err;
  report::Options o;
  o.mode = "history";
  auto sink = report::make_sink(report::Format::text, o, out.file(), err.file());
  report::Summary s;
  for (auto f : {finding(kKey, "a", 1, kKey), finding(kKey2, "b", 1, kKey2)}) {
    f.from_history = true;
    s.add(f);
    sink->finding(f);
  }
  s.stats.skipped = {{"big.bin (0123456789ab)", "larger than 1.0 MB"}, {"x.png", "binary"}};
  sink->finish(s);
  std::string e = err.text();
  CHECK(e.find("Rotate the test key.") == e.rfind("Rotate the test key."));
  CHECK_THAT(e, Catch::Contains("key: Rotate the test key."));
  CHECK_THAT(e, Catch::Contains("2 reachable from a ref, 0 unreachable"));
  CHECK_THAT(e, Catch::Contains("skipped big.bin (0123456789ab): larger than 1.0 MB"));
  CHECK_THAT(e, Catch::Contains("skipped 1 binary file(s)"));
}

TEST_CASE("CSV writes RFC 4180: CRLF, quoted fields, and no formula a spreadsheet would run") {
  Capture out, err;
  report::Options o;
  o.quiet = true;
  auto sink = report::make_sink(report::Format::csv, o, out.file(), err.file());
  sink->finding(finding(kKey, "=HYPERLINK(\"x\"),1.env", 1, "-" + kKey + ", \"q\""));
  sink->finish({});
  auto rows = lines_of(out.text());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] ==
        "rule,name,confidence,path,line,column,secret,redacted,fingerprint,snippet,commit,"
        "author,email,date,blob,reachable\r");
  CHECK_THAT(rows[1], Catch::Contains(",\"'=HYPERLINK(\"\"x\"\"),1.env\",1,2,"));
  CHECK_THAT(rows[1], Catch::Contains(",\"'-" + report::redact(kKey) + ", \"\"q\"\"\","));
  CHECK(out.text().find(kKey) == std::string::npos);
  CHECK(err.text().empty());  // --quiet
}

TEST_CASE("JUnit XML escapes what XML cannot hold and counts one failure per finding") {
  Capture out, err;
  report::Options o;
  o.mode = "scan";
  auto sink = report::make_sink(report::Format::junit, o, out.file(), err.file());
  report::Summary s;
  auto f = finding(kKey, "a<&>\"'\x01.env", 1, "x " + kKey + " \xff");
  s.add(f);
  sink->finding(f);
  s.stats.errors = {"b.env: Permission denied"};
  sink->finish(s);
  std::string x = out.text();
  CHECK_THAT(x, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
  CHECK_THAT(x, Catch::Contains("tests=\"2\" failures=\"1\" errors=\"1\""));
  CHECK_THAT(x, Catch::Contains("name=\"a&lt;&amp;&gt;&quot;&apos;\\x01.env:1:3\""));
  CHECK_THAT(x, Catch::Contains("x " + report::redact(kKey) + " \uFFFD"));
  CHECK_THAT(x,
             Catch::Contains("<error type=\"incomplete\" message=\"b.env: Permission denied\"/>"));
  CHECK(x.find(kKey) == std::string::npos);
  CHECK(x.find('\x01') == std::string::npos);
  CHECK(x.find('\xff') == std::string::npos);
}

TEST_CASE("JUnit XML of a clean scan has one passing test case") {
  Capture out, err;
  report::Options o;
  o.mode = "staged";
  auto sink = report::make_sink(report::Format::junit, o, out.file(), err.file());
  sink->finish({});
  CHECK_THAT(out.text(), Catch::Contains("tests=\"1\" failures=\"0\" errors=\"0\""));
  CHECK_THAT(out.text(),
             Catch::Contains("<testcase classname=\"leakgate\" name=\"no secrets in staged\""));
}

// --- End to end ------------------------------------------------------------------------------

TEST_CASE("no format prints a full secret, on stdout, stderr or in the report, unless asked") {
  TempRepo repo;
  plant(repo);
  stage_more(repo);
  TempDir dir;
  const std::vector<std::vector<std::string>> modes = {{"history"}, {"staged"}, {"scan", "."}};
  for (const char* format : report::kFormatNames) {
    for (const auto& mode : modes) {
      for (bool to_file : {false, true}) {
        std::vector<std::string> args = mode;
        args.insert(args.end(), {"--format", format});
        std::string file = dir / "report.out";
        if (to_file) args.insert(args.end(), {"--report", file});
        fs::remove(file);
        RunResult r = repo.leakgate(args);
        std::string all = r.out + r.err + (to_file ? slurp_file(file) : "");
        INFO(mode[0] << " --format " << format << (to_file ? " --report" : "") << "\n" << all);
        CHECK(r.exit_code == 1);
        CHECK(leaked(all).empty());
        CHECK_THAT(all, Catch::Contains(report::redact(mode[0] == "staged" ? kToken5 : kToken1)));

        args.push_back("--show-secrets");
        fs::remove(file);
        RunResult shown = repo.leakgate(args);
        std::string revealed = shown.out + shown.err + (to_file ? slurp_file(file) : "");
        CHECK(shown.exit_code == 1);
        CHECK_THAT(revealed, Catch::Contains(mode[0] == "staged" ? kToken5 : kToken1));
      }
    }
  }
}

TEST_CASE("redaction (--redact) is the default and cannot be combined with --show-secrets") {
  TempRepo repo;
  plant(repo);
  RunResult redacted = repo.leakgate({"history", "--redact", "--format", "jsonl"});
  CHECK(redacted.exit_code == 1);
  CHECK(leaked(redacted.out + redacted.err).empty());
  RunResult both = repo.leakgate({"history", "--redact", "--show-secrets"});
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.err, Catch::Contains("excludes"));
}

TEST_CASE("JSON and JSON Lines carry the same findings and summary in one schema") {
  TempRepo repo;
  plant(repo);
  nlohmann::json j = test::report(repo.leakgate({"history", "--format", "json"}));
  RunResult l = repo.leakgate({"history", "--format", "jsonl"});
  REQUIRE(l.exit_code == 1);
  auto lines = lines_of(l.out);
  REQUIRE(lines.size() == j["findings"].size() + 1);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    nlohmann::json rec = nlohmann::json::parse(lines[i]);
    CHECK(rec["version"] == 1);
    bool last = i + 1 == lines.size();
    CHECK(rec["type"] == (last ? "summary" : "finding"));
    rec.erase("type");
    rec.erase("version");
    nlohmann::json expected = last ? j["summary"] : j["findings"][i];
    if (last) {
      rec.erase("seconds");
      expected.erase("seconds");
    }
    CHECK(rec == expected);
  }
  for (const auto& f : j["findings"]) {
    for (const char* key :
         {"rule", "name", "confidence", "path", "line", "column", "secret", "redacted",
          "fingerprint", "snippet", "commit", "author", "email", "date", "blob", "reachable"}) {
      CHECK(f.contains(key));
    }
  }
  const auto& s = j["summary"];
  CHECK(s["findings"] == j["findings"].size());
  CHECK(s["by_rule"][kClickUp] == 6);
  CHECK(s["by_rule"][kClientRule] == 1);
  CHECK(s["by_confidence"]["high"] == 6);
  CHECK(s["by_confidence"]["medium"] == 1);
  CHECK(s["secrets"] == 5);
  CHECK(s["reachable"] == 7);
  CHECK(s["unreachable"] == 0);
}

TEST_CASE("the summary counts unreachable findings and skipped items with their reasons") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.write("logo.png", std::string("\x89PNG\0\0", 6) + kToken2);
  repo.write("a.env", "T=" + kToken1 + "\n");
  repo.commit_all("start");
  repo.write("leak.env", "TOKEN=" + kToken3 + "\n");
  repo.commit_all("oops");
  repo.git({"reset", "-q", "--hard", "HEAD~1"});

  RunResult r = repo.leakgate({"history", "--all-objects", "--format", "json"});
  nlohmann::json s = test::report(r)["summary"];
  CHECK(s["reachable"] == 1);
  CHECK(s["unreachable"] == 1);
  CHECK(s["skipped_by_reason"]["binary"] == 1);
  CHECK(s["skipped"][0]["what"] == "logo.png");
  CHECK(s["bytes"].get<std::size_t>() > 0);
  CHECK(s["files"] == 3);

  RunResult text = repo.leakgate({"history", "--all-objects"});
  CHECK_THAT(text.err, Catch::Contains("1 reachable from a ref, 1 unreachable"));
  CHECK_THAT(text.err, Catch::Contains("by confidence: high 2"));
  CHECK_THAT(text.err, Catch::Contains("skipped 1 binary file(s)"));
}

TEST_CASE("report files (--report) are new, mode 0600, and the summary still goes to stderr") {
  TempRepo repo;
  plant(repo);
  TempDir dir;
  std::string file = dir / "leaks.json";
  RunResult r = repo.leakgate({"history", "--format", "json", "--report", file});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("leakgate history: 7 secrets"));
  CHECK(mode_of(file) == 0600);
  nlohmann::json j = nlohmann::json::parse(slurp(file));
  CHECK(j["findings"].size() == 7);

  SECTION("an existing file is replaced and made private") {
    std::string other = dir / "old.csv";
    {
      std::FILE* f = std::fopen(other.c_str(), "w");
      std::fputs(std::string(5000, 'z').c_str(), f);
      std::fclose(f);
    }
    ::chmod(other.c_str(), 0644);
    RunResult again = repo.leakgate({"history", "--format", "csv", "--report", other, "-q"});
    CHECK(again.exit_code == 1);
    CHECK(mode_of(other) == 0600);
    CHECK_THAT(slurp(other), Catch::StartsWith("rule,name,"));
    CHECK(slurp(other).find('z') == std::string::npos);
  }
  SECTION("a symlink is never written through") {
    std::string target = dir / "target.txt";
    {
      std::FILE* f = std::fopen(target.c_str(), "w");
      std::fputs("keep\n", f);
      std::fclose(f);
    }
    std::string link = dir / "link.sarif";
    fs::create_symlink(target, link);
    RunResult refused =
        repo.leakgate({"history", "--format", "sarif", "--report", link, "--show-secrets"});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("symbolic link"));
    CHECK(slurp(target) == "keep\n");
    CHECK(fs::is_symlink(link));
    CHECK(leaked(refused.out + refused.err).empty());
  }
  SECTION("a file with other hard links is not written") {
    std::string target = dir / "target.txt";
    {
      std::FILE* f = std::fopen(target.c_str(), "w");
      std::fputs("keep\n", f);
      std::fclose(f);
    }
    std::string link = dir / "hard.json";
    fs::create_hard_link(target, link);
    RunResult refused = repo.leakgate({"history", "--format", "json", "--report", link});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("hard links"));
    CHECK(slurp(target) == "keep\n");
  }
}

TEST_CASE("a text report file (--report) holds the finding lines, uncoloured") {
  TempRepo repo;
  plant(repo);
  TempDir dir;
  std::string file = dir / "leaks.txt";
  RunResult r = repo.leakgate({"history", "--report", file});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("leakgate history: 7 secrets"));
  std::string text = slurp(file);
  CHECK(lines_of(text).size() == 7);
  CHECK_THAT(text, Catch::Contains("two.env:1:3: clickup-personal-token: " + kToken1Redacted));
  CHECK(text.find('\033') == std::string::npos);
}
