import Foundation
import Testing
@testable import LaifBindings
import LaifLang
import LaifTensor

// MARK: Printing

@Test func tensorFormatterMatchesPyTorchLayout() {
    let formatter = TensorFormatter(options: TensorPrintOptions())
    #expect(formatter.body(shape: [2, 2], values: [1, 2, 3, 4]) == "tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]])")
    #expect(formatter.body(shape: [], values: [-0.5]) == "tensor(-0.5000)")
    #expect(formatter.body(shape: [3], values: [.nan, .infinity, 1]) == "tensor([   nan,    inf, 1.0000])")
    #expect(formatter.body(shape: [0], values: []) == "tensor([])")
}

@Test func tensorFormatterSummarisesEveryDimension() {
    let options = TensorPrintOptions()
    options.threshold = 10
    options.edgeItems = 1
    let formatter = TensorFormatter(options: options)
    let values = (0..<16).map(Float.init)
    let text = formatter.body(shape: [4, 4], values: values)
    #expect(text == "tensor([[ 0.0000,  ...,  3.0000],\n        ...,\n        [12.0000,  ..., 15.0000]])")
    #expect(formatter.isSummarised(count: 16))
    #expect(!formatter.isSummarised(count: 10))
}

@Test func tensorFormatterHonoursPrecisionAndScientificMode() {
    let options = TensorPrintOptions()
    options.precision = 1
    #expect(TensorFormatter(options: options).body(shape: [2], values: [1.25, 10]) == "tensor([ 1.2, 10.0])")
    options.scientific = true
    #expect(TensorFormatter(options: options).body(shape: [1], values: [1500]) == "tensor([1.5e+03])")
    options.scientific = nil
    options.precision = 4
    // Magnitudes spanning more than a factor 1000 switch to scientific notation automatically.
    #expect(TensorFormatter(options: options).body(shape: [2], values: [1, 5000]) == "tensor([1.0000e+00, 5.0000e+03])")
}

@Test func printOptionsBelongToOneInterpreter() throws {
    let (first, firstOutput) = makeTestInterpreter()
    let (second, secondOutput) = makeTestInterpreter()
    _ = try first.run("set_printoptions(precision: 1)\nprint(tensor([1.25]))", file: "a.laif")
    _ = try second.run("print(tensor([1.25]))", file: "b.laif")
    #expect(firstOutput.text == "shape [1]\ntensor([1.2])\n")
    #expect(secondOutput.text == "shape [1]\ntensor([1.2500])\n")
}

@Test func badPrintOptionsChangeNothing() throws {
    let (interpreter, output) = makeTestInterpreter()
    #expect(throws: LaifError.self) { try interpreter.run("set_printoptions(precision: 2, threshold: -1)", file: "p.laif") }
    #expect(throws: LaifError.self) { try interpreter.run("set_printoptions(precision: 99)", file: "p.laif") }
    #expect(throws: LaifError.self) { try interpreter.run("set_printoptions(profile: \"tiny\")", file: "p.laif") }
    _ = try interpreter.run("print(get_printoptions().precision)", file: "p.laif")
    #expect(output.text == "4\n")
}

// MARK: Conversion and values

@Test func nestedListsBecomeRowMajorTensors() throws {
    let value = Value.list([.list([.number(1), .number(2), .number(3)]), .list([.number(4), .number(5), .number(6)])])
    let tensor = try TensorConversion.tensor(from: value)
    #expect(tensor.shape == [2, 3])
    #expect(tensor.toArray() == [1, 2, 3, 4, 5, 6])
    #expect(try TensorConversion.list(from: tensor).summary == "[[1, 2, 3], [4, 5, 6]]")
}

