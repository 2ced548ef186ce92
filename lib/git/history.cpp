#include "git/history.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <queue>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "base/queue.h"
#include "base/text.h"
#include "git/object_graph.h"

namespace leakgate::git {
namespace {

constexpr std::uint32_t kNone = ObjectGraph::kNone;

// Where a blob first appears.
struct Origin {
  std::uint32_t commit = kNone;  // index into ObjectGraph::commits(), or kNone
  std::uint32_t path = 0;        // index into Attribution::paths
  bool reachable = false;
};

// Attribution: for every blob, the first commit (parents before children, then by commit
// time) whose tree holds it, and its path there. Trees already seen are skipped whole, so
// each unique tree is visited once.
class Attribution {
 public:
  explicit Attribution(const ObjectGraph& g)
      : g_(g),
        seen_tree_(g.size(), false),
        origin_of_(g.size(), kNone),
        done_(g.commits().size(), false),
        sequence_(g.commits().size(), kNone) {
    paths.emplace_back();
  }

  std::vector<Origin> origins;
  std::vector<std::string> paths;
  std::size_t commits_walked = 0;

  const Origin* origin(std::uint32_t blob) const {
    return origin_of_[blob] == kNone ? nullptr : &origins[origin_of_[blob]];
  }

  // Attributes everything reachable from `tips` (commit records), marking it `reachable`.
  void walk_commits(const std::vector<std::uint32_t>& tips, bool reachable) {
    for (std::uint32_t c : topological(tips)) {
      done_[c] = true;
      sequence_[c] = std::uint32_t(commits_walked);
      ++commits_walked;
      walk_tree(g_.commits()[c].tree, std::string(), c, reachable);
    }
  }

  void walk_tree(std::uint32_t tree, const std::string& prefix, std::uint32_t commit,
                 bool reachable) {
    if (seen_tree_[tree]) return;
    seen_tree_[tree] = true;
    std::uint32_t record = g_.record(tree);
    if (g_.type(tree) != GIT_OBJECT_TREE || record == kNone) {
      missing.push_back(fmt::format("tree {} ({})", oid_hex(g_.id(tree)), prefix.empty() ? "/" : prefix));
      return;
    }
    auto [begin, end] = g_.entries(record);
    for (const auto* e = begin; e != end; ++e) {
      switch (e->kind()) {
        case ObjectGraph::EntryKind::tree:
          if (!seen_tree_[e->object]) {
            std::string sub = prefix;
            sub.append(g_.name(e->name_index())).push_back('/');
            walk_tree(e->object, sub, commit, reachable);
          }
          break;
        case ObjectGraph::EntryKind::blob:
          if (origin_of_[e->object] == kNone) {
            std::string path = prefix;
            path.append(g_.name(e->name_index()));
            add_blob(e->object, path, commit, reachable);
          }
          break;
        case ObjectGraph::EntryKind::gitlink: break;  // a commit in another repository
      }
    }
  }

  void add_blob(std::uint32_t blob, std::string path, std::uint32_t commit, bool reachable) {
    if (origin_of_[blob] != kNone) return;
    origin_of_[blob] = std::uint32_t(origins.size());
    origins.push_back({commit, std::uint32_t(paths.size()), reachable});
    paths.push_back(std::move(path));
  }

  bool walked(std::uint32_t commit) const { return done_[commit]; }
  // Where a commit came in the walk: parents before children, older before newer.
  std::uint32_t sequence(std::uint32_t commit) const {
    return commit == kNone ? kNone : sequence_[commit];
  }

  std::vector<std::string> missing;  // objects history names that the database lacks

