// End-to-end: `leakgate scan` over files, directories and standard input, and the command line's
// exit codes and output contract.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "support/findings.h"
#include "support/temp_repo.h"

using namespace leakgate::test;
namespace fs = std::filesystem;

namespace {

void write(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

RunResult scan_in(const TempDir& dir, std::vector<std::string> args, std::string input = {}) {
  args.insert(args.begin(), "scan");
  RunOptions o;
  o.cwd = dir.path();
  o.input = std::move(input);
  return run_leakgate(args, o);
}

std::vector<std::string> paths_of(const std::vector<nlohmann::json>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.at("path").get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("scan reports a file's token at its exact path, line and column") {
  TempDir dir;
  write(dir / "conf/app.yaml",
        "clickup:\n  url: https://api.clickup.com\n  token: " + kToken1 + "\n");

  RunResult r = scan_in(dir, {"conf/app.yaml", "--format", "json"});

  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  auto found = findings_of(j);
  REQUIRE(found.size() == 1);
  CHECK(found[0]["path"] == "conf/app.yaml");
  CHECK(found[0]["line"] == 3);
  CHECK(found[0]["column"] == 10);
  CHECK(found[0]["secret"] == kToken1Redacted);
  CHECK(found[0]["fingerprint"].get<std::string>().size() == 24);
  CHECK_FALSE(found[0].contains("commit"));
  CHECK(j["summary"]["mode"] == "scan");
  CHECK(j["summary"]["files"] == 1);
  CHECK(j["summary"]["complete"] == true);
}

TEST_CASE("the JSON report is one object with version, findings and summary") {
  TempDir dir;
  write(dir / "a.env", "TOKEN=" + kToken1 + "\n");

  RunResult r = scan_in(dir, {"a.env", "--format", "json"});

  nlohmann::json j = report(r);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"findings", "summary", "version"});
  CHECK(j["summary"]["findings"] == j["findings"].size());
}

TEST_CASE("scan walks directories recursively and names files relative to what was given") {
  TempDir dir;
  write(dir / "proj/top.env", "TOKEN=" + kToken1 + "\n");
  write(dir / "proj/deep/er/nested.env", "TOKEN=" + kToken2 + "\n");
  write(dir / "proj/clean.txt", "nothing\n");

  SECTION("a named directory") {
    RunResult r = scan_in(dir, {"proj", "--format", "json"});
    CHECK(r.exit_code == 1);
    nlohmann::json j = report(r);
    CHECK(paths_of(findings_of(j)) ==
          std::vector<std::string>{"proj/deep/er/nested.env", "proj/top.env"});
    CHECK(j["summary"]["files"] == 3);
  }
  SECTION("the current directory") {
    RunResult r = run_leakgate({"scan", ".", "--format", "json"}, {dir / "proj", {}, ""});
    CHECK(r.exit_code == 1);
    CHECK(paths_of(findings_of(report(r))) ==
          std::vector<std::string>{"deep/er/nested.env", "top.env"});
  }
}

TEST_CASE("scan skips .git directories") {
  TempDir dir;
  write(dir / "proj/.git/config", "[remote]\n  token = " + kToken1 + "\n");
  write(dir / "proj/vendor/lib/.git/packed", "TOKEN=" + kToken1 + "\n");
  write(dir / "proj/src/app.txt", "fine\n");

  RunResult r = scan_in(dir, {"proj", "--format", "json"});

  CHECK(r.exit_code == 0);
  nlohmann::json j = report(r);
  CHECK(findings_of(j).empty());
  CHECK(j["summary"]["files"] == 1);
}

TEST_CASE("scan does not follow symlinks inside a tree but follows one it is given") {
  TempDir dir;
  write(dir / "outside/secret.env", "TOKEN=" + kToken1 + "\n");
  write(dir / "outside/sub/other.env", "TOKEN=" + kToken2 + "\n");
  write(dir / "proj/clean.txt", "fine\n");
  fs::create_symlink("../outside/secret.env", dir / "proj/link.env");
  fs::create_symlink("../outside/sub", dir / "proj/linkdir");

  RunResult tree = scan_in(dir, {"proj", "--format", "json"});
  CHECK(tree.exit_code == 0);
  CHECK(findings_of(report(tree)).empty());

  RunResult named = scan_in(dir, {"proj/link.env", "--format", "json"});
  CHECK(named.exit_code == 1);
  auto found = findings_of(report(named));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["path"] == "proj/link.env");
}

