import Testing
@testable import LaifTensor

/// The tensor buffer pool: buckets, huge-page slabs and their release. Each test uses a pool
/// of its own, because the shared one serves every test running in parallel.
@Suite struct BufferPoolTests {
    private static let floatsPerSlab = HugePages.regionBytes / MemoryLayout<Float>.stride

    private func address(_ p: UnsafeMutablePointer<Float>) -> UInt { UInt(bitPattern: p) }

    @Test("buffers of 64 KiB to 1 MiB are disjoint pieces of one 2 MiB-aligned slab per bucket")
    func slabPieces() {
        let pool = BufferPool()
        let floats = 1 << 16   // 256 KiB: eight pieces per slab
        let buffers = (0..<8).map { _ in pool.allocate(count: floats) }
        let bases = Set(buffers.map { HugePages.slabBase(of: UnsafeMutableRawPointer($0.0)) })
        #expect(bases.count == 1)
        #expect(bases.first! % UInt(HugePages.regionBytes) == 0)
        #expect(Set(buffers.map { address($0.0) }).count == 8)
        // Every piece can hold its whole capacity without touching another.
        for (i, (p, capacity)) in buffers.enumerated() {
            #expect(capacity == floats)
            p.initialize(repeating: Float(i), count: capacity)
        }
        for (i, (p, capacity)) in buffers.enumerated() {
            #expect(p[0] == Float(i) && p[capacity - 1] == Float(i))
        }
        // The ninth starts a second slab.
        let ninth = pool.allocate(count: floats)
        #expect(!bases.contains(HugePages.slabBase(of: UnsafeMutableRawPointer(ninth.0))))
        for (p, capacity) in buffers + [ninth] { pool.release(p, capacity: capacity) }
    }

    @Test("a released piece is handed out again for its size")
    func reuse() {
        let pool = BufferPool()
        let (p, capacity) = pool.allocate(count: 100_000)   // bucket 2^17 floats = 512 KiB
        #expect(capacity == 1 << 17)
        pool.release(p, capacity: capacity)
        let again = pool.allocate(count: 1 << 17)
        #expect(again.0 == p)
        pool.release(again.0, capacity: again.1)
    }

    @Test("buffers of 2 MiB and more are regions of their own, aligned to 2 MiB; small ones stay with malloc")
    func regionsAndSmallBuffers() {
        let pool = BufferPool()
        let big = pool.allocate(count: 3 << 20)   // 12 MB asked, bucket 16 MiB
        #expect(big.1 == 1 << 22)
        #expect(address(big.0) % UInt(HugePages.regionBytes) == 0)
        big.0.initialize(repeating: 1, count: big.1)
        #expect(big.0[big.1 - 1] == 1)
        let small = pool.allocate(count: 100)
        #expect(small.1 == 128)
        pool.release(big.0, capacity: big.1)
        pool.release(small.0, capacity: small.1)
        #expect(pool.statistics().liveBytes == 0)
        #expect(pool.statistics().cachedBytes == (1 << 22) * 4 + 128 * 4)
        pool.releaseCache()
        #expect(pool.statistics().cachedBytes == 0)
    }

    @Test("releaseCache frees slabs with no piece in use and keeps the others' free pieces")
    func releaseKeepsPartlyUsedSlabs() {
        let pool = BufferPool()
        let pieceFloats = 1 << 18   // 1 MiB: two pieces per slab
        let a = pool.allocate(count: pieceFloats), b = pool.allocate(count: pieceFloats)
        let c = pool.allocate(count: pieceFloats)   // second slab, its other half cached
        #expect(pool.statistics().liveBytes == 3 << 20)
        #expect(pool.statistics().cachedBytes == 1 << 20)
        pool.release(a.0, capacity: a.1)
        pool.release(b.0, capacity: b.1)
        // The first slab is wholly free and goes; the second still holds c, so its free half stays.
        pool.releaseCache()
        #expect(pool.statistics().cachedBytes == 1 << 20)
        c.0.initialize(repeating: 7, count: c.1)
        #expect(c.0[c.1 - 1] == 7)
        pool.release(c.0, capacity: c.1)
        pool.releaseCache()
        #expect(pool.statistics().cachedBytes == 0)
        #expect(pool.statistics().liveBytes == 0)
        #expect(Self.floatsPerSlab == 2 * pieceFloats)
    }
}
