#include "base/private_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <catch2/catch.hpp>

#include "support/temp_repo.h"

using namespace leakgate;
using leakgate::test::slurp;
using leakgate::test::TempDir;
namespace fs = std::filesystem;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

void put(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f);
  std::fputs(text.c_str(), f);
  std::fclose(f);
}

}  // namespace

TEST_CASE("a private file is created with mode 0600 whatever the umask") {
  TempDir dir;
  std::string path = dir / "new.txt";
  mode_t old = ::umask(0);
  Status s = write_private_file(path, "secret\n");
  ::umask(old);
  REQUIRE(s.ok());
  CHECK(mode_of(path) == 0600);
  CHECK(slurp(path) == "secret\n");
}

TEST_CASE("an existing regular file is truncated and made private") {
  TempDir dir;
  std::string path = dir / "old.txt";
  put(path, "a much longer old content\n");
  ::chmod(path.c_str(), 0644);
  REQUIRE(write_private_file(path, "new\n").ok());
  CHECK(slurp(path) == "new\n");
  CHECK(mode_of(path) == 0600);
}

TEST_CASE("a symlink is refused and what it points at is left alone") {
  TempDir dir;
  std::string target = dir / "target.txt";
  put(target, "keep\n");
  std::string link = dir / "link.txt";
  fs::create_symlink(target, link);
  Status s = write_private_file(link, "secret\n");
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.error().message, Catch::Contains(link) && Catch::Contains("symbolic link"));
  CHECK(slurp(target) == "keep\n");

  SECTION("a dangling symlink is not followed to create its target either") {
    std::string dangling = dir / "dangling.txt";
    fs::create_symlink(dir / "created-by-nobody.txt", dangling);
    CHECK_FALSE(write_private_file(dangling, "secret\n").ok());
    CHECK_FALSE(fs::exists(dir / "created-by-nobody.txt"));
  }
}

TEST_CASE("a file with another hard link, a FIFO and a directory are refused") {
  TempDir dir;
  std::string target = dir / "target.txt";
  put(target, "keep\n");
  std::string hard = dir / "hard.txt";
  fs::create_hard_link(target, hard);
  Status linked = write_private_file(hard, "secret\n");
  REQUIRE_FALSE(linked.ok());
  CHECK_THAT(linked.error().message, Catch::Contains("hard links"));
  CHECK(slurp(target) == "keep\n");

  std::string fifo = dir / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_FALSE(write_private_file(fifo, "secret\n").ok());  // and does not hang without a reader

  Status is_dir = write_private_file(dir.path(), "secret\n");
  CHECK_FALSE(is_dir.ok());
}
