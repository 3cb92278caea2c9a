import LaifSupport
import Testing

@Test func checkThrowsOnlyInsideAScopeWhoseCheckSaysStop() throws {
    try Cancellation.check()   // no scope: never stops
    #expect(throws: OperationCancelled.self) { try Cancellation.whenever({ true }) { try Cancellation.check() } }
    try Cancellation.whenever({ false }) { try Cancellation.check() }
    // The innermost scope decides, and leaving a scope restores the outer one.
    try Cancellation.whenever({ true }) {
        try Cancellation.whenever({ false }) { try Cancellation.check() }
        #expect(throws: OperationCancelled.self) { try Cancellation.check() }
    }
    try Cancellation.check()
}
