// End-to-end: `leakgate history --purge-plan`, and the plan run as it says, with the real
// git filter-repo, until a second sweep finds nothing.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/finding.h"
#include "report/purge.h"
#include "support/findings.h"
#include "support/planted.h"
#include "support/temp_repo.h"

using namespace leakgate;
using namespace leakgate::test;
namespace fs = std::filesystem;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// The lines of `text` that start (after spaces) with `prefix`, without the spaces.
std::vector<std::string> commands(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& line : lines_of(text)) {
    std::size_t start = line.find_first_not_of(' ');
    if (start != std::string::npos && line.compare(start, prefix.size(), prefix) == 0) {
      out.push_back(line.substr(start));
    }
  }
  return out;
}

std::vector<std::string> words(const std::string& command) {
  std::istringstream in(command);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// A history with secrets in several commits: two on one line, one deleted later, one renamed.
void leak_history(const TempRepo& repo) {
  repo.write("README.md", "# app\n");
  repo.write("two.env", "A=" + kToken1 + " B=" + kToken2 + "\n");
  repo.commit_all("start");
  repo.write("src/client.js", "const token = \"" + kToken3 + "\";\n");
  repo.write("mixed.env", "CLICKUP_CLIENT_SECRET=" + kClientSecret + "\n");
  repo.commit_all("client");
  repo.git({"rm", "-q", "two.env"});
  repo.git({"mv", "src/client.js", "src/api.js"});
  repo.commit_all("remove the env file");
}

const std::vector<std::string> kLeaked = {kToken1, kToken2, kToken3, kClientSecret};

}  // namespace

TEST_CASE("a purge plan run with git filter-repo leaves nothing for a second sweep to find") {
  TempRepo repo;
  leak_history(repo);
  TempDir dir;
  std::string plan = dir / "purge.txt";

  RunResult r = repo.leakgate({"history", "--purge-plan", plan});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 1);

  // The replacements file: one line per distinct secret, private, in filter-repo's format.
  REQUIRE(fs::exists(plan));
  CHECK(mode_of(plan) == 0600);
  auto lines = lines_of(slurp(plan));
  REQUIRE(lines.size() == kLeaked.size());
  for (const auto& secret : kLeaked) {
    std::string rule = secret == kClientSecret ? kClientRule : kClickUp;
    CHECK(std::count(lines.begin(), lines.end(),
                     "literal:" + secret + "==>***REMOVED-" + rule + "***") == 1);
  }
  // The longest secret first, so that no shorter one can break it up.
  CHECK_THAT(lines[0], Catch::StartsWith("literal:" + kClientSecret));

  // The instructions, on stdout beside the text findings: rotation first, then the commands.
  CHECK_THAT(r.out, Catch::Contains("Rotate first"));
  CHECK_THAT(r.out, Catch::Contains("clones, forks"));
  CHECK_THAT(r.out, Catch::Contains("ClickUp: Settings > Apps > API Token > Regenerate."));
  CHECK(r.out.find("Rotate first") < r.out.find("git filter-repo"));
  CHECK(commands(r.out, "git reflog expire") ==
        std::vector<std::string>{"git reflog expire --expire=now --all"});
  CHECK(commands(r.out, "git gc") == std::vector<std::string>{"git gc --prune=now"});
  CHECK(commands(r.out, "leakgate history") ==
        std::vector<std::string>{"leakgate history", "leakgate history --all-objects"});
  CHECK(commands(r.out, "cd ") == std::vector<std::string>{"cd " + repo.path()});
  auto rewrite = commands(r.out, "git filter-repo");
  REQUIRE(rewrite.size() == 1);
  CHECK(rewrite[0] == "git filter-repo --replace-text " + plan + " --replace-message " + plan);
  for (const auto& secret : kPlanted) CHECK(r.out.find(secret) == std::string::npos);
  CHECK(leaked(r.err).empty());

  // Run it as it says, in a fresh clone, as filter-repo wants.
  TempDir clone_parent;
  std::string clone = clone_parent / "clone";
  REQUIRE(run({"git", "clone", "-q", "--no-local", repo.path(), clone}).exit_code == 0);
  std::vector<std::string> argv = words(rewrite[0]);
  RunOptions in_clone;
  in_clone.cwd = clone;
  RunResult filtered = run(argv, in_clone);
  INFO("filter-repo: " << filtered.out << filtered.err);
  REQUIRE(filtered.exit_code == 0);

  RunResult second = test::leakgate({"history", "--format", "json"}, in_clone);
  CHECK(second.exit_code == 0);
  CHECK(test::report(second)["findings"].empty());
  CHECK(slurp(clone + "/src/api.js") ==
        "const token = \"***REMOVED-clickup-personal-token***\";\n");

  for (const auto& cmd : {"git reflog expire --expire=now --all", "git gc -q --prune=now"}) {
    REQUIRE(run(words(cmd), in_clone).exit_code == 0);
  }
  RunResult everything = test::leakgate({"history", "--all-objects", "--format", "json"}, in_clone);
  CHECK(everything.exit_code == 0);
  CHECK(test::report(everything)["findings"].empty());
  // No object of the clone holds a secret any more.
  RunResult objects = run({"sh", "-c",
                           "git cat-file --batch-all-objects --batch | grep -a -c -e " + kToken1 +
                               " -e " + kToken3 + " -e " + kClientSecret + " || true"},
                          in_clone);
  CHECK(objects.out == "0\n");

  // The original repository still holds them: the plan changes nothing by itself.
  CHECK(repo.leakgate({"history", "-q"}).exit_code == 1);
}

