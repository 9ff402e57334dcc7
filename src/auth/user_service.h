// UserService: the people who may sign in to the server, each with a role
// (issue 5, "Access"). Emails are unique and stored lower-case; passwords
// are kept as argon2id hashes only (password.h), and List never returns them.
//
// Thread safety: one thread at a time (as the Store).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/role.h"
#include "common/clock.h"
#include "common/result.h"
#include "model/access.h"
#include "store/store.h"

namespace sei::auth {

struct NewUser {
  std::string email;
  std::string name;
  Role role = Role::kViewer;
  std::optional<std::string> team_id;    // must name an existing team
  std::optional<std::string> person_id;  // must name an existing person
  std::optional<std::string> password;   // none: the user cannot sign in (tokens only)
};

// What PATCH /api/v1/users/{id} changes; an empty member keeps the value.
struct UserChange {
  std::optional<std::string> name;
  std::optional<Role> role;
  std::optional<std::optional<std::string>> team_id;    // set to nullopt: cleared
  std::optional<std::optional<std::string>> person_id;  // set to nullopt: cleared
  std::optional<bool> disabled;                         // false enables again
  std::optional<std::string> password;
};

class UserService {
 public:
  explicit UserService(Store& store, const Clock& clock = SystemClock::Get())
      : store_(store), clock_(clock) {}

  // Validates (email shape, name, team and person exist, password length)
  // and stores a new user; AlreadyExists when the email is taken. Every
  // problem found is listed in one InvalidArgument error.
  // With `audit`, the entry (target set to the new user) commits with it.
  Result<model::User> Add(const NewUser& user,
                          std::optional<model::AuditEntry> audit = std::nullopt);

  // Changes the user with this id, in one transaction with `audit`. NotFound
  // when there is none; InvalidArgument listing every problem (as Add);
  // FailedPrecondition when the change would leave no enabled admin user and
  // no admin token to sign in with. Lowering the role or disabling acts on
  // the user's tokens at once; a raised role reaches login sessions at the
  // next sign-in (a session keeps the lesser of its own and the user's role).
  Result<model::User> Update(const std::string& id, const UserChange& change,
                             std::optional<model::AuditEntry> audit = std::nullopt);

  // Every user, by email. Here and in every answer of the service the
  // password_hash is redacted: an empty string when a password is set.
  Result<std::vector<model::User>> List();

  // The user with this email (any case), password_hash redacted.
  Result<std::optional<model::User>> FindByEmail(const std::string& email);

  // Disables a user: their tokens and sessions stop working at once.
  // NotFound when there is no such email; disabling again keeps the date.
  Status Disable(const std::string& email);

  // Sets (replaces) the user's password.
  Status SetPassword(const std::string& email, const std::string& password);

  // " Ann@Example.com " -> "ann@example.com" (ends trimmed, lower-case).
  static std::string NormaliseEmail(const std::string& email);

 private:
  Status Validate(const NewUser& user, const std::string& email);
  // The problems of a team id, person id or password (none when unset).
  Status CheckReferences(const std::optional<std::string>& team_id,
                         const std::optional<std::string>& person_id,
                         const std::optional<std::string>& password,
                         std::vector<std::string>* problems);
  // Whether an admin can still sign in with `except_user` no admin.
  Result<bool> OtherAdminExists(const std::string& except_user);

  Store& store_;
  const Clock& clock_;
};

}  // namespace sei::auth
