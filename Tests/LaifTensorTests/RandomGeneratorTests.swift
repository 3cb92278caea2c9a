import Testing
@testable import LaifTensor

@Suite struct RandomGeneratorTests {
    @Test func sameSeedSameSequence() {
        var a = RandomGenerator(seed: 42), b = RandomGenerator(seed: 42)
        for _ in 0..<100 { #expect(a.nextUInt64() == b.nextUInt64()) }
        var c = RandomGenerator(seed: 43)
        var d = RandomGenerator(seed: 42)
        #expect(c.nextUInt64() != d.nextUInt64())
    }

    @Test func knownFirstValues() {
        // SplitMix64(0) seeding then xoshiro256**; pinned so the algorithm never drifts silently.
        var rng = RandomGenerator(seed: 0)
        let first = rng.nextUInt64()
        var again = RandomGenerator(seed: 0)
        #expect(again.nextUInt64() == first)
        #expect(first == RandomGeneratorTests.referenceXoshiro(seed: 0))
        // Computed independently (Python) from the published SplitMix64 and xoshiro256** code.
        #expect(first == 0x99ec_5f36_cb75_f2b4)
        #expect(rng.nextUInt64() == 0xbf6e_1f78_4956_452a)
        var fortyTwo = RandomGenerator(seed: 42)
        #expect(fortyTwo.nextUInt64() == 0x1578_0b2e_0c2e_c716)
    }

    /// An independent re-implementation from the published algorithm descriptions.
    static func referenceXoshiro(seed: UInt64) -> UInt64 {
        var x = seed
        var s = [UInt64](repeating: 0, count: 4)
        for i in 0..<4 {
            x = x &+ 0x9E3779B97F4A7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            s[i] = z ^ (z >> 31)
        }
        let v = s[1] &* 5
        return ((v << 7) | (v >> 57)) &* 9
    }

    @Test func uniformRanges() {
        var rng = RandomGenerator(seed: 3)
        var sum = 0.0
        for _ in 0..<10_000 {
            let f = rng.nextFloat(), d = rng.nextDouble()
            #expect(f >= 0 && f < 1)
            #expect(d >= 0 && d < 1)
            sum += d
        }
        #expect(abs(sum / 10_000 - 0.5) < 0.02)
    }

    @Test func normalMoments() {
        var rng = RandomGenerator(seed: 5)
        var s = 0.0, s2 = 0.0
        let n = 20_000
        for _ in 0..<n { let z = rng.normal(); s += z; s2 += z * z }
        #expect(abs(s / Double(n)) < 0.03)
        #expect(abs(s2 / Double(n) - 1) < 0.05)
    }

    @Test func nextIntIsInRangeAndCoversIt() {
        var rng = RandomGenerator(seed: 9)
        var seen = Set<Int>()
        for _ in 0..<1000 {
            let v = rng.nextInt(below: 7)
            #expect(v >= 0 && v < 7)
            seen.insert(v)
        }
        #expect(seen.count == 7)
        #expect(rng.nextInt(below: 0) == 0)
        #expect(rng.nextInt(below: -5) == 0)
        #expect(rng.nextInt(below: 1) == 0)
    }

    @Test func forkIsDeterministicAndIndependent() {
        var a = RandomGenerator(seed: 11), b = RandomGenerator(seed: 11)
        var fa = a.fork(), fb = b.fork()
        #expect(fa.nextUInt64() == fb.nextUInt64())
        #expect(a.nextUInt64() == b.nextUInt64())
    }
}
