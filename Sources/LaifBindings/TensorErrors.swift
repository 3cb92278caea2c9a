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
        throw LaifError.runtime(error.message)
    } catch let error as ModelConfigurationError {
        throw LaifError.runtime(error.message)
    } catch let error as SafetensorsError {
        throw LaifError.io("\(error)")
    } catch let error as CheckpointError {
        throw LaifError.io("\(error)")
    } catch {
        throw LaifError.runtime("\(error)")
    }
}
