// End-to-end: hostile and broken input. Repositories that are corrupt, incomplete, cut short,
// in a format libgit2 cannot read, or built to hurt (a tree that names itself, trees nested
// thousands deep, a hundred thousand refs); files that are huge, sparse, all NUL bytes, not
// UTF-8, unreadable, or symlink loops; configurations with patterns built to backtrack.
// Each case pins the exit code (0 clean, 1 findings, 2 error: a partial scan is never clean)
// and the message. Shallow and partial clones are in e2e_history_provenance_test.cpp, a bare
// repository in hooks_hard_cases_test.cpp, a .git file pointing nowhere for history and the
// configuration's syntax errors, unknown keys and bad patterns in e2e_scan_test.cpp.
#include <git2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "support/findings.h"
#include "support/temp_repo.h"

using namespace leakgate::test;
namespace fs = std::filesystem;

namespace {

void write(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

RunResult in_dir(const std::string& dir, std::vector<std::string> args, std::string input = {}) {
  RunOptions o;
  o.cwd = dir;
  o.input = std::move(input);
  return run_leakgate(args, o);
}

std::vector<std::string> errors_of(const nlohmann::json& report) {
  std::vector<std::string> out;
  for (const auto& e : report.at("summary").at("errors")) out.push_back(e.get<std::string>());
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Writes objects straight into a repository's database, as they are: what git itself would
// never write. Ids are the hashes of what is written unless moved by store_as.
class ObjectWriter {
 public:
  explicit ObjectWriter(const TempRepo& repo) : path_(repo.path()) {
    git_libgit2_init();
    REQUIRE(git_repository_open(&repo_, path_.c_str()) == 0);
    REQUIRE(git_repository_odb(&odb_, repo_) == 0);
  }
  ~ObjectWriter() {
    git_odb_free(odb_);
    git_repository_free(repo_);
    git_libgit2_shutdown();
  }
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;

  git_oid write(git_object_t type, const std::string& data) {
    git_oid id;
    REQUIRE(git_odb_write(&id, odb_, data.data(), data.size(), type) == 0);
    return id;
  }
  // Moves the loose object `from` to the name `to`: its content no longer hashes to its id.
  void store_as(const git_oid& from, const git_oid& to) {
    fs::path dst = loose(to);
    fs::create_directories(dst.parent_path());
    fs::rename(loose(from), dst);
  }
  static std::string entry(const char* mode, const std::string& name, const git_oid& id) {
    return std::string(mode) + " " + name + std::string(1, '\0') +
           std::string(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
  }
  static std::string hex(const git_oid& id) {
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, &id);
    return buf;
  }
  // A commit of `tree`, on refs/heads/main.
  std::string commit_tree(const git_oid& tree) {
    git_oid c = write(GIT_OBJECT_COMMIT, "tree " + hex(tree) +
                                             "\nauthor Ada Tester <ada@example.test> 1714564800 "
                                             "+0000\ncommitter Ada Tester <ada@example.test> "
                                             "1714564800 +0000\n\nhostile\n");
    std::ofstream(path_ + "/.git/refs/heads/main") << hex(c) << "\n";
    return hex(c);
  }

 private:
  fs::path loose(const git_oid& id) const {
    std::string h = hex(id);
    return fs::path(path_) / ".git/objects" / h.substr(0, 2) / h.substr(2);
  }
  std::string path_;
  git_repository* repo_ = nullptr;
  git_odb* odb_ = nullptr;
};

// The byte offset of each object in the repository's single pack, from `git show-index`.
std::map<std::string, std::size_t> pack_offsets(const TempRepo& repo, std::string& pack) {
  std::map<std::string, std::size_t> out;
  for (const auto& e : fs::directory_iterator(repo / ".git/objects/pack")) {
    if (e.path().extension() != ".idx") continue;
    pack = e.path().string();
    pack.replace(pack.size() - 4, 4, ".pack");
    RunResult r = run({"git", "show-index"}, {"", {}, slurp(e.path().string())});
    std::istringstream lines(r.out);
    std::size_t offset;
    std::string id;
    while (lines >> offset >> id) {
      out[id] = offset;
      lines.ignore(1 << 10, '\n');
    }
  }
  return out;
}

void flip(const std::string& path, std::size_t from, std::size_t count) {
  fs::permissions(path, fs::perms::owner_write, fs::perm_options::add);
  std::string data = slurp(path);
  for (std::size_t i = from; i < from + count && i < data.size(); ++i) data[i] = char(~data[i]);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

// Runs the binary under test as user nobody (65534), for the cases that need an unreadable
// file: root reads everything. Empty when that cannot be done here.
std::optional<RunResult> as_nobody(const std::vector<std::string>& args, const std::string& cwd) {
  std::vector<std::string> argv;
  if (::geteuid() == 0) {
    if (run({"setpriv", "--version"}).exit_code != 0) return std::nullopt;
    argv = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};
  }
  argv.push_back(leakgate_binary());
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions o;
  o.cwd = cwd;
  o.env = {{"HOME", "/nonexistent"}};
  return run(argv, o);
}

}  // namespace

TEST_CASE("a corrupt pack makes history exit 2 and name the object it could not read") {
  TempRepo repo;
  repo.write("a.txt", "plain text, nothing secret\n");
  repo.commit_all("one");
  repo.write("b.txt", "more plain text, still nothing secret\n");
  repo.commit_all("two");
  std::string blob = repo.git({"rev-parse", "HEAD:b.txt"});
  repo.git({"gc", "-q"});
  std::string pack;
  auto offsets = pack_offsets(repo, pack);
  REQUIRE(offsets.count(blob) == 1);

  SECTION("a blob's compressed data damaged") {
    flip(pack, offsets[blob] + 4, 8);
    RunResult r = repo.leakgate({"history", "--format", "json"});
    CHECK(r.exit_code == 2);
    auto errors = errors_of(report(r));
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::StartsWith("blob " + blob + " (b.txt): "));
    CHECK(lines_of(r.err) ==
          std::vector<std::string>{"leakgate: the scan is incomplete: " + errors[0]});
  }
  SECTION("the pack cut short") {
    fs::permissions(pack, fs::perms::owner_write, fs::perm_options::add);
    fs::resize_file(pack, offsets[blob] + 2);
    RunResult r = repo.leakgate({"history", "--format", "json"});
    CHECK(r.exit_code == 2);
    CHECK(report(r)["summary"]["complete"] == false);
  }
  SECTION("its index damaged") {
    std::string idx = pack.substr(0, pack.size() - 5) + ".idx";
    flip(idx, 8, 64);
    RunResult r = repo.leakgate({"history", "--format", "json"});
    CHECK(r.exit_code == 2);
    CHECK(report(r)["summary"]["complete"] == false);
  }
}

TEST_CASE("a corrupt loose blob makes history and staged exit 2, naming it") {
  TempRepo repo;
  repo.write("a.txt", "plain\n");
  repo.commit_all("start");
  repo.write("b.txt", "staged, and damaged before the hook reads it\n");
  repo.git({"add", "b.txt"});
  std::string blob = repo.git({"rev-parse", ":b.txt"});
  std::string file = repo / (".git/objects/" + blob.substr(0, 2) + "/" + blob.substr(2));
  flip(file, 2, 16);

  RunResult staged = repo.leakgate({"staged", "--format", "json"});
  CHECK(staged.exit_code == 2);
  auto errors = errors_of(report(staged));
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], Catch::StartsWith("b.txt: cannot read staged blob: "));

  repo.git({"commit", "-q", "--no-verify", "-m", "damaged"}, true);
  RunResult history = repo.leakgate({"history", "--format", "json"});
  CHECK(history.exit_code == 2);
  // The object graph reads every object's header first: the damage is found there.
  CHECK_THAT(errors_of(report(history)).front(), Catch::StartsWith("object " + blob + ": "));
}

