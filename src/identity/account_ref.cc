#include "identity/account_ref.h"

#include <fmt/format.h>

#include <vector>

#include "identity/person_adopter.h"
#include "identity/text.h"
#include "model/derived.h"
#include "model/org.h"

namespace sei::identity {

Result<std::string> FindAccount(Store& store, const std::string& ref, bool existing_person) {
  SEI_ASSIGN_OR_RETURN(auto accounts, store.List<model::Account>());
  for (const auto& a : accounts) {
    if (a.id == ref) return a.id;
  }
  SEI_ASSIGN_OR_RETURN(auto links, store.List<model::IdentityLink>());
  for (const auto& l : links) {
    if (l.person_id == ref && l.reason == "canonical") return l.account_id;
  }
  if (existing_person && !IsResolverPersonId(ref)) {
    SEI_ASSIGN_OR_RETURN(auto people, store.List<model::Person>());
    for (const auto& p : people) {
      if (p.id == ref) return p.id;
    }
  }
  std::vector<std::string> found;
  const std::string email = NormalizeEmail(ref), login = NormalizeLogin(ref);
  for (const auto& a : accounts) {
    const bool by_email = !email.empty() && a.email && NormalizeEmail(*a.email) == email;
    const bool by_login = email.empty() && a.login && NormalizeLogin(*a.login) == login;
    if (by_email || by_login) found.push_back(a.id);
  }
  if (found.size() == 1) return found[0];
  if (found.empty()) {
    return NotFoundError(
        fmt::format("no account matches '{}' (an account id, a person id, or an email or login); "
                    "`sei identity list` shows them",
                    ref));
  }
  return InvalidArgumentError(fmt::format("'{}' matches {} accounts ({}); pass one account id", ref,
                                          found.size(), fmt::join(found, ", ")));
}

Result<std::string> StoredPersonOf(Store& store, const std::string& account) {
  SEI_ASSIGN_OR_RETURN(auto links, store.List<model::IdentityLink>());
  for (const auto& l : links) {
    if (l.account_id == account) return l.person_id;
  }
  return std::string();
}

}  // namespace sei::identity
