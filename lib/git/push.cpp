#include "git/push.h"

#include <cstdlib>
#include <ctime>

#include "base/text.h"
#include "git/lines.h"

namespace leakgate::git {
namespace {

bool is_zero_sha(std::string_view sha) {
  return sha.find_first_not_of('0') == std::string_view::npos;
}

bool is_sha(std::string_view sha) {
  return (sha.size() == 40 || sha.size() == 64) &&
         sha.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// The commit an object id names (peeling annotated tags), or nothing when it names none here.
std::optional<git_oid> commit_of(git_repository* repo, std::string_view sha) {
  git_oid id;
  if (git_oid_fromstrn(&id, sha.data(), sha.size()) < 0) return std::nullopt;
  git_object* raw = nullptr;
  if (git_object_lookup(&raw, repo, &id, GIT_OBJECT_ANY) < 0) return std::nullopt;
  ObjectPtr obj(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT) < 0) return std::nullopt;
  ObjectPtr hold(peeled);
  return *git_object_id(peeled);
}

// Hides every remote-tracking branch: what the remote already has needs no second look.
Status hide_remote_tracking(git_repository* repo, git_revwalk* walk) {
  git_reference_iterator* raw_iter = nullptr;
  if (git_reference_iterator_glob_new(&raw_iter, repo, "refs/remotes/*") < 0) {
    return last_error("cannot list remote-tracking refs");
  }
  RefIterPtr iter(raw_iter);
  git_reference* raw_ref = nullptr;
  while (git_reference_next(&raw_ref, iter.get()) == 0) {
    ReferencePtr ref(raw_ref);
    git_object* peeled = nullptr;
    if (git_reference_peel(&peeled, ref.get(), GIT_OBJECT_COMMIT) < 0) continue;
    ObjectPtr hold(peeled);
    if (git_revwalk_hide(walk, git_object_id(peeled)) < 0) {
      return last_error(fmt::format("cannot hide {}", git_reference_name(ref.get())));
    }
  }
  return {};
}

class CommitScan {
 public:
  CommitScan(git_repository* repo, git_odb* odb, const PushOptions& options,
             const engine::Scanner& scanner, const engine::FindingFn& emit,
             engine::ScanStats& stats)
      : repo_(repo), odb_(odb), options_(options), scanner_(scanner), emit_(emit), stats_(stats) {}

  Status commit(const git_oid& id) {
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo_, &id) < 0)
      return last_error(fmt::format("commit {}", oid_hex(id)));
    CommitPtr commit(raw);
    ++stats_.commits;
    git_tree* raw_tree = nullptr;
    if (git_commit_tree(&raw_tree, commit.get()) < 0)
      return last_error(fmt::format("commit {}", oid_hex(id)));
    TreePtr tree(raw_tree);
    std::vector<TreePtr> parents;
    for (unsigned i = 0; i < git_commit_parentcount(commit.get()); ++i) {
      git_commit* raw_parent = nullptr;
      git_tree* raw_ptree = nullptr;
      if (git_commit_parent(&raw_parent, commit.get(), i) < 0) {
        return last_error(fmt::format("parent of commit {}", oid_hex(id)));
      }
      CommitPtr parent(raw_parent);
      if (git_commit_tree(&raw_ptree, parent.get()) < 0) {
        return last_error(fmt::format("parent of commit {}", oid_hex(id)));
      }
      parents.emplace_back(raw_ptree);
    }
    git_diff_options opts = hook_diff_options();
    git_diff* raw_diff = nullptr;
    git_tree* first = parents.empty() ? nullptr : parents.front().get();
    if (git_diff_tree_to_tree(&raw_diff, repo_, first, tree.get(), &opts) < 0) {
      return last_error(fmt::format("cannot diff commit {}", oid_hex(id)));
    }
    DiffPtr diff(raw_diff);
    git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
    find.flags = GIT_DIFF_FIND_RENAMES;
    if (git_diff_find_similar(diff.get(), &find) < 0) return last_error("cannot detect renames");

