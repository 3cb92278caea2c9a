import Foundation
import Testing
@testable import LaifTrain

@Suite struct TrainingLogTests {
    func sample() -> TrainingLog {
        var log = TrainingLog(trainer: "dpo")
        log.append(step: 1, [("loss", 0.69), ("rewards/margins", 0)])
        log.append(step: 2, [("loss", 0.5), ("rewards/margins", 0.25), ("eval/gold_quality", 0.4)])
        log.append(step: 3, [("loss", .nan), ("rewards/margins", 1.5)])
        return log
    }

    @Test func lastAndSeriesReadTheSteps() {
        let log = sample()
        #expect(log.last("rewards/margins") == 1.5)
        #expect(log.last("eval/gold_quality") == 0.4)
        #expect(log.last("missing") == nil)
        #expect(log.series("rewards/margins").steps == [1, 2, 3])
        #expect(log.series("eval/gold_quality").values == [0.4])
        #expect(log.names == ["loss", "rewards/margins", "eval/gold_quality"])
        #expect(log.recentMean("rewards/margins", window: 2) == 0.875)
    }

    @Test func jsonLinesParseBackWithNullForNaN() throws {
        let lines = sample().jsonLines().split(separator: "\n")
        #expect(lines.count == 3)
        let third = try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as! [String: Any]
        #expect(third["step"] as? Int == 3)
        #expect(third["loss"] is NSNull)
        #expect(third["rewards/margins"] as? Double == 1.5)
    }

    @Test func csvHasAColumnPerMetricAndBlanksForMissing() {
        let rows = sample().csv().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rows[0] == "step,loss,rewards/margins,eval/gold_quality")
        #expect(rows[1] == "1,0.69,0,")
        #expect(rows[2] == "2,0.5,0.25,0.4")
        #expect(rows[3] == "3,nan,1.5,")
    }

    @Test func filesAreWrittenWholeAndBadPathsAreErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("laif-train-log-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("run.jsonl").path
        try sample().writeJSONL(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == sample().jsonLines())
        try sample().writeCSV(to: folder.appendingPathComponent("run.csv").path)
        #expect(throws: TrainingError.self) { try sample().writeCSV(to: "") }
        #expect(throws: TrainingError.self) { try sample().writeCSV(to: "/proc/laif-no-such/run.csv") }
    }

    @Test func plotDrawsSVGAndNamesAMissingMetric() throws {
        let svg = try sample().plot("rewards/margins")
        #expect(svg.hasPrefix("<svg") || svg.contains("<svg"))
        #expect(svg.contains("rewards/margins"))
        do {
            _ = try sample().plot("objective/kl")
            Issue.record("plotting a metric that was never logged did not throw")
        } catch let e as TrainingError {
            #expect(e.description.contains("objective/kl") && e.description.contains("rewards/margins"))
        }
    }

    @Test func progressReportsRateAndETA() {
        let p = TrainingProgress(trainer: "sft", step: 10, totalSteps: 40, loss: 0.5, elapsedSeconds: 2)
        #expect(p.stepsPerSecond == 5)
        #expect(p.etaSeconds == 6)
        #expect(p.fraction == 0.25)
        #expect(TrainingProgress(trainer: "sft", step: 0, totalSteps: 40, loss: nil, elapsedSeconds: 0).etaSeconds == nil)
    }
}
