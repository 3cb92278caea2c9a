import LaifSupport
import Testing

@Suite("Memory budget") struct MemoryBudgetTests {
    @Test func limitsParseWithBinaryUnits() {
        #expect(MemoryBudget.parse("123") == 123)
        #expect(MemoryBudget.parse("512K") == 512 << 10)
        #expect(MemoryBudget.parse(" 8g ") == 8 << 30)
        #expect(MemoryBudget.parse("2GiB") == 2 << 30)
        #expect(MemoryBudget.parse("1TB") == 1 << 40)
        for bad in ["", "G", "-1G", "0", "1.5G", "lots", "99999999999T"] {
            #expect(MemoryBudget.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func byteCountsReadForPeople() {
        #expect(MemoryBudget.describe(3 << 30) == "3.0 GB")
        #expect(MemoryBudget.describe(1536 << 20) == "1.5 GB")
        #expect(MemoryBudget.describe(200 << 30) == "200 GB")
        #expect(MemoryBudget.describe(900) == "900 bytes")
    }

    /// This machine's limit is something real (physical memory at most), whatever set it.
    @Test func theCurrentLimitIsPositiveAndNamed() {
        #expect(MemoryBudget.current.bytes > 0 && MemoryBudget.current.bytes < Int.max)
        #expect(!MemoryBudget.current.source.isEmpty)
    }
}
