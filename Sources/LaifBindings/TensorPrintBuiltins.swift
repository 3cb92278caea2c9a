import LaifLang

/// `set_printoptions` and `get_printoptions`: the print options of this registry's tensors.
enum TensorPrintBuiltins {
    /// The largest threshold accepted: printing more elements than this in full is never useful
    /// and could build enormous strings.
    static let maxThreshold = 1_000_000

    static func all(_ options: TensorPrintOptions) -> [Builtin] {
        [
            /// `set_printoptions(precision:, threshold:, edgeitems:, linewidth:, sci_mode:, profile:)`:
            /// changes how every tensor of this session prints (only the arguments given).
            ///
            ///     set_printoptions(precision: 2, threshold: 50)
            Builtin(name: "set_printoptions",
                    parameters: [.optional("precision", .nil), .optional("threshold", .nil), .optional("edgeitems", .nil),
                                 .optional("linewidth", .nil), .optional("sci_mode", .nil), .optional("profile", .nil)],
                    doc: "Change how tensors print (like PyTorch): digits, summarising threshold, edge items, line width, sci_mode, or profile \"default\"/\"short\"/\"full\".",
                    example: "set_printoptions(precision: 2, threshold: 50)", topic: "tensor") { args, context in
                var profile: (precision: Int, threshold: Int, edgeItems: Int)?
                if !args.isNil("profile") {
                    switch try args.string("profile") {
                    case "default": profile = (4, 1000, 3)
                    case "short": profile = (2, 1000, 2)
                    case "full": profile = (4, maxThreshold, 3)
                    case let other:
                        throw args.error("unknown profile \"\(other)\"; use \"default\", \"short\" or \"full\"")
                    }
                }
                // Validate everything before changing anything, so a bad call leaves the options as they were.
                let precision = try optionalInt(args, "precision", in: 0...16)
                let threshold = try optionalInt(args, "threshold", in: 0...maxThreshold)
                let edgeItems = try optionalInt(args, "edgeitems", in: 1...1000)
                let lineWidth = try optionalInt(args, "linewidth", in: 20...10_000)
                let scientific: Bool?? = args.isNil("sci_mode") ? .none : .some(try args.bool("sci_mode"))
                if let profile {
                    options.precision = profile.precision
                    options.threshold = profile.threshold
                    options.edgeItems = profile.edgeItems
                    options.lineWidth = 80
                    options.scientific = nil
                }
                if let precision { options.precision = precision }
                if let threshold { options.threshold = threshold }
                if let edgeItems { options.edgeItems = edgeItems }
                if let lineWidth { options.lineWidth = lineWidth }
                if let scientific { options.scientific = scientific }
                context.noteSettingChanged()
                return .nil
            },
            /// `get_printoptions()`: the current options as a record.
            ///
            ///     get_printoptions().precision   # 4
            Builtin(name: "get_printoptions", parameters: [],
                    doc: "The current tensor print options as a record.",
                    example: "get_printoptions().precision", topic: "tensor") { _, _ in
                .record(Record([
                    ("precision", .number(Double(options.precision))),
                    ("threshold", .number(Double(options.threshold))),
                    ("edgeitems", .number(Double(options.edgeItems))),
                    ("linewidth", .number(Double(options.lineWidth))),
                    ("sci_mode", options.scientific.map(Value.bool) ?? .nil),
                ]))
            },
        ]
    }

    private static func optionalInt(_ args: Arguments, _ name: String, in range: ClosedRange<Int>) throws -> Int? {
        if args.isNil(name) { return nil }
        let value = try args.int(name)
        guard range.contains(value) else {
            throw args.error("\(name) must be from \(range.lowerBound) to \(range.upperBound), got \(value)")
        }
        return value
    }
}