    engine::Provenance origin = commit_provenance(commit.get());
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
        stats_.skipped.push_back({path, "submodule (a commit id, not a file)"});
        continue;
      }
      AddedLines lines{true, {}};
      if (d->status != GIT_DELTA_ADDED && git_oid_is_zero(&d->old_file.id) == 0) {
        auto added = added_lines(diff.get(), i);
        if (!added) return added.error();
        lines = AddedLines{false, std::move(*added)};
      }
      for (std::size_t p = 1; p < parents.size() && !lines.none(); ++p) {
        LEAKGATE_TRY(narrow_to_parent(repo_, parents[p].get(), path, d->new_file.id, lines));
      }
      if (lines.none()) continue;
      LEAKGATE_TRY(blob(path, d->new_file.id, std::move(lines), origin));
    }
    return {};
  }

 private:
  Status blob(const char* path, const git_oid& id, AddedLines lines,
              const engine::Provenance& origin) {
    std::string where = fmt::format("{} ({})", path, origin.commit.substr(0, 12));
    if (scanner_.path_allowed(path)) {
      stats_.skipped.push_back({where, "allowlisted path"});
      return {};
    }
    std::size_t size = 0;
    git_object_t type{};
    if (git_odb_read_header(&size, &type, odb_, &id) < 0) {
      stats_.errors.push_back(last_error(fmt::format("{}: cannot read blob", where)).message);
      return {};
    }
    if (size > options_.max_file_size) {
      stats_.skipped.push_back(
          {where, fmt::format("larger than {}", format_size(options_.max_file_size))});
      return {};
    }
    git_odb_object* raw = nullptr;
    if (git_odb_read(&raw, odb_, &id) < 0) {
      stats_.errors.push_back(last_error(fmt::format("{}: cannot read blob", where)).message);
      return {};
    }
    OdbObjectPtr obj(raw);
    std::string_view data(static_cast<const char*>(git_odb_object_data(obj.get())),
                          git_odb_object_size(obj.get()));
    if (looks_binary(data)) {
      stats_.skipped.push_back({where, "binary"});
      return {};
    }
    engine::Chunk chunk{data, path, {}};
    if (!lines.whole) chunk.only_lines = std::move(lines.ranges);
    ++stats_.files;
    stats_.bytes += data.size();
    std::string hex = oid_hex(id);
    return scanner_.scan(chunk, [&](engine::Finding&& f) {
      f.from_history = true;
      f.origin = origin;
      f.origin.blob = hex;
      emit_(std::move(f));
    });
  }

  git_repository* repo_;
  git_odb* odb_;
  const PushOptions& options_;
  const engine::Scanner& scanner_;
  const engine::FindingFn& emit_;
  engine::ScanStats& stats_;
};

}  // namespace

Result<std::vector<PushUpdate>> parse_push_updates(std::string_view text) {
  std::vector<PushUpdate> out;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    std::vector<std::string_view> fields;
    std::size_t pos = 0;
    while (pos <= line.size()) {
      std::size_t sp = line.find(' ', pos);
      fields.push_back(line.substr(pos, sp == std::string_view::npos ? sp : sp - pos));
      if (sp == std::string_view::npos) break;
      pos = sp + 1;
    }
    if (fields.size() != 4 || !is_sha(fields[1]) || !is_sha(fields[3])) {
      return make_error(
          "pre-push: cannot read '{}': expected '<local ref> <local sha> <remote ref> <remote "
          "sha>'",
          line);
    }
    out.push_back({std::string(fields[0]), std::string(fields[1]), std::string(fields[2]),
                   std::string(fields[3])});
  }
  return out;
}

Status scan_push(git_repository* repo, const std::vector<PushUpdate>& updates,
                 const PushOptions& options, const engine::Scanner& scanner,
                 const engine::FindingFn& emit, engine::ScanStats& stats) {
  git_revwalk* raw_walk = nullptr;
  if (git_revwalk_new(&raw_walk, repo) < 0) return last_error("cannot walk history");
  RevwalkPtr walk(raw_walk);
  git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
  bool any = false;
  for (const PushUpdate& u : updates) {
    if (is_zero_sha(u.local_sha)) {
      stats.notes.push_back(
          fmt::format("{}: deleted on the remote; nothing to scan", u.remote_ref));
      continue;
    }
    auto local = commit_of(repo, u.local_sha);
    if (!local) {
      stats.notes.push_back(fmt::format("{}: {} is not a commit; nothing to scan", u.local_ref,
                                        u.local_sha.substr(0, 12)));
      continue;
    }
    if (git_revwalk_push(walk.get(), &*local) < 0) return last_error(u.local_ref);
    any = true;
    if (!is_zero_sha(u.remote_sha)) {
      // A force push replaces the remote's commits; whatever they reach the remote has.
      if (auto remote = commit_of(repo, u.remote_sha)) {
        if (git_revwalk_hide(walk.get(), &*remote) < 0) return last_error(u.remote_ref);
      }
    }
  }
  if (!any) return {};
  LEAKGATE_TRY(hide_remote_tracking(repo, walk.get()));

  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo) < 0) return last_error("object database");
  OdbPtr odb(raw_odb);
  CommitScan scan(repo, odb.get(), options, scanner, emit, stats);
  git_oid id;
  int rc;
  std::size_t before = stats.commits;
  while ((rc = git_revwalk_next(&id, walk.get())) == 0) LEAKGATE_TRY(scan.commit(id));
  if (rc != GIT_ITEROVER) return last_error("cannot walk the commits being pushed");
  std::size_t checked = stats.commits - before;
  stats.notes.push_back(fmt::format("{} commit{} that the remote does not have checked", checked,
                                    checked == 1 ? "" : "s"));
  return {};
}

}  // namespace leakgate::git