 private:
  // Commits reachable from tips and not yet walked, parents first, older first.
  std::vector<std::uint32_t> topological(const std::vector<std::uint32_t>& tips) {
    const auto& commits = g_.commits();
    const auto& parents = g_.parents();
    auto parent_record = [&](std::uint32_t p) -> std::uint32_t {
      return g_.type(p) == GIT_OBJECT_COMMIT ? g_.record(p) : kNone;
    };
    // Collect the set, counting each commit's parents inside it.
    std::vector<std::uint32_t> set, pending_parents(commits.size(), 0);
    std::vector<bool> in_set(commits.size(), false);
    std::vector<std::uint32_t> stack;
    for (std::uint32_t t : tips) {
      if (!in_set[t] && !done_[t]) in_set[t] = true, stack.push_back(t);
    }
    while (!stack.empty()) {
      std::uint32_t c = stack.back();
      stack.pop_back();
      set.push_back(c);
      for (std::uint32_t i = commits[c].parents_begin; i < commits[c].parents_end; ++i) {
        std::uint32_t p = parent_record(parents[i]);
        if (p == kNone || done_[p]) continue;  // a shallow cut, or history already walked
        if (!in_set[p]) in_set[p] = true, stack.push_back(p);
      }
    }
    std::vector<std::vector<std::uint32_t>> children(commits.size());
    for (std::uint32_t c : set) {
      for (std::uint32_t i = commits[c].parents_begin; i < commits[c].parents_end; ++i) {
        std::uint32_t p = parent_record(parents[i]);
        if (p == kNone || !in_set[p]) continue;
        ++pending_parents[c];
        children[p].push_back(c);
      }
    }
    // Kahn's algorithm; among the ready commits, the oldest first.
    using Item = std::pair<std::int64_t, std::uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> ready;
    for (std::uint32_t c : set) {
      if (pending_parents[c] == 0) ready.emplace(commits[c].time, c);
    }
    std::vector<std::uint32_t> out;
    out.reserve(set.size());
    while (!ready.empty()) {
      std::uint32_t c = ready.top().second;
      ready.pop();
      out.push_back(c);
      for (std::uint32_t child : children[c]) {
        if (--pending_parents[child] == 0) ready.emplace(commits[child].time, child);
      }
    }
    return out;
  }

