// Mailmap: git's .mailmap file, parsed and looked up exactly as git does
// (mailmap.c: read_mailmap_line, add_mapping, map_user), so an identity maps
// to the same proper name and email here as in `git log --use-mailmap` and
// `git check-mailmap`.
//
// Why it exists: a .mailmap is the one place where a project's maintainers
// say which commit identities are the same person. Identity resolution
// (identity_resolver.h) honours it before any guess of its own.
//
// The four forms (each line; blank lines and lines starting with '#' are
// ignored, so is anything after the last '>' of an entry):
//   Proper Name <commit@email>                           name only
//   <proper@email> <commit@email>                        email only
//   Proper Name <proper@email> <commit@email>            both
//   Proper Name <proper@email> Commit Name <commit@email>  both, only for
//                                                        that commit name
// Emails and commit names match case-insensitively (ASCII), as in git. An
// entry naming the commit name wins over the email-only entry for the same
// email; a later line for the same key overrides an earlier one (an email-
// only line replaces just the parts it gives). Names are trimmed of
// surrounding whitespace; emails are taken verbatim between '<' and '>'.
//
// Thread safety: a Mailmap is a value; const methods may be called from any
// number of threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sei::identity {

class Mailmap {
 public:
  // The identity a lookup maps to: the commit's name and email with the
  // parts the .mailmap replaces replaced.
  struct Mapped {
    std::string name;
    std::string email;
  };

  // Parses .mailmap text. Never fails: like git, lines it cannot read are
  // ignored.
  static Mailmap Parse(std::string_view text);

  // Adds the entries of more .mailmap text (git reads several sources into
  // one map this way: mailmap.file, then the tree's .mailmap).
  void Add(std::string_view text);

  // What git's map_user gives for a commit identity: nullopt when no entry
  // applies (git prints the identity unchanged).
  std::optional<Mapped> Lookup(std::string_view name, std::string_view email) const;

  // Number of distinct commit emails with an entry.
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  struct Info {
    std::optional<std::string> name;
    std::optional<std::string> email;
  };
  struct Entry {
    Info simple;                                    // email-only entry
    std::unordered_map<std::string, Info> by_name;  // lowercased commit name -> entry
  };

  void AddLine(std::string_view line);
  void AddMapping(std::optional<std::string> new_name, std::optional<std::string> new_email,
                  std::optional<std::string> old_name, std::optional<std::string> old_email);

  std::unordered_map<std::string, Entry> entries_;  // lowercased commit email -> entry
};

}  // namespace sei::identity
