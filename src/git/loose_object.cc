#include "git/loose_object.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "git/objects.h"

namespace sei::git::internal {

namespace {

// Deflate cannot expand data more than 1032:1 (see pack_file.cc).
constexpr uint64_t kMaxDeflateRatio = 1032;
constexpr size_t kMaxChunk = size_t{1} << 30;  // zlib counts in 32 bits
constexpr size_t kHeaderPrefix = 4096;

}  // namespace

LooseObjectReader::LooseObjectReader() { zs_ready_ = inflateInit(&zs_) == Z_OK; }

LooseObjectReader::~LooseObjectReader() {
  if (zs_ready_) inflateEnd(&zs_);
}

Status LooseObjectReader::Corrupt(const ObjectId& id, const std::string& what) const {
  return DataLossError("object " + id.Hex() + " (loose, " + path_ + "): " + what);
}

Status LooseObjectReader::Load(const std::string& objects_dir, const ObjectId& id, size_t limit,
                               bool* found) {
  path_.assign(objects_dir);
  path_.push_back('/');
  const size_t hex_at = path_.size();
  id.AppendHex(&path_);
  path_.insert(hex_at + 2, 1, '/');
  *found = false;
  int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Status::Ok();
    return PermissionDeniedError("cannot open " + path_ + ": " + std::strerror(errno));
  }
  *found = true;
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    close(fd);
    return Corrupt(id, "cannot stat the file");
  }
  file_size_ = static_cast<size_t>(st.st_size);
  file_.resize(std::min(file_size_, limit));
  size_t done = 0;
  while (done < file_.size()) {
    ssize_t r = read(fd, file_.data() + done, file_.size() - done);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    done += static_cast<size_t>(r);
  }
  close(fd);
  file_.resize(done);
  if (!zs_ready_) return ResourceExhaustedError("cannot initialise zlib");
  return Status::Ok();
}

Status LooseObjectReader::InflateHeader(const ObjectId& id, Header* h) {
  if (inflateReset(&zs_) != Z_OK) return InternalError("zlib inflateReset failed");
  zs_.next_in = reinterpret_cast<Bytef*>(file_.data());
  zs_.avail_in = static_cast<uInt>(std::min(file_.size(), kMaxChunk));
  zs_.next_out = head_;
  zs_.avail_out = sizeof(head_);
  int rc = inflate(&zs_, Z_NO_FLUSH);
  if (rc != Z_OK && rc != Z_STREAM_END) return Corrupt(id, "corrupt zlib data");
  const size_t produced = sizeof(head_) - zs_.avail_out;
  const std::string_view head(reinterpret_cast<const char*>(head_), produced);
  const size_t sp = head.find(' ');
  const size_t nul = head.find('\0');
  if (sp == std::string_view::npos || nul == std::string_view::npos || nul < sp) {
    return Corrupt(id, "no \"<type> <size>\" header");
  }
  h->type = ParseObjectType(head.substr(0, sp));
  if (h->type == ObjectType::kNone) return Corrupt(id, "unknown object type in header");
  const std::string_view digits = head.substr(sp + 1, nul - sp - 1);
  if (digits.empty() || digits.size() > 19 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Corrupt(id, "bad size in header");
  }
  h->size = 0;
  for (char c : digits) h->size = h->size * 10 + static_cast<uint64_t>(c - '0');
  if (h->size > file_size_ * kMaxDeflateRatio + sizeof(head_)) {
    return Corrupt(id, "header claims " + std::to_string(h->size) + " bytes from a " +
                           std::to_string(file_size_) + "-byte file");
  }
  h->data_start = nul + 1;
  h->data_end = produced;
  h->stream_ended = rc == Z_STREAM_END;
  if (h->data_end - h->data_start > h->size) {
    return Corrupt(
        id, "inflates to more than the " + std::to_string(h->size) + " bytes its header says");
  }
  return Status::Ok();
}

Status LooseObjectReader::InflateRest(const ObjectId& id, const Header& h, std::string* data) {
  const std::string expect = "the " + std::to_string(h.size) + " bytes its header says";
  data->resize(h.size);
  size_t done = h.data_end - h.data_start;
  std::memcpy(data->data(), head_ + h.data_start, done);
  int rc = h.stream_ended ? Z_STREAM_END : Z_OK;
  while (rc != Z_STREAM_END) {
    if (done == h.size) {  // full: the stream must end without more output
      unsigned char extra = 0;
      zs_.next_out = &extra;
      zs_.avail_out = 1;
      rc = inflate(&zs_, Z_NO_FLUSH);
      if (zs_.avail_out == 0) return Corrupt(id, "inflates to more than " + expect);
      if (rc != Z_STREAM_END) return Corrupt(id, "truncated or corrupt zlib data");
      break;
    }
    const size_t chunk = std::min(h.size - done, kMaxChunk);
    zs_.next_out = reinterpret_cast<Bytef*>(data->data() + done);
    zs_.avail_out = static_cast<uInt>(chunk);
    rc = inflate(&zs_, Z_NO_FLUSH);
    const size_t produced = chunk - zs_.avail_out;
    done += produced;
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) return Corrupt(id, "corrupt zlib data");
    if (zs_.avail_in == 0) {  // feed the next chunk of the file, if any
      const size_t consumed =
          static_cast<size_t>(zs_.next_in - reinterpret_cast<Bytef*>(file_.data()));
      zs_.avail_in = static_cast<uInt>(std::min(file_.size() - consumed, kMaxChunk));
      if (zs_.avail_in == 0 && produced == 0) return Corrupt(id, "truncated zlib data");
    } else if (produced == 0) {
      return Corrupt(id, "corrupt zlib data");
    }
  }
  if (done != h.size) return Corrupt(id, "inflates to fewer than " + expect);
  return Status::Ok();
}

Status LooseObjectReader::Read(const std::string& objects_dir, const ObjectId& id, ObjectType* type,
                               std::string* data, bool* found) {
  SEI_RETURN_IF_ERROR(Load(objects_dir, id, SIZE_MAX, found));
  if (!*found) return Status::Ok();
  Header h;
  SEI_RETURN_IF_ERROR(InflateHeader(id, &h));
  SEI_RETURN_IF_ERROR(InflateRest(id, h, data));
  *type = h.type;
  return Status::Ok();
}

Status LooseObjectReader::ReadHeader(const std::string& objects_dir, const ObjectId& id,
                                     ObjectType* type, uint64_t* size, bool* found) {
  // The header is in the first few hundred compressed bytes; read the whole
  // file only when it is not.
  SEI_RETURN_IF_ERROR(Load(objects_dir, id, kHeaderPrefix, found));
  if (!*found) return Status::Ok();
  Header h;
  Status s = InflateHeader(id, &h);
  if (!s.ok() && file_size_ > file_.size()) {
    SEI_RETURN_IF_ERROR(Load(objects_dir, id, SIZE_MAX, found));
    if (!*found) return NotFoundError("object " + id.Hex() + " vanished while being read");
    s = InflateHeader(id, &h);
  }
  SEI_RETURN_IF_ERROR(s);
  *type = h.type;
  *size = h.size;
  return Status::Ok();
}

}  // namespace sei::git::internal
