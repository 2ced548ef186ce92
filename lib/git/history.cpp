#include "git/history.h"

#include <cstring>
#include <ctime>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/text.h"

namespace leakgate::git {
namespace {

struct OidHash {
  std::size_t operator()(const git_oid& o) const {
    std::size_t h;
    std::memcpy(&h, o.id, sizeof h);
    return h;
  }
};
struct OidEq {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b); }
};
template <class V>
using OidMap = std::unordered_map<git_oid, V, OidHash, OidEq>;
using OidSet = std::unordered_set<git_oid, OidHash, OidEq>;

constexpr std::uint32_t kNoCommit = ~0u;

struct Origin {
  std::uint32_t commit;  // index into Walk::commits, or kNoCommit
  std::uint32_t path;    // index into Walk::paths
  bool reachable;
};

struct CommitRef {
  git_oid id;
  bool reachable;
};

// What the walk learns: where each blob came from.
class Walk {
 public:
  Walk(git_repository* repo, engine::ScanStats& stats) : repo_(repo), stats_(stats) {
    paths.emplace_back();  // index 0: no path known
  }

  std::vector<CommitRef> commits;
  std::vector<std::string> paths;
  std::vector<git_oid> blob_order;  // discovery order
  OidMap<Origin> blobs;

  Status add_commits(git_revwalk* walk, bool reachable) {
    git_oid id;
    int rc;
    while ((rc = git_revwalk_next(&id, walk)) == 0) {
      if (!visited_commits_.insert(id).second) continue;
      git_commit* raw = nullptr;
      if (git_commit_lookup(&raw, repo_, &id) < 0) {
        stats_.errors.push_back(last_error(fmt::format("commit {}", oid_hex(id))).message);
        continue;
      }
      CommitPtr commit(raw);
      std::uint32_t index = std::uint32_t(commits.size());
      commits.push_back({id, reachable});
      ++stats_.commits;
      walk_tree(*git_commit_tree_id(commit.get()), "", index);
    }
    if (rc != GIT_ITEROVER) return last_error("cannot walk history");
    return {};
  }

  void walk_tree(const git_oid& tree_id, const std::string& prefix, std::uint32_t commit) {
    if (!seen_trees_.insert(tree_id).second) return;
    git_tree* raw = nullptr;
    if (git_tree_lookup(&raw, repo_, &tree_id) < 0) {
      stats_.errors.push_back(
          last_error(fmt::format("tree {} ({})", oid_hex(tree_id), prefix.empty() ? "/" : prefix))
              .message);
      return;
    }
    TreePtr tree(raw);
    std::size_t n = git_tree_entrycount(tree.get());
    for (std::size_t i = 0; i < n; ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(tree.get(), i);
      git_object_t type = git_tree_entry_type(e);
      std::string path = prefix + git_tree_entry_name(e);
      if (type == GIT_OBJECT_TREE) {
        walk_tree(*git_tree_entry_id(e), path + "/", commit);
      } else if (type == GIT_OBJECT_BLOB) {
        add_blob(*git_tree_entry_id(e), path, commit);
      }
    }
  }

  void add_blob(const git_oid& id, const std::string& path, std::uint32_t commit,
                bool reachable = true) {
    if (blobs.count(id)) return;
    if (commit != kNoCommit) reachable = commits[commit].reachable;
    std::uint32_t p = std::uint32_t(paths.size());
    paths.push_back(path);
    blobs.emplace(id, Origin{commit, p, reachable});
    blob_order.push_back(id);
  }

  bool has_commit(const git_oid& id) const { return visited_commits_.count(id) != 0; }

 private:
  git_repository* repo_;
  engine::ScanStats& stats_;
  OidSet seen_trees_;
  OidSet visited_commits_;
};