TEST_CASE("with a machine format on stdout, the purge instructions go to stderr") {
  TempRepo repo;
  leak_history(repo);
  TempDir dir;
  std::string plan = dir / "purge.txt";
  RunResult r = repo.leakgate({"history", "--format", "json", "--purge-plan", plan});
  CHECK(r.exit_code == 1);
  CHECK(test::report(r)["findings"].size() == 4);
  CHECK_THAT(r.err, Catch::Contains("git filter-repo --replace-text"));
  CHECK(r.out.find("filter-repo") == std::string::npos);
  CHECK(leaked(r.out + r.err).empty());

  RunResult to_file = repo.leakgate(
      {"history", "--format", "sarif", "--report", dir / "r.sarif", "--purge-plan", plan});
  CHECK(to_file.exit_code == 1);
  CHECK_THAT(to_file.out, Catch::Contains("git filter-repo --replace-text"));
}

TEST_CASE("a clean history writes no purge plan") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  TempDir dir;
  std::string plan = dir / "purge.txt";
  RunResult r = repo.leakgate({"history", "--purge-plan", plan});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("nothing to purge"));
  CHECK_FALSE(fs::exists(plan));
}

TEST_CASE("a purge plan is never written through a symlink") {
  TempRepo repo;
  leak_history(repo);
  TempDir dir;
  std::string target = dir / "elsewhere.txt";
  {
    std::FILE* f = std::fopen(target.c_str(), "w");
    std::fputs("keep\n", f);
    std::fclose(f);
  }
  std::string plan = dir / "purge.txt";
  fs::create_symlink(target, plan);
  RunResult r = repo.leakgate({"history", "--purge-plan", plan});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("symbolic link"));
  CHECK(slurp(target) == "keep\n");
  CHECK(leaked(r.out + r.err).empty());
}

TEST_CASE("a secret that spans lines is purged through a regex that filter-repo reads") {
  // A rule of the repository's own finds a two-line secret; filter-repo strips line ends from
  // the plan's lines, so a literal could not hold it.
  TempRepo repo;
  repo.write(".leakgate.toml",
             "[[rules]]\n"
             "id = \"two-line-key\"\n"
             "name = \"Two-line key\"\n"
             "pattern = '''(BEGIN-KEY\\n[0-9a-f]{16}\\n[0-9a-f]{16}\\nEND-KEY)'''\n"
             "keywords = [\"begin-key\"]\n"
             "context = 200\n"
             "remediation = \"Issue a new key.\"\n");
  std::string key = "BEGIN-KEY\n3f9a1c7e5b2d8046\na7c3e9f1b5d20864\nEND-KEY";
  repo.write("key.pem", "before\n" + key + "\nafter ==> $x.*\n");
  repo.commit_all("key");
  TempDir dir;
  std::string plan = dir / "purge.txt";
  RunResult r = repo.leakgate({"history", "--purge-plan", plan});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 1);
  CHECK_THAT(slurp(plan), Catch::StartsWith("regex:BEGIN\\x2dKEY\\x0a3f9a1c7e5b2d8046\\x0a"));

  TempDir clone_parent;
  std::string clone = clone_parent / "clone";
  REQUIRE(run({"git", "clone", "-q", "--no-local", repo.path(), clone}).exit_code == 0);
  RunOptions in_clone;
  in_clone.cwd = clone;
  RunResult filtered =
      run({"git", "filter-repo", "--replace-text", plan, "--replace-message", plan}, in_clone);
  INFO("filter-repo: " << filtered.out << filtered.err);
  REQUIRE(filtered.exit_code == 0);
  CHECK(slurp(clone + "/key.pem") == "before\n***REMOVED-two-line-key***\nafter ==> $x.*\n");
  CHECK(test::leakgate({"history", "-q"}, in_clone).exit_code == 0);
}

TEST_CASE("the replacements put the longest secret first and escape what filter-repo splits on") {
  rules::Rule rule;
  rule.id = "r";
  auto add = [&](report::PurgePlan& p, std::string secret) {
    engine::Finding f;
    f.rule = &rule;
    f.secret = std::move(secret);
    p.add(f);
  };
  report::PurgePlan plan;
  add(plan, "abc123");
  add(plan, "xxabc123yy");
  add(plan, "abc123");  // once only
  add(plan, "ends-with=");
  add(plan, "has==>arrow");
  add(plan, "trailing\r");
  CHECK(plan.size() == 5);
  CHECK(plan.replacements() ==
        "literal:has==>arrow==>***REMOVED-r***\n"
        "literal:ends-with===>***REMOVED-r***\n"
        "literal:xxabc123yy==>***REMOVED-r***\n"
        "regex:trailing\\x0d==>***REMOVED-r***\n"
        "literal:abc123==>***REMOVED-r***\n");
}

TEST_CASE("shell_quote leaves plain paths alone and quotes the rest for sh") {
  CHECK(report::shell_quote("/tmp/a-b_c.txt") == "/tmp/a-b_c.txt");
  CHECK(report::shell_quote("/tmp/a b") == "'/tmp/a b'");
  CHECK(report::shell_quote("it's") == "'it'\\''s'");
  CHECK(report::shell_quote("") == "''");
}
