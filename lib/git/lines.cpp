#include "git/lines.h"

#include <algorithm>

namespace leakgate::git {
namespace {

std::vector<engine::LineRange> patch_additions(git_patch* patch) {
  std::vector<engine::LineRange> ranges;
  if (!patch) return ranges;
  std::size_t hunks = git_patch_num_hunks(patch);
  for (std::size_t h = 0; h < hunks; ++h) {
    int lines = git_patch_num_lines_in_hunk(patch, h);
    for (int l = 0; l < lines; ++l) {
      const git_diff_line* line = nullptr;
      if (git_patch_get_line_in_hunk(&line, patch, h, std::size_t(l)) < 0) continue;
      if (line->origin != GIT_DIFF_LINE_ADDITION || line->new_lineno <= 0) continue;
      std::size_t n = std::size_t(line->new_lineno);
      if (!ranges.empty() && ranges.back().last + 1 == n) {
        ranges.back().last = n;
      } else {
        ranges.push_back({n, n});
      }
    }
  }
  return ranges;
}

}  // namespace

git_diff_options hook_diff_options() {
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 0;
  opts.flags |= GIT_DIFF_FORCE_TEXT;
  return opts;
}

Result<std::vector<engine::LineRange>> added_lines(git_diff* diff, std::size_t i) {
  git_patch* raw = nullptr;
  if (git_patch_from_diff(&raw, diff, i) < 0) return last_error("cannot diff");
  PatchPtr patch(raw);
  return patch_additions(patch.get());
}

AddedLines intersect(const AddedLines& lines, const AddedLines& other) {
  if (lines.whole) return other;
  if (other.whole) return lines;
  AddedLines out;
  auto a = lines.ranges.begin();
  auto b = other.ranges.begin();
  while (a != lines.ranges.end() && b != other.ranges.end()) {
    std::size_t first = std::max(a->first, b->first);
    std::size_t last = std::min(a->last, b->last);
    if (first <= last) out.ranges.push_back({first, last});
    if (a->last < b->last) {
      ++a;
    } else {
      ++b;
    }
  }
  return out;
}

Status narrow_to_parent(git_repository* repo, git_tree* parent, const char* path,
                        const git_oid& new_blob, AddedLines& lines) {
  git_tree_entry* raw_entry = nullptr;
  int rc = git_tree_entry_bypath(&raw_entry, parent, path);
  if (rc == GIT_ENOTFOUND) return {};  // new relative to this parent: no narrowing
  if (rc < 0) return last_error(fmt::format("{}: cannot read a parent's tree", path));
  std::unique_ptr<git_tree_entry, void (*)(git_tree_entry*)> entry(raw_entry, git_tree_entry_free);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return {};
  const git_oid* old_id = git_tree_entry_id(entry.get());
  if (git_oid_equal(old_id, &new_blob)) {
    lines = AddedLines{};
    return {};
  }
  git_blob* raw_old = nullptr;
  git_blob* raw_new = nullptr;
  if (git_blob_lookup(&raw_old, repo, old_id) < 0 ||
      git_blob_lookup(&raw_new, repo, &new_blob) < 0) {
    if (raw_old) git_blob_free(raw_old);
    return last_error(fmt::format("{}: cannot read a parent's blob", path));
  }
  BlobPtr old_blob(raw_old), blob(raw_new);
  git_diff_options opts = hook_diff_options();
  git_patch* raw_patch = nullptr;
  if (git_patch_from_blobs(&raw_patch, old_blob.get(), path, blob.get(), path, &opts) < 0) {
    return last_error(fmt::format("{}: cannot diff against a parent", path));
  }
  PatchPtr patch(raw_patch);
  lines = intersect(lines, AddedLines{false, patch_additions(patch.get())});
  return {};
}

}  // namespace leakgate::git
