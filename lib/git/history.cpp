#include "git/history.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "base/queue.h"
#include "base/text.h"
#include "git/attribution.h"
#include "git/object_graph.h"
#include "git/scan_cache.h"
#include "git/whereabouts.h"

namespace leakgate::git {
namespace {

constexpr std::uint32_t kNone = ObjectGraph::kNone;

// Follows annotated tags to what they name; kNone when something on the way is missing.
std::uint32_t peel(const ObjectGraph& g, std::uint32_t o) {
  for (int depth = 0; o != kNone && g.type(o) == GIT_OBJECT_TAG && depth < 64; ++depth) {
    std::uint32_t r = g.record(o);
    o = r == kNone ? kNone : g.tag_target(r);
  }
  return o == kNone || g.type(o) == GIT_OBJECT_INVALID ? kNone : o;
}

struct Tips {
  std::vector<std::uint32_t> commits;  // commit records
  std::vector<std::uint32_t> trees;    // tree objects named by a ref (through tags)
  std::vector<std::pair<std::uint32_t, std::string>> blobs;  // blob objects, with the ref name
  std::vector<Whereabouts::Ref> refs;  // every ref that names a commit, for whereabouts
};

void add_tip(const ObjectGraph& g, const git_oid& target, const std::string& name, Tips& tips,
             engine::ScanStats& stats) {
  std::uint32_t o = peel(g, g.find(target));
  if (o == kNone) {
    stats.errors.push_back(fmt::format("ref {}: names {}, which is missing", name, oid_hex(target)));
    return;
  }
  switch (g.type(o)) {
    case GIT_OBJECT_COMMIT:
      if (g.record(o) == kNone) break;
      tips.commits.push_back(g.record(o));
      tips.refs.push_back({name, g.record(o), name.rfind("refs/heads/", 0) == 0 || name == "HEAD"});
      break;
    case GIT_OBJECT_TREE: tips.trees.push_back(o); break;
    case GIT_OBJECT_BLOB: tips.blobs.emplace_back(o, name); break;
    default: break;
  }
}

// Every ref, and HEAD when it is detached.
Status all_refs(git_repository* repo, const ObjectGraph& g, Tips& tips, engine::ScanStats& stats) {
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
    add_tip(g, *git_reference_target(resolved), name, tips, stats);
  }
  if (rc != GIT_ITEROVER) return last_error("cannot list refs");
  git_oid head;
  if (git_repository_head_detached(repo) == 1 &&
      git_reference_name_to_id(&head, repo, "HEAD") == 0) {
    add_tip(g, head, "HEAD", tips, stats);
  }
  return {};
}

// The commit records that revisions (`main`, `v1.2`, an id) name.
Result<std::vector<std::uint32_t>> resolve(git_repository* repo, const ObjectGraph& g,
                                           const std::vector<std::string>& revisions) {
  std::vector<std::uint32_t> out;
  for (const std::string& rev : revisions) {
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, repo, rev.c_str()) < 0) {
      return make_error("{}: not a revision in this repository", rev);
    }
    ObjectPtr obj(raw);
    std::uint32_t o = peel(g, g.find(*git_object_id(raw)));
    if (o == kNone || g.type(o) != GIT_OBJECT_COMMIT || g.record(o) == kNone) {
      return make_error("{}: does not name a commit", rev);
    }
    out.push_back(g.record(o));
  }
  return out;
}

// Author details, looked up only for commits that have findings.
class CommitInfo {
 public:
  explicit CommitInfo(git_repository* repo) : repo_(repo) {}
  const engine::Provenance& get(const git_oid& id, bool reachable) {
    auto [it, fresh] = cache_.try_emplace(oid_hex(id));
    engine::Provenance& p = it->second;
    if (!fresh) return p;
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo_, &id) == 0) {
      CommitPtr commit(raw);
      p = commit_provenance(commit.get());
    } else {
      p.commit = it->first;
    }
    p.reachable = reachable;
    return p;
  }

 private:
  git_repository* repo_;
  std::map<std::string, engine::Provenance> cache_;
};

// A blob read on the main thread, scanned on the worker, and handed back with its findings.
struct Job {
  OdbObjectPtr object;
  std::uint32_t blob;
  const Origin* origin;
  std::vector<engine::Finding> findings;
  Status status;
  bool clean;  // no candidate at all, not even a filtered one: safe to cache
};

struct Found {
  engine::Finding finding;
  std::uint32_t blob;
  const Origin* origin;
};

