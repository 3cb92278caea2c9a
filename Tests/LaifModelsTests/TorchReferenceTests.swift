import Foundation
import LaifTensor
import Testing
@testable import LaifModels

// laif's TransformerLM against an independent PyTorch model (TorchReference/torch_reference.py),
// in the spirit of llm.c's checks against a reference implementation: the same float32 weights
// (through a real laif checkpoint), the same tokens, and PyTorch computing in float64. Compared:
// logits, the mean next-token cross-entropy, the gradient of that loss for every parameter, and
// the DPO quantity (summed response log-probs through `responseLogProbs`, which takes laif's
// shared-prefix path) with the gradient of a weighted sum of them.

/// Whether `python3` can run the reference: PyTorch and safetensors importable.
private enum PythonTorch {
    static let isAvailable: Bool = {
        guard let result = try? PythonSafetensors.run(["-c", "import torch, safetensors.torch"]) else { return false }
        return result.status == 0
    }()

    static let skipReason: Comment =
        "PyTorch (or Python's safetensors) is not installed: `python3 -m pip install torch safetensors` enables the PyTorch reference check"

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("TorchReference/torch_reference.py").path
}

/// One model to check: its sizes, the length of the token batch, and a seed.
private struct ReferenceCase: CustomStringConvertible {
    let name: String
    let config: TransformerConfig
    let length: Int
    let seed: UInt64

    var description: String {
        "\(name) (d_model \(config.dModel), \(config.heads) heads of \(config.dModel / config.heads), \(config.layers) layers, length \(length))"
    }
}

/// The worst disagreement within one tensor. `scaled` is max |laif - torch| / max |torch|:
/// an error relative to the tensor's own magnitude, which stays meaningful for gradients whose
/// entries pass through zero (an elementwise relative error does not).
private struct Disagreement: CustomStringConvertible {
    let name: String
    let maxAbs: Double
    let scale: Double
    var scaled: Double { scale > 0 ? maxAbs / scale : maxAbs }

    init(name: String, laif: [Float], torch: [Float]) {
        self.name = name
        var worst = 0.0, scale = 0.0
        for (a, r) in zip(laif, torch) {
            worst = max(worst, abs(Double(a) - Double(r)))
            scale = max(scale, abs(Double(r)))
        }
        if laif.count != torch.count { worst = .infinity }
        maxAbs = worst
        self.scale = scale
    }

    var description: String {
        "\(name): max abs \(String(format: "%.2e", maxAbs)), max |torch| \(String(format: "%.2e", scale)), scaled \(String(format: "%.2e", scaled))"
    }
}

/// Tolerances, as errors scaled by the tensor's largest reference entry (`Disagreement.scaled`).
/// float32 rounds at 6e-8 relative; each value here ends a few hundred float32 operations (dot
/// products of up to 4 * d_model terms, softmax and layer-norm reductions, two or three blocks,
/// and the backward pass through all of them), and the worst measured disagreement over all
/// three cases is 9e-7 of the tensor's scale (a DPO gradient; logits 5e-7). 2e-5 leaves about
/// twenty times headroom for other CPUs and BLAS builds, yet fails on real design mistakes:
/// exact-erf GELU instead of tanh moves logits by 1.6e-4 and gradients by 6e-4 of their scale,
/// and LayerNorm eps 1e-6 instead of 1e-5 moves gradients by 2.5e-5 to 3.3e-5 (both measured by
/// changing the reference). The reference arrives rounded to float32 (`SafetensorsTensor` holds
/// Float): at most 6e-8 relative, so a loss error below half a float32 ulp reads as 0.
private enum Tolerance {
    static let logits = 2e-5
    static let loss = 1e-5          // absolute, for a loss near 4 (float32 ulp there: 4.8e-7)
    static let gradient = 2e-5
    static let logProbs = 2e-5      // scaled by the largest |summed log-prob| (about 70-130)
}

@Suite("TransformerLM against a PyTorch reference")
struct TorchReferenceTests {
    private static let cases = [
        // Head size 16: attention.c's first specialised kernel copy.
        ReferenceCase(name: "d64", config: TransformerConfig(vocabSize: 64, maxLength: 32, dModel: 64, layers: 2, heads: 4),
                      length: 32, seed: 11),
        // Head size 12: the second specialised copy (the default student's 48 / 4).
        ReferenceCase(name: "d48", config: TransformerConfig(vocabSize: 64, maxLength: 32, dModel: 48, layers: 2, heads: 4),
                      length: 32, seed: 12),
        // Head size 8: the generic copy; also an odd vocabulary, MLP ratio 2, 3 layers and a
        // batch shorter than maxLength.
        ReferenceCase(name: "d40", config: TransformerConfig(vocabSize: 37, maxLength: 24, dModel: 40, layers: 3, heads: 5, mlpRatio: 2),
                      length: 19, seed: 13),
    ]

