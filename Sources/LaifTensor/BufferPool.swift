import Foundation

/// Memory statistics of the tensor buffer pool (bytes of Float32 storage).
///
///     let stats = TensorMemory.statistics()
///     print(stats.peakLiveBytes)
public struct TensorMemoryStatistics: Sendable, Equatable {
    /// Bytes held by live tensors right now.
    public var liveBytes: Int
    /// The highest `liveBytes` seen since the process started or the last `resetPeak()`.
    public var peakLiveBytes: Int
    /// Bytes kept in the pool for re-use (not held by any tensor).
    public var cachedBytes: Int
}

/// Access to the process-wide tensor buffer pool.
///
/// Training steps allocate the same buffer sizes every step; the pool hands freed buffers back
/// instead of returning them to malloc (glibc maps and unmaps large blocks, costing page
/// faults on every step). The pool only caches memory: no result ever depends on it.
///
///     TensorMemory.resetPeak()
///     // ... work ...
///     let peak = TensorMemory.statistics().peakLiveBytes
public enum TensorMemory {
    /// Current pool statistics.
    ///
    ///     let live = TensorMemory.statistics().liveBytes
    public static func statistics() -> TensorMemoryStatistics { BufferPool.shared.statistics() }

    /// Sets the peak to the current live size, to measure the peak of what follows.
    ///
    ///     TensorMemory.resetPeak()
    public static func resetPeak() { BufferPool.shared.resetPeak() }

    /// Returns every cached buffer to the system.
    ///
    ///     TensorMemory.releaseCache()
    public static func releaseCache() { BufferPool.shared.releaseCache() }
}

/// Size-bucketed free lists (powers of two, from 16 floats). Shared by all threads behind a
/// mutex, because tensors may be freed on a different thread from the one that made them.
/// Buffers of 64 KiB and more live on huge pages (see `HugePages`).
final class BufferPool: @unchecked Sendable {
    static let shared = BufferPool()

    /// Cached bytes beyond this are freed instead of kept.
    private let cacheLimitBytes = 512 << 20
    private var freeLists: [[UnsafeMutablePointer<Float>]] = Array(repeating: [], count: 64)
    /// Base addresses of the huge-page slabs the pool has cut (see `HugePages`).
    private var slabs: Set<UInt> = []
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var live = 0
    private var peak = 0
    private var cached = 0

    /// A pool of its own (tests); everything else uses `shared`.
    init() {
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    @inline(__always)
    static func bucket(forCount count: Int) -> (index: Int, capacity: Int) {
        let needed = Swift.max(count, 16)
        let index = Int.bitWidth - (needed - 1).leadingZeroBitCount
        return (index, 1 << index)
    }

    /// Bytes held by live tensors right now (see `TensorMemoryStatistics.liveBytes`).
    var liveBytes: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return live
    }

    func allocate(count: Int) -> (UnsafeMutablePointer<Float>, Int) {
        let (index, capacity) = BufferPool.bucket(forCount: count)
        let bytes = capacity * MemoryLayout<Float>.stride
        pthread_mutex_lock(mutex)
        live += bytes
        if live > peak { peak = live }
        if let pointer = freeLists[index].popLast() {
            cached -= bytes
            pthread_mutex_unlock(mutex)
            return (pointer, capacity)
        }
        if HugePages.isSlabPiece(bytes: bytes), let pointer = cutSlab(bucket: index, pieceBytes: bytes) {
            pthread_mutex_unlock(mutex)
            return (pointer, capacity)
        }
        pthread_mutex_unlock(mutex)
        if HugePages.wants(bytes: bytes), let region = HugePages.allocateRegion(bytes: bytes) {
            return (region.bindMemory(to: Float.self, capacity: capacity), capacity)
        }
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
        return (pointer, capacity)
    }

    /// A new huge-page slab cut into pieces of `pieceBytes`: the first is returned, the others
    /// go on the bucket's free list. Nil when no slab could be had (the caller falls back to
    /// malloc). Called with the mutex held.
    private func cutSlab(bucket index: Int, pieceBytes: Int) -> UnsafeMutablePointer<Float>? {
        guard let slab = HugePages.allocateRegion(bytes: HugePages.regionBytes) else { return nil }
        slabs.insert(UInt(bitPattern: slab))
        let pieces = HugePages.regionBytes / pieceBytes, floats = pieceBytes / MemoryLayout<Float>.stride
        let first = slab.bindMemory(to: Float.self, capacity: pieces * floats)
        for piece in stride(from: pieces - 1, through: 1, by: -1) { freeLists[index].append(first + piece * floats) }
        cached += (pieces - 1) * pieceBytes
        return first
    }

