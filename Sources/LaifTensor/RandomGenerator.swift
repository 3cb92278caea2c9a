import Foundation

/// A seeded pseudo-random generator: xoshiro256** (Blackman & Vigna, 2018) whose 256-bit state
/// is filled by four SplitMix64 outputs of the seed.
///
/// Same seed, same sequence, bit for bit, on every platform. Floats take the top 24 bits
/// (`[0, 1)` in steps of 2^-24), doubles the top 53 bits; `normal()` is Box–Muller on two doubles.
///
///     var rng = RandomGenerator(seed: 42)
///     let x = rng.nextUInt64()      // first value for seed 42: 0x15780b2e0c2ec716 (pinned by a test)
///     let u = rng.nextFloat()       // in [0, 1)
public struct RandomGenerator: Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Seeds the state with SplitMix64(seed).
    ///
    ///     var rng = RandomGenerator(seed: 0)
    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The next 64 random bits (xoshiro256**).
    ///
    ///     let bits = rng.nextUInt64()
    public mutating func nextUInt64() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform float in `[0, 1)` from the top 24 bits.
    ///
    ///     let u = rng.nextFloat()
    public mutating func nextFloat() -> Float {
        Float(nextUInt64() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform double in `[0, 1)` from the top 53 bits.
    ///
    ///     let u = rng.nextDouble()
    public mutating func nextDouble() -> Double {
        Double(nextUInt64() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A standard normal sample (mean 0, standard deviation 1) by Box–Muller.
    ///
    ///     let z = rng.normal()
    public mutating func normal() -> Double {
        let u1 = 1.0 - nextDouble()          // (0, 1]: log stays finite
        let u2 = nextDouble()
        return (-2.0 * Foundation.log(u1)).squareRoot() * Foundation.cos(2.0 * Double.pi * u2)
    }

    /// A uniform integer in `0..<n` without modulo bias (Lemire's multiply-and-reject).
    /// Returns 0 when `n <= 1`, so it never traps.
    ///
    ///     let die = rng.nextInt(below: 6) + 1
    public mutating func nextInt(below n: Int) -> Int {
        guard n > 1 else { return 0 }
        let bound = UInt64(n)
        var product = nextUInt64().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = nextUInt64().multipliedFullWidth(by: bound)
            }
        }
        return Int(product.high)
    }

    /// An independent generator derived from this one's next output; use it to give a
    /// sub-task its own stream without disturbing the order of draws elsewhere.
    ///
    ///     var child = rng.fork()
    public mutating func fork() -> RandomGenerator {
        RandomGenerator(seed: nextUInt64())
    }
}

@inline(__always)
private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}
