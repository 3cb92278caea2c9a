// swift-tools-version:6.0
// laif: a lab bench for learning from AI feedback. Layers point down only (see README, "Architecture").
import PackageDescription

/// Optimised kernels are plain Swift loops over unsafe pointers; release builds drop the
/// remaining bounds checks there. Debug builds keep every check.
let kernelSettings: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "laif",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "laif", targets: ["laif"]),
        .library(name: "LaifTensor", targets: ["LaifTensor"]),
        .library(name: "LaifModels", targets: ["LaifModels"]),
        .library(name: "LaifSim", targets: ["LaifSim"]),
        .library(name: "LaifLang", targets: ["LaifLang"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries and C shims.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CEditLine", path: "Sources/CEditLine"),
        .target(name: "CSupport", path: "Sources/CSupport"),

        // Shared plumbing with no dependencies: atomic file writes, bounded reads, JSON strings.
        .target(name: "LaifSupport"),

        // Numerical core.
        .target(name: "LaifTensor", dependencies: ["CBLAS", "CSupport", "LaifSupport"], swiftSettings: kernelSettings),
        .target(name: "LaifModels", dependencies: ["LaifTensor", "LaifSupport"], swiftSettings: kernelSettings),

        // Simulated world.
        .target(name: "LaifSim", dependencies: ["LaifModels", "LaifTensor", "LaifSupport"]),

        // Trainers: SFT, DPO/IPO, reward models, online RL, best-of-n.
        .target(name: "LaifTrain", dependencies: ["LaifSim", "LaifModels", "LaifTensor", "LaifPlot", "LaifSupport"], swiftSettings: kernelSettings),

        // Gain attribution: where an RL gain came from, and what SFT on the critic would have given.
        .target(name: "LaifDiagnose", dependencies: ["LaifTrain", "LaifSim", "LaifModels", "LaifTensor"]),

        // Charts (SVG and sparklines), used by the language and the report writer.
        .target(name: "LaifPlot", dependencies: ["LaifSupport"]),

        // The language core knows no domain; LaifBindings plugs the libraries into it.
        .target(name: "LaifLang", dependencies: ["LaifPlot", "CSupport", "LaifSupport"]),
        .target(name: "LaifBindings", dependencies: ["LaifLang", "LaifPlot", "LaifTrain", "LaifDiagnose", "LaifSim", "LaifModels", "LaifTensor", "LaifSupport"]),
        .target(name: "LaifNotebook", dependencies: ["LaifLang", "LaifPlot", "LaifSupport"]),
        .target(name: "LaifREPL", dependencies: ["LaifLang", "CEditLine", "CSupport", "LaifSupport"]),

        .executableTarget(
            name: "laif",
            dependencies: [
                "LaifREPL", "LaifNotebook", "LaifBindings", "LaifLang", "LaifTrain", "LaifModels", "LaifTensor", "LaifSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: kernelSettings),

        .testTarget(name: "LaifSupportTests", dependencies: ["LaifSupport"]),
        .testTarget(name: "LaifTensorTests", dependencies: ["LaifTensor"]),
        .testTarget(name: "LaifModelsTests", dependencies: ["LaifModels", "LaifTensor", "LaifSupport"], exclude: ["TorchReference"]),
        .testTarget(name: "LaifSimTests", dependencies: ["LaifSim", "LaifModels", "LaifTensor"]),
        .testTarget(name: "LaifTrainTests", dependencies: ["LaifTrain", "LaifSim", "LaifModels", "LaifTensor"]),
        .testTarget(name: "LaifDiagnoseTests", dependencies: ["LaifDiagnose", "LaifTrain", "LaifSim", "LaifModels", "LaifTensor"]),
        .testTarget(name: "LaifPlotTests", dependencies: ["LaifPlot"]),
        .testTarget(name: "LaifLangTests", dependencies: ["LaifLang", "LaifSupport"], exclude: ["Scripts"]),
        .testTarget(name: "LaifBindingsTests", dependencies: ["LaifBindings", "LaifLang", "LaifTrain", "LaifSim", "LaifModels", "LaifTensor"], exclude: ["Scripts"]),
        .testTarget(name: "LaifNotebookTests", dependencies: ["LaifNotebook", "LaifLang"]),
        .testTarget(name: "LaifCLITests", dependencies: ["laif", "LaifREPL", "LaifLang", "LaifBindings"]),
    ],
    swiftLanguageModes: [.v5]
)
