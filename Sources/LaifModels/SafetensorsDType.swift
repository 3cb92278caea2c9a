/// The element types the safetensors format names. laif writes `F32`; it reads the float and
/// integer types below by converting to `Float` (integers beyond ±2^24 and doubles round to the
/// nearest Float); 8-bit floats, booleans and unsigned 16/32/64-bit types are refused.
///
///     SafetensorsDType(rawValue: "BF16")?.byteWidth   // 2
public enum SafetensorsDType: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case f8e5m2 = "F8_E5M2"
    case f8e4m3 = "F8_E4M3"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bytes per element.
    ///
    ///     SafetensorsDType.f64.byteWidth   // 8
    public var byteWidth: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64: return 8
        }
    }

    /// Whether laif converts this type to `Float` when reading.
    ///
    ///     SafetensorsDType.f16.isReadable   // true
    public var isReadable: Bool {
        switch self {
        case .f32, .f16, .bf16, .f64, .i32, .i64: return true
        default: return false
        }
    }

    /// Converts `count` little-endian elements starting at `offset` in `raw` to Float.
    /// The caller has checked that the bytes are in range and the type is readable.
    func decode(_ raw: UnsafeRawBufferPointer, offset: Int, count: Int) -> [Float] {
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { out in
            switch self {
            case .f32:
                for i in 0..<count {
                    let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self))
                    out[i] = Float(bitPattern: bits)
                }
            case .f16:
                for i in 0..<count {
                    let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 2 * i, as: UInt16.self))
                    out[i] = floatFromHalfBits(bits)
                }
            case .bf16:
                for i in 0..<count {
                    let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 2 * i, as: UInt16.self))
                    out[i] = Float(bitPattern: UInt32(bits) << 16)
                }
            case .f64:
                for i in 0..<count {
                    let bits = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8 * i, as: UInt64.self))
                    out[i] = Float(Double(bitPattern: bits))
                }
            case .i32:
                for i in 0..<count {
                    let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self))
                    out[i] = Float(Int32(bitPattern: bits))
                }
            case .i64:
                for i in 0..<count {
                    let bits = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8 * i, as: UInt64.self))
                    out[i] = Float(Int64(bitPattern: bits))
                }
            default:
                break
            }
        }
        return values
    }
}

/// IEEE 754 binary16 to Float, exact for every half value (subnormals, infinities and NaN too).
///
///     floatFromHalfBits(0x3C00)   // 1.0
func floatFromHalfBits(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 != 0 ? -1 : 1
    let exponent = Int((bits >> 10) & 0x1F)
    let mantissa = UInt32(bits & 0x3FF)
    switch exponent {
    case 0:
        // Zero or subnormal: mantissa × 2^-24.
        return sign * Float(mantissa) * 0x1p-24
    case 31:
        let payload = UInt32(bits & 0x8000) << 16 | 0x7F80_0000 | mantissa << 13
        return Float(bitPattern: payload)
    default:
        let payload = UInt32(bits & 0x8000) << 16 | UInt32(exponent + 112) << 23 | mantissa << 13
        return Float(bitPattern: payload)
    }
}
