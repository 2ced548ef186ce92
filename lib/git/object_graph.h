// ObjectGraph: every commit, tree and annotated tag in the object database, read once in pack
// order and kept in a compact form, so that history can be attributed in memory.
//
//   auto graph = ObjectGraph::load(repo, odb, stats);
//   for (std::uint32_t i = 0; i < graph->size(); ++i)
//     if (graph->type(i) == GIT_OBJECT_BLOB) ...    // blobs come in pack order too
//
// Why: walking commits and their trees through libgit2 reads trees in history order, which
// resolves the same delta chains again and again; reading them in pack order, as
// `git cat-file --batch-all-objects --unordered` does, costs a third of that here. Blobs are
// only typed (their content is read later, by the scan), trees are parsed straight from their
// raw bytes. Memory: 8 bytes a tree entry, about 40 bytes an object.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <unordered_map>
#include <string>
#include <string_view>
#include <vector>

#include <git2.h>

#include "base/result.h"
#include "engine/stats.h"
#include "git/oid_map.h"

namespace leakgate::git {

class ObjectGraph {
 public:
  static constexpr std::uint32_t kNone = ~0u;

  // What a tree entry names: a blob, a subtree or a gitlink (a submodule's commit).
  enum class EntryKind : std::uint8_t { blob, tree, gitlink };
  struct Entry {
    std::uint32_t object;
    std::uint32_t name;  // index into names(); the top two bits hold the kind
    EntryKind kind() const { return EntryKind(name >> 30); }
    std::uint32_t name_index() const { return name & 0x3fffffffu; }
  };
  struct Commit {
    std::uint32_t object, tree;
    std::int64_t time;
    std::uint32_t parents_begin, parents_end;  // range into parents()
  };

  // Reads every object's type, and every commit, tree and tag. Objects that cannot be read
  // are recorded in stats.errors; a missing object that something names is kept as missing.
  // `progress(done, total)` is called now and then while objects are read.
  static Result<ObjectGraph> load(git_repository* repo, git_odb* odb, engine::ScanStats& stats,
                                  const std::function<void(std::size_t, std::size_t)>& progress);

  std::uint32_t size() const { return std::uint32_t(ids_.size()); }
  std::uint32_t find(const git_oid& id) const;
  const git_oid& id(std::uint32_t object) const { return ids_[object]; }
  // GIT_OBJECT_INVALID for an object that is named but not in the database.
  // Through int8_t: GIT_OBJECT_INVALID is -1, stored as 255, which is no git_object_t.
  git_object_t type(std::uint32_t object) const {
    return git_object_t(std::int8_t(types_[object]));
  }
  std::uint64_t object_size(std::uint32_t object) const { return sizes_[object]; }

  // The commit, tree or tag record of an object (an index into commits(), trees, tag targets).
  std::uint32_t record(std::uint32_t object) const { return records_[object]; }
  const std::vector<Commit>& commits() const { return commits_; }
  const std::vector<std::uint32_t>& parents() const { return parents_; }
  std::pair<const Entry*, const Entry*> entries(std::uint32_t tree_record) const {
    return {entries_.data() + tree_begin_[tree_record], entries_.data() + tree_begin_[tree_record + 1]};
  }
  std::uint32_t tag_target(std::uint32_t tag_record) const { return tag_targets_[tag_record]; }
  std::string_view name(std::uint32_t i) const { return names_[i]; }

 private:
  std::uint32_t intern_object(const git_oid& id);
  std::uint32_t intern_name(std::string_view name);
  bool parse_commit(std::uint32_t object, std::string_view data);
  bool parse_tree(std::uint32_t object, std::string_view data);
  bool parse_tag(std::uint32_t object, std::string_view data);

  std::vector<git_oid> ids_;
  std::vector<std::uint8_t> types_;
  std::vector<std::uint64_t> sizes_;
  std::vector<std::uint32_t> records_;
  OidMap<std::uint32_t> index_;

  std::vector<Commit> commits_;
  std::vector<std::uint32_t> parents_;
  std::vector<std::uint32_t> tree_begin_{0};
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> tag_targets_;
  std::deque<std::string> name_store_;  // stable storage behind names_
  std::vector<std::string_view> names_;
  std::unordered_map<std::string_view, std::uint32_t> name_ids_;
};

}  // namespace leakgate::git
