// Fuzz target: a hostile repository's objects. The input describes commits, trees, tags and
// blobs (well formed or not); they are put in an object database held in memory, and the
// history sweep reads them all (--all-objects): the object graph's own parsers of raw commits,
// trees and tags, the paths trees spell, the topological walk, where each secret still lives
// (refs/heads/main names the last commit written), libgit2's commit parser for authors, and the
// scan of every blob.
//
// Input: records of [kind][length][payload], lengths one byte. Where a record names another
// object it gives one byte: an index into the objects written so far, or (>= 0xf0) an id that
// names nothing, as in a partial clone.
//   kind 0  blob:   payload is the content
//   kind 1  tree:   entries of [mode][object][name length][name]
//   kind 2  commit: [tree][parent count][parents...] then the message
//   kind 3  tag:    [object] then the message
//   kind 4  raw:    [type] then the object's bytes as they are (malformed trees, commits, tags)
//   kind 5  forged: [object] then tree entries as in kind 1, stored under that object's id:
//                   content that does not hash to its id, as only a hostile database holds
//                   (a tree that names itself or an ancestor)
#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/matcher.h"
#include "engine/scanner.h"
#include "git/history.h"
#include "git/repo.h"
#include "rules/catalogue.h"

namespace {

using namespace leakgate;

struct OidLess {
  bool operator()(const git_oid& a, const git_oid& b) const {
    return std::memcmp(a.id, b.id, GIT_OID_RAWSZ) < 0;
  }
};

// An object database backend over a map, which the fuzzer refills for every input.
struct MemoryBackend {
  git_odb_backend parent;
  std::map<git_oid, std::pair<git_object_t, std::string>, OidLess> objects;

  static MemoryBackend* self(git_odb_backend* b) { return reinterpret_cast<MemoryBackend*>(b); }

  static int read(void** out, std::size_t* len, git_object_t* type, git_odb_backend* b,
                  const git_oid* id) {
    auto it = self(b)->objects.find(*id);
    if (it == self(b)->objects.end()) return GIT_ENOTFOUND;
    const std::string& data = it->second.second;
    void* buf = git_odb_backend_data_alloc(b, data.size() + 1);
    std::memcpy(buf, data.data(), data.size());
    static_cast<char*>(buf)[data.size()] = '\0';
    *out = buf;
    *len = data.size();
    *type = it->second.first;
    return 0;
  }
  static int read_header(std::size_t* len, git_object_t* type, git_odb_backend* b,
                         const git_oid* id) {
    auto it = self(b)->objects.find(*id);
    if (it == self(b)->objects.end()) return GIT_ENOTFOUND;
    *len = it->second.second.size();
    *type = it->second.first;
    return 0;
  }
  static int exists(git_odb_backend* b, const git_oid* id) {
    return self(b)->objects.count(*id) ? 1 : 0;
  }
  static int foreach (git_odb_backend* b, git_odb_foreach_cb cb, void* payload) {
    for (const auto& [id, object] : self(b)->objects) {
      if (int rc = cb(&id, payload)) return rc;
    }
    return 0;
  }
  static void free_(git_odb_backend*) {}
};

struct World {
  git::Library lib;
  git::RepoPtr repo;
  MemoryBackend* backend = nullptr;
  std::unique_ptr<engine::Matcher> matcher;
  std::unique_ptr<engine::Scanner> scanner;
};

World& world() {
  static World* w = [] {
    auto* out = new World;
    static char dir[] = "/tmp/leakgate-fuzz-objects-XXXXXX";
    if (!mkdtemp(dir)) std::abort();
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    });
    git_repository* raw = nullptr;
    if (git_repository_init(&raw, dir, 1) < 0) std::abort();
    out->repo.reset(raw);
    git_odb* odb = nullptr;
    if (git_repository_odb(&odb, raw) < 0) std::abort();
    out->backend = new MemoryBackend{};
    git_odb_init_backend(&out->backend->parent, GIT_ODB_BACKEND_VERSION);
    out->backend->parent.read = &MemoryBackend::read;
    out->backend->parent.read_header = &MemoryBackend::read_header;
    out->backend->parent.exists = &MemoryBackend::exists;
    out->backend->parent.foreach = &MemoryBackend::foreach;
    out->backend->parent.free = &MemoryBackend::free_;
    if (git_odb_add_backend(odb, &out->backend->parent, 1000) < 0) std::abort();
    git_odb_free(odb);
    auto catalogue = rules::Catalogue::builtin();
    if (!catalogue) std::abort();
    out->matcher = std::make_unique<engine::Matcher>(std::move(catalogue->rules()));
    auto scanner = engine::Scanner::create(*out->matcher, rules::Allowlist{});
    if (!scanner) std::abort();
    out->scanner = std::make_unique<engine::Scanner>(std::move(*scanner));
    return out;
  }();
  return *w;
}

