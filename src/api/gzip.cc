#include "api/gzip.h"

#include <zlib.h>

namespace sei::api {

std::string GzipCompress(std::string_view in) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(in.size())) + 32);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

Result<std::string> GzipDecompress(std::string_view in, size_t max_out) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return InternalError("zlib inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof(buf);
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return InvalidArgumentError("not a valid gzip stream");
    }
    out.append(buf, sizeof(buf) - z.avail_out);
    if (out.size() > max_out) {
      inflateEnd(&z);
      return ResourceExhaustedError("gzip stream expands past the limit");
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      return InvalidArgumentError("truncated gzip stream");
    }
  }
  inflateEnd(&z);
  return out;
}

}  // namespace sei::api
