#include "demo/rng.h"

#include <cmath>

namespace sei::demo {

namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t HashString(std::string_view s, uint64_t seed) {
  uint64_t h = 0xcbf29ce484222325ULL ^ Mix64(seed);
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return Mix64(h);
}

Rng::Rng(uint64_t seed) {
  uint64_t x = seed;
  for (uint64_t& word : s_) {
    word = Mix64(x);
    x += 0x9e3779b97f4a7c15ULL;
  }
}

Rng Rng::FromState(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) {
  Rng rng(0);
  rng.s_[0] = s0;
  rng.s_[1] = s1;
  rng.s_[2] = s2;
  rng.s_[3] = s3;
  return rng;
}

Rng Rng::Derive(uint64_t seed, std::string_view label, uint64_t index) {
  return Rng(HashString(label, seed) ^ Mix64(index * 0xd1b54a32d192ed03ULL + 1));
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Rng::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

int64_t Rng::UniformInt(int64_t lo, int64_t hi) {
  if (hi <= lo) return lo;
  const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  return lo + static_cast<int64_t>(Index(static_cast<size_t>(span)));
}

size_t Rng::Index(size_t n) {
  if (n <= 1) return 0;
  // 53 random bits scaled to n: exact for any n the demo uses (< 2^32).
  const size_t i = static_cast<size_t>(Uniform() * static_cast<double>(n));
  return i < n ? i : n - 1;
}

double Rng::Normal() {
  const double u1 = 1.0 - Uniform();  // (0, 1]
  const double u2 = Uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

double Rng::LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }

double Rng::Exponential(double mean) { return -mean * std::log(1.0 - Uniform()); }

int64_t Rng::Poisson(double lambda) {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const double limit = std::exp(-lambda);
    double product = Uniform();
    int64_t k = 0;
    while (product > limit) {
      ++k;
      product *= Uniform();
    }
    return k;
  }
  const double x = std::floor(lambda + std::sqrt(lambda) * Normal() + 0.5);
  return x < 0 ? 0 : static_cast<int64_t>(x);
}

size_t Rng::Weighted(const double* weights, size_t n) {
  if (n == 0) return 0;
  double total = 0;
  for (size_t i = 0; i < n; ++i) total += weights[i];
  if (total <= 0) return n - 1;
  double r = Uniform() * total;
  for (size_t i = 0; i < n; ++i) {
    if (r < weights[i]) return i;
    r -= weights[i];
  }
  return n - 1;
}

}  // namespace sei::demo
