#include "app/access_cli.h"

#include <pwd.h>
#include <unistd.h>

#include "auth/audit_log.h"
#include "common/clock.h"
#include "common/time.h"

namespace sei::app {

std::string CliActor() {
  const uid_t uid = geteuid();
  if (const passwd* pw = getpwuid(uid); pw != nullptr && pw->pw_name != nullptr) {
    return std::string("cli:") + pw->pw_name;
  }
  return "cli:uid" + std::to_string(uid);
}

Status RecordCliAudit(Store& store, const std::string& action, const std::string& target,
                      const std::string& detail) {
  auth::AuditEntry e;
  e.at = SystemClock::Get().NowUnixSeconds();
  e.actor = CliActor();
  e.action = action;
  e.target = target;
  e.detail = detail;
  e.outcome = "ok";
  return auth::AuditLog::Record(store, std::move(e));
}

std::string ShortTime(std::optional<int64_t> unix_seconds) {
  if (!unix_seconds) return "-";
  std::string s = FormatRfc3339Utc(*unix_seconds);  // 2024-06-01T12:00:00Z
  return s.substr(0, 10) + " " + s.substr(11, 5);
}

}  // namespace sei::app
