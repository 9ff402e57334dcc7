// Byte-scanning primitives for numstat line counting (line_diff.cc): the
// length of the common prefix or suffix of two buffers, newline search and
// counting, iteration over lines, and a fast non-cryptographic line hash.
// They use SSE2 where the target has it (every x86-64) and portable code
// elsewhere; the results are the same either way.
//
// Internal to sei_git. Everything here is a pure function: thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sei::git::line_scan {

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline uint32_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

#if defined(__SSE2__)
// Bit i set when p[i] == q[i], for i in [0, 16).
inline unsigned EqualMask16(const char* p, const char* q) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)));
}

// Bit i set when p[i] == '\n', for i in [0, 16).
inline unsigned NewlineMask16(const char* p) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))));
}
#endif

// How many leading bytes a[0, n) and b[0, n) have in common.
inline size_t CommonPrefix(const char* a, const char* b, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const unsigned differ = ~EqualMask16(a + i, b + i) & 0xFFFFu;
    if (differ != 0) return i + static_cast<size_t>(__builtin_ctz(differ));
  }
#endif
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// How many bytes just before a_end and b_end are equal, at most n.
inline size_t CommonSuffix(const char* a_end, const char* b_end, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const unsigned differ = ~EqualMask16(a_end - i - 16, b_end - i - 16) & 0xFFFFu;
    if (differ != 0) return i + static_cast<size_t>(__builtin_clz(differ) - 16);
  }
#endif
  while (i < n && a_end[-1 - static_cast<ptrdiff_t>(i)] == b_end[-1 - static_cast<ptrdiff_t>(i)]) {
    ++i;
  }
  return i;
}

// The last '\n' in p[0, n), or nullptr.
inline const void* LastNewline(const char* p, size_t n) {
#if defined(__GLIBC__)
  return n == 0 ? nullptr : memrchr(p, '\n', n);
#else
  while (n > 0) {
    if (p[--n] == '\n') return p + n;
  }
  return nullptr;
#endif
}

// The number of '\n' bytes in p[0, n).
inline size_t CountNewlines(const char* p, size_t n) {
  size_t count = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  while (i + 16 <= n) {
    // Byte lanes count down by one per newline; at most 255 blocks before
    // the lanes are summed, so none wraps.
    __m128i lanes = _mm_setzero_si128();
    const size_t blocks = (n - i) / 16 < 255 ? (n - i) / 16 : 255;
    for (size_t k = 0; k < blocks; ++k, i += 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(x, newline));
    }
    const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
    count += static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
             static_cast<size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
  }
#endif
  for (; i < n; ++i) count += p[i] == '\n';
  return count;
}

// Calls fn(line, size) for each line of p[0, n): a line ends after a '\n'
// (included in size); the last one may end without one.
template <typename Fn>
inline void ForEachLine(const char* p, size_t n, Fn&& fn) {
  const char* line = p;
  const char* const end = p + n;
  const char* q = p;
#if defined(__SSE2__)
  for (; end - q >= 16; q += 16) {
    for (unsigned mask = NewlineMask16(q); mask != 0; mask &= mask - 1) {
      const char* stop = q + __builtin_ctz(mask) + 1;
      fn(line, static_cast<size_t>(stop - line));
      line = stop;
    }
  }
#endif
  while (q < end) {
    const void* nl = std::memchr(q, '\n', static_cast<size_t>(end - q));
    if (nl == nullptr) break;
    q = static_cast<const char*>(nl) + 1;
    fn(line, static_cast<size_t>(q - line));
    line = q;
  }
  if (line < end) fn(line, static_cast<size_t>(end - line));
}

// Whether x[0, n) and y[0, n) are equal; inline word compares for the
// short lengths typical of lines.
inline bool SameBytes(const char* x, const char* y, size_t n) {
  if (n >= 8) {
    if (n > 64) return std::memcmp(x, y, n) == 0;
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (Load64(x + i) != Load64(y + i)) return false;
    }
    return Load64(x + n - 8) == Load64(y + n - 8);
  }
  if (n >= 4) return Load32(x) == Load32(y) && Load32(x + n - 4) == Load32(y + n - 4);
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

__extension__ using Uint128 = unsigned __int128;

// Folds the 128-bit product of a and b into 64 bits.
inline uint64_t MultiplyFold(uint64_t a, uint64_t b) {
  const Uint128 r = static_cast<Uint128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

// A fast 64-bit hash of p[0, n) (16 bytes per multiply). Equal lines hash
// equal; callers compare bytes to tell colliding lines apart.
inline uint64_t HashLine(const char* p, size_t n) {
  constexpr uint64_t kK0 = 0xa0761d6478bd642full;
  constexpr uint64_t kK1 = 0xe7037ed1a0b428dbull;
  constexpr uint64_t kK2 = 0x8ebc6af09c88c6e3ull;
  uint64_t h = kK0 ^ (n * kK1);
  while (n > 16) {
    h = MultiplyFold(Load64(p) ^ kK1, Load64(p + 8) ^ h);
    p += 16;
    n -= 16;
  }
  uint64_t x = 0;
  uint64_t y = 0;
  if (n >= 8) {
    x = Load64(p);
    y = Load64(p + n - 8);
  } else if (n >= 4) {
    x = Load32(p);
    y = Load32(p + n - 4);
  } else if (n > 0) {
    x = (uint64_t{static_cast<uint8_t>(p[0])} << 16) |
        (uint64_t{static_cast<uint8_t>(p[n / 2])} << 8) | static_cast<uint8_t>(p[n - 1]);
  }
  return MultiplyFold(x ^ kK2, y ^ h);
}

}  // namespace sei::git::line_scan