TEST_CASE("an empty directory and an empty repository are clean, exit 0") {
  TempDir dir;
  CHECK(in_dir(dir.path(), {"scan", "."}).exit_code == 0);
  TempRepo repo;
  for (auto args : std::vector<std::vector<std::string>>{
           {"staged"}, {"history"}, {"history", "--all-objects"}, {"pre-push", "origin", "x"}}) {
    RunResult r = repo.leakgate(args);
    INFO(args[0] << ": " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
  }
}

TEST_CASE("a repository in SHA-256 object format is a clear error, exit 2") {
  TempRepo repo({"--object-format=sha256"});
  repo.write("a.env", "TOKEN=" + kToken1 + "\n");
  repo.commit_all("start");
  const std::string message =
      ": the repository uses the SHA-256 object format, which leakgate cannot read yet (libgit2 "
      "1.5 reads SHA-1 repositories only)\n";
  RunResult history = repo.leakgate({"history", "--repo", repo.path()});
  CHECK(history.exit_code == 2);
  CHECK(history.out.empty());
  CHECK(history.err == "leakgate: " + repo.path() + message);
  RunResult staged = repo.leakgate({"staged"});
  CHECK(staged.exit_code == 2);
  CHECK(staged.err == "leakgate: " + repo.path() + message);
}

TEST_CASE("staged in a work tree whose .git file points nowhere exits 2 with one line") {
  TempDir dir;
  std::ofstream(dir / ".git") << "gitdir: " << (dir / "nowhere") << "\n";
  RunOptions o;
  o.cwd = dir.path();
  o.env = {{"GIT_DIR", ""},
           {"GIT_CEILING_DIRECTORIES", fs::path(dir.path()).parent_path().string()}};
  RunResult r = run_leakgate({"staged"}, o);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "leakgate: " + dir.path() + ": not a git repository\n");
}

