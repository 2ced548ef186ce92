#include "support/temp_repo.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>

extern char** environ;

namespace leakgate::test {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> merged_env(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    std::size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : extra) {
    if (v.empty()) {
      env.erase(k);
    } else {
      env[k] = v;
    }
  }
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

}  // namespace

RunResult run(const std::vector<std::string>& argv, const RunOptions& options) {
  int in[2], out[2], err[2];
  if (pipe(in) || pipe(out) || pipe(err)) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) {
    posix_spawn_file_actions_addclose(&fa, fd);
  }
  if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, options.cwd.c_str());

  std::vector<std::string> env = merged_env(options.env);
  std::vector<char*> envp, args;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& a : argv_copy) args.push_back(a.data());
  args.push_back(nullptr);

  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (rc != 0) throw std::runtime_error("cannot run " + argv[0] + ": " + std::strerror(rc));

  // Feed stdin and drain stdout/stderr together so that neither side blocks.
  RunResult r;
  std::size_t written = 0;
  if (options.input.empty()) close(in[1]), in[1] = -1;
  struct pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0 || fds[2].fd >= 0) {
    poll(fds, 3, -1);
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP))) {
        ssize_t n = read(fds[i].fd, buf, sizeof buf);
        if (n <= 0) {
          close(fds[i].fd);
          fds[i].fd = -1;
          --open_fds;
        } else {
          (i == 0 ? r.out : r.err).append(buf, std::size_t(n));
        }
      }
    }
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n = write(fds[2].fd, options.input.data() + written, options.input.size() - written);
      if (n > 0) written += std::size_t(n);
      if (n <= 0 || written == options.input.size()) {
        close(fds[2].fd);
        fds[2].fd = -1;
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string leakgate_binary() { return LEAKGATE_BINARY; }

RunResult leakgate(const std::vector<std::string>& args, const RunOptions& options) {
  std::vector<std::string> argv = {leakgate_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, options);
}

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "leakgate-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = fs::canonical(tmpl).string();
}

TempDir::~TempDir() {
  std::error_code ec;
  // Tests may remove permissions; restore them so the tree can be deleted.
  for (auto it = fs::recursive_directory_iterator(path_, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  }
  fs::remove_all(path_, ec);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

// A fixed identity and clock: stable commit ids, and no dependence on the user's git config.
std::map<std::string, std::string> git_env() {
  return {{"GIT_AUTHOR_NAME", "Ada Tester"},        {"GIT_AUTHOR_EMAIL", "ada@example.test"},
          {"GIT_COMMITTER_NAME", "Ada Tester"},     {"GIT_COMMITTER_EMAIL", "ada@example.test"},
          {"GIT_AUTHOR_DATE", "2024-05-01T12:00:00Z"},
          {"GIT_COMMITTER_DATE", "2024-05-01T12:00:00Z"},
          {"GIT_CONFIG_GLOBAL", "/dev/null"},        {"GIT_CONFIG_NOSYSTEM", "1"},
          {"GIT_DIR", ""}, {"GIT_WORK_TREE", ""}, {"GIT_INDEX_FILE", ""}};
}

}  // namespace

TempRepo::TempRepo(const std::vector<std::string>& init_args) {
  std::vector<std::string> args = {"init", "-q", "-b", "main"};
  args.insert(args.end(), init_args.begin(), init_args.end());
  args.push_back(dir_.path());
  RunResult r = run([&] {
    std::vector<std::string> a = {"git"};
    a.insert(a.end(), args.begin(), args.end());
    return a;
  }(), {"", git_env(), ""});
  if (r.exit_code != 0) FAIL("git init failed: " << r.err);
}

void TempRepo::write(const std::string& rel, const std::string& content) const {
  fs::path p = fs::path(path()) / rel;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
}

std::string TempRepo::read(const std::string& rel) const { return slurp(*this / rel); }

RunResult TempRepo::git_result(const std::vector<std::string>& args, const RunOptions& o) const {
  std::vector<std::string> argv = {"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions opts = o;
  if (opts.cwd.empty()) opts.cwd = path();
  auto env = git_env();
  for (const auto& [k, v] : o.env) env[k] = v;
  opts.env = env;
  return run(argv, opts);
}

std::string TempRepo::git(const std::vector<std::string>& args, bool allow_failure) const {
  RunResult r = git_result(args);
  if (r.exit_code != 0 && !allow_failure) {
    std::string cmd;
    for (const auto& a : args) cmd += " " + a;
    FAIL("git" << cmd << " failed (" << r.exit_code << "): " << r.err);
  }
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string TempRepo::commit_all(const std::string& message) const {
  git({"add", "-A"});
  git({"commit", "-q", "--no-verify", "-m", message});
  return head();
}

std::string TempRepo::head() const { return git({"rev-parse", "HEAD"}); }

RunResult TempRepo::leakgate(const std::vector<std::string>& args, RunOptions o) const {
  if (o.cwd.empty()) o.cwd = path();
  auto env = git_env();
  for (const auto& [k, v] : o.env) env[k] = v;
  o.env = env;
  return test::leakgate(args, o);
}

}  // namespace leakgate::test
