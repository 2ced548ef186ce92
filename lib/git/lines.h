// Which lines a change adds, so that the hook sources report only what a commit brings: the new
// side's line numbers of added lines, as sorted ranges. For a merge, a line counts only when it
// is new relative to every parent: the conflict resolution's own lines, not what either side
// already had.
#pragma once

#include <string_view>
#include <vector>

#include "base/result.h"
#include "engine/chunk.h"
#include "git/repo.h"

namespace leakgate::git {

struct AddedLines {
  bool whole = false;  // every line: the file is new
  std::vector<engine::LineRange> ranges;
  bool none() const { return !whole && ranges.empty(); }
};

// The added lines of delta `i` of `diff` (made with context_lines = 0).
Result<std::vector<engine::LineRange>> added_lines(git_diff* diff, std::size_t i);

// The lines `lines` and `other` both count as added.
AddedLines intersect(const AddedLines& lines, const AddedLines& other);

// Narrows `lines` to what blob `new_blob` at `path` also adds relative to `parent`'s tree (a
// merge's second and later parents, or MERGE_HEAD): nothing when the parent holds the same
// blob there, everything when the parent has no file there.
Status narrow_to_parent(git_repository* repo, git_tree* parent, const char* path,
                        const git_oid& new_blob, AddedLines& lines);

// Diff options for the hook sources: no context, and text always (a .gitattributes `binary`
// or `-diff` must not hide a line from the scan; real binary content is skipped before).
// Submodules are not ignored: a pointer update is reported as skipped, not silently dropped.
git_diff_options hook_diff_options();

}  // namespace leakgate::git