TEST_CASE("a repository owned by another user is refused with the way to trust it") {
  if (::geteuid() != 0) {
    WARN("not root: cannot give a repository to another user; skipped");
    return;
  }
  TempRepo repo;
  repo.write("a.txt", "plain\n");
  repo.commit_all("start");
  REQUIRE(run({"chown", "-R", "65534:65534", repo.path()}).exit_code == 0);
  RunResult r = repo.leakgate({"history", "--repo", repo.path()});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "leakgate: " + repo.path() +
                     ": the repository is owned by another user, and git does not trust it "
                     "(\"dubious ownership\"); to scan it, trust it first: git config --global "
                     "--add safe.directory " +
                     repo.path() + "\n");
}

TEST_CASE("permission denied on a file or a directory: the scan is partial, never clean") {
  TempDir dir;
  fs::permissions(dir.path(), fs::perms::all);  // others may enter, as the scan runs as nobody
  write(dir / "tree/open.txt", "nothing here\n");
  write(dir / "tree/locked.env", "TOKEN=" + kToken1 + "\n");
  write(dir / "tree/closed/inside.env", "TOKEN=" + kToken2 + "\n");
  fs::permissions(dir / "tree", fs::perms::all);
  fs::permissions(dir / "tree/locked.env", fs::perms::none);
  fs::permissions(dir / "tree/closed", fs::perms::none);

  auto r = as_nobody({"scan", "tree", "--format", "json"}, dir.path());
  if (!r) {
    WARN("root, and no setpriv to drop to another user: permissions cannot deny root; skipped");
    return;
  }
  INFO(r->err);
  CHECK(r->exit_code == 2);
  nlohmann::json j = report(*r);
  CHECK(findings_of(j).empty());
  CHECK(j["summary"]["files"] == 1);
  CHECK(errors_of(j) == std::vector<std::string>{"tree/closed: Permission denied",
                                                 "tree/locked.env: Permission denied"});

  write(dir / "tree/leak.env", "TOKEN=" + kToken3 + "\n");
  fs::permissions(dir / "tree/leak.env", fs::perms::all);
  auto found = as_nobody({"scan", "tree", "--format", "json"}, dir.path());
  CHECK(found->exit_code == 1);  // findings outrank errors, and the report says it is partial
  CHECK(report(*found)["summary"]["complete"] == false);
}

TEST_CASE("permission denied on an object: history exits 2 and names it") {
  TempRepo repo;
  repo.write("a.txt", "plain\n");
  std::string commit = repo.commit_all("start");
  std::string blob = repo.git({"rev-parse", "HEAD:a.txt"});
  fs::permissions(repo.path(), fs::perms::all);
  if (::geteuid() == 0) REQUIRE(run({"chown", "-R", "65534:65534", repo.path()}).exit_code == 0);
  fs::permissions(repo / (".git/objects/" + blob.substr(0, 2) + "/" + blob.substr(2)),
                  fs::perms::none);

  auto r = as_nobody({"history", "--format", "json"}, repo.path());
  if (!r) {
    WARN("root, and no setpriv to drop to another user: permissions cannot deny root; skipped");
    return;
  }
  INFO(r->err);
  CHECK(r->exit_code == 2);
  auto errors = errors_of(report(*r));
  REQUIRE(errors.size() == 2);
  CHECK_THAT(errors[0],
             Catch::StartsWith("object " + blob + ": ") && Catch::EndsWith(": Permission denied"));
  CHECK(errors[1] == "blob " + blob + " (a.txt): missing from the object database");
}

