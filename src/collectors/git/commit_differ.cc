#include "collectors/git/commit_differ.h"

#include "collectors/git/rename_detector.h"
#include "common/strings.h"
#include "git/objects.h"
#include "model/ids.h"

namespace sei::collectors {

namespace {

std::string ChangeKind(const git::TreeChange& c) {
  if (c.old_mode == 0) return "A";
  if (c.new_mode == 0) return "D";
  if ((c.old_mode & 0170000) != (c.new_mode & 0170000)) return "T";
  return "M";
}

void SetPath(const std::string& raw, model::CommitFile* f) {
  if (IsValidUtf8(raw)) {
    f->path = raw;
    f->path_bytes.reset();
  } else {
    f->path = DecodeText(raw, "");
    f->path_bytes = raw;
  }
}

}  // namespace

CommitDiffer::CommitDiffer(const git::ObjectDb& db, DifferOptions options)
    : options_(std::move(options)), reader_(db.NewReader()), tree_differ_(reader_.get()) {
  if (options_.detect_renames) renames_ = std::make_unique<RenameDetector>(options_.git_dir);
}

CommitDiffer::~CommitDiffer() = default;

Status CommitDiffer::FillMetadata(const WalkedCommit& walked, model::Commit* c) {
  git::ObjectType type = git::ObjectType::kNone;
  SEI_RETURN_IF_ERROR(reader_->Read(walked.id, &type, &raw_));
  SEI_ASSIGN_OR_RETURN(git::Commit parsed, git::ParseCommit(raw_));
  c->repo_id = options_.repo_id;
  c->sha = walked.id.Hex();
  c->tree_sha = parsed.tree.Hex();
  c->author_name = DecodeText(parsed.author.name, parsed.encoding);
  c->author_email = DecodeText(parsed.author.email, parsed.encoding);
  c->author_time = parsed.author.time;
  c->author_tz = parsed.author.offset_minutes;
  c->committer_name = DecodeText(parsed.committer.name, parsed.encoding);
  c->committer_email = DecodeText(parsed.committer.email, parsed.encoding);
  c->committer_time = parsed.committer.time;
  c->committer_tz = parsed.committer.offset_minutes;
  c->message = DecodeText(parsed.message, parsed.encoding);
  c->parent_count = static_cast<int64_t>(parsed.parents.size());
  c->is_merge = parsed.parents.size() > 1;
  c->author_account_id =
      model::GitAccountId(options_.connection_id, c->author_name, c->author_email);
  c->committer_account_id =
      model::GitAccountId(options_.connection_id, c->committer_name, c->committer_email);
  return Status::Ok();
}

Status CommitDiffer::ReadSide(const git::ObjectId& id, uint32_t mode, std::string* buf) {
  if (mode == git::kModeGitlink) {
    *buf = "Subproject commit " + id.Hex() + "\n";
    return Status::Ok();
  }
  git::ObjectType type = git::ObjectType::kNone;
  SEI_RETURN_IF_ERROR(reader_->Read(id, &type, buf));
  if (type != git::ObjectType::kBlob) {
    return DataLossError("object " + id.Hex() + " should be a blob but is a " +
                         std::string(git::ObjectTypeName(type)));
  }
  return Status::Ok();
}

Status CommitDiffer::CountChange(const git::TreeChange& ch, model::CommitFile* f) {
  f->repo_id = options_.repo_id;
  SetPath(ch.path, f);
  f->change = ChangeKind(ch);
  f->old_mode = ch.old_mode;
  f->new_mode = ch.new_mode;
  old_buf_.clear();
  new_buf_.clear();
  if (ch.old_mode != 0) SEI_RETURN_IF_ERROR(ReadSide(ch.old_id, ch.old_mode, &old_buf_));
  if (ch.new_mode != 0) {
    if (ch.old_mode != 0 && ch.old_id == ch.new_id && ch.old_mode != git::kModeGitlink &&
        ch.new_mode != git::kModeGitlink) {
      new_buf_ = old_buf_;
    } else {
      SEI_RETURN_IF_ERROR(ReadSide(ch.new_id, ch.new_mode, &new_buf_));
    }
  }
  f->is_binary = git::IsBinary(old_buf_) || git::IsBinary(new_buf_);
  if (f->is_binary) {
    f->added.reset();
    f->deleted.reset();
  } else if (ch.old_mode == 0) {
    f->added = git::CountLines(new_buf_);
    f->deleted = 0;
  } else if (ch.new_mode == 0) {
    f->added = 0;
    f->deleted = git::CountLines(old_buf_);
  } else if (old_buf_ == new_buf_) {
    f->added = 0;
    f->deleted = 0;
  } else {
    git::LineCounts counts = line_differ_.Count(old_buf_, new_buf_);
    f->added = counts.added;
    f->deleted = counts.deleted;
  }
  return Status::Ok();
}

Status CommitDiffer::Process(const WalkedCommit& walked, CommitRecord* out) {
  SEI_RETURN_IF_ERROR(FillMetadata(walked, &out->commit));
  out->parents.clear();
  for (const git::ObjectId& p : walked.parents) out->parents.push_back(p.Hex());
  changes_.clear();
  const git::ObjectId* old_tree = walked.parent_tree ? &*walked.parent_tree : nullptr;
  Status s = tree_differ_.Diff(old_tree, &walked.tree, &changes_);
  if (!s.ok()) return s.WithContext("diffing commit " + out->commit.sha);
  out->files.clear();
  out->files.resize(changes_.size());
  for (size_t i = 0; i < changes_.size(); ++i) {
    s = CountChange(changes_[i], &out->files[i]);
    if (!s.ok()) return s.WithContext("commit " + out->commit.sha + " file " + changes_[i].path);
    out->files[i].sha = out->commit.sha;
    out->files[i].idx = static_cast<int64_t>(i);
  }
  if (renames_ != nullptr) {
    SEI_RETURN_IF_ERROR(
        renames_->Apply(old_tree, walked.tree, reader_.get(), &line_differ_, &out->files));
  }
  model::Commit& c = out->commit;
  c.files_changed = static_cast<int64_t>(out->files.size());
  c.additions = c.deletions = 0;
  for (const model::CommitFile& f : out->files) {
    c.additions += f.added.value_or(0);
    c.deletions += f.deleted.value_or(0);
  }
  return Status::Ok();
}

}  // namespace sei::collectors