    @Test("logits, loss, gradients and response log-probs match PyTorch in float64",
          .enabled(if: PythonTorch.isAvailable, PythonTorch.skipReason))
    func matchesPyTorch() throws {
        let folder = try ModelIOScratchFolder()
        var jobs: [(ReferenceCase, LaifResults, String)] = []
        for (index, referenceCase) in Self.cases.enumerated() {
            let job = folder.file("job\(index)")
            try FileManager.default.createDirectory(atPath: job, withIntermediateDirectories: true)
            jobs.append((referenceCase, try Self.runLaif(referenceCase, writingTo: job), job))
        }

        // One Python process for every case: importing torch takes about two seconds.
        let result = try PythonSafetensors.run([PythonTorch.script] + jobs.map(\.2))
        guard result.status == 0 else {
            Issue.record("torch_reference.py exited with \(result.status):\n\(result.errors)")
            return
        }

        for (referenceCase, laif, job) in jobs {
            let reference = try SafetensorsFile(contentsOfFile: job + "/reference.safetensors")
            func torch(_ name: String) throws -> [Float] {
                try #require(reference[name], "the reference wrote no \(name)").values
            }
            let logits = Disagreement(name: "logits", laif: laif.logits, torch: try torch("logits"))
            let loss = Disagreement(name: "loss", laif: [laif.loss], torch: try torch("loss"))
            let logps = Disagreement(name: "dpo/logps", laif: laif.logProbs, torch: try torch("dpo/logps"))
            let gradients = try laif.gradients.map { Disagreement(name: "grad/" + $0.name, laif: $0.values, torch: try torch("grad/" + $0.name)) }
            let dpoGradients = try laif.dpoGradients.map {
                Disagreement(name: "dpo/grad/" + $0.name, laif: $0.values, torch: try torch("dpo/grad/" + $0.name))
            }
            let checks = [(logits, Tolerance.logits), (logps, Tolerance.logProbs)]
                + (gradients + dpoGradients).map { ($0, Tolerance.gradient) }
            let failures = checks.filter { !($0.0.scaled <= $0.1) }.map(\.0)
            let lossOK = loss.maxAbs <= Tolerance.loss

            func worst(_ errors: [Disagreement]) -> String {
                errors.max { $0.scaled < $1.scaled }.map(\.description) ?? "none"
            }
            print("""
            TorchReference \(referenceCase): loss laif \(laif.loss), \(loss)
              \(logits)
              \(logps)
              worst loss gradient   \(worst(gradients))
              worst DPO gradient    \(worst(dpoGradients))
            """)
            if !failures.isEmpty || !lossOK {
                print("TorchReference \(referenceCase.name): every compared tensor, worst first:")
                for error in ([logits, loss, logps] + gradients + dpoGradients).sorted(by: { $0.scaled > $1.scaled }) {
                    print("  \(error)")
                }
            }
            #expect(lossOK, "\(referenceCase.name): \(loss) exceeds \(Tolerance.loss) absolute")
            if let first = failures.max(by: { $0.scaled < $1.scaled }) {
                Issue.record("\(referenceCase.name): \(failures.count) tensors disagree with PyTorch beyond tolerance; worst \(first)")
            }
        }
    }

    /// What laif computed for one case.
    private struct LaifResults {
        var logits: [Float] = []
        var loss: Float = 0
        var gradients: [(name: String, values: [Float])] = []
        var logProbs: [Float] = []
        var dpoGradients: [(name: String, values: [Float])] = []
    }