TEST_CASE("symlink loops: not followed inside a tree, an error when named") {
  TempDir dir;
  write(dir / "tree/a.env", "TOKEN=" + kToken1 + "\n");
  fs::create_symlink("self", dir / "tree/self");
  fs::create_symlink("../tree", dir / "tree/up");
  fs::create_symlink("pong", dir / "tree/ping");
  fs::create_symlink("ping", dir / "tree/pong");

  RunResult tree = in_dir(dir.path(), {"scan", "tree", "--format", "json"});
  CHECK(tree.exit_code == 1);
  nlohmann::json j = report(tree);
  REQUIRE(findings_of(j).size() == 1);
  CHECK(j["summary"]["files"] == 1);
  CHECK(j["summary"]["complete"] == true);

  RunResult named = in_dir(dir.path(), {"scan", "tree/ping"});
  CHECK(named.exit_code == 2);
  CHECK_THAT(named.err, Catch::Contains("tree/ping: Too many levels of symbolic links"));
}

TEST_CASE("a 10 MB single-line minified file: every token found on line 1, in seconds") {
  TempDir dir;
  std::string chunk = "function(a,b){return a.map(function(c){return c*b+1})};var x=\"q\";";
  std::string js;
  js.reserve((10u << 20) + 4096);
  std::vector<std::size_t> columns;
  auto plant = [&] {
    std::string before = "headers:{\"Authorization\":\"";
    columns.push_back(js.size() + before.size() + 1);
    js += before + kToken1 + "\"};";
  };
  plant();  // at the start, in the middle, at the end
  while (js.size() < (5u << 20)) js += chunk;
  plant();
  while (js.size() < (10u << 20)) js += chunk;
  plant();
  write(dir / "bundle.min.js", js);

  auto start = std::chrono::steady_clock::now();
  RunResult r = in_dir(dir.path(), {"scan", "bundle.min.js", "--format", "json"});
  double seconds = seconds_since(start);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(found[i]["line"] == 1);
    CHECK(found[i]["column"] == columns[i]);
  }
  CHECK(seconds < 20);  // a sanitizer build too; release takes a fraction of a second
}

TEST_CASE("a file of NUL bytes is skipped as binary; NULs after 8000 bytes of text are not") {
  TempDir dir;
  write(dir / "zeros.bin", std::string(1u << 20, '\0'));
  write(dir / "late.txt",
        "TOKEN=" + kToken1 + "\n" + std::string(9000, 'x') + "\n" + std::string(4096, '\0'));
  RunResult r = in_dir(dir.path(), {"scan", "zeros.bin", "late.txt", "--format", "json"});
  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  REQUIRE(findings_of(j).size() == 1);
  CHECK(findings_of(j)[0]["path"] == "late.txt");
  REQUIRE(j["summary"]["skipped"].size() == 1);
  CHECK(j["summary"]["skipped"][0]["what"] == "zeros.bin");
  CHECK(j["summary"]["skipped"][0]["reason"] == "binary");
}

TEST_CASE("invalid UTF-8 around a token and in paths: found, and every report still parses") {
  const std::string junk = "\xff\xfe\xc0\xaf\xed\xa0\x80";
  TempRepo repo;
  repo.write("bad" + junk + ".env", junk + "TOKEN=" + kToken1 + junk + "\n");
  repo.write("ok/line\nbreak.env", "TOKEN=" + kToken2 + "\n");
  repo.git({"add", "-A"});

  RunResult staged = repo.leakgate({"staged", "--format", "json"});
  CHECK(staged.exit_code == 1);
  CHECK(findings_of(report(staged)).size() == 2);

  repo.git({"commit", "-q", "--no-verify", "-m", "junk"});
  RunResult history = repo.leakgate({"history", "--format", "json"});
  CHECK(history.exit_code == 1);
  auto found = findings_of(report(history));
  REQUIRE(found.size() == 2);
  std::set<std::string> paths;
  for (const auto& f : found) paths.insert(f["path"].get<std::string>());
  CHECK(paths.count("ok/line\nbreak.env") == 1);
  CHECK(paths.begin()->rfind("bad", 0) == 0);
  for (const auto& f : found) CHECK(f["line"] == 1);

  RunResult sarif = repo.leakgate({"history", "--format", "sarif"});
  CHECK(sarif.exit_code == 1);
  CHECK_FALSE(nlohmann::json::parse(sarif.out, nullptr, false).is_discarded());
  RunResult jsonl = repo.leakgate({"history", "--format", "jsonl"});
  CHECK(jsonl.exit_code == 1);
  for (const auto& line : lines_of(jsonl.out)) {
    CHECK_FALSE(nlohmann::json::parse(line, nullptr, false).is_discarded());
  }
  RunResult text = repo.leakgate({"history"});
  CHECK(text.exit_code == 1);
  CHECK(lines_of(text.out).size() == 2);  // the newline in the path does not forge a line
}

