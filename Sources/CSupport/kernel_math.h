// Inline helpers shared by the kernel files (not part of the public headers): the exp
// approximation and eight-lane reductions. Each is inlined into both the portable and the
// AVX2 copy of a kernel body.
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
