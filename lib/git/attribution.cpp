#include "git/attribution.h"

#include <cctype>
#include <functional>
#include <queue>

#include <fmt/format.h>

#include "git/repo.h"

namespace leakgate::git {

namespace {

constexpr std::uint32_t kNone = ObjectGraph::kNone;

// Git notes fan a large notes tree out into directories ("ee/6b24..."); the note is about
// the object whose id the path spells, so that id is its path.
std::string unfan_note_path(std::string path) {
  std::string joined;
  for (char c : path) {
    if (c == '/') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c)) || std::isupper(static_cast<unsigned char>(c))) {
      return path;
    }
    joined += c;
  }
  if (joined.size() != GIT_OID_HEXSZ || joined.size() == path.size()) return path;
  for (std::size_t slash = path.find('/'), start = 0; slash != std::string::npos;
       start = slash + 1, slash = path.find('/', start)) {
    if (slash - start != 2) return path;  // fan-out directories are two digits each
  }
  return joined;
}

}  // namespace

Attribution::Attribution(const ObjectGraph& g)
    : g_(g),
      seen_tree_(g.size(), false),
      origin_of_(g.size(), kNone),
      sequence_(g.commits().size(), kNone) {}

void Attribution::walk_commits(const std::vector<std::uint32_t>& tips, Mark mark) {
  for (std::uint32_t c : topological(tips)) {
    sequence_[c] = std::uint32_t(walked_++);
    if (mark.in_scope) ++in_scope_;
    walk_tree(g_.commits()[c].tree, std::string(), c, mark);
  }
}

void Attribution::walk_tree(std::uint32_t tree, const std::string& prefix, std::uint32_t commit,
                            Mark mark, std::size_t depth) {
  if (seen_tree_[tree]) return;
  seen_tree_[tree] = true;
  if (depth > kMaxTreeDepth) {
    too_deep_.push_back(fmt::format("tree {} ({}...)", oid_hex(g_.id(tree)), prefix.substr(0, 80)));
    return;
  }
  std::uint32_t record = g_.record(tree);
  if (g_.type(tree) != GIT_OBJECT_TREE || record == kNone) {
    missing_.push_back(
        fmt::format("tree {} ({})", oid_hex(g_.id(tree)), prefix.empty() ? "/" : prefix));
    return;
  }
  auto [begin, end] = g_.entries(record);
  for (const auto* e = begin; e != end; ++e) {
    // Most entries of a new tree are old: test before building a path.
    switch (e->kind()) {
      case ObjectGraph::EntryKind::tree:
        if (!seen_tree_[e->object]) {
          std::string sub = prefix;
          sub.append(g_.name(e->name_index())).push_back('/');
          walk_tree(e->object, sub, commit, mark, depth + 1);
        }
        break;
      case ObjectGraph::EntryKind::blob:
        if (origin_of_[e->object] == kNone) {
          std::string path = prefix;
          path.append(g_.name(e->name_index()));
          add_blob(e->object, std::move(path), commit, mark);
        }
        break;
      case ObjectGraph::EntryKind::gitlink: break;  // a commit in another repository
    }
  }
}

void Attribution::add_blob(std::uint32_t blob, std::string path, std::uint32_t commit,
                           Mark mark) {
  if (origin_of_[blob] != kNone) return;
  origin_of_[blob] = std::uint32_t(origins_.size());
  origins_.push_back({commit, std::uint32_t(paths_.size()), mark.reachable, mark.in_scope});
  paths_.push_back(unfan_note_path(std::move(path)));
}

std::vector<std::uint32_t> Attribution::topological(const std::vector<std::uint32_t>& tips) const {
  const auto& commits = g_.commits();
  const auto& parents = g_.parents();
  auto parent_record = [&](std::uint32_t p) -> std::uint32_t {
    return g_.type(p) == GIT_OBJECT_COMMIT ? g_.record(p) : kNone;
  };
  // The commits to walk: reachable from the tips, not walked before.
  std::vector<std::uint32_t> set, stack;
  std::vector<bool> in_set(commits.size(), false);
  for (std::uint32_t t : tips) {
    if (!in_set[t] && !walked(t)) in_set[t] = true, stack.push_back(t);
  }
  while (!stack.empty()) {
    std::uint32_t c = stack.back();
    stack.pop_back();
    set.push_back(c);
    for (std::uint32_t i = commits[c].parents_begin; i < commits[c].parents_end; ++i) {
      std::uint32_t p = parent_record(parents[i]);
      if (p == kNone || walked(p)) continue;  // a shallow cut, or history already walked
      if (!in_set[p]) in_set[p] = true, stack.push_back(p);
    }
  }
  // Kahn's algorithm over the set; among the ready commits, the oldest first.
  std::vector<std::uint32_t> pending(commits.size(), 0);
  std::vector<std::vector<std::uint32_t>> children(commits.size());
  for (std::uint32_t c : set) {
    for (std::uint32_t i = commits[c].parents_begin; i < commits[c].parents_end; ++i) {
      std::uint32_t p = parent_record(parents[i]);
      if (p == kNone || !in_set[p]) continue;
      ++pending[c];
      children[p].push_back(c);
    }
  }
  using Item = std::pair<std::int64_t, std::uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> ready;
  for (std::uint32_t c : set) {
    if (pending[c] == 0) ready.emplace(commits[c].time, c);
  }
  std::vector<std::uint32_t> out;
  out.reserve(set.size());
  while (!ready.empty()) {
    std::uint32_t c = ready.top().second;
    ready.pop();
    out.push_back(c);
    for (std::uint32_t child : children[c]) {
      if (--pending[child] == 0) ready.emplace(commits[child].time, child);
    }
  }
  return out;
}

}  // namespace leakgate::git