TEST_CASE("100,000 refs: history and pre-push finish in seconds") {
  TempRepo repo;
  repo.write("a.env", "TOKEN=" + kToken1 + "\n");
  std::string c = repo.commit_all("start");
  std::string packed = "# pack-refs with: peeled fully-peeled sorted \n";
  for (int i = 0; i < 50'000; ++i) {
    packed += c + " refs/remotes/origin/b" + std::to_string(100000 + i) + "\n";
  }
  for (int i = 0; i < 50'000; ++i) packed += c + " refs/tags/t" + std::to_string(100000 + i) + "\n";
  std::ofstream(repo / ".git/packed-refs") << packed;
  REQUIRE(repo.git({"for-each-ref", "--count=3", "--format=%(refname)", "refs/tags"}) ==
          "refs/tags/t100000\nrefs/tags/t100001\nrefs/tags/t100002");

  auto start = std::chrono::steady_clock::now();
  RunResult history = repo.leakgate({"history", "--format", "json"});
  double history_seconds = seconds_since(start);
  CHECK(history.exit_code == 1);
  CHECK(findings_of(report(history)).size() == 1);
  CHECK(history_seconds < 60);

  repo.write("b.env", "TOKEN=" + kToken2 + "\n");
  std::string next = repo.commit_all("next");
  start = std::chrono::steady_clock::now();
  RunResult push =
      repo.leakgate({"pre-push", "origin", "x", "--format", "json"},
                    {"", {}, "refs/heads/main " + next + " refs/heads/main " + c + "\n"});
  double push_seconds = seconds_since(start);
  CHECK(push.exit_code == 1);
  auto found = findings_of(report(push));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["path"] == "b.env");
  CHECK(push_seconds < 60);
}

