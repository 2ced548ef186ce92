#include "git/staged.h"

#include <cstdlib>
#include <filesystem>
#include <set>

#include "base/text.h"
#include "git/lines.h"

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

// The trees of MERGE_HEAD's commits while a merge is being concluded; none otherwise.
Result<std::vector<TreePtr>> merge_head_trees(git_repository* repo) {
  std::vector<git_oid> ids;
  int rc = git_repository_mergehead_foreach(
      repo,
      [](const git_oid* id, void* payload) {
        static_cast<std::vector<git_oid>*>(payload)->push_back(*id);
        return 0;
      },
      &ids);
  if (rc < 0 && rc != GIT_ENOTFOUND) return last_error("cannot read MERGE_HEAD");
  std::vector<TreePtr> trees;
  for (const git_oid& id : ids) {
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo, &id) < 0) {
      return last_error(fmt::format("MERGE_HEAD {}", oid_hex(id)));
    }
    CommitPtr commit(raw);
    git_tree* tree = nullptr;
    if (git_commit_tree(&tree, commit.get()) < 0) {
      return last_error(fmt::format("MERGE_HEAD {}", oid_hex(id)));
    }
    trees.emplace_back(tree);
  }
  return trees;
}

// The listed paths relative to the top of the work tree, as the index names them.
std::set<std::string> repo_paths(git_repository* repo, const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  fs::path prefix;
  if (const char* wd = git_repository_workdir(repo)) {
    std::error_code ec;
    fs::path top = fs::weakly_canonical(wd, ec);
    fs::path rel = fs::current_path(ec).lexically_relative(top);
    if (!rel.empty() && *rel.begin() != "..") prefix = rel == "." ? fs::path() : rel;
  }
  std::set<std::string> out;
  for (const auto& p : paths) out.insert((prefix / p).lexically_normal().generic_string());
  return out;
}

class StagedScan {
 public:
  StagedScan(git_repository* repo, git_odb* odb, const StagedOptions& options,
             const engine::Scanner& scanner, const engine::FindingFn& emit,
             engine::ScanStats& stats)
      : repo_(repo), odb_(odb), options_(options), scanner_(scanner), emit_(emit), stats_(stats) {}

  std::vector<TreePtr> merge_heads;

  // Scans one staged blob; `lines` says which of its lines the commit adds.
  Status blob(const char* path, const git_oid& id, AddedLines lines) {
    if (scanner_.path_allowed(path)) {
      stats_.skipped.push_back({path, "allowlisted path"});
      return {};
    }
    for (const TreePtr& tree : merge_heads) {
      LEAKGATE_TRY(narrow_to_parent(repo_, tree.get(), path, id, lines));
    }
    if (lines.none()) return {};  // nothing new: a rename, a mode change, a merge's other side
    std::size_t size = 0;
    git_object_t type{};
    if (git_odb_read_header(&size, &type, odb_, &id) < 0) {
      stats_.errors.push_back(last_error(fmt::format("{}: cannot read staged blob", path)).message);
      return {};
    }
    if (size > options_.max_file_size) {
      stats_.skipped.push_back(
          {path, fmt::format("larger than {}", format_size(options_.max_file_size))});
      return {};
    }
    git_odb_object* raw_obj = nullptr;
    if (git_odb_read(&raw_obj, odb_, &id) < 0) {
      stats_.errors.push_back(last_error(fmt::format("{}: cannot read staged blob", path)).message);
      return {};
    }
    OdbObjectPtr obj(raw_obj);
    std::string_view data(static_cast<const char*>(git_odb_object_data(obj.get())),
                          git_odb_object_size(obj.get()));
    if (looks_binary(data)) {
      stats_.skipped.push_back({path, "binary"});
      return {};
    }
    engine::Chunk chunk{data, path, {}};
    if (!lines.whole) chunk.only_lines = std::move(lines.ranges);
    ++stats_.files;
    stats_.bytes += data.size();
    return scanner_.scan(chunk, emit_);
  }

 private:
  git_repository* repo_;
  git_odb* odb_;
  const StagedOptions& options_;
  const engine::Scanner& scanner_;
  const engine::FindingFn& emit_;
  engine::ScanStats& stats_;
};

bool adds_content(const git_diff_delta* d) {
  return d->status == GIT_DELTA_ADDED || d->status == GIT_DELTA_MODIFIED ||
         d->status == GIT_DELTA_RENAMED || d->status == GIT_DELTA_COPIED ||
         d->status == GIT_DELTA_TYPECHANGE;
}

}  // namespace

Status scan_staged(git_repository* repo, const StagedOptions& options,
                   const engine::Scanner& scanner, const engine::FindingFn& emit,
                   engine::ScanStats& stats) {
  engine::Laps laps(stats);
  auto index = open_index(repo);
  if (!index) return index.error();
  laps.lap("index read");
  auto tree = head_tree(repo);
  if (!tree) return tree.error();
  laps.lap("HEAD tree");

  git_diff_options opts = hook_diff_options();
  git_diff* raw_diff = nullptr;
  if (git_diff_tree_to_index(&raw_diff, repo, tree->get(), index->get(), &opts) < 0) {
    return last_error("cannot compare HEAD with the index");
  }
  DiffPtr diff(raw_diff);
  laps.lap("HEAD tree to index diff");
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  if (git_diff_find_similar(diff.get(), &find) < 0) return last_error("cannot detect renames");
  laps.lap("rename detection");

  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo) < 0) return last_error("object database");
  OdbPtr odb(raw_odb);
  StagedScan scan(repo, odb.get(), options, scanner, emit, stats);
  auto merging = merge_head_trees(repo);
  if (!merging) return merging.error();
  scan.merge_heads = std::move(*merging);

  const bool listed = !options.paths.empty();
  std::set<std::string> wanted = repo_paths(repo, options.paths);
  const std::size_t n = git_diff_num_deltas(diff.get());
  for (std::size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    const char* path = d->new_file.path;
    if (listed && wanted.erase(path) == 0) continue;
    if (!adds_content(d)) continue;
    if (d->new_file.mode == GIT_FILEMODE_COMMIT) {
      stats.skipped.push_back({path, "submodule (a commit id, not a file)"});
      continue;
    }
    AddedLines lines{true, {}};
    // A whole new file is all added; anything else is compared line by line.
    if (d->status != GIT_DELTA_ADDED && git_oid_is_zero(&d->old_file.id) == 0) {
      auto added = added_lines(diff.get(), i);
      if (!added) return added.error();
      lines = AddedLines{false, std::move(*added)};
    }
    LEAKGATE_TRY(scan.blob(path, d->new_file.id, std::move(lines)));
  }
  // Listed paths the commit does not change are checked whole, as staged.
  for (const std::string& path : wanted) {
    const git_index_entry* e = git_index_get_bypath(index->get(), path.c_str(), 0);
    if (!e) {
      stats.skipped.push_back({path, "not in the index"});
    } else if (e->mode == GIT_FILEMODE_COMMIT) {
      stats.skipped.push_back({path, "submodule (a commit id, not a file)"});
    } else {
      LEAKGATE_TRY(scan.blob(path.c_str(), e->id, AddedLines{true, {}}));
    }
  }
  laps.lap("added lines, blob reads and matching");
  return {};
}

}  // namespace leakgate::git
