#include "git/repo.h"

#include <cstdlib>
#include <filesystem>

namespace leakgate::git {

Library::Library() {
  git_libgit2_init();
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
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

}  // namespace

Result<RepoPtr> open_repository(const std::optional<std::string>& path) {
  git_repository* raw = nullptr;
  int rc;
  std::string where;
  if (path) {
    where = *path;
    if (!std::filesystem::exists(*path)) return make_error("{}: no such directory", *path);
    rc = git_repository_open_ext(&raw, path->c_str(), 0, nullptr);
  } else if (const char* dir = env("GIT_DIR")) {
    where = dir;
    rc = git_repository_open_ext(&raw, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  } else {
    where = std::filesystem::current_path().string();
    rc = git_repository_open_ext(&raw, ".", 0, env("GIT_CEILING_DIRECTORIES"));
  }
  if (rc == GIT_ENOTFOUND) return make_error("{}: not a git repository", where);
  if (rc < 0) return last_error(fmt::format("{}: cannot open repository", where));
  RepoPtr repo(raw);
  if (!path) {
    if (const char* wt = env("GIT_WORK_TREE")) {
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