TEST_CASE("a 2 GB sparse file is skipped by the size limit, with a message, not read") {
  TempDir dir;
  {
    std::ofstream(dir / "huge.img");
    fs::resize_file(dir / "huge.img", std::uintmax_t(2) << 30);
  }
  write(dir / "small.env", "TOKEN=" + kToken1 + "\n");
  auto start = std::chrono::steady_clock::now();
  RunResult r = in_dir(dir.path(), {"scan", ".", "--format", "json"});
  CHECK(seconds_since(start) < 10);
  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  CHECK(findings_of(j).size() == 1);
  REQUIRE(j["summary"]["skipped"].size() == 1);
  CHECK(j["summary"]["skipped"][0]["what"] == "huge.img");
  CHECK(j["summary"]["skipped"][0]["reason"] == "larger than 64.0 MB");

  RunResult text = in_dir(dir.path(), {"scan", "huge.img"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.err, Catch::Contains("huge.img") && Catch::Contains("larger than 64.0 MB"));
}

TEST_CASE("a tree that names itself ends every command with an error, never a hang") {
  TempRepo repo;
  git_oid self;
  {
    ObjectWriter w(repo);
    git_oid blob = w.write(GIT_OBJECT_BLOB, "TOKEN=" + kToken1 + "\n");
    // The tree's own id is not the hash of what it holds: only a hostile database has one.
    git_oid_fromstr(&self, "abababababababababababababababababababab");
    git_oid tree = w.write(GIT_OBJECT_TREE, ObjectWriter::entry("100644", "a.env", blob) +
                                                ObjectWriter::entry("40000", "loop", self));
    w.store_as(tree, self);
    w.commit_tree(self);
  }
  std::string commit = repo.head();

  RunResult history = repo.leakgate({"history", "--format", "json"});
  CHECK(history.exit_code == 1);  // history reads raw trees once each: the token is found
  REQUIRE(findings_of(report(history)).size() == 1);

  repo.write("new.txt", "x\n");
  repo.git({"add", "new.txt"});
  RunResult staged = repo.leakgate({"staged"});
  CHECK(staged.exit_code == 2);
  CHECK_THAT(staged.err, Catch::Contains("error: cannot read HEAD: "));

  RunResult push = repo.leakgate(
      {"pre-push", "origin", "x"},
      {"", {}, "refs/heads/main " + commit + " refs/heads/main " + std::string(40, '0') + "\n"});
  CHECK(push.exit_code == 2);
  CHECK_THAT(push.err, Catch::Contains("hash mismatch"));
}

TEST_CASE("trees nested deeper than git allows: an error naming the tree, never a crash") {
  TempRepo repo;
  std::string deepest;
  {
    ObjectWriter w(repo);
    git_oid blob = w.write(GIT_OBJECT_BLOB, "TOKEN=" + kToken1 + "\n");
    git_oid tree = w.write(GIT_OBJECT_TREE, ObjectWriter::entry("100644", "a.env", blob));
    for (int level = 0; level < 5000; ++level) {
      if (level == 5000 - 4097) deepest = ObjectWriter::hex(tree);
      tree = w.write(GIT_OBJECT_TREE, ObjectWriter::entry("40000", "d", tree));
    }
    w.commit_tree(tree);
  }
  RunResult r = repo.leakgate({"history", "--format", "json"});
  CHECK(r.exit_code == 2);
  nlohmann::json j = report(r);
  CHECK(findings_of(j).empty());
  auto errors = errors_of(j);
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], Catch::StartsWith("tree " + deepest + " (d/d/d/") &&
                            Catch::EndsWith("...): nested more than 4096 levels deep; not read"));
}

TEST_CASE("a configuration pattern built to backtrack runs in linear time") {
  TempDir dir;
  write(dir / "a.txt",
        std::string(200'000, 'a') + "\n" + "x " + std::string(100'000, 'x') + " " + kToken1 + "\n");
  SECTION("a rule of one's own with nested quantifiers") {
    write(dir / ".leakgate.toml",
          "[[rules]]\nid = \"nested\"\npattern = '''((?:(?:a|aa)+)+)!'''\nkeywords = [\"aaaa\"]\n");
    auto start = std::chrono::steady_clock::now();
    RunResult r = in_dir(dir.path(), {"scan", "a.txt", "--format", "json"});
    CHECK(seconds_since(start) < 20);
    CHECK(r.exit_code == 1);
    CHECK(findings_of(report(r), "nested").empty());
  }
  SECTION("an allowlisted line pattern with nested quantifiers") {
    write(dir / ".leakgate.toml", "[allow]\nlines = ['^(x+x+)+y$']\n");
    auto start = std::chrono::steady_clock::now();
    RunResult r = in_dir(dir.path(), {"scan", "a.txt", "--format", "json"});
    CHECK(seconds_since(start) < 20);
    CHECK(r.exit_code == 1);
    CHECK(findings_of(report(r)).size() == 1);
  }
  SECTION("what only a backtracking engine can do is an error that names the rule") {
    write(dir / ".leakgate.toml",
          "[[rules]]\nid = \"backref\"\npattern = '''(a+)\\1'''\nkeywords = [\"a\"]\n");
    RunResult r = in_dir(dir.path(), {"scan", "a.txt"});
    CHECK(r.exit_code == 2);
    CHECK(r.err ==
          "leakgate: .leakgate.toml:1:1: rule 'backref': pattern does not compile: "
          "invalid escape sequence: \\1\n");
  }
  SECTION("a pattern too large to compile is an error that names the rule") {
    write(dir / ".leakgate.toml",
          "[[rules]]\nid = \"huge\"\npattern = '''((((a{100}){100}){100}){100})'''\n"
          "keywords = [\"a\"]\n");
    RunResult r = in_dir(dir.path(), {"scan", "a.txt"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("leakgate: .leakgate.toml:1:1: rule 'huge': pattern "
                                        "does not compile: "));
  }
}
