#include "git/repo.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace leakgate::git {

Library::Library(bool verify_hashes) {
  git_libgit2_init();
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, verify_hashes ? 1 : 0);
  git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
  // Pack files are mapped in windows; the default allows 8 GiB of them, which counts as the
  // process's memory on a large repository. Reading in pack order needs only a few at a time.
  git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, std::size_t(32) << 20);
  git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, std::size_t(128) << 20);
  // A hostile repository must not make us touch files owned by others; keep git's default
  // ownership check on, as git itself does.
}

Library::~Library() { git_libgit2_shutdown(); }

Error last_error(std::string_view what) {
  const git_error* e = git_error_last();
  return make_error("{}: {}", what, e && e->message ? e->message : "unknown libgit2 error");
}

std::string oid_hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

bool is_partial_clone(git_repository* repo) {
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) < 0) return false;
  bool partial = false;
  // Not git_config_foreach_match: its regex leaks in libgit2 1.5.
  git_config_foreach(
      raw,
      [](const git_config_entry* e, void* payload) {
        std::string_view name = e->name;
        int on = 0;
        bool promisor = name.substr(0, 7) == "remote." && name.size() > 16 &&
                        name.substr(name.size() - 9) == ".promisor" &&
                        git_config_parse_bool(&on, e->value) == 0 && on;
        if (promisor || name == "extensions.partialclone") *static_cast<bool*>(payload) = true;
        return 0;
      },
      &partial);
  git_config_free(raw);
  return partial;
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

engine::Provenance commit_provenance(const git_commit* commit) {
  engine::Provenance p;
  p.commit = oid_hex(*git_commit_id(commit));
  const git_signature* a = git_commit_author(commit);
  p.author = a->name ? a->name : "";
  p.email = a->email ? a->email : "";
  p.date = iso_date(a->when);
  return p;
}

namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

Status add_env_alternates(git_repository* repo) {
  const char* objects = env("GIT_OBJECT_DIRECTORY");
  const char* alternates = env("GIT_ALTERNATE_OBJECT_DIRECTORIES");
  if (!objects && !alternates) return {};
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) < 0) return last_error("object database");
  OdbPtr hold(odb);
  if (objects && git_odb_add_disk_alternate(odb, objects) < 0) {
    return last_error(fmt::format("GIT_OBJECT_DIRECTORY {}", objects));
  }
  if (alternates) {
    std::string_view list(alternates);
    while (!list.empty()) {
      std::size_t colon = list.find(':');
      std::string dir(list.substr(0, colon));
      if (!dir.empty() && git_odb_add_disk_alternate(odb, dir.c_str()) < 0) {
        return last_error(fmt::format("GIT_ALTERNATE_OBJECT_DIRECTORIES {}", dir));
      }
      if (colon == std::string_view::npos) break;
      list.remove_prefix(colon + 1);
    }
  }
  return {};
}

// True when `dir` is the work tree the repository already has. libgit2 1.5 leaks when asked to
// set the work tree it has, which git's own GIT_WORK_TREE usually names.
bool same_workdir(git_repository* repo, const char* dir) {
  const char* current = git_repository_workdir(repo);
  if (!current) return false;
  std::error_code ec;
  std::filesystem::path want = std::filesystem::weakly_canonical(dir, ec);
  std::string have = current;
  if (have.size() > 1 && have.back() == '/') have.pop_back();
  return !ec && want == std::filesystem::path(have);
}

// Why a repository did not open, in words a user can act on. `open` repeats the attempt.
template <class Open>
Error open_error(int rc, const std::string& where, Open&& open) {
  const git_error* e = git_error_last();
  std::string_view message = e && e->message ? e->message : "";
  if (message.find("extensions.objectformat") != std::string_view::npos) {
    return make_error("{}: the repository uses the SHA-256 object format, which leakgate cannot "
                      "read yet (libgit2 1.5 reads SHA-1 repositories only)",
                      where);
  }
  if (rc != GIT_ENOTFOUND) return last_error(fmt::format("{}: cannot open repository", where));
  // libgit2 1.5 reports a repository owned by another user as not found. Opening it again
  // without the ownership check tells the two apart; it reads files only, never runs anything.
  git_repository* raw = nullptr;
  int validate = 1;
  git_libgit2_opts(GIT_OPT_GET_OWNER_VALIDATION, &validate);
  git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
  int again = open(&raw);
  git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, validate);
  if (again == 0) {
    std::string dir = git_repository_workdir(raw) ? git_repository_workdir(raw)
                                                  : git_repository_path(raw);
    git_repository_free(raw);
    if (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    return make_error("{}: the repository is owned by another user, and git does not trust it "
                      "(\"dubious ownership\"); to scan it, trust it first: git config --global "
                      "--add safe.directory {}",
                      where, dir);
  }
  return make_error("{}: not a git repository", where);
}

}  // namespace

Result<RepoPtr> open_repository(const std::optional<std::string>& path) {
  std::string where, start = ".";
  unsigned flags = 0;
  const char* ceiling = nullptr;
  if (path) {
    where = start = *path;
    if (!std::filesystem::exists(*path)) return make_error("{}: no such directory", *path);
  } else if (const char* dir = env("GIT_DIR")) {
    where = start = dir;
    flags = GIT_REPOSITORY_OPEN_NO_SEARCH;
  } else {
    where = std::filesystem::current_path().string();
    ceiling = env("GIT_CEILING_DIRECTORIES");
  }
  auto open = [&](git_repository** out) {
    return git_repository_open_ext(out, start.c_str(), flags, ceiling);
  };
  git_repository* raw = nullptr;
  if (int rc = open(&raw); rc < 0) return open_error(rc, where, open);
  RepoPtr repo(raw);
  if (!path) {
    if (const char* wt = env("GIT_WORK_TREE"); wt && !same_workdir(repo.get(), wt)) {
      if (git_repository_set_workdir(repo.get(), wt, 0) < 0) {
        return last_error(fmt::format("GIT_WORK_TREE {}", wt));
      }
    }
    LEAKGATE_TRY(add_env_alternates(repo.get()));
  }
  return repo;
}

std::optional<std::string> read_from_head(git_repository* repo, const char* path) {
  git_object* obj = nullptr;
  std::string spec = fmt::format("HEAD:{}", path);
  if (git_revparse_single(&obj, repo, spec.c_str()) < 0) return std::nullopt;
  ObjectPtr hold(obj);
  if (git_object_type(obj) != GIT_OBJECT_BLOB) return std::nullopt;
  const auto* blob = reinterpret_cast<git_blob*>(obj);
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob)),
                     std::size_t(git_blob_rawsize(blob)));
}

}  // namespace leakgate::git