// Pushes every ref's commit onto the walk; trees and blobs that refs point at go to `others`.
Status push_tips(git_repository* repo, git_revwalk* walk, std::vector<git_oid>& other_trees,
                 std::vector<std::pair<git_oid, std::string>>& other_blobs,
                 engine::ScanStats& stats) {
  auto push_object = [&](const git_oid& target, const std::string& name) {
    git_object* raw = nullptr;
    if (git_object_lookup(&raw, repo, &target, GIT_OBJECT_ANY) < 0) {
      stats.errors.push_back(last_error(fmt::format("ref {}", name)).message);
      return;
    }
    ObjectPtr obj(raw);
    // Peel annotated tags, which may point at tags, commits, trees or blobs.
    while (git_object_type(obj.get()) == GIT_OBJECT_TAG) {
      git_object* next = nullptr;
      if (git_tag_target(&next, reinterpret_cast<git_tag*>(obj.get())) < 0) {
        stats.errors.push_back(last_error(fmt::format("tag {}", name)).message);
        return;
      }
      obj.reset(next);
    }
    const git_oid* id = git_object_id(obj.get());
    switch (git_object_type(obj.get())) {
      case GIT_OBJECT_COMMIT:
        if (git_revwalk_push(walk, id) < 0) stats.errors.push_back(last_error(name).message);
        break;
      case GIT_OBJECT_TREE: other_trees.push_back(*id); break;
      case GIT_OBJECT_BLOB: other_blobs.emplace_back(*id, name); break;
      default: break;
    }
  };

  git_reference_iterator* raw_iter = nullptr;
  if (git_reference_iterator_new(&raw_iter, repo) < 0) return last_error("cannot list refs");
  RefIterPtr iter(raw_iter);
  git_reference* raw_ref = nullptr;
  int rc;
  while ((rc = git_reference_next(&raw_ref, iter.get())) == 0) {
    ReferencePtr ref(raw_ref);
    std::string name = git_reference_name(ref.get());
    git_reference* resolved = nullptr;
    if (git_reference_resolve(&resolved, ref.get()) < 0) {
      stats.errors.push_back(last_error(fmt::format("ref {}", name)).message);
      continue;
    }
    ReferencePtr hold(resolved);
    push_object(*git_reference_target(resolved), name);
  }
  if (rc != GIT_ITEROVER) return last_error("cannot list refs");
  // A detached HEAD is no ref under refs/.
  git_oid head;
  if (git_reference_name_to_id(&head, repo, "HEAD") == 0) push_object(head, "HEAD");
  return {};
}

// Every commit and blob in the object database that the walk has not met.
Status find_unreachable(git_repository* repo, git_odb* odb, const Walk& walk,
                        std::vector<git_oid>& commits, std::vector<git_oid>& blobs) {
  std::vector<git_oid> all;
  auto collect = [](const git_oid* id, void* payload) {
    static_cast<std::vector<git_oid>*>(payload)->push_back(*id);
    return 0;
  };
  if (git_odb_foreach(odb, collect, &all) < 0) return last_error("cannot list objects");
  (void)repo;
  for (const git_oid& id : all) {
    std::size_t size;
    git_object_t type;
    if (git_odb_read_header(&size, &type, odb, &id) < 0) continue;
    if (type == GIT_OBJECT_COMMIT && !walk.has_commit(id)) commits.push_back(id);
    if (type == GIT_OBJECT_BLOB && !walk.blobs.count(id)) blobs.push_back(id);
  }
  return {};
}

std::string iso_date(const git_time& t) {
  std::time_t secs = std::time_t(t.time) + std::time_t(t.offset) * 60;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  int off = std::abs(t.offset);
  return fmt::format("{}{}{:02}:{:02}", buf, t.offset < 0 ? '-' : '+', off / 60, off % 60);
}

// Author details, looked up only for commits that have findings.
class CommitInfo {
 public:
  explicit CommitInfo(git_repository* repo) : repo_(repo) {}
  const engine::Provenance& get(const CommitRef& c) {
    auto [it, fresh] = cache_.try_emplace(c.id);
    if (!fresh) return it->second;
    engine::Provenance& p = it->second;
    p.commit = oid_hex(c.id);
    p.reachable = c.reachable;
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo_, &c.id) == 0) {
      CommitPtr commit(raw);
      const git_signature* a = git_commit_author(commit.get());
      p.author = a->name ? a->name : "";
      p.email = a->email ? a->email : "";
      p.date = iso_date(a->when);
    }
    return p;
  }

 private:
  git_repository* repo_;
  OidMap<engine::Provenance> cache_;
};

}  // namespace