TEST_CASE("scan does not honour ignore files") {
  TempDir dir;
  write(dir / "proj/.gitignore", "*.env\ndist/\n");
  write(dir / "proj/.ignore", "*.env\n");
  write(dir / "proj/dist/bundle.js", "const t=\"" + kToken1 + "\";\n");
  write(dir / "proj/local.env", "TOKEN=" + kToken2 + "\n");

  RunResult r = scan_in(dir, {"proj", "--format", "json"});

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 2);
  CHECK(found[0]["path"] == "proj/dist/bundle.js");
  CHECK(found[0]["column"] == 10);
  CHECK(found[1]["path"] == "proj/local.env");
}

TEST_CASE("scan - reads standard input and reports it with an empty path") {
  TempDir dir;
  RunResult r = scan_in(dir, {"-", "--format", "json"}, "first line\nTOKEN=" + kToken1 + "\n");

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["path"] == "");
  CHECK(found[0]["line"] == 2);
  CHECK(found[0]["column"] == 7);
}

TEST_CASE("scan - in text shows (stdin) as the place") {
  TempDir dir;
  RunResult r = scan_in(dir, {"-"}, "TOKEN=" + kToken1);
  CHECK(r.exit_code == 1);
  CHECK(r.out == "(stdin):1:7: clickup-personal-token: " + kToken1Redacted + "\n");
}

TEST_CASE("clean standard input exits 0") {
  TempDir dir;
  RunResult r = scan_in(dir, {"-"}, "nothing to see\n");
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
}

TEST_CASE("no output contains the full secret by default, in text or JSON") {
  TempDir dir;
  write(dir / "a.env", "TOKEN=" + kToken1 + "\n");

  for (const char* format : {"text", "json"}) {
    RunResult r = scan_in(dir, {"a.env", "--format", format});
    INFO("format " << format);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find(kToken1) == std::string::npos);
    CHECK(r.err.find(kToken1) == std::string::npos);
    CHECK_THAT(r.out, Catch::Contains(kToken1Redacted));
  }
}

TEST_CASE("the show-secrets flag: prints the secret in full") {
  TempDir dir;
  write(dir / "a.env", "TOKEN=" + kToken1 + "\n");

  RunResult text = scan_in(dir, {"a.env", "--show-secrets"});
  CHECK(text.out == "a.env:1:7: clickup-personal-token: " + kToken1 + "\n");

  RunResult json = scan_in(dir, {"a.env", "--show-secrets", "--format", "json"});
  auto found = findings_of(report(json));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["secret"] == kToken1);
}

TEST_CASE("Stripe keys, Django's pk_url_kwarg and ClickUp placeholders are never reported") {
  TempDir dir;
  write(dir / "lookalikes.txt",
        "const stripe = Stripe('pk_live_51HqLyjWDarjtT1zdp7dcXbT1zdp7dcXbT1zd');\n"
        "STRIPE_PUBLISHABLE_KEY=pk_test_TYooMQauvdEDq54NiTphI7jx\n"
        "pk_url_kwarg = 'slug'\n"
        "pk_field_name_for_model_instance_0123456789\n"
        "CLICKUP_TOKEN=pk_XXXXXXXX_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n"
        "CLICKUP_TOKEN=pk_12345678_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345\n"
        "CLICKUP_TOKEN=pk_NEW_TOKEN_HERE\n"
        "CLICKUP_TOKEN=${CLICKUP_API_TOKEN}\n"
        "TOKEN_RE = re.compile(r'pk_[a-zA-Z0-9_]{30,}')\n"
        "pk_52601815_D6NCF10EPF91DHODZDOC9IS0J8HT9LGMX\n");

  RunResult r = scan_in(dir, {"lookalikes.txt", "--format", "json"});

  CHECK(r.exit_code == 0);
  CHECK(findings_of(report(r)).empty());
}

