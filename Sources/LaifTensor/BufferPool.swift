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
final class BufferPool: @unchecked Sendable {
    static let shared = BufferPool()

    /// Cached bytes beyond this are freed instead of kept.
    private let cacheLimitBytes = 512 << 20
    private var freeLists: [[UnsafeMutablePointer<Float>]] = Array(repeating: [], count: 64)
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var live = 0
    private var peak = 0
    private var cached = 0

    private init() {
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    @inline(__always)
    static func bucket(forCount count: Int) -> (index: Int, capacity: Int) {
        let needed = Swift.max(count, 16)
        let index = Int.bitWidth - (needed - 1).leadingZeroBitCount
        return (index, 1 << index)
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
        pthread_mutex_unlock(mutex)
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
        return (pointer, capacity)
    }

    func release(_ pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        let index = Int.bitWidth - (capacity - 1).leadingZeroBitCount
        let bytes = capacity * MemoryLayout<Float>.stride
        pthread_mutex_lock(mutex)
        live -= bytes
        if cached + bytes <= cacheLimitBytes {
            freeLists[index].append(pointer)
            cached += bytes
            pthread_mutex_unlock(mutex)
        } else {
            pthread_mutex_unlock(mutex)
            pointer.deallocate()
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

    func releaseCache() {
        pthread_mutex_lock(mutex)
        let lists = freeLists
        freeLists = Array(repeating: [], count: 64)
        cached = 0
        pthread_mutex_unlock(mutex)
        for list in lists { for pointer in list { pointer.deallocate() } }
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