// Every later version of a file that keeps a secret is a new blob holding it again. One finding
// per secret and path is reported: where it entered, the earliest in the walk; the others are
// counted in `versions`. Each says which refs reach its commit and which branch tips still
// hold it. Findings go out in history order.
void report(git_repository* repo, const ObjectGraph& g, const Attribution& attribution,
            Whereabouts& where, std::vector<Found> found, const engine::FindingFn& emit,
            engine::ScanStats& stats) {
  auto order = [&](const Found& f) {
    return std::make_tuple(attribution.sequence(f.origin->commit), f.finding.path,
                           f.finding.line, f.finding.column, f.finding.rule->id);
  };
  std::sort(found.begin(), found.end(),
            [&](const Found& a, const Found& b) { return order(a) < order(b); });

  struct Group {
    Found* first;
    std::vector<std::uint32_t> blobs;
  };
  std::map<std::pair<std::string, std::string>, std::size_t> index;  // (fingerprint, path)
  std::vector<Group> groups;
  std::vector<std::uint32_t> all_blobs;
  for (Found& f : found) {
    auto [it, fresh] = index.try_emplace({f.finding.fingerprint, f.finding.path}, groups.size());
    if (fresh) groups.push_back({&f, {}});
    groups[it->second].blobs.push_back(f.blob);
    all_blobs.push_back(f.blob);
  }
  where.prepare_tips(all_blobs);

  CommitInfo info(repo);
  for (Group& group : groups) {
    Found& f = *group.first;
    engine::Finding& x = f.finding;
    x.from_history = true;
    if (f.origin->commit != kNone) {
      x.origin = info.get(g.id(g.commits()[f.origin->commit].object), f.origin->reachable);
      x.origin.refs = where.refs_reaching(f.origin->commit);
    } else {
      x.origin.reachable = f.origin->reachable;
    }
    x.origin.blob = oid_hex(g.id(f.blob));
    std::sort(group.blobs.begin(), group.blobs.end());
    group.blobs.erase(std::unique(group.blobs.begin(), group.blobs.end()), group.blobs.end());
    x.origin.versions = group.blobs.size();
    x.origin.tips = where.tips_holding(group.blobs);
    emit(std::move(x));
  }
  if (where.limited()) {
    stats.notes.push_back(fmt::format(
        "refs were worked out for the first {} commits with findings only", Whereabouts::kMaxCommits));
  }
}

// Reading goes through libgit2, whose caches sit behind global locks, so it stays on one
// thread; matching runs beside it on another. Every libgit2 call, the commit lookups and the
// sink stay on the calling thread: the worker only reads bytes and returns what it found.
Status scan_blobs(git_repository* repo, git_odb* odb, const ObjectGraph& g,
                  const Attribution& attribution, Whereabouts& where,
                  const HistoryOptions& options, const engine::Scanner& scanner,
                  const engine::FindingFn& emit, engine::ScanStats& stats) {
  const bool caching = !options.cache_path.empty();
  ScanCache cache = caching ? ScanCache::load(options.cache_path, options.cache_digest) : ScanCache();

  constexpr std::size_t kInFlight = std::size_t(16) << 20;  // enough to keep the worker busy
  Queue<Job> todo(kInFlight), done(SIZE_MAX);
  std::thread worker([&] {
    while (auto job = todo.pop()) {
      std::string_view data(static_cast<const char*>(git_odb_object_data(job->object.get())),
                            git_odb_object_size(job->object.get()));
      const std::string& path = attribution.path(*job->origin);
      bool candidates = false;
      engine::SuppressedFn any = [&](engine::Finding&&, std::string_view) { candidates = true; };
      job->status = scanner.scan(
          engine::Chunk{data, path, {}},
          [&](engine::Finding&& f) { job->findings.push_back(std::move(f)); }, &any);
      job->clean = !candidates && job->findings.empty() && job->status.ok();
      done.push(std::move(*job), 0);
    }
    done.close();
  });

  Status failed;
  std::vector<Found> found;
  auto finish = [&](Job& job) {
    if (!job.status && failed) failed = job.status;
    if (caching && job.clean) cache.add(g.id(job.blob));
    for (engine::Finding& f : job.findings) found.push_back({std::move(f), job.blob, job.origin});
  };

  auto wanted = [&](std::uint32_t b) {
    const Origin* o = attribution.origin(b);
    if (!o || !o->in_scope || (!o->reachable && !options.all_objects)) return false;
    return options.since == 0 || o->commit == kNone ||
           g.commits()[o->commit].time >= options.since;
  };
  std::size_t total = 0, read = 0;
  for (std::uint32_t b = 0; b < g.size(); ++b) {
    if (wanted(b) && g.object_size(b) <= options.max_blob_size) total += g.object_size(b);
  }

  // Object numbers follow pack order, so this reads each pack front to back.
  for (std::uint32_t b = 0; b < g.size() && failed; ++b) {
    if (!wanted(b)) continue;
    const Origin* origin = attribution.origin(b);
    while (auto job = done.try_pop()) finish(*job);
    const std::string& path = attribution.path(*origin);
    const git_oid& id = g.id(b);
    if (g.type(b) != GIT_OBJECT_BLOB) {
      stats.errors.push_back(fmt::format("blob {} ({}): missing from the object database",
                                         oid_hex(id), path));
      continue;
    }
    if (!path.empty() && scanner.path_allowed(path)) {
      stats.skipped.push_back({path, "allowlisted path"});
      continue;
    }
    if (g.object_size(b) > options.max_blob_size) {
      stats.skipped.push_back({fmt::format("{} ({})", path, oid_hex(id).substr(0, 12)),
                               fmt::format("larger than {}", format_size(options.max_blob_size))});
      continue;
    }
    if (caching && cache.contains(id)) {
      ++stats.cached;
      read += g.object_size(b);
      continue;
    }
    git_odb_object* raw = nullptr;
    if (git_odb_read(&raw, odb, &id) < 0) {
      stats.errors.push_back(last_error(fmt::format("blob {} ({})", oid_hex(id), path)).message);
      continue;
    }
    OdbObjectPtr obj(raw);
    std::string_view data(static_cast<const char*>(git_odb_object_data(raw)),
                          git_odb_object_size(raw));
    read += data.size();
    if (options.progress) options.progress({"scanning blobs", read, total});
    if (looks_binary(data)) {
      stats.skipped.push_back({path.empty() ? oid_hex(id) : path, "binary"});
      continue;
    }
    ++stats.files;
    stats.bytes += data.size();
    todo.push(Job{std::move(obj), b, origin, {}, {}, false}, data.size());
  }
  todo.close();
  while (auto job = done.pop()) finish(*job);
  worker.join();
  if (options.progress) options.progress({"scanning blobs", total, total});
  report(repo, g, attribution, where, std::move(found), emit, stats);
  if (caching && failed && stats.errors.empty()) {
    if (Status s = cache.save(); !s) stats.notes.push_back(s.error().message);
  }
  return failed;
}

}  // namespace