TEST_CASE("a path that does not exist makes scan exit 2 and says which") {
  TempDir dir;
  RunResult r = scan_in(dir, {"missing.env"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("missing.env: No such file or directory"));
}

TEST_CASE("a dangling symlink given to scan is an error, exit 2") {
  TempDir dir;
  fs::create_symlink("nowhere.env", dir / "dangling.env");
  RunResult r = scan_in(dir, {"dangling.env", "--format", "json"});
  CHECK(r.exit_code == 2);
  nlohmann::json j = report(r);
  CHECK(j["summary"]["complete"] == false);
  REQUIRE(j["summary"]["errors"].size() == 1);
  CHECK_THAT(j["summary"]["errors"][0].get<std::string>(), Catch::StartsWith("dangling.env: "));
}

TEST_CASE("an unreadable file makes scan exit 2, never 0") {
  TempDir dir;
  SECTION("a file whose read fails") {
    // Reading a process's memory at offset 0 fails with EIO, for root too.
    RunResult r = scan_in(dir, {"/proc/self/mem", "--format", "json"});
    CHECK(r.exit_code == 2);
    nlohmann::json j = report(r);
    CHECK(j["summary"]["complete"] == false);
    REQUIRE(j["summary"]["errors"].size() == 1);
    CHECK(j["summary"]["errors"][0] == "/proc/self/mem: Input/output error");
  }
  SECTION("a file without read permission") {
    if (::geteuid() == 0) {
      WARN("running as root: permissions cannot make a file unreadable; section skipped");
      return;
    }
    write(dir / "locked.env", "TOKEN=" + kToken1 + "\n");
    fs::permissions(dir / "locked.env", fs::perms::none);
    RunResult r = scan_in(dir, {"locked.env", "--format", "json"});
    CHECK(r.exit_code == 2);
    CHECK(report(r)["summary"]["complete"] == false);
  }
}

TEST_CASE("findings outrank errors: a partial scan with findings exits 1 and says it is partial") {
  TempDir dir;
  write(dir / "a.env", "TOKEN=" + kToken1 + "\n");
  RunResult r = scan_in(dir, {"a.env", "missing.env", "--format", "json"});
  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  CHECK(findings_of(j).size() == 1);
  CHECK(j["summary"]["complete"] == false);
}

TEST_CASE("bad usage exits 2") {
  TempDir dir;
  RunOptions o;
  o.cwd = dir.path();
  CHECK(run_leakgate({}, o).exit_code == 2);
  CHECK(run_leakgate({"frobnicate"}, o).exit_code == 2);
  CHECK(run_leakgate({"scan"}, o).exit_code == 2);
  CHECK(run_leakgate({"scan", "x", "--format", "xml"}, o).exit_code == 2);
  CHECK(run_leakgate({"scan", "x", "--no-such-flag"}, o).exit_code == 2);
  CHECK(run_leakgate({"history", "--max-blob-size", "lots"}, o).exit_code == 2);
}

TEST_CASE("files with a NUL byte are skipped as binary") {
  TempDir dir;
  write(dir / "blob.bin", std::string("TOKEN=") + kToken1 + std::string("\0\1\2", 3));
  RunResult r = scan_in(dir, {"blob.bin", "--format", "json"});
  CHECK(r.exit_code == 0);
  nlohmann::json j = report(r);
  REQUIRE(j["summary"]["skipped"].size() == 1);
  CHECK(j["summary"]["skipped"][0]["what"] == "blob.bin");
  CHECK(j["summary"]["skipped"][0]["reason"] == "binary");
}

TEST_CASE("files larger than --max-file-size are skipped and said so") {
  TempDir dir;
  write(dir / "big.env", "TOKEN=" + kToken1 + "\n" + std::string(2000, '#') + "\n");
  RunResult r = scan_in(dir, {"big.env", "--max-file-size", "1k", "--format", "json"});
  CHECK(r.exit_code == 0);
  nlohmann::json j = report(r);
  REQUIRE(j["summary"]["skipped"].size() == 1);
  CHECK(j["summary"]["skipped"][0]["what"] == "big.env");
  CHECK(j["summary"]["skipped"][0]["reason"] == "larger than 1.0 KB");
}

TEST_CASE("scan honours .leakgate.toml in the current directory and --config") {
  TempDir dir;
  write(dir / "tests/data/fixture.env", "TOKEN=" + kToken1 + "\n");
  write(dir / "src/real.env", "TOKEN=" + kToken2 + "\n");

  SECTION(".leakgate.toml") {
    write(dir / ".leakgate.toml", "[allow]\npaths = [\"tests/data/**\"]\n");
    RunResult r = scan_in(dir, {"tests", "src", "--format", "json"});
    CHECK(r.exit_code == 1);
    CHECK(paths_of(findings_of(report(r))) == std::vector<std::string>{"src/real.env"});
  }
  SECTION("--config FILE") {
    write(dir / "conf/scan.toml", "[allow]\npaths = [\"src/**\"]\n");
    RunResult r = scan_in(dir, {"tests", "src", "--config", "conf/scan.toml", "--format", "json"});
    CHECK(r.exit_code == 1);
    CHECK(paths_of(findings_of(report(r))) == std::vector<std::string>{"tests/data/fixture.env"});
  }
}

TEST_CASE("a configuration error exits 2 and names file, line and column") {
  TempDir dir;
  write(dir / "a.env", "nothing\n");

  SECTION("a syntax error") {
    write(dir / ".leakgate.toml", "[allow]\npaths = [\"a\",\n");
    RunResult r = scan_in(dir, {"a.env"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("leakgate: .leakgate.toml:2:15: "));
  }
  SECTION("an unknown key") {
    write(dir / ".leakgate.toml", "extend = true\ncolour = \"red\"\n");
    RunResult r = scan_in(dir, {"a.env"});
    CHECK(r.exit_code == 2);
    CHECK(r.err == "leakgate: .leakgate.toml:2:1: unknown key 'colour' in the configuration\n");
  }
  SECTION("a missing --config file") {
    RunResult r = scan_in(dir, {"a.env", "--config", "nope.toml"});
    CHECK(r.exit_code == 2);
    CHECK(r.err == "leakgate: nope.toml: cannot read configuration: No such file or directory\n");
  }
  SECTION("a rule whose pattern does not compile") {
    write(dir / ".leakgate.toml",
          "\n[[rules]]\nid = \"acme\"\npattern = '(acme_[a-z]+'\nkeywords = [\"acme_\"]\n");
    RunResult r = scan_in(dir, {"a.env"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("leakgate: .leakgate.toml:2:1: rule 'acme': pattern "
                                        "does not compile"));
  }
  SECTION("an allowlist pattern that does not compile") {
    write(dir / ".leakgate.toml", "[allow]\nsecrets = ['ok', '(unclosed']\n");
    RunResult r = scan_in(dir, {"a.env"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("leakgate: .leakgate.toml:2:18: ") &&
                          Catch::Contains("(unclosed") && Catch::Contains("does not compile"));
  }
}

TEST_CASE("a rule of one's own in .leakgate.toml finds its secrets") {
  TempDir dir;
  write(dir / ".leakgate.toml",
        "[[rules]]\nid = \"acme-key\"\npattern = '''\\b(acme_[a-z0-9]{16})\\b'''\n"
        "keywords = [\"acme_\"]\n");
  write(dir / "a.txt", "key: acme_q8w7e6r5t4y3u2i1\n");
  RunResult r = scan_in(dir, {"a.txt", "--format", "json"});
  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r), "acme-key");
  REQUIRE(found.size() == 1);
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["column"] == 6);
  CHECK(found[0]["secret"] == "acm\u2026(21 chars)");
}

TEST_CASE("leakgate:allow and leakgate:allow-next-line silence a scanned token") {
  TempDir dir;
  write(dir / "a.py", "A = '" + kToken1 +
                          "'  # leakgate:allow\n"
                          "# leakgate:allow-next-line\n"
                          "B = '" +
                          kToken2 +
                          "'\n"
                          "C = '" +
                          kToken3 + "'\n");
  RunResult r = scan_in(dir, {"a.py", "--format", "json"});
  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["line"] == 4);
  CHECK(found[0]["column"] == 6);
}

TEST_CASE("a path that is not UTF-8 still gives a JSON report that parses") {
  TempDir dir;
  write(dir / "proj/bad\xff.env", "TOKEN=" + kToken1 + "\n");
  RunResult r = scan_in(dir, {"proj", "--format", "json"});
  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK_THAT(found[0]["path"].get<std::string>(), Catch::StartsWith("proj/bad"));
  CHECK(found[0]["line"] == 1);
}

TEST_CASE("a newline in a path cannot forge a line of text output") {
  TempDir dir;
  write(dir / "proj/a\nb.env", "TOKEN=" + kToken1 + "\n");
  RunResult r = scan_in(dir, {"proj"});
  CHECK(r.exit_code == 1);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::StartsWith("proj/a\\x0ab.env:1:7: clickup-personal-token: "));
}
