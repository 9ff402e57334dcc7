// Test utilities shared by unit and integration tests: temporary
// directories that clean up after themselves, running a command and
// capturing its output, and locating the source tree and shared fixtures.
//
// Thread safety: functions are thread-safe; a TempDir is owned by one test.
#pragma once

#include <string>
#include <vector>

namespace sei::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on
// destruction unless SEI_KEEP_TEST_DIRS is set in the environment.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string Sub(const std::string& name) const;

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;     // standard output
  std::string err;     // standard error
};

// Runs `argv` (argv[0] looked up in PATH) in directory `cwd` (empty: the
// current one) with extra environment entries "NAME=value", feeding `input`
// on standard input. Never throws; a command that cannot start yields
// exit_code 127 and a message in err.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& cwd = "",
                         const std::vector<std::string>& env = {}, const std::string& input = "");

// Runs a shell snippet with /bin/sh -c.
CommandResult RunShell(const std::string& script, const std::string& cwd = "");

// The project's source tree ($SEI_SOURCE_DIR, else the one this was built from).
std::string SourceDir();
// The build tree ($SEI_BINARY_DIR, else the one this was built in).
std::string BinaryDir();
// ../shared/fixtures relative to the source tree (or to one of its parent
// directories, for a git worktree under a sibling folder); empty when absent.
std::string SharedFixturesDir();

// Reads a whole file; empty string when it cannot be read.
std::string ReadFile(const std::string& path);
// Writes a whole file, creating parent directories; returns false on error.
bool WriteFile(const std::string& path, const std::string& contents);

}  // namespace sei::testing
