#include "auth/user_service.h"

#include <algorithm>
#include <cctype>

#include "auth/crypto.h"
#include "auth/password.h"
#include "auth/row_update.h"
#include "model/org.h"

namespace sei::auth {

namespace {

// The hash never leaves the service; an empty one tells a password is set.
void Redact(model::User& u) {
  if (u.password_hash) u.password_hash = std::string();
}

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

Status UserService::CheckReferences(const std::optional<std::string>& team_id,
                                    const std::optional<std::string>& person_id,
                                    const std::optional<std::string>& password,
                                    std::vector<std::string>* problems) {
  if (team_id) {
    SEI_ASSIGN_OR_RETURN(std::optional<model::Team> team,
                         FindOne<model::Team>(store_, "id", *team_id));
    if (!team) problems->push_back("there is no team '" + *team_id + "' (see `sei teams`)");
  }
  if (person_id) {
    SEI_ASSIGN_OR_RETURN(std::optional<model::Person> person,
                         FindOne<model::Person>(store_, "id", *person_id));
    if (!person) {
      problems->push_back("there is no person '" + *person_id + "' (see `sei identity list`)");
    }
  }
  if (password && password->size() < kMinPasswordLength) {
    problems->push_back("the password needs at least " + std::to_string(kMinPasswordLength) +
                        " characters");
  }
  return Status::Ok();
}

namespace {

Status Problems(const char* what, const std::vector<std::string>& problems) {
  if (problems.empty()) return Status::Ok();
  std::string m = std::string("cannot ") + what + " the user: ";
  for (size_t i = 0; i < problems.size(); ++i) m += (i > 0 ? "; " : "") + problems[i];
  return InvalidArgumentError(m);
}

}  // namespace

Status UserService::Validate(const NewUser& user, const std::string& email) {
  std::vector<std::string> problems;
  if (!LooksLikeEmail(email)) problems.push_back("'" + user.email + "' is not an email address");
  if (user.name.empty()) problems.push_back("the name is empty");
  SEI_RETURN_IF_ERROR(CheckReferences(user.team_id, user.person_id, user.password, &problems));
  return Problems("add", problems);
}

Result<model::User> UserService::Add(const NewUser& user, std::optional<model::AuditEntry> audit) {
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
  std::vector<TableWrite> writes = {TableWrite::Upsert(std::vector<model::User>{u})};
  if (audit) {
    audit->target = "user:" + u.id;
    SEI_ASSIGN_OR_RETURN(TableWrite entry, AuditLog::Write(*audit));
    writes.push_back(std::move(entry));
  }
  SEI_RETURN_IF_ERROR(store_.ApplyWrites(writes));
  Redact(u);
  return u;
}

Result<bool> UserService::OtherAdminExists(const std::string& except_user) {
  const int64_t now = clock_.NowUnixSeconds();
  SEI_ASSIGN_OR_RETURN(std::vector<model::User> users, store_.List<model::User>(ScanOptions{}));
  for (const model::User& u : users) {
    if (u.id != except_user && u.role == "admin" && !u.disabled_at) return true;
  }
  // An admin token of no user (as `make run` prints) signs in as well.
  SEI_ASSIGN_OR_RETURN(std::vector<model::ApiToken> tokens,
                       store_.List<model::ApiToken>(ScanOptions{}));
  for (const model::ApiToken& t : tokens) {
    if (t.role == "admin" && !t.user_id && !t.revoked_at &&
        (!t.expires_at || *t.expires_at > now)) {
      return true;
    }
  }
  return false;
}

Result<model::User> UserService::Update(const std::string& id, const UserChange& change,
                                        std::optional<model::AuditEntry> audit) {
  SEI_ASSIGN_OR_RETURN(std::optional<model::User> before, FindOne<model::User>(store_, "id", id));
  if (!before) return NotFoundError("no user with id '" + id + "' (GET /api/v1/users lists them)");
  std::vector<std::string> problems;
  if (change.name && change.name->empty()) problems.push_back("the name is empty");
  SEI_RETURN_IF_ERROR(CheckReferences(change.team_id.value_or(std::nullopt),
                                      change.person_id.value_or(std::nullopt), change.password,
                                      &problems));
  SEI_RETURN_IF_ERROR(Problems("change", problems));
  const bool loses_admin =
      before->role == "admin" && !before->disabled_at &&
      ((change.role && *change.role != Role::kAdmin) || change.disabled.value_or(false));
  if (loses_admin) {
    SEI_ASSIGN_OR_RETURN(bool other, OtherAdminExists(id));
    if (!other) {
      return FailedPreconditionError(
          before->email +
          " is the last admin who can sign in: make another user admin (or create an admin "
          "token) first");
    }
  }
  std::optional<std::string> hash;
  if (change.password) {
    SEI_ASSIGN_OR_RETURN(hash, HashPassword(*change.password));
  }
  const int64_t now = clock_.NowUnixSeconds();
  std::vector<TableWrite> also;
  if (audit) {
    audit->target = "user:" + id;
    SEI_ASSIGN_OR_RETURN(TableWrite entry, AuditLog::Write(*audit));
    also.push_back(std::move(entry));
  }
  model::User after;
  SEI_ASSIGN_OR_RETURN(bool found, UpdateOne<model::User>(
                                       store_, "id", id,
                                       [&](model::User& u) {
                                         if (change.name) u.name = *change.name;
                                         if (change.role)
                                           u.role = std::string(RoleName(*change.role));
                                         if (change.team_id) u.team_id = *change.team_id;
                                         if (change.person_id) u.person_id = *change.person_id;
                                         if (change.disabled) {
                                           if (!*change.disabled) {
                                             u.disabled_at.reset();
                                           } else if (!u.disabled_at) {
                                             u.disabled_at = now;
                                           }
                                         }
                                         if (hash) u.password_hash = hash;
                                         after = u;
                                         return Status::Ok();
                                       },
                                       std::move(also)));
  if (!found) return NotFoundError("no user with id '" + id + "'");
  Redact(after);
  return after;
}

Result<std::vector<model::User>> UserService::List() {
  ScanOptions options;
  options.order_by = "email";
  SEI_ASSIGN_OR_RETURN(std::vector<model::User> users, store_.List<model::User>(options));
  for (model::User& u : users) Redact(u);
  return users;
}

Result<std::optional<model::User>> UserService::FindByEmail(const std::string& email) {
  SEI_ASSIGN_OR_RETURN(std::optional<model::User> user,
                       FindOne<model::User>(store_, "email", NormaliseEmail(email)));
  if (user) Redact(*user);
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
