// PurgePlan: what `leakgate history --purge-plan FILE` makes of a sweep's findings. The file is
// a replacements file for `git filter-repo --replace-text` (and --replace-message), one line
// per distinct secret: `literal:SECRET==>***REMOVED-<rule>***`. The instructions say how to
// run it, check the result and drop the old objects, and that rotation comes first.
//
//   PurgePlan plan;
//   plan.add(finding);                                  // every finding of the sweep
//   LEAKGATE_TRY(plan.write("purge.txt"));              // mode 0600: it holds every secret
//   fmt::print("{}", plan.instructions({"purge.txt", repo_dir}));
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "base/result.h"
#include "engine/finding.h"

namespace leakgate::report {

class PurgePlan {
 public:
  void add(const engine::Finding& f);
  std::size_t size() const { return secrets_.size(); }
  bool empty() const { return secrets_.empty(); }

  // The file's text. The longest secret comes first: filter-repo replaces in file order, and
  // a shorter secret inside a longer one must not break the longer one up before it is found.
  std::string replacements() const;

  // Writes replacements() to a new private file (see base/private_file.h).
  Status write(const std::string& path) const;

  struct Where {
    std::string plan;        // the plan's path, absolute
    std::string repository;  // the work tree (or the git directory of a bare repository)
    bool complete = true;    // false: the sweep could not read everything
  };
  // What to do with the plan, step by step, with commands to copy.
  std::string instructions(const Where& where) const;

 private:
  struct Less {  // longest first, then bytewise: a stable order
    bool operator()(const std::string& a, const std::string& b) const {
      return a.size() != b.size() ? a.size() > b.size() : a < b;
    }
  };
  std::map<std::string, const rules::Rule*, Less> secrets_;
};

// `s` quoted for a POSIX shell.
std::string shell_quote(std::string_view s);

}  // namespace leakgate::report
