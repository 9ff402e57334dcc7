// Rng: the demo generator's own pseudo-random numbers and distributions.
//
// Why our own: the demo must write identical rows for the same seed on every
// machine and standard library, and std::*_distribution algorithms are
// implementation-defined. Rng is xoshiro256** (Blackman and Vigna) seeded
// through splitmix64; the distributions (uniform, normal by Box-Muller,
// log-normal, exponential, Poisson, weighted choice) are written out here, so
// a sequence depends only on the seed and on the libm functions exp, log,
// sqrt and cos (correctly rounded in glibc for the arguments used).
//
// Sub-streams: Rng::Derive(seed, label, index) gives an independent stream
// per named part of the organisation ("repo", 17), so adding a repo or a team
// never shifts the numbers drawn for another.
//
// Thread safety: an Rng object is used by one thread at a time; distinct
// objects are independent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace sei::demo {

// splitmix64's output function: a fast, well-mixed 64-bit bijection.
uint64_t Mix64(uint64_t x);
// FNV-1a of `s`, mixed with `seed` (stable across runs and machines).
uint64_t HashString(std::string_view s, uint64_t seed = 0);

class Rng {
 public:
  explicit Rng(uint64_t seed);
  // A generator in a given xoshiro256** state (for tests against the
  // reference algorithm); the state must not be all zero.
  static Rng FromState(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3);
  // The stream for part (`label`, `index`) of the organisation drawn from `seed`.
  static Rng Derive(uint64_t seed, std::string_view label, uint64_t index = 0);

  uint64_t Next();
  // Uniform in [0, 1), 53 random bits.
  double Uniform();
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [lo, hi] (inclusive); lo when hi < lo.
  int64_t UniformInt(int64_t lo, int64_t hi);
  // Uniform index in [0, n); 0 when n == 0.
  size_t Index(size_t n);
  bool Chance(double p) { return Uniform() < p; }
  // Standard normal (Box-Muller, one value per call).
  double Normal();
  // Log-normal with the given median (e^mu) and shape sigma.
  double LogNormal(double median, double sigma);
  // Exponential with the given mean.
  double Exponential(double mean);
  // Poisson: Knuth's product method below 30, a rounded normal above.
  int64_t Poisson(double lambda);
  // An index drawn with probability proportional to weights[i] (>= 0); the
  // last index when every weight is 0.
  size_t Weighted(const double* weights, size_t n);
  size_t Weighted(const std::vector<double>& weights) {
    return Weighted(weights.data(), weights.size());
  }
  template <class T>
  const T& Pick(const std::vector<T>& items) {
    return items[Index(items.size())];
  }
  template <class T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Index(N)];
  }

 private:
  uint64_t s_[4];
};

}  // namespace sei::demo
