// UserService: the people who may sign in to the server, each with a role
// (issue 5, "Access"). Emails are unique and stored lower-case; passwords
// are kept as argon2id hashes only (password.h), and List never returns them.
//
// Thread safety: one thread at a time (as the Store).
#pragma once

#include <optional>
#include <string>
#include <vector>

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

class UserService {
 public:
  explicit UserService(Store& store, const Clock& clock = SystemClock::Get())
      : store_(store), clock_(clock) {}

  // Validates (email shape, name, team and person exist, password length)
  // and stores a new user; AlreadyExists when the email is taken. Every
  // problem found is listed in one InvalidArgument error.
  Result<model::User> Add(const NewUser& user);

  // Every user, by email, with password_hash cleared.
  Result<std::vector<model::User>> List();

  // The user with this email (any case), password_hash cleared.
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

  Store& store_;
  const Clock& clock_;
};

}  // namespace sei::auth
