#include "collectors/git/repo_source.h"

#include <fmt/format.h>
#include <git2.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "model/ids.h"

namespace sei::collectors {

namespace fs = std::filesystem;

namespace {

struct RepoCloser {
  void operator()(git_repository* r) const { git_repository_free(r); }
};
using RepoPtr = std::unique_ptr<git_repository, RepoCloser>;
struct RemoteCloser {
  void operator()(git_remote* r) const { git_remote_free(r); }
};
using RemotePtr = std::unique_ptr<git_remote, RemoteCloser>;

std::string LastGitError() {
  const git_error* e = git_error_last();
  return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

std::string DisplayName(std::string path) {
  while (!path.empty() && (path.back() == '/' || path.back() == ':')) path.pop_back();
  std::string base =
      path.substr(path.find_last_of("/:") == std::string::npos ? 0 : path.find_last_of("/:") + 1);
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".git") == 0) {
    base.resize(base.size() - 4);
  }
  return base.empty() ? "repo" : base;
}

// "https://host/org/repo.git" -> "host-org-repo".
std::string MirrorSlug(const std::string& url) {
  std::string s = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) || c == '.' ? c : '-';
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  if (out.size() > 4 && out.compare(out.size() - 4, 4, ".git") == 0) out.resize(out.size() - 4);
  return out.empty() ? "repo" : out;
}

// Fetches every ref of `remote` into `repo` (pruning what the remote no
// longer has) and points HEAD at the remote's default branch (a clone by
// libgit2 with a mirror refspec leaves HEAD at refs/heads/master whatever
// the remote's is). Returns why it failed, in words, or nothing; an access
// problem (token, certificate) says its own fix.
struct DownloadError {
  std::string message;
  bool access = false;
};
std::optional<DownloadError> Download(git_repository* repo, git_remote* remote,
                                      const RemoteAccess& access) {
  RemoteCallbacks callbacks(access);
  git_remote_callbacks cbs = GIT_REMOTE_CALLBACKS_INIT;
  callbacks.Install(&cbs);
  auto failed = [&callbacks]() -> std::optional<DownloadError> {
    std::string why = callbacks.Problem();
    if (why.empty()) return DownloadError{LastGitError(), false};
    return DownloadError{why, true};
  };
  // No proxy: libgit2 1.5 with a proxy (GIT_PROXY_AUTO and http_proxy)
  // sends proxy-form requests straight to the origin (libgit2 issue #5650).
  if (git_remote_connect(remote, GIT_DIRECTION_FETCH, &cbs, nullptr, nullptr) != 0) {
    return failed();
  }
  std::string head;
  git_buf buf = GIT_BUF_INIT;
  if (git_remote_default_branch(&buf, remote) == 0) head.assign(buf.ptr, buf.size);
  git_buf_dispose(&buf);
  git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
  opts.callbacks = cbs;
  opts.prune = GIT_FETCH_PRUNE;
  opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
  if (git_remote_fetch(remote, nullptr, &opts, "sei mirror fetch") != 0) return failed();
  git_reference* ref = nullptr;
  if (!head.empty() && git_reference_lookup(&ref, repo, head.c_str()) == 0) {
    git_reference_free(ref);
    if (git_repository_set_head(repo, head.c_str()) != 0) git_error_clear();
  }
  return std::nullopt;
}

Status FetchMirror(const std::string& mirror, const std::string& url, const RemoteAccess& access) {
  git_repository* raw = nullptr;
  if (git_repository_open_bare(&raw, mirror.c_str()) != 0) {
    return DataLossError(fmt::format("mirror {} of {} is damaged ({}); delete it to re-clone",
                                     mirror, RedactUrl(url), LastGitError()));
  }
  RepoPtr repo(raw);
  git_remote* remote_raw = nullptr;
  if (git_remote_lookup(&remote_raw, repo.get(), "origin") != 0) {
    return DataLossError(
        fmt::format("mirror {} has no origin remote; delete it to re-clone", mirror));
  }
  RemotePtr remote(remote_raw);
  if (auto why = Download(repo.get(), remote.get(), access)) {
    return UnavailableError(fmt::format("cannot fetch {} into {}: {}{}", RedactUrl(url), mirror,
                                        why->message,
                                        why->access ? "" : "; check the URL and network"));
  }
  return Status::Ok();
}

// A remote "origin" of `repo` fetching `refspecs` (every ref when empty).
Result<RemotePtr> CreateOrigin(git_repository* repo, const std::string& url,
                               const std::vector<std::string>& refspecs) {
  const std::vector<std::string> specs =
      refspecs.empty() ? std::vector<std::string>{"+refs/*:refs/*"} : refspecs;
  git_remote* raw = nullptr;
  if (git_remote_create_with_fetchspec(&raw, repo, "origin", url.c_str(), specs[0].c_str()) != 0) {
    return InternalError(LastGitError());
  }
  RemotePtr remote(raw);
  if (specs.size() == 1) return remote;
  for (size_t i = 1; i < specs.size(); ++i) {
    if (git_remote_add_fetch(repo, "origin", specs[i].c_str()) != 0) {
      return InternalError(LastGitError());
    }
  }
  remote.reset();
  if (git_remote_lookup(&raw, repo, "origin") != 0) return InternalError(LastGitError());
  return RemotePtr(raw);
}