@Test func raggedListsNameTheDepth() throws {
    let deep = Value.list([.list([.list([.number(1)]), .list([.number(2)])]), .list([.list([.number(3)]), .number(4)])])
    #expect(throws: LaifError.self) { try TensorConversion.tensor(from: deep) }
    do {
        _ = try TensorConversion.tensor(from: deep)
    } catch let error as LaifError {
        #expect(error.message.contains("depth 2"), "\(error.message)")
        #expect(error.message.contains("[1, 1]"), "\(error.message)")
    } catch {
        Issue.record("unexpected \(error)")
    }
    let mixed = Value.list([.number(1), .string("x")])
    #expect(throws: LaifError.self) { try TensorConversion.tensor(from: mixed) }
}

@Test func shapesAreCheckedBeforeAllocating() throws {
    #expect(throws: LaifError.self) { try TensorConversion.shape(from: [.number(-1)]) }
    #expect(throws: LaifError.self) { try TensorConversion.shape(from: [.number(1.5)]) }
    #expect(throws: LaifError.self) { try TensorConversion.shape(from: [.number(Double(Int.max)), .number(4)]) }
    #expect(throws: LaifError.self) { try TensorConversion.shape(from: [.number(.nan)]) }
    #expect(try TensorConversion.shape(from: [.list([.number(2), .number(3)])]) == [2, 3])
    #expect(try TensorConversion.shape(from: [.number(2), .number(-1)], allowInferred: true) == [2, -1])
}

@Test func tokenRowsRefuseNonTokens() {
    #expect(throws: LaifError.self) { try TensorConversion.tokens(.list([.number(1.5)]), what: "prompt") }
    #expect(throws: LaifError.self) { try TensorConversion.tokens(.list([.number(1e12)]), what: "prompt") }
    #expect(throws: LaifError.self) { try TensorConversion.tokens(.string("abc"), what: "prompt") }
    #expect((try? TensorConversion.tokenRows(.list([.number(1), .number(2)]), what: "p"))?.single == true)
    #expect((try? TensorConversion.tokenRows(.list([.list([.number(1)])]), what: "p"))?.single == false)
}

@Test func rankZeroResultsBecomeNumbers() throws {
    let options = TensorPrintOptions()
    let scalar = TensorValue.wrap(Tensor(scalar: 2.5), options: options)
    guard case .number(2.5) = scalar else {
        Issue.record("expected a number, got \(scalar.typeName)")
        return
    }
    #expect(TensorValue.wrap(Tensor([1]), options: options).typeName == "tensor")
}

@Test func broadcastingMatchesNumPy() throws {
    #expect(try TensorValue.broadcastShape([2, 1, 3], [4, 1], described: "+") == [2, 4, 3])
    #expect(try TensorValue.broadcastShape([], [5], described: "+") == [5])
    #expect(throws: LaifError.self) { try TensorValue.broadcastShape([2, 3], [4], described: "+") }
    // A broadcast that would allocate too much is refused before the core allocates it.
    #expect(throws: LaifError.self) { try TensorValue.broadcastShape([1 << 15, 1], [1, 1 << 15], described: "+") }
}

@Test func tensorOperatorsAgreeWithElementwiseArithmetic() throws {
    let result = try runValue("let a = tensor([[1, 2], [3, 4]])\n((a * a - a) / 2 + 1).tolist()")
    // (x^2 - x) / 2 + 1 for 1...4
    #expect(result == "[[1, 2], [4, 7]]")
    #expect(try runValue("(tensor([1, 2, 3]) @ tensor([[1], [1], [1]])).tolist()") == "[6]")
}

// MARK: Errors never crash

