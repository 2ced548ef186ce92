#include "git/whereabouts.h"

#include <algorithm>

#include "git/attribution.h"

namespace leakgate::git {

namespace {
constexpr std::uint32_t kNone = ObjectGraph::kNone;
const std::vector<std::string> kNoRefs;
}  // namespace

Whereabouts::Whereabouts(const ObjectGraph& g, std::vector<Ref> refs)
    : g_(g), refs_(std::move(refs)) {
  std::sort(refs_.begin(), refs_.end(), [](const Ref& a, const Ref& b) { return a.name < b.name; });
  // Child lists in one array (CSR): descendants are what reach() walks.
  const auto& commits = g.commits();
  std::vector<std::uint32_t> count(commits.size() + 1, 0);
  auto each_parent = [&](auto&& fn) {
    for (std::uint32_t c = 0; c < commits.size(); ++c) {
      for (std::uint32_t i = commits[c].parents_begin; i < commits[c].parents_end; ++i) {
        std::uint32_t p = g.parents()[i];
        if (g.type(p) == GIT_OBJECT_COMMIT && g.record(p) != kNone) fn(g.record(p), c);
      }
    }
  };
  each_parent([&](std::uint32_t p, std::uint32_t) { ++count[p + 1]; });
  for (std::size_t i = 1; i < count.size(); ++i) count[i] += count[i - 1];
  child_begin_ = count;
  children_.resize(count.back());
  each_parent([&](std::uint32_t p, std::uint32_t c) { children_[count[p]++] = c; });
}

const std::vector<std::string>& Whereabouts::refs_reaching(std::uint32_t commit) {
  if (commit == kNone) return kNoRefs;
  if (auto it = reaching_.find(commit); it != reaching_.end()) return it->second;
  if (reaching_.size() >= kMaxCommits) {
    limited_ = true;
    return kNoRefs;
  }
  std::vector<bool> seen(g_.commits().size(), false);
  std::vector<std::uint32_t> stack = {commit};
  seen[commit] = true;
  while (!stack.empty()) {
    std::uint32_t c = stack.back();
    stack.pop_back();
    for (std::uint32_t i = child_begin_[c]; i < child_begin_[c + 1]; ++i) {
      if (!seen[children_[i]]) seen[children_[i]] = true, stack.push_back(children_[i]);
    }
  }
  std::vector<std::string> names;
  for (const Ref& r : refs_) {
    if (seen[r.commit]) names.push_back(r.name);
  }
  return reaching_.emplace(commit, std::move(names)).first->second;
}

const std::vector<std::uint32_t>& Whereabouts::blobs_under(std::uint32_t tree, std::size_t depth) {
  if (auto it = under_.find(tree); it != under_.end()) return it->second;
  // Entered before its subtrees: in an object database whose hashes nobody checks, a tree can
  // name itself, and must end the walk rather than recurse without end. Too deep a tree
  // (history reports it) holds nothing here.
  std::vector<std::uint32_t>& found = under_[tree];
  std::uint32_t record = g_.record(tree);
  if (g_.type(tree) == GIT_OBJECT_TREE && record != kNone && depth <= Attribution::kMaxTreeDepth) {
    auto [begin, end] = g_.entries(record);
    for (const auto* e = begin; e != end; ++e) {
      if (e->kind() == ObjectGraph::EntryKind::blob && wanted_[e->object]) {
        found.push_back(e->object);
      } else if (e->kind() == ObjectGraph::EntryKind::tree) {
        const auto& sub = blobs_under(e->object, depth + 1);
        if (&sub != &found) found.insert(found.end(), sub.begin(), sub.end());
      }
    }
  }
  return found;
}

void Whereabouts::prepare_tips(const std::vector<std::uint32_t>& blobs) {
  wanted_.assign(g_.size(), false);
  for (std::uint32_t b : blobs) wanted_[b] = true;
  tip_blobs_.assign(refs_.size(), {});
  for (std::size_t i = 0; i < refs_.size(); ++i) {
    if (!refs_[i].branch) continue;
    auto found = blobs_under(g_.commits()[refs_[i].commit].tree);
    std::sort(found.begin(), found.end());
    tip_blobs_[i] = std::move(found);
  }
}

std::vector<std::string> Whereabouts::tips_holding(const std::vector<std::uint32_t>& blobs) const {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < refs_.size() && i < tip_blobs_.size(); ++i) {
    const auto& held = tip_blobs_[i];
    if (std::any_of(blobs.begin(), blobs.end(), [&](std::uint32_t b) {
          return std::binary_search(held.begin(), held.end(), b);
        })) {
      names.push_back(refs_[i].name);
    }
  }
  return names;
}

}  // namespace leakgate::git