Status CloneMirror(const std::string& mirror, const std::string& url, const RemoteAccess& access,
                   const std::vector<std::string>& refspecs) {
  std::error_code ec;
  fs::create_directories(fs::path(mirror).parent_path(), ec);
  if (ec) {
    return PermissionDeniedError(fmt::format("cannot create the data directory {}: {}",
                                             fs::path(mirror).parent_path().string(),
                                             ec.message()));
  }
  std::string tmp = fmt::format("{}.tmp-{}", mirror, getpid());
  fs::remove_all(tmp, ec);
  std::optional<DownloadError> why;
  git_repository* raw = nullptr;
  if (git_repository_init(&raw, tmp.c_str(), /*is_bare=*/1) != 0) {
    why = DownloadError{LastGitError(), false};
  } else {
    RepoPtr repo(raw);
    Result<RemotePtr> remote = CreateOrigin(repo.get(), url, refspecs);
    if (!remote.ok()) {
      why = DownloadError{remote.status().message(), false};
    } else {
      why = Download(repo.get(), remote->get(), access);
    }
  }
  if (why) {
    fs::remove_all(tmp, ec);
    return UnavailableError(fmt::format("cannot clone {}: {}{}", RedactUrl(url), why->message,
                                        why->access ? ""
                                                    : "; check the URL (file://, https://, "
                                                      "ssh://) and that it is reachable"));
  }
  fs::rename(tmp, mirror, ec);
  if (ec) {
    fs::remove_all(tmp, ec);
    return InternalError(fmt::format("cannot move the new mirror into {}", mirror));
  }
  return Status::Ok();
}

Result<ResolvedRepo> OpenLocal(const std::string& location) {
  std::error_code ec;
  if (!fs::exists(location, ec)) {
    return NotFoundError(
        fmt::format("{} does not exist; pass the path of a git working tree or "
                    "bare repository",
                    location));
  }
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, location.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) !=
      0) {
    return InvalidArgumentError(
        fmt::format("{} is not a git repository (no .git directory, and not a bare repository); "
                    "pass the top-level directory of a working tree or a bare repository",
                    location));
  }
  RepoPtr repo(raw);
  ResolvedRepo r;
  const char* workdir = git_repository_workdir(repo.get());
  std::string top = workdir != nullptr ? workdir : git_repository_path(repo.get());
  r.location = fs::weakly_canonical(top, ec).string();
  if (r.location.empty()) r.location = top;
  while (r.location.size() > 1 && r.location.back() == '/') r.location.pop_back();
  r.git_dir = git_repository_commondir(repo.get());
  r.name = DisplayName(r.location);
  r.is_shallow = git_repository_is_shallow(repo.get()) == 1;
  return r;
}

}  // namespace

bool LooksLikeUrl(const std::string& location) {
  if (location.find("://") != std::string::npos) return true;
  // scp-like: user@host:path, where no '/' precedes the ':'.
  size_t colon = location.find(':');
  size_t at = location.find('@');
  return at != std::string::npos && colon != std::string::npos && at < colon &&
         location.find('/') > colon;
}

std::string RedactUrl(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  size_t at = url.find('@', scheme + 3);
  size_t slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  return url.substr(0, scheme + 3) + url.substr(at + 1);
}

Result<ResolvedRepo> ResolveRepo(const std::string& location, const std::string& data_dir,
                                 const RemoteAccess& access,
                                 const std::vector<std::string>& refspecs) {
  if (!LooksLikeUrl(location)) {
    SEI_ASSIGN_OR_RETURN(ResolvedRepo r, OpenLocal(location));
    r.repo_id = model::MakeId("git:local", "repo", r.location);
    return r;
  }
  std::string url = location;
  std::string mirror =
      (fs::absolute(fs::path(data_dir)) / "mirrors" / (MirrorSlug(RedactUrl(url)) + ".git"))
          .lexically_normal()
          .string();
  std::error_code ec;
  if (fs::exists(mirror, ec)) {
    SEI_RETURN_IF_ERROR(FetchMirror(mirror, url, access));
  } else {
    SEI_RETURN_IF_ERROR(CloneMirror(mirror, url, access, refspecs));
  }
  SEI_ASSIGN_OR_RETURN(ResolvedRepo r, OpenLocal(mirror));
  r.location = RedactUrl(url);
  r.mirror_path = mirror;
  r.name = DisplayName(r.location);
  r.repo_id = model::MakeId("git:local", "repo", r.location);
  return r;
}

}  // namespace sei::collectors
