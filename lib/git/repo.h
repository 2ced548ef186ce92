// RAII handles for libgit2 and opening a repository the way git does for its hooks.
//
//   git::Library lib;                          // once, in main
//   auto repo = git::open_repository(std::nullopt);   // GIT_DIR, or discovered from cwd
//   if (!repo) return repo.error();
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <git2.h>

#include "base/result.h"
#include "engine/finding.h"

namespace leakgate::git {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
template <class T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using RepoPtr = Handle<git_repository, git_repository_free>;
using IndexPtr = Handle<git_index, git_index_free>;
using TreePtr = Handle<git_tree, git_tree_free>;
using DiffPtr = Handle<git_diff, git_diff_free>;
using PatchPtr = Handle<git_patch, git_patch_free>;
using BlobPtr = Handle<git_blob, git_blob_free>;
using CommitPtr = Handle<git_commit, git_commit_free>;
using ObjectPtr = Handle<git_object, git_object_free>;
using OdbPtr = Handle<git_odb, git_odb_free>;
using OdbObjectPtr = Handle<git_odb_object, git_odb_object_free>;
using RevwalkPtr = Handle<git_revwalk, git_revwalk_free>;
using ReferencePtr = Handle<git_reference, git_reference_free>;
using RefIterPtr = Handle<git_reference_iterator, git_reference_iterator_free>;

// libgit2's global state, for the life of the process. Turns off what a scanner does not
// need: strict hash verification (it would hash every object read a second time) and the
// object cache (each object is read once).
//
// The hooks read few objects and pass verify_hashes: then an object whose content does not
// hash to its id is an error. In a hostile object database such an object can be a tree that
// names itself, and libgit2's diffs would walk it without end.
class Library {
 public:
  explicit Library(bool verify_hashes = false);
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
};

// "what: libgit2's last error message".
Error last_error(std::string_view what);

// Opens the repository at `path` (searching upwards), or, without a path, the one git's
// environment names (GIT_DIR, GIT_WORK_TREE, GIT_OBJECT_DIRECTORY, ...) or that contains the
// current directory.
Result<RepoPtr> open_repository(const std::optional<std::string>& path);

std::string oid_hex(const git_oid& oid);

// "2024-05-01T12:00:00+02:00"
std::string iso_date(const git_time& t);
// A commit's id, author, email and author date.
engine::Provenance commit_provenance(const git_commit* commit);

// True for a partial clone (a promisor remote, or extensions.partialClone): objects its remote
// left out are missing by design, and only a fetch, which leakgate never makes, would bring them.
bool is_partial_clone(git_repository* repo);

// Reads `path` from HEAD's tree, for configuration in a bare repository. Empty when absent.
std::optional<std::string> read_from_head(git_repository* repo, const char* path);

}  // namespace leakgate::git
