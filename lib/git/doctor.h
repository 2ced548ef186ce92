// Doctor: checks a repository against the basics every project that handles tokens should
// follow, and says how to fix each one that fails.
//
//   1. core.hooksPath, when set, names a directory that exists (else git runs no hook at all).
//   2. A pre-commit hook runs leakgate (a symlink, a chain, or the pre-commit framework with
//      leakgate in .pre-commit-config.yaml).
//   3. The ignore rules cover .env, .env.local, .env.*.local and *.pem.
//   4. No such file is tracked.
//   5. A sweep of history finds nothing.
//
//   auto checks = git::doctor(repo, scanner, {max_size});
//   for (const auto& c : *checks) print(c);
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/result.h"
#include "engine/scanner.h"
#include "git/repo.h"

namespace leakgate::git {

struct DoctorCheck {
  std::string name;  // "pre-commit hook"
  bool ok = false;
  std::string detail;              // what was found, one line
  std::vector<std::string> fixes;  // what to do, when not ok
};

struct DoctorOptions {
  std::size_t max_blob_size;
};

Result<std::vector<DoctorCheck>> doctor(git_repository* repo, const engine::Scanner& scanner,
                                        const DoctorOptions& options);

}  // namespace leakgate::git