@Test func badTensorInputEndsInLocatedErrors() {
    let sources = [
        "zeros(-1)", "zeros(1.5)", "ones(1e10, 1e10)", "full([2], \"x\")", "arange(0, 10, 0)", "arange(0, 1e12)",
        "tensor(\"x\")", "tensor([[1], [2, 3]])", "tensor([1, [2]])", "randn(3, seed: -1)", "rand(2, low: 2, high: 1)",
        "eye(-2)", "ones(2)[2]", "ones(2)[0, 0]", "ones(2)[\"a\"]", "ones(2)[0.5]", "ones(2, 2)[1:\"x\"]",
        "ones(2) @ 3", "ones(2, 3) @ ones(2, 3)", "ones(3) ** ones(3)", "(-2) ** ones(2)", "ones(2) % 2",
        "ones(2).reshape(3)", "ones(2).reshape(-1, -1)", "ones(2, 3).transpose(0, 5)", "ones(3).transpose()",
        "ones(2).permute(1, 1)", "ones(2).squeeze(axis: 0)", "ones(2).item()", "zeros(0).max()", "zeros(0).mean()",
        "zeros(2, 0).argmax(axis: 1)", "ones(2).sum(axis: 3)", "ones(2).softmax(axis: 2)", "concat([])",
        "concat([ones(2), ones(2, 2)])", "stack([ones(2), ones(3)])", "where(ones(2), ones(3), 0)",
        "ones(2).clamp(min: 2, max: 1)", "ones(2).size(axis: 4)", "ones(2).pow(\"x\")", "len(tensor(1))",
        "set_printoptions(linewidth: 5)", "ones(2).sum(keepdims: 1)", "zeros(2, 3).reshape([1e300])",
    ]
    for source in sources {
        let error = runError(source)
        #expect(error != nil, "\(source) should fail")
        #expect(error?.location != nil, "\(source): error has no location")
        #expect(error?.kind == .runtime, "\(source): \(String(describing: error))")
    }
}

@Test func clampNamesANaNBoundInLaifsSpelling() {
    // 0/0 is a NaN with its sign bit set, which Swift would print as "-nan".
    let error = runError("ones(2).clamp(min: 0/0)")
    #expect(error?.message.contains("the bounds must be numbers, got min nan and max inf") == true, "\(String(describing: error))")
    #expect(runError("ones(2).clamp(min: 2, max: 1)")?.message.contains("got 2 and 1") == true)
    // Library messages (the world's, sampling's) spell it the same way.
    for source in ["bandit(beta: 0/0)", "world(tasks: 2, vocab: 6, prompt_len: [1, 2]).prompts(3).split(0/0)"] {
        let message = runError(source)?.message ?? ""
        #expect(message.contains("got nan") && !message.contains("-nan"), "\(source): \(message)")
    }
}

@Test func everyTensorBuiltinHasDocsAndARunningExample() throws {
    let registry = standardRegistry()
    let builtins = registry.all.filter { $0.topic == "tensor" } + registry.methods(of: "tensor")
    #expect(builtins.count >= 40)
    for builtin in builtins {
        #expect(!builtin.doc.isEmpty && !builtin.example.isEmpty, "\(builtin.qualifiedName)")
        #expect(throws: Never.self, "\(builtin.qualifiedName): \(builtin.example)") {
            _ = try runValue(builtin.example)
        }
    }
}

