// Whereabouts: where a secret still lives, the question before a repository is made public
// (would `git push --mirror` publish it?): which refs reach the commit that brought it, and
// which branch tips still hold it in their files.
//
//   Whereabouts w(graph, refs);
//   w.prepare_tips(all_blobs_with_findings);
//   w.refs_reaching(commit);   w.tips_holding(blobs_of_one_secret);
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "git/object_graph.h"

namespace leakgate::git {

class Whereabouts {
 public:
  struct Ref {
    std::string name;
    std::uint32_t commit;  // a commit record
    bool branch;           // refs/heads/* or a detached HEAD: its files are "at the tip"
  };

  Whereabouts(const ObjectGraph& g, std::vector<Ref> refs);

  // The refs from which `commit` (a record) is reachable, sorted by name. Each distinct commit
  // costs one walk over its descendants; past kMaxCommits distinct commits the answer is
  // empty and limited() says so.
  const std::vector<std::string>& refs_reaching(std::uint32_t commit);
  bool limited() const { return limited_; }

  // Finds, once, which of `blobs` each branch tip's tree holds.
  void prepare_tips(const std::vector<std::uint32_t>& blobs);
  // Branch tips whose tree holds any of `blobs`, sorted by name.
  std::vector<std::string> tips_holding(const std::vector<std::uint32_t>& blobs) const;

  static constexpr std::size_t kMaxCommits = 2000;

 private:
  const std::vector<std::uint32_t>& blobs_under(std::uint32_t tree, std::size_t depth = 0);

  const ObjectGraph& g_;
  std::vector<Ref> refs_;
  std::vector<std::uint32_t> child_begin_, children_;  // commit record -> child records
  std::map<std::uint32_t, std::vector<std::string>> reaching_;
  bool limited_ = false;
  std::vector<bool> wanted_;                                         // object -> is a target blob
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> under_;  // tree -> target blobs
  std::vector<std::vector<std::uint32_t>> tip_blobs_;                // per ref (branches only)
};

}  // namespace leakgate::git