Status scan_history(git_repository* repo, const HistoryOptions& options,
                    const engine::Scanner& scanner, const engine::FindingFn& emit,
                    engine::ScanStats& stats) {
  if (git_repository_is_shallow(repo) == 1) {
    stats.notes.push_back("this is a shallow clone: history before its cut-off is not scanned");
  }
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo) < 0) return last_error("object database");
  OdbPtr odb(raw_odb);

  Walk walk(repo, stats);
  {
    git_revwalk* raw = nullptr;
    if (git_revwalk_new(&raw, repo) < 0) return last_error("cannot walk history");
    RevwalkPtr rw(raw);
    git_revwalk_sorting(rw.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE);
    std::vector<git_oid> trees;
    std::vector<std::pair<git_oid, std::string>> tip_blobs;
    LEAKGATE_TRY(push_tips(repo, rw.get(), trees, tip_blobs, stats));
    LEAKGATE_TRY(walk.add_commits(rw.get(), true));
    for (const git_oid& t : trees) walk.walk_tree(t, "", kNoCommit);
    for (const auto& [id, ref] : tip_blobs) walk.add_blob(id, ref, kNoCommit);
  }

  std::vector<git_oid> loose_blobs;
  if (options.all_objects) {
    std::vector<git_oid> dangling;
    LEAKGATE_TRY(find_unreachable(repo, odb.get(), walk, dangling, loose_blobs));
    git_revwalk* raw = nullptr;
    if (git_revwalk_new(&raw, repo) < 0) return last_error("cannot walk history");
    RevwalkPtr rw(raw);
    git_revwalk_sorting(rw.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE);
    for (const git_oid& c : dangling) git_revwalk_push(rw.get(), &c);
    LEAKGATE_TRY(walk.add_commits(rw.get(), false));
    for (const git_oid& b : loose_blobs) walk.add_blob(b, "", kNoCommit, false);
  }

  CommitInfo info(repo);
  for (const git_oid& id : walk.blob_order) {
    const Origin& origin = walk.blobs.at(id);
    const std::string& path = walk.paths[origin.path];
    std::string hex = oid_hex(id);
    if (!path.empty() && scanner.path_allowed(path)) {
      stats.skipped.push_back({path, "allowlisted path"});
      continue;
    }
    std::size_t size = 0;
    git_object_t type{};
    if (git_odb_read_header(&size, &type, odb.get(), &id) < 0) {
      stats.errors.push_back(last_error(fmt::format("blob {} ({})", hex, path)).message);
      continue;
    }
    if (size > options.max_blob_size) {
      stats.skipped.push_back({fmt::format("{} ({})", path, hex.substr(0, 12)),
                               fmt::format("larger than {}", format_size(options.max_blob_size))});
      continue;
    }
    git_odb_object* raw = nullptr;
    if (git_odb_read(&raw, odb.get(), &id) < 0) {
      stats.errors.push_back(last_error(fmt::format("blob {} ({})", hex, path)).message);
      continue;
    }
    OdbObjectPtr obj(raw);
    std::string_view data(static_cast<const char*>(git_odb_object_data(obj.get())),
                          git_odb_object_size(obj.get()));
    if (looks_binary(data)) {
      stats.skipped.push_back({path, "binary"});
      continue;
    }
    ++stats.files;
    stats.bytes += data.size();
    LEAKGATE_TRY(scanner.scan(engine::Chunk{data, path, {}}, [&](engine::Finding&& f) {
      f.from_history = true;
      if (origin.commit != kNoCommit) {
        f.origin = info.get(walk.commits[origin.commit]);
      } else {
        f.origin.reachable = origin.reachable;
      }
      f.origin.blob = hex;
      emit(std::move(f));
    }));
  }
  return {};
}

}  // namespace leakgate::git