    /// Builds the case's model, saves it and its inputs into `job` for the reference, and
    /// computes laif's side.
    private static func runLaif(_ referenceCase: ReferenceCase, writingTo job: String) throws -> LaifResults {
        let config = referenceCase.config
        var rng = RandomGenerator(seed: referenceCase.seed)
        let model = try TransformerLM(config: config, rng: &rng)
        try randomizeParameters(model, rng: &rng)
        try saveCheckpoint(model, to: job + "/model.safetensors")

        let batch = makeBatch(config: config, length: referenceCase.length, rng: &rng)
        let pairs = makeResponses(config: config, rng: &rng)
        let inputs: [String: Any] = [
            "tokens": batch.tokens, "targets": batch.targets,
            "prompts": pairs.prompts.map { $0.map(Int.init) }, "responses": pairs.responses.map { $0.map(Int.init) },
            "coefficients": pairs.coefficients.map(Double.init),
        ]
        try JSONSerialization.data(withJSONObject: inputs).write(to: URL(fileURLWithPath: job + "/inputs.json"))

        var results = LaifResults()
        let b = batch.tokens.count, t = referenceCase.length
        let logits = try model.logits(batch.tokens.flatMap { $0.map(Int32.init) }, batch: b, length: t)
        results.logits = logits.toArray()
        let loss = try Tensor.crossEntropy(logits: logits, targets: batch.targets.flatMap { $0.map(Int32.init) })
        results.loss = try loss.item()
        try loss.backward()
        results.gradients = try collectGradients(model)

        let logps = try responseLogProbs(model: model, prompts: pairs.prompts, responses: pairs.responses)
        results.logProbs = logps.toArray()
        try (logps * Tensor(pairs.coefficients)).sum().backward()
        results.dpoGradients = try collectGradients(model)
        return results
    }

    /// Every parameter's gradient by name, and clears them for the next backward pass.
    private static func collectGradients(_ model: TransformerLM) throws -> [(name: String, values: [Float])] {
        try model.parameters.map { parameter in
            let grad = try #require(parameter.tensor.grad, "\(parameter.name) got no gradient")
            parameter.tensor.grad = nil
            return (parameter.name, grad.toArray())
        }
    }

    /// Replaces the GPT-2 initialisation (zero biases, unit layer-norm gains, 0.02 weights,
    /// which leave attention nearly uniform and logits nearly flat) with values that exercise
    /// every term: gains 1 + 0.2 N(0, 1), biases 0.1 N(0, 1), embeddings 0.5 N(0, 1) and Linear
    /// weights N(0, 1 / in), so activations, attention scores and logits are all of order 1.
    private static func randomizeParameters(_ model: TransformerLM, rng: inout RandomGenerator) throws {
        for parameter in model.parameters {
            let shape = parameter.tensor.shape
            let (mean, std): (Double, Double)
            if parameter.name.hasSuffix(".bias") {
                (mean, std) = (0, 0.1)
            } else if shape.count == 1 {
                (mean, std) = (1, 0.2)                                   // layer-norm gain
            } else if parameter.name.hasPrefix("tok_emb") || parameter.name.hasPrefix("pos_emb") {
                (mean, std) = (0, 0.5)
            } else {
                (mean, std) = (0, 1 / Double(shape[1]).squareRoot())   // Linear [out, in]
            }
            try parameter.tensor.assign((0..<parameter.tensor.count).map { _ in Float(mean + std * rng.normal()) })
        }
    }

    /// A `[4, length]` batch with next-token targets: two full rows, one row that ends early
    /// (padding with token 0 and target -1 after it) and one that also leaves its first five
    /// positions unscored, as a prompt would be.
    private static func makeBatch(config: TransformerConfig, length: Int, rng: inout RandomGenerator)
        -> (tokens: [[Int]], targets: [[Int]]) {
        let rowLengths = [length + 1, length + 1, length * 2 / 3, 7]
        var tokens: [[Int]] = [], targets: [[Int]] = []
        for (row, rowLength) in rowLengths.enumerated() {
            let sequence = (0..<rowLength).map { _ in rng.nextInt(below: config.vocabSize) }
            tokens.append((0..<length).map { $0 < rowLength - 1 ? sequence[$0] : 0 })
            targets.append((0..<length).map { $0 + 1 < rowLength && !(row == 3 && $0 < 5) ? sequence[$0 + 1] : -1 })
        }
        return (tokens, targets)
    }

    /// DPO-style rows: pairs of responses to a shared prompt (laif runs the prompt once for
    /// both), a one-token prompt, and an empty response (scored 0). Coefficients weight the
    /// summed log-probs into one scalar, like chosen minus rejected.
    private static func makeResponses(config: TransformerConfig, rng: inout RandomGenerator)
        -> (prompts: [[Int32]], responses: [[Int32]], coefficients: [Float]) {
        func tokens(_ count: Int) -> [Int32] { (0..<count).map { _ in Int32(rng.nextInt(below: config.vocabSize)) } }
        let longPrompt = tokens(6), shortPrompt = tokens(3)
        let n = config.maxLength
        let prompts = [longPrompt, longPrompt, shortPrompt, shortPrompt, tokens(1), tokens(4)]
        let responses = [tokens(n - 6), tokens(9), tokens(12), tokens(5), tokens(7), []]
        return (prompts, responses, [1, -1, 0.5, -0.75, 2, 3])
    }
}
