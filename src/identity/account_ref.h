// How a person types an account: the account `sei identity merge|split`
// and POST /api/v1/identity/merges|splits act on, from an account id, a
// person id (its canonical account), or an email or login only one account
// has.
//
// Thread safety: as the Store given.
#pragma once

#include <string>

#include "common/result.h"
#include "store/store.h"

namespace sei::identity {

// The account `ref` names. With `existing_person`, an existing person (not
// made by resolution) that holds no account yet names itself: a merge with
// it makes the account that person. NotFound or InvalidArgument (more than
// one account) say why otherwise.
Result<std::string> FindAccount(Store& store, const std::string& ref, bool existing_person = false);

// The person the stored identity links give `account`; "" when none.
Result<std::string> StoredPersonOf(Store& store, const std::string& account);

}  // namespace sei::identity
