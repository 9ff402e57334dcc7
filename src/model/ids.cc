#include "model/ids.h"

#include <cctype>

namespace sei::model {

std::string ConnectionId(std::string_view source, std::string_view connection) {
  std::string id(source);
  id += ':';
  id += connection;
  return id;
}

std::string MakeId(std::string_view connection_id, std::string_view kind, std::string_view key) {
  std::string id;
  id.reserve(connection_id.size() + kind.size() + key.size() + 2);
  id += connection_id;
  id += ':';
  id += kind;
  id += ':';
  id += key;
  return id;
}

std::string GitAccountId(std::string_view connection_id, std::string_view name,
                         std::string_view email) {
  if (email.empty())
    return MakeId(connection_id, "account", std::string("name:") + std::string(name));
  std::string lower(email);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return MakeId(connection_id, "account", lower);
}

}  // namespace sei::model
