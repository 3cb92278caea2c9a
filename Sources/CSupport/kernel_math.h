// Inline helpers shared by the kernel files (not part of the public headers): the exp
// approximation, eight-float vectors with their 8 x 8 transpose, and eight-lane reductions.
// Each is inlined into both the portable and the AVX2 copy of a kernel body.
#ifndef LAIF_KERNEL_MATH_H
#define LAIF_KERNEL_MATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#define BODY static inline __attribute__((always_inline))
#define AVX2 __attribute__((target("avx2,fma")))
#define AVX512 __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma")))

#if defined(__has_builtin) && __has_builtin(__builtin_elementwise_sqrt)
#define SQRT(x) __builtin_elementwise_sqrt(x)   // no errno, so loops using it vectorise
#else
#define SQRT(x) __builtin_sqrtf(x)
#endif


// Cody-Waite exp, the same reduction and polynomial as FastMath.expClamped in LaifTensor:
// x clamped into [-87.3, 88] (NaN reads as 88), relative error below 1e-7.
BODY float exp_clamped(float x) {
    float c = x < 88.0f ? x : 88.0f;
    c = c > -87.33654f ? c : -87.33654f;
    float n = (c * 1.44269504f + 12582912.0f) - 12582912.0f;   // round to nearest
    float r = (c - n * 0.693359375f) + n * 2.1219444e-4f;
    float p = 1.3751408e-3f;
    p = p * r + 8.3689163e-3f;
    p = p * r + 4.1669533e-2f;
    p = p * r + 1.6666518e-1f;
    p = p * r + 4.9999989e-1f;
    float e = p * (r * r) + r + 1.0f;
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return e * scale;
}

// e^x with exact underflow to 0 below -87.3 (so exp(-inf) = 0); NaN stays NaN.
BODY float exp_full(float x) {
    float y = exp_clamped(x);
    y = x < -87.33654f ? 0.0f : y;
    return x != x ? x : y;
}

// Eight floats as one value: the product loops of attention.c and the transposes are written on
// whole vectors (ymm registers in the AVX2 copy, pairs of xmm in the portable one), because the
// compiler's own vectoriser shuffles these small tiles instead of keeping them in registers.
// The helpers taking and returning it are always inlined, so the ABI note clang gives for
// 32-byte vectors in the portable copy does not apply.
#pragma clang diagnostic ignored "-Wpsabi"
typedef float v8f __attribute__((vector_size(32)));

BODY v8f load8(const float *p) {
    v8f v;
    memcpy(&v, p, sizeof v);
    return v;
}

BODY void store8(float *p, v8f v) { memcpy(p, &v, sizeof v); }

// Transposes an 8 x 8 tile held as eight row vectors, in place, as whole-vector shuffles (an
// element loop compiles to 64 scalar loads and stores): pairs of rows interleaved, then pairs
// of pairs, then the 128-bit halves swapped into place.
BODY void transpose8x8(v8f r[8]) {
    const v8f t0 = __builtin_shufflevector(r[0], r[1], 0, 8, 1, 9, 4, 12, 5, 13);
    const v8f t1 = __builtin_shufflevector(r[0], r[1], 2, 10, 3, 11, 6, 14, 7, 15);
    const v8f t2 = __builtin_shufflevector(r[2], r[3], 0, 8, 1, 9, 4, 12, 5, 13);
    const v8f t3 = __builtin_shufflevector(r[2], r[3], 2, 10, 3, 11, 6, 14, 7, 15);
    const v8f t4 = __builtin_shufflevector(r[4], r[5], 0, 8, 1, 9, 4, 12, 5, 13);
    const v8f t5 = __builtin_shufflevector(r[4], r[5], 2, 10, 3, 11, 6, 14, 7, 15);
    const v8f t6 = __builtin_shufflevector(r[6], r[7], 0, 8, 1, 9, 4, 12, 5, 13);
    const v8f t7 = __builtin_shufflevector(r[6], r[7], 2, 10, 3, 11, 6, 14, 7, 15);
    const v8f u0 = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13);
    const v8f u1 = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
    const v8f u2 = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13);
    const v8f u3 = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
    const v8f u4 = __builtin_shufflevector(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13);
    const v8f u5 = __builtin_shufflevector(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
    const v8f u6 = __builtin_shufflevector(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13);
    const v8f u7 = __builtin_shufflevector(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
    r[0] = __builtin_shufflevector(u0, u4, 0, 1, 2, 3, 8, 9, 10, 11);
    r[1] = __builtin_shufflevector(u1, u5, 0, 1, 2, 3, 8, 9, 10, 11);
    r[2] = __builtin_shufflevector(u2, u6, 0, 1, 2, 3, 8, 9, 10, 11);
    r[3] = __builtin_shufflevector(u3, u7, 0, 1, 2, 3, 8, 9, 10, 11);
    r[4] = __builtin_shufflevector(u0, u4, 4, 5, 6, 7, 12, 13, 14, 15);
    r[5] = __builtin_shufflevector(u1, u5, 4, 5, 6, 7, 12, 13, 14, 15);
    r[6] = __builtin_shufflevector(u2, u6, 4, 5, 6, 7, 12, 13, 14, 15);
    r[7] = __builtin_shufflevector(u3, u7, 4, 5, 6, 7, 12, 13, 14, 15);
}

BODY float sum8(const float *x, long n) {
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) lane[k] += x[i + k];
    float s = ((lane[0] + lane[4]) + (lane[1] + lane[5])) + ((lane[2] + lane[6]) + (lane[3] + lane[7]));
    for (; i < n; i++) s += x[i];
    return s;
}

BODY float dot8(const float *x, const float *y, long n) {
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) lane[k] += x[i + k] * y[i + k];
    float s = ((lane[0] + lane[4]) + (lane[1] + lane[5])) + ((lane[2] + lane[6]) + (lane[3] + lane[7]));
    for (; i < n; i++) s += x[i] * y[i];
    return s;
}

BODY float max8(const float *x, long n) {
    float m = x[0];
    long i = 1;
    if (n >= 8) {
        float lane[8];
        for (int k = 0; k < 8; k++) lane[k] = x[k];
        for (i = 8; i + 8 <= n; i += 8)
            for (int k = 0; k < 8; k++) lane[k] = x[i + k] > lane[k] ? x[i + k] : lane[k];
        m = lane[0];
        for (int k = 1; k < 8; k++) m = lane[k] > m ? lane[k] : m;
    }
    for (; i < n; i++) m = x[i] > m ? x[i] : m;
    return m;
}

// For each kernel: an AVX2 copy, the portable copy, and the dispatcher.
#define KERNEL(name, params, args)                                             \
    AVX2 static void name##_avx2 params { name##_body args; }                 \
    void laif_##name##_portable params { name##_body args; }                  \
    void laif_##name params {                                                  \
        if (laif_kernels_use_avx2()) name##_avx2 args; else name##_body args;  \
    }

#endif
