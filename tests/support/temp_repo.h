// Test support: temporary directories and repositories built by real git, and running the real
// leakgate binary, so end-to-end tests exercise exactly what users run.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace leakgate::test {

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

struct RunOptions {
  std::string cwd;
  std::map<std::string, std::string> env;  // added to (or, with empty value, removed from) ours
  std::string input;                        // standard input
};

// Runs argv[0] (looked up in PATH) and waits; never throws on a non-zero exit.
RunResult run(const std::vector<std::string>& argv, const RunOptions& options = {});

// Runs the leakgate binary under test.
RunResult leakgate(const std::vector<std::string>& args, const RunOptions& options = {});
std::string leakgate_binary();

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

// A repository in a temporary directory, with a fixed identity and dates, so commit ids are
// stable across runs.
class TempRepo {
 public:
  explicit TempRepo(const std::vector<std::string>& init_args = {});
  const std::string& path() const { return dir_.path(); }
  std::string operator/(const std::string& rel) const { return dir_ / rel; }

  // Writes a file (creating directories) relative to the work tree.
  void write(const std::string& rel, const std::string& content) const;
  std::string read(const std::string& rel) const;
  // Runs git in the work tree; fails the test when git fails unless allow_failure.
  std::string git(const std::vector<std::string>& args, bool allow_failure = false) const;
  RunResult git_result(const std::vector<std::string>& args, const RunOptions& o = {}) const;
  // Stages and commits everything; returns the new commit id.
  std::string commit_all(const std::string& message) const;
  std::string head() const;
  RunResult leakgate(const std::vector<std::string>& args, RunOptions o = {}) const;

 private:
  TempDir dir_;
};

// Reads a whole file.
std::string slurp(const std::string& path);

}  // namespace leakgate::test
