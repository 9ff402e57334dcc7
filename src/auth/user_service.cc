#include "auth/user_service.h"

#include <algorithm>
#include <cctype>

#include "auth/crypto.h"
#include "auth/password.h"
#include "auth/row_update.h"
#include "model/org.h"

namespace sei::auth {

namespace {

bool LooksLikeEmail(const std::string& e) {
  const size_t at = e.find('@');
  if (at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos) return false;
  const std::string domain = e.substr(at + 1);
  const size_t dot = domain.find('.');
  if (dot == std::string::npos || dot == 0 || domain.back() == '.') return false;
  return std::none_of(e.begin(), e.end(), [](unsigned char c) {
    return std::isspace(c) || std::iscntrl(c) || c == ',' || c == '<' || c == '>';
  });
}

}  // namespace

std::string UserService::NormaliseEmail(const std::string& email) {
  size_t begin = 0, end = email.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(email[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(email[end - 1]))) --end;
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(email[i])));
  }
  return out;
}

Status UserService::Validate(const NewUser& user, const std::string& email) {
  std::vector<std::string> problems;
  if (!LooksLikeEmail(email)) problems.push_back("'" + user.email + "' is not an email address");
  if (user.name.empty()) problems.push_back("the name is empty");
  if (user.team_id) {
    SEI_ASSIGN_OR_RETURN(std::optional<model::Team> team,
                         FindOne<model::Team>(store_, "id", *user.team_id));
    if (!team) problems.push_back("there is no team '" + *user.team_id + "' (see `sei teams`)");
  }
  if (user.person_id) {
    SEI_ASSIGN_OR_RETURN(std::optional<model::Person> person,
                         FindOne<model::Person>(store_, "id", *user.person_id));
    if (!person) {
      problems.push_back("there is no person '" + *user.person_id + "' (see `sei identity list`)");
    }
  }
  if (user.password && user.password->size() < kMinPasswordLength) {
    problems.push_back("the password needs at least " + std::to_string(kMinPasswordLength) +
                       " characters");
  }
  if (problems.empty()) return Status::Ok();
  std::string m = "cannot add the user: ";
  for (size_t i = 0; i < problems.size(); ++i) m += (i > 0 ? "; " : "") + problems[i];
  return InvalidArgumentError(m);
}

Result<model::User> UserService::Add(const NewUser& user) {
  SEI_RETURN_IF_ERROR(crypto::EnsureSodium());
  const std::string email = NormaliseEmail(user.email);
  SEI_RETURN_IF_ERROR(Validate(user, email));
  SEI_ASSIGN_OR_RETURN(std::optional<model::User> existing,
                       FindOne<model::User>(store_, "email", email));
  if (existing) {
    return AlreadyExistsError("a user with email " + email + " exists already (id " + existing->id +
                              ")");
  }
  model::User u;
  u.id = "u-" + crypto::Hex(crypto::RandomBytes(6));
  u.name = user.name;
  u.email = email;
  u.role = std::string(RoleName(user.role));
  u.team_id = user.team_id;
  u.person_id = user.person_id;
  if (user.password) {
    SEI_ASSIGN_OR_RETURN(u.password_hash, HashPassword(*user.password));
  }
  u.created_at = clock_.NowUnixSeconds();
  SEI_RETURN_IF_ERROR(store_.Upsert(std::vector<model::User>{u}));
  u.password_hash.reset();
  return u;
}

Result<std::vector<model::User>> UserService::List() {
  ScanOptions options;
  options.order_by = "email";
  SEI_ASSIGN_OR_RETURN(std::vector<model::User> users, store_.List<model::User>(options));
  for (model::User& u : users) u.password_hash.reset();
  return users;
}

Result<std::optional<model::User>> UserService::FindByEmail(const std::string& email) {
  SEI_ASSIGN_OR_RETURN(std::optional<model::User> user,
                       FindOne<model::User>(store_, "email", NormaliseEmail(email)));
  if (user) user->password_hash.reset();
  return user;
}

Status UserService::Disable(const std::string& email) {
  const int64_t now = clock_.NowUnixSeconds();
  SEI_ASSIGN_OR_RETURN(bool found, UpdateOne<model::User>(store_, "email", NormaliseEmail(email),
                                                          [now](model::User& u) {
                                                            if (!u.disabled_at) u.disabled_at = now;
                                                            return Status::Ok();
                                                          }));
  if (!found) return NotFoundError("no user with email " + email + " (see `sei user list`)");
  return Status::Ok();
}

Status UserService::SetPassword(const std::string& email, const std::string& password) {
  SEI_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  SEI_ASSIGN_OR_RETURN(bool found, UpdateOne<model::User>(store_, "email", NormaliseEmail(email),
                                                          [&hash](model::User& u) {
                                                            u.password_hash = hash;
                                                            return Status::Ok();
                                                          }));
  if (!found) return NotFoundError("no user with email " + email + " (see `sei user list`)");
  return Status::Ok();
}

}  // namespace sei::auth
