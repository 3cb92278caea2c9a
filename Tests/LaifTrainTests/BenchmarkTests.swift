import Foundation
import Testing
@testable import LaifTrain

@Suite struct TrainerBenchmarkTests {
    /// A miniature run: every figure is reported, positive and finite.
    @Test func reportsEveryFigure() throws {
        var reported: [String] = []
        let figures = try trainerBenchmark(demos: 32, pairs: 16, rlooSteps: 1, report: { reported.append($0.name) })
        #expect(figures.map(\.name) == ["sft_epoch_seconds", "dpo_epoch_seconds", "rloo_100_steps_seconds"])
        #expect(figures.allSatisfy { $0.value > 0 && $0.value.isFinite })
        #expect(reported == figures.map(\.name))
        #expect(throws: TrainingError.self) { try trainerBenchmark(demos: 0) }
    }

    /// The real figures (for the README): `LAIF_TRAIN_BENCH=1 swift test -c release
    /// -Xswiftc -enable-testing --filter fullBenchmark`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LAIF_TRAIN_BENCH"] == "1", "set LAIF_TRAIN_BENCH=1 to run"))
    func fullBenchmark() throws {
        for figure in try trainerBenchmark() { print("BENCH \(figure)") }
    }
}
