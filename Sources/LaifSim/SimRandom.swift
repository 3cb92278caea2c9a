import Foundation

/// The simulated world's own seeded random stream: SplitMix64 (Steele, Lea & Flood 2014).
///
/// Every simulated draw (a world's table, an oracle's reply, a critic's label) comes from a
/// `SimRandom` seeded by a stable hash of *what* is being drawn (see `StableHash`), so a reply
/// depends only on the oracle and the prompt, never on how many draws came before it. SplitMix64
/// is made for exactly this: any 64-bit seed, even consecutive ones, starts an independent
/// stream. No global state; a value type the caller owns.
///
///     var rng = SimRandom(seed: 42)
///     let u = rng.nextDouble()      // in [0, 1)
///     let k = rng.nextInt(below: 6) // in 0..<6
public struct SimRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts a stream; equal seeds give equal streams on every platform.
    ///
    ///     var rng = SimRandom(seed: 7)
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits (SplitMix64's output function).
    ///
    ///     var rng = SimRandom(seed: 0); _ = rng.next()
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return StableHash.finalize(state)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    ///
    ///     var rng = SimRandom(seed: 1); rng.nextDouble()   // e.g. 0.83
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound`, without modulo bias (Lemire's multiply-and-reject
    /// method); a bound below 2 gives 0 without drawing.
    ///
    ///     var rng = SimRandom(seed: 1); rng.nextInt(below: 10)
    public mutating func nextInt(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// True with probability `p` (values outside [0, 1] act as 0 or 1).
    ///
    ///     var rng = SimRandom(seed: 1); rng.bernoulli(0.25)
    public mutating func bernoulli(_ p: Double) -> Bool {
        nextDouble() < p
    }

    /// A standard normal draw (Box–Muller; one value per call, the pair's second is dropped
    /// so the stream stays a pure function of the call count).
    ///
    ///     var rng = SimRandom(seed: 1); rng.normal()
    public mutating func normal() -> Double {
        var u = nextDouble()
        while u <= 0 { u = nextDouble() }
        let v = nextDouble()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

/// A stable 64-bit hash for deriving seeds: unlike Swift's `Hasher` it is the same in every
/// process and on every run, which per-example seeding needs.
///
///     var h = StableHash(seed: 3)
///     h.combine("gpt-4"); h.combine([1, 5, 9] as [Int32])
///     let seed = h.value
public struct StableHash: Sendable {
    private var state: UInt64

    /// Starts a hash from a seed (a namespace: different seeds give unrelated hashes).
    ///
    ///     var h = StableHash(seed: 0)
    public init(seed: UInt64 = 0) {
        state = StableHash.finalize(seed ^ 0x6A09_E667_F3BC_C908)
    }

    /// Mixes in one 64-bit word.
    ///
    ///     h.combine(UInt64(42))
    public mutating func combine(_ word: UInt64) {
        state = StableHash.finalize(state ^ StableHash.finalize(word &+ 0x9E37_79B9_7F4A_7C15))
    }

    /// Mixes in an integer.
    ///
    ///     h.combine(7)
    public mutating func combine(_ value: Int) {
        combine(UInt64(bitPattern: Int64(value)))
    }

    /// Mixes in a string (its UTF-8 bytes and length, so "ab","c" differs from "a","bc").
    ///
    ///     h.combine("claude")
    public mutating func combine(_ text: String) {
        var count = 0
        var word: UInt64 = 0
        for byte in text.utf8 {
            word = (word << 8) | UInt64(byte)
            count += 1
            if count % 8 == 0 { combine(word); word = 0 }
        }
        combine(word)
        combine(count)
    }

    /// Mixes in a token sequence (its elements and its length).
    ///
    ///     h.combine([1, 4, 9] as [Int32])
    public mutating func combine(_ tokens: [Int32]) {
        for t in tokens { combine(UInt64(UInt32(bitPattern: t))) }
        combine(tokens.count)
    }

    /// A double, by its bit pattern.
    ///
    ///     h.combine(0.85)
    public mutating func combine(_ value: Double) {
        combine(value.bitPattern)
    }

    /// The hash so far.
    ///
    ///     let seed = h.value
    public var value: UInt64 { state }

    /// SplitMix64's finaliser (a bijective 64-bit mixer).
    ///
    ///     StableHash.finalize(1)
    public static func finalize(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