Status scan_history(git_repository* repo, const HistoryOptions& options,
                    const engine::Scanner& scanner, const engine::FindingFn& emit,
                    engine::ScanStats& stats) {
  if (git_repository_is_shallow(repo) == 1) {
    stats.notes.push_back("this is a shallow clone: history before its cut-off is not scanned");
  }
  if (is_partial_clone(repo)) {
    stats.notes.push_back(
        "this is a partial clone: blobs that were never fetched cannot be scanned, and leakgate "
        "never fetches them");
  }
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo) < 0) return last_error("object database");
  OdbPtr odb(raw_odb);

  auto graph = ObjectGraph::load(repo, odb.get(), stats, [&](std::size_t done, std::size_t total) {
    if (options.progress) options.progress({"reading history", done, total});
  });
  if (!graph) return graph.error();
  const ObjectGraph& g = *graph;

  Tips tips;
  LEAKGATE_TRY(all_refs(repo, g, tips, stats));
  Attribution attribution(g);
  if (!options.exclude.empty()) {
    auto known = resolve(repo, g, options.exclude);
    if (!known) return known.error();
    attribution.walk_commits(*known, {.reachable = true, .in_scope = false});
  }
  if (!options.include.empty()) {
    auto wanted = resolve(repo, g, options.include);
    if (!wanted) return wanted.error();
    attribution.walk_commits(*wanted, {});
  } else {
    attribution.walk_commits(tips.commits, {});
    for (std::uint32_t t : tips.trees) attribution.walk_tree(t, "", kNone, {});
    for (const auto& [b, ref] : tips.blobs) attribution.add_blob(b, ref, kNone, {});
  }
  if (options.all_objects) {
    // With a narrowed scope, what the refs reach outside it is still reachable, not dangling.
    if (!options.include.empty()) {
      attribution.walk_commits(tips.commits, {.reachable = true, .in_scope = false});
      for (std::uint32_t t : tips.trees) attribution.walk_tree(t, "", kNone, {.in_scope = false});
      for (const auto& [b, ref] : tips.blobs) {
        attribution.add_blob(b, ref, kNone, {.in_scope = false});
      }
    }
    // Commits no ref reaches (a reset, a deleted branch), then any blob still unclaimed.
    std::vector<std::uint32_t> dangling;
    for (std::uint32_t c = 0; c < g.commits().size(); ++c) {
      if (!attribution.walked(c)) dangling.push_back(c);
    }
    attribution.walk_commits(dangling, {.reachable = false});
    for (std::uint32_t o = 0; o < g.size(); ++o) {
      if (g.type(o) == GIT_OBJECT_BLOB) attribution.add_blob(o, "", kNone, {.reachable = false});
    }
  }
  stats.commits = attribution.commits_in_scope();
  for (const auto& m : attribution.missing()) {
    stats.errors.push_back(m + ": missing from the object database");
  }
  for (const auto& t : attribution.too_deep()) {
    stats.errors.push_back(fmt::format("{}: nested more than {} levels deep; not read", t,
                                       Attribution::kMaxTreeDepth));
  }
  Whereabouts where(g, std::move(tips.refs));
  return scan_blobs(repo, odb.get(), g, attribution, where, options, scanner, emit, stats);
}

}  // namespace leakgate::git