    /// Whether `pointer` is a piece of one of the pool's slabs (rather than malloc's memory,
    /// after a failed slab allocation).
    private func isInSlab(_ pointer: UnsafeMutablePointer<Float>) -> Bool {
        slabs.contains(HugePages.slabBase(of: UnsafeMutableRawPointer(pointer)))
    }

    /// Returns a buffer that is not a slab piece to the system.
    private static func free(_ pointer: UnsafeMutablePointer<Float>, bytes: Int) {
        if HugePages.wants(bytes: bytes) && !HugePages.isSlabPiece(bytes: bytes) {
            HugePages.freeRegion(UnsafeMutableRawPointer(pointer))
        } else {
            pointer.deallocate()
        }
    }

    func release(_ pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        let index = Int.bitWidth - (capacity - 1).leadingZeroBitCount
        let bytes = capacity * MemoryLayout<Float>.stride
        pthread_mutex_lock(mutex)
        live -= bytes
        // A slab piece cannot go back to the system alone; it stays for the next buffer of its
        // size (slab memory is bounded by the peak of live buffers, like the cache itself).
        if cached + bytes <= cacheLimitBytes || (HugePages.isSlabPiece(bytes: bytes) && isInSlab(pointer)) {
            freeLists[index].append(pointer)
            cached += bytes
            pthread_mutex_unlock(mutex)
        } else {
            pthread_mutex_unlock(mutex)
            BufferPool.free(pointer, bytes: bytes)
        }
    }

    func statistics() -> TensorMemoryStatistics {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return TensorMemoryStatistics(liveBytes: live, peakLiveBytes: peak, cachedBytes: cached)
    }

    func resetPeak() {
        pthread_mutex_lock(mutex)
        peak = live
        pthread_mutex_unlock(mutex)
    }

    /// Frees every cached buffer, and every slab none of whose pieces is in use; pieces of
    /// slabs still partly in use stay cached.
    func releaseCache() {
        pthread_mutex_lock(mutex)
        var kept: [[UnsafeMutablePointer<Float>]] = Array(repeating: [], count: 64)
        var freed: [(UnsafeMutablePointer<Float>, Int)] = []
        var freeSlabs: [UInt] = []
        for (index, list) in freeLists.enumerated() where !list.isEmpty {
            let bytes = (1 << index) * MemoryLayout<Float>.stride
            guard HugePages.isSlabPiece(bytes: bytes) else {
                freed += list.map { ($0, bytes) }
                continue
            }
            let piecesPerSlab = HugePages.regionBytes / bytes
            let bySlab = Dictionary(grouping: list) { HugePages.slabBase(of: UnsafeMutableRawPointer($0)) }
            for (base, pieces) in bySlab {
                if !slabs.contains(base) {
                    freed += pieces.map { ($0, bytes) }
                } else if pieces.count == piecesPerSlab {
                    freeSlabs.append(base)
                } else {
                    kept[index] += pieces
                }
            }
        }
        for base in freeSlabs { slabs.remove(base) }
        freeLists = kept
        cached = kept.enumerated().reduce(0) { $0 + $1.element.count * (1 << $1.offset) * MemoryLayout<Float>.stride }
        pthread_mutex_unlock(mutex)
        for (pointer, bytes) in freed { BufferPool.free(pointer, bytes: bytes) }
        for base in freeSlabs { HugePages.freeRegion(UnsafeMutableRawPointer(bitPattern: base)!) }
    }
}

/// A pooled Float32 buffer; several tensors may share one (reshape views).
final class TensorStorage {
    let pointer: UnsafeMutablePointer<Float>
    let capacity: Int

    /// Uninitialised storage for `count` floats.
    init(uninitializedCount count: Int) {
        (pointer, capacity) = BufferPool.shared.allocate(count: count)
    }

    /// Zero-filled storage for `count` floats.
    convenience init(zeroedCount count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: 0, count: count)
    }

    deinit { BufferPool.shared.release(pointer, capacity: capacity) }
}
