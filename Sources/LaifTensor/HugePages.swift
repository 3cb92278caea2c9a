#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory for the pool's large buffers, in 2 MiB-aligned regions the kernel is asked to back
/// with transparent huge pages.
///
/// Why: a training step of the bench's transformer streams through about 11 MB of activations
/// and gradients, nearly 3,000 pages of 4 KiB: more than the core's TLB holds, so the matrix
/// products and kernels stall on page walks. With the same buffers on 2 MiB pages the SFT step
/// ran about 10% faster and the DPO step about 5% (Zen 4, `laif bench`, alternating runs). Where
/// the system has transparent huge pages off, or another kernel, the regions are ordinary
/// memory and nothing else changes; no result depends on where a buffer lives.
///
/// Buffers of 2 MiB and more get regions of their own. Smaller ones down to `smallestPiece`
/// are cut from shared 2 MiB slabs, one bucket size per slab, so a 256 KiB activation does not
/// take a whole huge page.
///
///     let slab = HugePages.allocateRegion(bytes: HugePages.regionBytes)
enum HugePages {
    /// The huge-page size on x86-64 and the alignment of every region.
    static let regionBytes = 2 << 20
    /// Buffers below this stay with malloc: they are too few and too small to matter.
    static let smallestPiece = 64 << 10

    /// True when a buffer of `bytes` (a power of two, as the pool's buckets are) belongs in a
    /// huge-page region.
    ///
    ///     HugePages.wants(bytes: 1 << 20)   // true
    @inline(__always)
    static func wants(bytes: Int) -> Bool { bytes >= smallestPiece }

    /// True when a buffer of `bytes` is a piece of a shared slab rather than a region of its own.
    ///
    ///     HugePages.isSlabPiece(bytes: 256 << 10)   // true
    @inline(__always)
    static func isSlabPiece(bytes: Int) -> Bool { bytes >= smallestPiece && bytes < regionBytes }

    /// The slab a piece was cut from (slabs are aligned to their size).
    ///
    ///     HugePages.slabBase(of: piece)
    @inline(__always)
    static func slabBase(of pointer: UnsafeMutableRawPointer) -> UInt {
        UInt(bitPattern: pointer) & ~UInt(regionBytes - 1)
    }

    /// `bytes` (a multiple of `regionBytes`) of 2 MiB-aligned memory marked for huge pages, or
    /// nil when the system has none to give.
    ///
    ///     let region = HugePages.allocateRegion(bytes: 4 << 20)
    static func allocateRegion(bytes: Int) -> UnsafeMutableRawPointer? {
        var region: UnsafeMutableRawPointer?
        guard posix_memalign(&region, regionBytes, bytes) == 0, let region else { return nil }
        #if os(Linux)
        // Advice only: refused (no THP in this kernel) it leaves ordinary pages.
        _ = madvise(region, bytes, MADV_HUGEPAGE)
        #endif
        return region
    }

    /// Returns a region from `allocateRegion` to the system.
    ///
    ///     HugePages.freeRegion(region)
    static func freeRegion(_ region: UnsafeMutableRawPointer) { free(region) }
}
