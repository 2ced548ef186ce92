#include "git/staged.h"

#include <cstdlib>

#include "base/text.h"

namespace leakgate::git {
namespace {

Result<IndexPtr> open_index(git_repository* repo) {
  git_index* raw = nullptr;
  const char* file = std::getenv("GIT_INDEX_FILE");
  if (file && *file) {
    if (git_index_open(&raw, file) < 0) return last_error(fmt::format("index {}", file));
    IndexPtr index(raw);
    // A standalone index does not know its repository's object format until told so by
    // being read; it is read from the file on open.
    return index;
  }
  if (git_repository_is_bare(repo)) {
    return make_error("{}: a bare repository has no index; nothing is staged",
                      git_repository_path(repo));
  }
  if (git_repository_index(&raw, repo) < 0) return last_error("cannot read the index");
  return IndexPtr(raw);
}

// HEAD's tree, or null on an unborn branch (the first commit compares with the empty tree).
Result<TreePtr> head_tree(git_repository* repo) {
  int unborn = git_repository_head_unborn(repo);
  if (unborn == 1) return TreePtr();
  if (unborn < 0) return last_error("cannot resolve HEAD");
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo, "HEAD^{tree}") < 0) return last_error("cannot read HEAD");
  return TreePtr(reinterpret_cast<git_tree*>(obj));
}

// The new-side line numbers of added lines, as sorted ranges.
Result<std::vector<engine::LineRange>> added_lines(git_diff* diff, std::size_t i) {
  git_patch* raw = nullptr;
  if (git_patch_from_diff(&raw, diff, i) < 0) return last_error("cannot diff");
  PatchPtr patch(raw);
  std::vector<engine::LineRange> ranges;
  if (!patch) return ranges;
  std::size_t hunks = git_patch_num_hunks(patch.get());
  for (std::size_t h = 0; h < hunks; ++h) {
    int lines = git_patch_num_lines_in_hunk(patch.get(), h);
    for (int l = 0; l < lines; ++l) {
      const git_diff_line* line = nullptr;
      if (git_patch_get_line_in_hunk(&line, patch.get(), h, std::size_t(l)) < 0) continue;
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

Status scan_staged(git_repository* repo, const StagedOptions& options,
                   const engine::Scanner& scanner, const engine::FindingFn& emit,
                   engine::ScanStats& stats) {
  auto index = open_index(repo);
  if (!index) return index.error();
  auto tree = head_tree(repo);
  if (!tree) return tree.error();

  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 0;
  opts.flags |= GIT_DIFF_IGNORE_SUBMODULES;
  git_diff* raw_diff = nullptr;
  if (git_diff_tree_to_index(&raw_diff, repo, tree->get(), index->get(), &opts) < 0) {
    return last_error("cannot compare HEAD with the index");
  }
  DiffPtr diff(raw_diff);
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  if (git_diff_find_similar(diff.get(), &find) < 0) return last_error("cannot detect renames");

  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo) < 0) return last_error("object database");
  OdbPtr odb(raw_odb);

  const std::size_t n = git_diff_num_deltas(diff.get());
  for (std::size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    if (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_MODIFIED &&
        d->status != GIT_DELTA_RENAMED && d->status != GIT_DELTA_COPIED &&
        d->status != GIT_DELTA_TYPECHANGE) {
      continue;
    }
    const char* path = d->new_file.path;
    if (d->new_file.mode == GIT_FILEMODE_COMMIT) {
      stats.skipped.push_back({path, "submodule (a commit id, not a file)"});
      continue;
    }
    if (scanner.path_allowed(path)) {
      stats.skipped.push_back({path, "allowlisted path"});
      continue;
    }
    std::size_t size = 0;
    git_object_t type{};
    if (git_odb_read_header(&size, &type, odb.get(), &d->new_file.id) < 0) {
      stats.errors.push_back(last_error(fmt::format("{}: cannot read staged blob", path)).message);
      continue;
    }
    if (size > options.max_file_size) {
      stats.skipped.push_back({path, fmt::format("larger than {}", format_size(options.max_file_size))});
      continue;
    }
    git_odb_object* raw_obj = nullptr;
    if (git_odb_read(&raw_obj, odb.get(), &d->new_file.id) < 0) {
      stats.errors.push_back(last_error(fmt::format("{}: cannot read staged blob", path)).message);
      continue;
    }
    OdbObjectPtr obj(raw_obj);
    std::string_view data(static_cast<const char*>(git_odb_object_data(obj.get())),
                          git_odb_object_size(obj.get()));
    if (looks_binary(data)) {
      stats.skipped.push_back({path, "binary"});
      continue;
    }
    engine::Chunk chunk{data, path, {}};
    // A whole new file is all added; anything else is compared line by line.
    if (d->status != GIT_DELTA_ADDED && git_oid_is_zero(&d->old_file.id) == 0) {
      auto lines = added_lines(diff.get(), i);
      if (!lines) return lines.error();
      if (lines->empty()) continue;  // a pure rename or mode change adds nothing
      chunk.only_lines = std::move(*lines);
    }
    ++stats.files;
    stats.bytes += data.size();
    LEAKGATE_TRY(scanner.scan(chunk, emit));
  }
  return {};
}

}  // namespace leakgate::git
