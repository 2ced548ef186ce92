#include "git/tracked.h"

#include <string>
#include <utility>
#include <vector>

#include "base/text.h"

namespace leakgate::git {
namespace {

struct Entry {
  std::string path;
  git_oid id;
  std::uint32_t mode;
};

Result<std::vector<Entry>> index_entries(git_repository* repo) {
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo) < 0) return last_error("cannot read the index");
  IndexPtr index(raw);
  std::vector<Entry> out;
  for (std::size_t i = 0; i < git_index_entrycount(index.get()); ++i) {
    const git_index_entry* e = git_index_get_byindex(index.get(), i);
    if (git_index_entry_stage(e) != 0) continue;  // a conflict's sides are not tracked content
    out.push_back({e->path, e->id, e->mode});
  }
  return out;
}

Result<std::vector<Entry>> head_entries(git_repository* repo) {
  std::vector<Entry> out;
  if (git_repository_head_unborn(repo) == 1) return out;
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo, "HEAD^{tree}") < 0) return last_error("cannot read HEAD");
  TreePtr tree(reinterpret_cast<git_tree*>(obj));
  auto collect = [](const char* root, const git_tree_entry* e, void* payload) {
    git_filemode_t mode = git_tree_entry_filemode(e);
    if (git_tree_entry_type(e) == GIT_OBJECT_TREE) return 0;
    static_cast<std::vector<Entry>*>(payload)->push_back(
        {std::string(root) + git_tree_entry_name(e), *git_tree_entry_id(e), std::uint32_t(mode)});
    return 0;
  };
  if (git_tree_walk(tree.get(), GIT_TREEWALK_PRE, collect, &out) < 0) {
    return last_error("cannot walk HEAD's tree");
  }
  return out;
}

}  // namespace

Status scan_tracked(git_repository* repo, const TrackedOptions& options,
                    const engine::Scanner& scanner, const engine::FindingFn& emit,
                    engine::ScanStats& stats) {
  auto entries = git_repository_is_bare(repo) ? head_entries(repo) : index_entries(repo);
  if (!entries) return entries.error();
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo) < 0) return last_error("object database");
  OdbPtr odb(raw_odb);
  for (const Entry& e : *entries) {
    if (e.mode == GIT_FILEMODE_COMMIT) {
      stats.skipped.push_back({e.path, "submodule (a commit id, not a file)"});
      continue;
    }
    if (scanner.path_allowed(e.path)) {
      stats.skipped.push_back({e.path, "allowlisted path"});
      continue;
    }
    std::size_t size = 0;
    git_object_t type{};
    if (git_odb_read_header(&size, &type, odb.get(), &e.id) < 0) {
      stats.errors.push_back(last_error(fmt::format("{}: cannot read blob", e.path)).message);
      continue;
    }
    if (size > options.max_file_size) {
      stats.skipped.push_back(
          {e.path, fmt::format("larger than {}", format_size(options.max_file_size))});
      continue;
    }
    git_odb_object* raw = nullptr;
    if (git_odb_read(&raw, odb.get(), &e.id) < 0) {
      stats.errors.push_back(last_error(fmt::format("{}: cannot read blob", e.path)).message);
      continue;
    }
    OdbObjectPtr obj(raw);
    std::string_view data(static_cast<const char*>(git_odb_object_data(obj.get())),
                          git_odb_object_size(obj.get()));
    if (looks_binary(data)) {
      stats.skipped.push_back({e.path, "binary"});
      continue;
    }
    ++stats.files;
    stats.bytes += data.size();
    LEAKGATE_TRY(scanner.scan(engine::Chunk{data, e.path, {}}, emit));
  }
  return {};
}

}  // namespace leakgate::git
