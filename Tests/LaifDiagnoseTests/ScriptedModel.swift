import Foundation
import LaifModels
import LaifSim
import LaifTensor

/// A hand-built "model" whose next-token distribution is set by the test: at answer position
/// i of a prompt it gives `answer(entry)` over the content tokens (entry = the prompt's i-th),
/// then `fillers` copies of filler 0, then EOS. Everything else gets (almost) no probability,
/// so probes and samples of it have known answers.
final class ScriptedModel: LanguageModel {
    let world: World
    let answer: (Entry) -> [Double]
    let fillers: Int
    let vocabSize: Int
    let maxLength = 40

    init(world: World, fillers: Int = 0, answer: @escaping (Entry) -> [Double]) {
        self.world = world
        self.answer = answer
        self.fillers = fillers
        vocabSize = world.vocabSize
    }

    /// The model that puts probability `gold` on the gold token of every entry and spreads the
    /// rest evenly.
    convenience init(world: World, gold: Double, fillers: Int = 0) {
        self.init(world: world, fillers: fillers) { entry in spread(world, entry, gold: gold) }
    }

    static let floor = 1e-12

    func logits(_ tokens: [Int32], batch: Int, length: Int) throws -> Tensor {
        var out = [Float](repeating: Float(log(Self.floor)), count: batch * length * vocabSize)
        for r in 0..<batch {
            let row = Array(tokens[(r * length)..<((r + 1) * length)])
            guard let sep = row.firstIndex(of: TokenLayout.sep), let prompt = try? world.prompt(tokens: Array(row[...sep])) else {
                continue
            }
            for j in sep..<length {
                let k = j - sep   // answer tokens already present before position j + 1
                let base = (r * length + j) * vocabSize
                if k < prompt.inputs.count {
                    for (c, p) in answer(prompt.entries[k]).enumerated() {
                        out[base + Int(world.layout.contentToken(c))] = Float(log(max(p, Self.floor)))
                    }
                } else if k < prompt.inputs.count + fillers {
                    out[base + Int(world.layout.fillerToken(0))] = 0
                } else {
                    out[base + Int(TokenLayout.eos)] = 0
                }
            }
        }
        return try Tensor(shape: [batch, length, vocabSize], data: out)
    }

    var parameters: [NamedParameter] { [] }
    var architecture: [String: String] { ["kind": "scripted"] }
    func clone() -> LanguageModel { self }
}

/// Probability `gold` on the entry's gold token, the rest spread evenly over the other tokens.
func spread(_ world: World, _ entry: Entry, gold: Double) -> [Double] {
    let v = world.config.vocab
    let g = world.table[entry.task][entry.token]
    return (0..<v).map { $0 == g ? gold : (1 - gold) / Double(v - 1) }
}

/// Probability `p` on content token `token`, the rest spread evenly.
func peaked(_ world: World, at token: Int, _ p: Double) -> [Double] {
    let v = world.config.vocab
    return (0..<v).map { $0 == token ? p : (1 - p) / Double(v - 1) }
}
