#include "demo/rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace sei::demo {
namespace {

TEST(RngTest, Mix64IsSplitmix64) {
  // The published splitmix64 outputs for seed 0: the first is the mix of the
  // golden gamma 0x9e3779b97f4a7c15, the second of twice the gamma.
  EXPECT_EQ(Mix64(0), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(Mix64(0x9e3779b97f4a7c15ULL), 0x6e789e6aa1b965f4ULL);
}

TEST(RngTest, NextIsXoshiro256StarStar) {
  // State {1, 2, 3, 4}, worked through the reference algorithm by hand:
  //   out1 = rotl(s1 * 5, 7) * 9 = rotl(10, 7) * 9 = 1280 * 9 = 11520; then
  //   t = 2 << 17, s2 = 3^1 = 2, s3 = 4^2 = 6, s1 = 2^2 = 0, s0 = 1^6 = 7,
  //   s2 = 2 ^ 262144 = 262146, s3 = rotl(6, 45).
  //   out2 = rotl(0 * 5, 7) * 9 = 0; then s2 = 262146 ^ 7 = 262149, s1 = 262149.
  //   out3 = rotl(262149 * 5, 7) * 9 = 1310745 * 128 * 9 = 1509978240.
  Rng rng = Rng::FromState(1, 2, 3, 4);
  EXPECT_EQ(rng.Next(), 11520u);
  EXPECT_EQ(rng.Next(), 0u);
  EXPECT_EQ(rng.Next(), 1509978240u);
}

TEST(RngTest, SameSeedSameStreamDifferentLabelsDiffer) {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    EXPECT_NE(x, c.Next());
  }
  Rng d = Rng::Derive(7, "repo", 1), e = Rng::Derive(7, "repo", 1), f = Rng::Derive(7, "repo", 2);
  const uint64_t first = d.Next();
  EXPECT_EQ(first, e.Next());
  EXPECT_NE(first, f.Next());
  EXPECT_NE(HashString("payments"), HashString("platform"));
}

double Mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

TEST(RngTest, DistributionsHaveTheirMoments) {
  constexpr int kN = 200000;
  Rng rng(2024);
  std::vector<double> uniform, normal, lognormal, expo;
  for (int i = 0; i < kN; ++i) {
    uniform.push_back(rng.Uniform());
    normal.push_back(rng.Normal());
    lognormal.push_back(rng.LogNormal(12.0, 1.0));
    expo.push_back(rng.Exponential(5.0));
  }
  EXPECT_NEAR(Mean(uniform), 0.5, 0.005);
  EXPECT_GE(*std::min_element(uniform.begin(), uniform.end()), 0.0);
  EXPECT_LT(*std::max_element(uniform.begin(), uniform.end()), 1.0);
  EXPECT_NEAR(Mean(normal), 0.0, 0.01);
  double var = 0;
  for (double x : normal) var += x * x;
  EXPECT_NEAR(var / kN, 1.0, 0.02);
  // Log-normal: the median is e^mu = 12; the mean is 12 * e^(sigma^2 / 2) = 19.78.
  EXPECT_NEAR(Median(lognormal), 12.0, 0.3);
  EXPECT_NEAR(Mean(lognormal), 12.0 * std::exp(0.5), 0.5);
  EXPECT_NEAR(Mean(expo), 5.0, 0.06);
}

TEST(RngTest, PoissonMeanAndVarianceEqualLambda) {
  for (double lambda : {0.3, 3.0, 50.0}) {
    Rng rng(static_cast<uint64_t>(lambda * 10));
    constexpr int kN = 100000;
    double sum = 0, sq = 0;
    for (int i = 0; i < kN; ++i) {
      const double k = static_cast<double>(rng.Poisson(lambda));
      EXPECT_GE(k, 0);
      sum += k;
      sq += k * k;
    }
    const double mean = sum / kN;
    EXPECT_NEAR(mean, lambda, 0.02 * lambda + 0.01) << lambda;
    EXPECT_NEAR(sq / kN - mean * mean, lambda, 0.05 * lambda + 0.01) << lambda;
  }
  Rng rng(1);
  EXPECT_EQ(rng.Poisson(0), 0);
}

TEST(RngTest, WeightedChoiceFollowsWeights) {
  Rng rng(9);
  const std::vector<double> weights = {1, 0, 3};
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 40000; ++i) ++counts[rng.Weighted(weights)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[0] / 40000.0, 0.25, 0.01);
  EXPECT_NEAR(counts[2] / 40000.0, 0.75, 0.01);
  EXPECT_EQ(rng.Weighted(std::vector<double>{0, 0}), 1u);  // all zero: the last
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = rng.UniformInt(-2, 2);
    EXPECT_GE(v, -2);
    EXPECT_LE(v, 2);
    EXPECT_LT(rng.Index(7), 7u);
  }
  EXPECT_EQ(rng.UniformInt(5, 5), 5);
  EXPECT_EQ(rng.Index(0), 0u);
}

}  // namespace
}  // namespace sei::demo