class Builder {
 public:
  Builder(std::string_view input, MemoryBackend& backend) : in_(input), backend_(backend) {}

  std::optional<git_oid> last_commit;  // the last commit written, if any

  void run() {
    while (in_.size() >= 2) {
      unsigned kind = byte() % 6;
      std::string_view payload = take(byte());
      switch (kind) {
        case 0:
          add(GIT_OBJECT_BLOB, std::string(payload));
          break;
        case 1:
          add(GIT_OBJECT_TREE, tree(payload));
          break;
        case 2:
          add(GIT_OBJECT_COMMIT, commit(payload));
          break;
        case 3:
          add(GIT_OBJECT_TAG, tag(payload));
          break;
        case 4:
          if (!payload.empty()) {
            git_object_t t = type(at(payload));
            add(t, std::string(payload));
          }
          break;
        default:
          if (!payload.empty() && !ids_.empty()) {
            git_oid id = ref(at(payload));
            backend_.objects[id] = {GIT_OBJECT_TREE, tree(payload)};
          }
      }
    }
  }

 private:
  unsigned byte() {
    if (in_.empty()) return 0;
    unsigned b = std::uint8_t(in_[0]);
    in_.remove_prefix(1);
    return b;
  }
  std::string_view take(std::size_t n) {
    std::string_view out = in_.substr(0, n);
    in_.remove_prefix(out.size());
    return out;
  }
  static git_object_t type(unsigned b) {
    static constexpr git_object_t kTypes[] = {GIT_OBJECT_COMMIT, GIT_OBJECT_TREE, GIT_OBJECT_BLOB,
                                              GIT_OBJECT_TAG};
    return kTypes[b % 4];
  }
  static unsigned at(std::string_view& p) {
    if (p.empty()) return 0;
    unsigned b = std::uint8_t(p[0]);
    p.remove_prefix(1);
    return b;
  }

  git_oid ref(unsigned b) const {
    git_oid id;
    if (b >= 0xf0 || ids_.empty()) {
      std::memset(id.id, int(b), GIT_OID_RAWSZ);  // names nothing here
      return id;
    }
    return ids_[b % ids_.size()];
  }
  std::string hex(unsigned b) const { return git::oid_hex(ref(b)); }

  std::string tree(std::string_view p) const {
    static constexpr const char* kModes[] = {"100644", "100755", "120000", "40000",
                                             "160000", "644",    "",       "40000x"};
    std::string out;
    while (!p.empty()) {
      out += kModes[at(p) % 8];
      out += ' ';
      git_oid id = ref(at(p));
      std::size_t n = std::min<std::size_t>(at(p), p.size());
      out += p.substr(0, n);
      p.remove_prefix(n);
      out += '\0';
      out.append(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
    }
    return out;
  }

  std::string commit(std::string_view p) const {
    std::string out = "tree " + hex(at(p)) + "\n";
    for (unsigned n = at(p) % 4; n > 0; --n) out += "parent " + hex(at(p)) + "\n";
    out += "author Fuzz <fuzz@example.test> 1714564800 +0000\n";
    out += "committer Fuzz <fuzz@example.test> " + std::to_string(at(p) * 1000) + " +0000\n\n";
    out += p;
    return out;
  }

  std::string tag(std::string_view p) const {
    std::string out = "object " + hex(at(p)) + "\ntype commit\ntag t\n";
    out += "tagger Fuzz <fuzz@example.test> 1714564800 +0000\n\n";
    out += p;
    return out;
  }

  void add(git_object_t type, std::string data) {
    git_oid id;
    if (git_odb_hash(&id, data.data(), data.size(), type) < 0) return;
    backend_.objects[id] = {type, std::move(data)};
    ids_.push_back(id);
    if (type == GIT_OBJECT_COMMIT) last_commit = id;
  }

  std::string_view in_;
  MemoryBackend& backend_;
  std::vector<git_oid> ids_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = world();
  w.backend->objects.clear();
  Builder builder(std::string_view(reinterpret_cast<const char*>(data), size), *w.backend);
  builder.run();
  git_reference* ref = nullptr;
  if (builder.last_commit) {
    git_reference_create(&ref, w.repo.get(), "refs/heads/main", &*builder.last_commit, 1, nullptr);
    git_reference_free(ref);
  } else {
    git_reference_remove(w.repo.get(), "refs/heads/main");
  }
  git::HistoryOptions options;
  options.max_blob_size = 1 << 20;
  options.all_objects = true;
  engine::ScanStats stats;
  (void)git::scan_history(
      w.repo.get(), options, *w.scanner, [](engine::Finding&&) {}, stats);
  return 0;
}
