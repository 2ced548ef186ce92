// End-to-end: what a repository cannot make leakgate do. A repository may belong to someone
// else (a clone being vetted before it is published, a contributor's branch), and everything in
// it, its configuration and attributes too, is theirs: leakgate never runs a program it names
// (no hooks, filters, diff drivers, fsmonitor, pager, credential helper or transport), and never
// connects anywhere, not even to the remote a partial clone would fetch its missing objects from.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "support/findings.h"
#include "support/temp_repo.h"

using namespace leakgate::test;
namespace fs = std::filesystem;

namespace {

// Every way git lets a repository's configuration name a program, each a command that leaves
// a mark named after its key in `marks`.
std::string hostile_config(const std::string& marks, const std::string& hooks) {
  // (Built by appending: GCC 12 warns, wrongly, about "literal" + a temporary string.)
  auto after = [&](std::string prefix, const std::string& name) {
    prefix += "touch " + marks + "/" + name;
    return prefix;
  };
  auto mark = [&](const std::string& name) { return after("", name); };
  struct Entry {
    std::string section, key, value;
  };
  const std::vector<Entry> entries = {
      {"core", "fsmonitor", mark("core.fsmonitor")},
      {"core", "hooksPath", hooks},
      {"core", "pager", mark("core.pager")},
      {"core", "editor", mark("core.editor")},
      {"core", "sshCommand", mark("core.sshCommand")},
      {"core", "askPass", mark("core.askPass")},
      {"core", "gitProxy", mark("core.gitProxy")},
      {"core", "alternateRefsCommand", mark("core.alternateRefsCommand")},
      {"diff", "external", mark("diff.external")},
      {"diff \"evil\"", "textconv", mark("diff.evil.textconv")},
      {"diff \"evil\"", "command", mark("diff.evil.command")},
      {"filter \"evil\"", "clean", mark("filter.evil.clean")},
      {"filter \"evil\"", "smudge", mark("filter.evil.smudge")},
      {"filter \"evil\"", "process", mark("filter.evil.process")},
      {"filter \"evil\"", "required", "true"},
      {"merge \"evil\"", "driver", mark("merge.evil.driver")},
      {"credential", "helper", after("!", "credential.helper")},
      {"gpg", "program", mark("gpg.program")},
      {"sequence", "editor", mark("sequence.editor")},
      {"uploadpack", "packObjectsHook", mark("uploadpack.packObjectsHook")},
      {"protocol", "allow", "always"},
      {"remote \"origin\"", "url", after("ext::sh -c ", "remote.ext")},
      {"remote \"origin\"", "promisor", "true"},
  };
  std::string out;
  for (const Entry& e : entries) out += "[" + e.section + "]\n\t" + e.key + " = " + e.value + "\n";
  return out;
}

// A hooks directory where every hook leaves a mark.
void plant_hooks(const std::string& hooks, const std::string& marks) {
  fs::create_directories(hooks);
  for (const char* name :
       {"pre-commit", "prepare-commit-msg", "commit-msg", "post-commit", "pre-push",
        "post-checkout", "post-merge", "pre-auto-gc", "reference-transaction", "fsmonitor-watchman",
        "post-index-change", "push-to-checkout"}) {
    std::string path = hooks + "/" + name;
    std::ofstream(path) << "#!/bin/sh\ntouch " << marks << "/hook." << name << "\n";
    fs::permissions(path, fs::perms::owner_all);
  }
}

std::vector<std::string> marks_in(const std::string& marks) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(marks)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// A TCP listener on a free port of 127.0.0.1 that is never answered: a connection to it shows
// up as one pending in its queue.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() { ::close(fd_); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/repo.git"; }
  // How many connections arrived (and are closed now).
  int connections() {
    int n = 0;
    for (int c; (c = ::accept(fd_, nullptr, nullptr)) >= 0; ++n) ::close(c);
    return n;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace

TEST_CASE("a repository's configuration and attributes cannot make leakgate run anything") {
  TempRepo repo;
  TempDir outside;
  std::string marks = outside / "marks", hooks = outside / "hooks";
  fs::create_directories(marks);
  repo.write(".gitattributes", "* filter=evil diff=evil merge=evil\n");
  repo.write("old.env", "TOKEN=" + kToken1 + "\n");
  std::string base = repo.commit_all("base");
  repo.write("new.env", "TOKEN=" + kToken2 + "\n");
  repo.git({"add", "new.env"});
  repo.write("MSG", "a message\n");
  // Planted last: git itself, which the set-up above runs, would honour all of it.
  plant_hooks(hooks, marks);
  std::ofstream(repo / ".git/config", std::ios::app) << hostile_config(marks, hooks);

  std::string push = "refs/heads/main " + base + " refs/heads/main " + std::string(40, '0') + "\n";
  struct Case {
    std::vector<std::string> args;
    std::string input;
    int exit_code;
  };
  const std::vector<Case> cases = {
      {{"staged"}, "", 1},
      {{"hook", "pre-commit"}, "", 1},
      {{"history"}, "", 1},
      {{"history", "--all-objects"}, "", 1},
      {{"pre-push", "origin", "ext::sh -c touch% " + marks + "/pre-push-url"}, push, 1},
      {{"hook", "pre-push", "origin", "ext::sh -c touch% " + marks + "/hook-url"}, push, 1},
      {{"commit-msg", "MSG"}, "", 0},
      {{"scan", "."}, "", 1},
      {{"rules", "list"}, "", 0},
  };
  for (const Case& c : cases) {
    RunResult r = repo.leakgate(c.args, {"", {}, c.input});
    INFO(c.args[0] << " " << (c.args.size() > 1 ? c.args[1] : "") << ": " << r.err);
    CHECK(r.exit_code == c.exit_code);
  }
  RunResult doctor = repo.leakgate({"doctor"});
  INFO("doctor: " << doctor.err);
  CHECK(doctor.exit_code != 2);

  CHECK(marks_in(marks).empty());

  // The plant is live: git, asked for a status and a diff, runs what it names.
  repo.git_result({"status"});
  repo.git_result({"diff", "HEAD", "--", "new.env"});
  CHECK_FALSE(marks_in(marks).empty());
}

TEST_CASE("under strace: the sweep and the hook start no program and open no network socket") {
  if (run({"strace", "-V"}).exit_code != 0) {
    WARN("strace is not installed (install/deps.sh installs it); skipped");
    return;
  }
  TempRepo repo;
  TempDir outside;
  repo.write("old.env", "TOKEN=" + kToken1 + "\n");
  repo.commit_all("base");
  repo.write("new.env", "TOKEN=" + kToken2 + "\n");
  repo.git({"add", "new.env"});
  std::ofstream(repo / ".git/config", std::ios::app)
      << hostile_config(outside.path(), outside / "hooks");

  for (std::vector<std::string> args : {std::vector<std::string>{"staged"}, {"history"}}) {
    std::string log = outside / ("strace-" + args[0]);
    std::vector<std::string> argv = {"strace",
                                     "-f",
                                     "-qq",
                                     "-o",
                                     log,
                                     "-e",
                                     "trace=execve,execveat,fork,vfork,socket,connect",
                                     leakgate_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    RunResult r = run(argv, {repo.path(), {{"GIT_CONFIG_GLOBAL", "/dev/null"}}, ""});
    if (r.exit_code != 1) {
      WARN("strace cannot trace here (" << r.err << "); skipped");
      return;
    }
    std::vector<std::string> calls;
    for (const auto& line : lines_of(slurp(log))) {
      if (line.find("execve(") != std::string::npos || line.find("fork(") != std::string::npos ||
          line.find("socket(AF_INET") != std::string::npos ||
          line.find("sa_family=AF_INET") != std::string::npos) {
        calls.push_back(line);
      }
    }
    INFO(args[0] << ":\n" << slurp(log));
    REQUIRE(calls.size() == 1);  // leakgate's own start
    CHECK_THAT(calls[0], Catch::Contains("execve(\"" + leakgate_binary() + "\""));
  }
}

TEST_CASE("leakgate never connects to a remote, even the one a partial clone fetches from") {
  Listener listener;
  TempRepo origin;
  origin.write("a.env", "TOKEN=" + kToken1 + "\n");
  origin.write("b.txt", "plain\n");
  std::string base = origin.commit_all("start");
  origin.git({"config", "uploadpack.allowFilter", "true"});
  TempDir dir;
  std::string clone = dir / "partial";
  origin.git(
      {"clone", "-q", "--no-checkout", "--filter=blob:none", "file://" + origin.path(), clone});
  origin.git({"-C", clone, "config", "remote.origin.url", listener.url()});
  origin.git({"-C", clone, "config", "remote.origin.pushurl", listener.url()});
  std::string push = "refs/heads/main " + base + " refs/heads/main " + std::string(40, '0') + "\n";

  RunOptions in_clone{clone, {}, ""};
  RunResult history = run_leakgate({"history", "--format", "json"}, in_clone);
  CHECK(history.exit_code == 2);  // the missing blobs: partial
  // Regression: the note looked for extensions.partialClone only, which git has not written
  // since 2.28; a promisor remote is what marks a partial clone now.
  CHECK_THAT(report(history)["summary"]["notes"].dump(),
             Catch::Contains("this is a partial clone"));
  CHECK(run_leakgate({"history", "--all-objects"}, in_clone).exit_code == 2);
  CHECK(run_leakgate({"staged"}, in_clone).exit_code == 0);
  RunResult pushed = run_leakgate({"pre-push", "origin", listener.url()}, {clone, {}, push});
  CHECK(pushed.exit_code == 0);  // origin/main has the commit: nothing to send, nothing read
  run_leakgate({"doctor"}, in_clone);

  CHECK(listener.connections() == 0);
}
