import LaifLang
import LaifModels
import LaifTensor

/// Turns the numerical core's errors into language errors: shape and size problems become
/// runtime errors (exit 70) with the core's message; file problems become I/O errors (exit 74).
/// The interpreter adds the call's name, signature and source location.
///
///     let sum = try tensorCall { try a + b }   // "shapes [2, 3] and [4] cannot be broadcast ..."
func tensorCall<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as LaifError {
        throw error
    } catch let error as TensorError {
        throw LaifError.runtime(error.message)
    } catch let error as InferenceError {
        throw LaifError.runtime(withKeywordNames(error.message))
    } catch let error as ModelConfigurationError {
        throw LaifError.runtime(withKeywordNames(error.message))
    } catch let error as SafetensorsError {
        throw LaifError.io("\(error)")
    } catch let error as CheckpointError {
        throw LaifError.io(withKeywordNames("\(error)"))
    } catch {
        throw LaifError.runtime("\(error)")
    }
}

/// `message` with the model libraries' Swift names for sizes and tokens written as the
/// language's keywords (`maxLength` as `max_len`), so an error names what a script can change.
///
///     withKeywordNames("eosToken 99 is outside the model's vocabulary")   // "eos 99 is outside ..."
func withKeywordNames(_ message: String) -> String {
    var text = message
    for (swiftName, keyword) in [("vocabSize", "vocab"), ("maxLength", "max_len"), ("dModel", "d_model"),
                                 ("mlpRatio", "mlp_ratio"), ("hiddenLayers", "layers"), ("eosToken", "eos")] {
        text = text.replacingOccurrences(of: swiftName, with: keyword)
    }
    return text
}