/// Every operator and method on tensors of awkward shapes (0-d, empty, broadcastable or not)
/// either answers or throws a located `LaifError`: nothing traps.
@Test func awkwardShapesNeverCrash() {
    let tensors = ["tensor(2)", "zeros(0)", "arange(3)", "arange(6).reshape(2, 3)", "ones(1, 3)", "ones(3, 1)", "zeros(2, 0)"]
    let others = tensors + ["-1", "0 / 0", "[1, 2]", "\"s\"", "nil"]
    // One operator per code path (+, -, * share one; the comparisons share one).
    let operators = ["+", "/", "**", "@", "<", "==", "%"]
    let suffixes = [
        ".sum()", ".sum(axis: 0)", ".sum(axis: -1, keepdims: true)", ".max(axis: 1)", ".argmax()", ".argmin(axis: 0)",
        ".mean()", ".min()", ".logsumexp(axis: 0)", ".softmax()", ".log_softmax(axis: 0)", ".reshape(-1)", ".transpose()",
        ".permute(0)", ".unsqueeze(0)", ".squeeze()", ".item()", ".tolist()", ".flatten()", ".size(axis: 0)",
        "[0]", "[-1]", "[:, 0]", "[0:1]", "[1, 1]", "[1:, :1]", ".exp().log()", ".gelu()", ".clamp(min: 0)",
    ]
    var sources: [String] = []
    for a in tensors {
        for b in others {
            for op in operators { sources.append("(\(a)) \(op) (\(b))"); sources.append("(\(b)) \(op) (\(a))") }
        }
        for suffix in suffixes { sources.append("(\(a))\(suffix)") }
        sources.append("concat([\(a), \(a)], axis: -1)")
        sources.append("stack([\(a), \(a)], axis: 1)")
        sources.append("where(\(a), \(a), 0)")
        sources.append("print(\(a))")
        sources.append("for x in \(a) { print(x) }")
    }
    let (interpreter, _) = makeTestInterpreter()
    for source in sources {
        do {
            _ = try interpreter.run(source, file: "fuzz.laif")
        } catch let error as LaifError {
            #expect(error.location != nil, "\(source): \(error)")
        } catch {
            Issue.record("\(source): non-laif error \(error)")
        }
    }
}

/// A float32 running sum of 0..<10^6 ends 59 million off (499940360192); over everything, sum
/// and mean add in float64 and round once.
@Test func sumAndMeanOverEverythingDoNotDrift() throws {
    // 499999506432 is the float nearest to the exact 499999500000.
    #expect(try runValue("arange(1000000).sum()") == "499999506432")
    #expect(try runValue("arange(1000000).mean()") == "499999.5")
    #expect(try runValue("arange(1000000).reshape([1000, 1000]).sum(keepdims: true).shape") == "[1, 1]")
    #expect(try runValue("tensor([[1, 2], [3, 4]]).mean()") == "2.5")
    #expect(runError("zeros(0).mean()")?.message.contains("empty") == true)
}

@Test func numbersPastFloat32AreRefusedNotTurnedIntoInfinity() throws {
    // rand's width (high - low) and any bound past 3.4e38 overflowed to inf and NaN values.
    #expect(runError("rand(2, low: -3e38, high: 3e38)")?.message.contains("difference fits 32-bit floats") == true)
    #expect(runError("rand(2, low: -1e39, high: 1e39)")?.message.contains("low must be a finite number within 32-bit floats' range") == true)
    #expect(runError("randn(2, std: 1e39)")?.message.contains("std must be a finite number within 32-bit floats' range") == true)
    #expect(runError("randn(2, std: 0 / 0)")?.message.contains("std must be a finite number") == true)
    #expect(try runValue("let r = rand(2, low: -1e38, high: 1e38)\nr.max() <= 1e38 and r.min() >= -1e38") == "true")
    // Negative tolerances made allclose say true for anything.
    #expect(runError("allclose(ones(2), ones(2), rtol: -1, atol: -1)")?.message.contains("rtol must be a finite number >= 0, got -1") == true)
    #expect(runError("allclose(ones(2), ones(2), atol: 0 / 0)")?.message.contains("atol must be a finite number >= 0") == true)
}

@Test func aTensorHasAtMost64Dimensions() throws {
    // unsqueeze and stack added dimensions past the cap the constructors keep, and every step
    // then cost time in the rank (30,000 unsqueezes did not finish in 20 s).
    let error = runError("let t = ones(1)\nfor i in range(100) { t = t.unsqueeze(0) }")
    #expect(error?.message.contains("already has 64 dimensions, the most a tensor may have") == true, "\(String(describing: error))")
    #expect(runError("stack([ones(\(Array(repeating: "1", count: 64).joined(separator: ", ")))])")?.message
        .contains("already has 64 dimensions") == true)
    #expect(try runValue("len(ones(\(Array(repeating: "1", count: 63).joined(separator: ", "))).unsqueeze(0).shape)") == "64")
}