  const ObjectGraph& g_;
  std::vector<bool> seen_tree_;
  std::vector<std::uint32_t> origin_of_;
  std::vector<bool> done_;
  std::vector<std::uint32_t> sequence_;
};

struct Tips {
  std::vector<std::uint32_t> commits;  // commit records
  std::vector<std::uint32_t> trees;    // tree objects named by a ref (through tags)
  std::vector<std::pair<std::uint32_t, std::string>> blobs;  // blob objects, with the ref name
};

// Every ref and HEAD, peeled through annotated tags.
Status find_tips(git_repository* repo, const ObjectGraph& g, Tips& tips,
                 engine::ScanStats& stats) {
  auto add = [&](const git_oid& target, const std::string& name) {
    std::uint32_t o = g.find(target);
    for (int depth = 0; o != kNone && g.type(o) == GIT_OBJECT_TAG && depth < 64; ++depth) {
      std::uint32_t r = g.record(o);
      o = r == kNone ? kNone : g.tag_target(r);
    }
    if (o == kNone || g.type(o) == GIT_OBJECT_INVALID) {
      stats.errors.push_back(fmt::format("ref {}: names {}, which is missing", name, oid_hex(target)));
      return;
    }
    switch (g.type(o)) {
      case GIT_OBJECT_COMMIT:
        if (g.record(o) != kNone) tips.commits.push_back(g.record(o));
        break;
      case GIT_OBJECT_TREE: tips.trees.push_back(o); break;
      case GIT_OBJECT_BLOB: tips.blobs.emplace_back(o, name); break;
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
    add(*git_reference_target(resolved), name);
  }
  if (rc != GIT_ITEROVER) return last_error("cannot list refs");
  git_oid head;
  if (git_reference_name_to_id(&head, repo, "HEAD") == 0) add(head, "HEAD");  // may be detached
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
  const engine::Provenance& get(const git_oid& id, bool reachable) {
    auto [it, fresh] = cache_.try_emplace(oid_hex(id));
    engine::Provenance& p = it->second;
    if (!fresh) return p;
    p.commit = it->first;
    p.reachable = reachable;
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo_, &id) == 0) {
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
  std::map<std::string, engine::Provenance> cache_;
};

// A blob read on the main thread, scanned on the worker, and handed back with its findings.
struct Job {
  OdbObjectPtr object;
  std::uint32_t blob;
  const Origin* origin;
  std::vector<engine::Finding> findings;
  Status status;
};

struct Found {
  engine::Finding finding;
  std::uint32_t blob;
  const Origin* origin;
};

// Every later version of a file that keeps a secret is a new blob holding it again. One finding
// per secret and path is reported: where it entered, the earliest in the walk; the others are
// counted in `versions`. Findings go out in history order.
void report(git_repository* repo, const ObjectGraph& g, const Attribution& attribution,
            std::vector<Found> found, const engine::FindingFn& emit) {
  auto order = [&](const Found& f) {
    return std::make_tuple(attribution.sequence(f.origin->commit), f.finding.path,
                           f.finding.line, f.finding.column, f.finding.rule->id);
  };
  std::sort(found.begin(), found.end(),
            [&](const Found& a, const Found& b) { return order(a) < order(b); });
  std::map<std::pair<std::string, std::string>, engine::Finding*> first;  // (fingerprint, path)
  std::vector<engine::Finding*> out;
  CommitInfo info(repo);
  for (Found& f : found) {
    auto key = std::make_pair(f.finding.fingerprint, f.finding.path);
    if (auto it = first.find(key); it != first.end()) {
      ++it->second->origin.versions;
      continue;
    }
    engine::Finding& x = f.finding;
    x.from_history = true;
    if (f.origin->commit != kNone) {
      x.origin = info.get(g.id(g.commits()[f.origin->commit].object), f.origin->reachable);
    } else {
      x.origin.reachable = f.origin->reachable;
    }
    x.origin.blob = oid_hex(g.id(f.blob));
    first.emplace(key, &x);
    out.push_back(&x);
  }
  for (engine::Finding* f : out) emit(std::move(*f));
}

// Reading goes through libgit2, whose caches sit behind global locks, so it stays on one
// thread; matching runs beside it on another. Every libgit2 call, the commit lookups and the
// sink stay on the calling thread: the worker only reads bytes and returns what it found.
Status scan_blobs(git_repository* repo, git_odb* odb, const ObjectGraph& g,
                  const Attribution& attribution, const HistoryOptions& options,
                  const engine::Scanner& scanner, const engine::FindingFn& emit,
                  engine::ScanStats& stats) {
  constexpr std::size_t kInFlight = std::size_t(16) << 20;  // enough to keep the worker busy
  Queue<Job> todo(kInFlight), done(SIZE_MAX);
  std::thread worker([&] {
    while (auto job = todo.pop()) {
      std::string_view data(static_cast<const char*>(git_odb_object_data(job->object.get())),
                            git_odb_object_size(job->object.get()));
      const std::string& path = attribution.paths[job->origin->path];
      job->status = scanner.scan(engine::Chunk{data, path, {}}, [&](engine::Finding&& f) {
        job->findings.push_back(std::move(f));
      });
      done.push(std::move(*job), 0);
    }
    done.close();
  });

  Status failed;
  std::vector<Found> found;
  auto finish = [&](Job& job) {
    if (!job.status && failed) failed = job.status;
    for (engine::Finding& f : job.findings) found.push_back({std::move(f), job.blob, job.origin});
  };

  auto wanted = [&](std::uint32_t b) {
    const Origin* o = attribution.origin(b);
    return o && (o->reachable || options.all_objects);
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
    const std::string& path = attribution.paths[origin->path];
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
    git_odb_object* raw = nullptr;
    if (git_odb_read(&raw, odb, &id) < 0) {
      stats.errors.push_back(last_error(fmt::format("blob {} ({})", oid_hex(id), path)).message);
      continue;
    }
    OdbObjectPtr obj(raw);
    std::string_view data(static_cast<const char*>(git_odb_object_data(raw)),
                          git_odb_object_size(raw));
    if (looks_binary(data)) {
      stats.skipped.push_back({path.empty() ? oid_hex(id) : path, "binary"});
      continue;
    }
    ++stats.files;
    stats.bytes += data.size();
    read += data.size();
    if (options.progress) options.progress({"scanning blobs", read, total});
    todo.push(Job{std::move(obj), b, origin, {}, {}}, data.size());
  }
  todo.close();
  while (auto job = done.pop()) finish(*job);
  worker.join();
  if (options.progress) options.progress({"scanning blobs", total, total});
  report(repo, g, attribution, std::move(found), emit);
  return failed;
}

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

  auto graph = ObjectGraph::load(repo, odb.get(), stats, [&](std::size_t done, std::size_t total) {
    if (options.progress) options.progress({"reading history", done, total});
  });
  if (!graph) return graph.error();
  const ObjectGraph& g = *graph;

  Tips tips;
  LEAKGATE_TRY(find_tips(repo, g, tips, stats));
  Attribution attribution(g);
  attribution.walk_commits(tips.commits, true);
  for (std::uint32_t t : tips.trees) attribution.walk_tree(t, "", kNone, true);
  for (const auto& [b, ref] : tips.blobs) attribution.add_blob(b, ref, kNone, true);

  if (options.all_objects) {
    // Commits no ref reaches (a reset, a deleted branch), then any blob still unclaimed.
    std::vector<std::uint32_t> dangling;
    for (std::uint32_t c = 0; c < g.commits().size(); ++c) {
      if (!attribution.walked(c)) dangling.push_back(c);
    }
    attribution.walk_commits(dangling, false);
    for (std::uint32_t o = 0; o < g.size(); ++o) {
      if (g.type(o) == GIT_OBJECT_BLOB) attribution.add_blob(o, "", kNone, false);
    }
  }
  stats.commits = attribution.commits_walked;
  for (auto& m : attribution.missing) stats.errors.push_back(m + ": missing from the object database");
  return scan_blobs(repo, odb.get(), g, attribution, options, scanner, emit, stats);
}

}  // namespace leakgate::git
