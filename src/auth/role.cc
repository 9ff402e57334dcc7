#include "auth/role.h"

#include <array>
#include <cctype>
#include <utility>

namespace sei::auth {

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoles = {{
    {Role::kAdmin, "admin"},
    {Role::kManager, "manager"},
    {Role::kMember, "member"},
    {Role::kViewer, "viewer"},
}};

}  // namespace

Result<Role> ParseRole(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [role, name] : kRoles) {
    if (lower == name) return role;
  }
  return InvalidArgumentError("unknown role '" + std::string(text) +
                              "'; valid roles are admin, manager, member and viewer");
}

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoles) {
    if (r == role) return name;
  }
  return "unknown";
}

}  // namespace sei::auth
