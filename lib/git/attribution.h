// Attribution: for every blob, the first commit whose tree holds it and its path there.
// Commits are taken parents before children, then by commit time; trees already seen are
// skipped whole, so each unique tree is visited once and no diff is ever made.
//
//   Attribution a(graph);
//   a.walk_commits(tip_commits, {.reachable = true});
//   if (const Origin* o = a.origin(blob)) ... a.path(*o) ...
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "git/object_graph.h"

namespace leakgate::git {

struct Origin {
  std::uint32_t commit = ObjectGraph::kNone;  // a commit record, or kNone (a tag of a tree/blob)
  std::uint32_t path = 0;                     // index of Attribution::path
  bool reachable = false;                     // some ref reaches it
  bool in_scope = true;                       // the sweep's range includes it
};

class Attribution {
 public:
  struct Mark {
    bool reachable = true;
    bool in_scope = true;
  };

  // Git refuses trees nested deeper than this (core.maxTreeDepth). Deeper trees exist only in
  // hostile repositories, and each level is a frame of walk_tree's recursion.
  static constexpr std::size_t kMaxTreeDepth = 4096;

  explicit Attribution(const ObjectGraph& g);

  // Attributes what the commits (records) reach and no earlier walk did.
  void walk_commits(const std::vector<std::uint32_t>& tips, Mark mark);
  void walk_tree(std::uint32_t tree, const std::string& prefix, std::uint32_t commit, Mark mark,
                 std::size_t depth = 0);
  void add_blob(std::uint32_t blob, std::string path, std::uint32_t commit, Mark mark);

  const Origin* origin(std::uint32_t blob) const {
    return origin_of_[blob] == ObjectGraph::kNone ? nullptr : &origins_[origin_of_[blob]];
  }
  const std::string& path(const Origin& o) const { return paths_[o.path]; }
  bool walked(std::uint32_t commit) const { return sequence_[commit] != ObjectGraph::kNone; }
  // Where a commit came in the walk; kNone sorts last.
  std::uint32_t sequence(std::uint32_t commit) const {
    return commit == ObjectGraph::kNone ? ObjectGraph::kNone : sequence_[commit];
  }
  std::size_t commits_walked() const { return walked_; }
  // Commits walked with Mark::in_scope: what the sweep was asked for.
  std::size_t commits_in_scope() const { return in_scope_; }
  // Trees that history names but the object database lacks.
  const std::vector<std::string>& missing() const { return missing_; }
  // Trees not read because they lie deeper than kMaxTreeDepth.
  const std::vector<std::string>& too_deep() const { return too_deep_; }

 private:
  std::vector<std::uint32_t> topological(const std::vector<std::uint32_t>& tips) const;

  const ObjectGraph& g_;
  std::vector<bool> seen_tree_;
  std::vector<std::uint32_t> origin_of_;
  std::vector<std::uint32_t> sequence_;
  std::vector<Origin> origins_;
  std::vector<std::string> paths_{std::string()};
  std::vector<std::string> missing_, too_deep_;
  std::size_t walked_ = 0, in_scope_ = 0;
};

}  // namespace leakgate::git
