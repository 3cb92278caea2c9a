// Hot loops of the tensor library, compiled twice (portable and AVX2+FMA) from one body each;
// see laif_kernels.h. The bodies are plain loops the compiler vectorises; reductions keep
// eight running lanes in a fixed order so every result repeats bit for bit.
#include "laif_kernels.h"
#include "kernel_math.h"

int laif_kernels_use_avx2(void) {
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

int laif_kernels_use_avx512(void) {
#if defined(__x86_64__) || defined(__i386__)
    return laif_kernels_use_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
#else
    return 0;
#endif
}

static const float gelu_k0 = 0.79788456f;   // sqrt(2 / pi)
static const float gelu_k1 = 0.044715f;

// sigmoid(2u), u = sqrt(2/pi)(x + 0.044715 x^3): gelu(x) = x * this.
BODY float gelu_sigmoid(float x) {
    float z = x * (-2.0f * gelu_k0 + (-2.0f * gelu_k0 * gelu_k1) * (x * x));
    return 1.0f / (1.0f + exp_clamped(z));
}

BODY void gelu_forward_body(const float *x, float *y, float *s, long n) {
    if (s) {
        for (long i = 0; i < n; i++) {
            float xi = x[i], si = gelu_sigmoid(xi);
            s[i] = si;
            y[i] = xi * si;
        }
    } else {
        for (long i = 0; i < n; i++) {
            float xi = x[i];
            y[i] = xi * gelu_sigmoid(xi);
        }
    }
}

BODY void gelu_backward_body(const float *x, const float *s, const float *g, float *dx, long n, int accumulate) {
    const float k = 2.0f * gelu_k0, k3 = 3.0f * gelu_k1;
    if (accumulate) {
        for (long i = 0; i < n; i++) {
            float xi = x[i], si = s[i];
            dx[i] += g[i] * (si + xi * si * (1.0f - si) * k * (1.0f + k3 * xi * xi));
        }
    } else {
        for (long i = 0; i < n; i++) {
            float xi = x[i], si = s[i];
            dx[i] = g[i] * (si + xi * si * (1.0f - si) * k * (1.0f + k3 * xi * xi));
        }
    }
}

BODY float log_sum_exp_body(const float *x, float *scratch, long n) {
    float m = max8(x, n);
    if (m != m || m == INFINITY || m == -INFINITY) return m;
    for (long j = 0; j < n; j++) scratch[j] = exp_full(x[j] - m);
    return m + logf(sum8(scratch, n));
}

BODY void scaled_softmax_body(const float *x, float *d, long n, float shift, float scale, int accumulate) {
    if (accumulate) {
        for (long j = 0; j < n; j++) d[j] += scale * exp_full(x[j] - shift);
    } else {
        for (long j = 0; j < n; j++) d[j] = scale * exp_full(x[j] - shift);
    }
}

BODY void layer_norm_forward_rows(const float *x, float *y, float *mean, float *rstd, const float *gamma,
                                  const float *beta, long rows, long d, float eps) {
    const float inv_d = 1.0f / (float)d;
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * d;
        float *yr = y + r * d;
        float mu = sum8(xr, d) * inv_d;
        float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        long i = 0;
        for (; i + 8 <= d; i += 8)
            for (int k = 0; k < 8; k++) { float c = xr[i + k] - mu; lane[k] += c * c; }
        float v = ((lane[0] + lane[4]) + (lane[1] + lane[5])) + ((lane[2] + lane[6]) + (lane[3] + lane[7]));
        for (; i < d; i++) { float c = xr[i] - mu; v += c * c; }
        float inv = 1.0f / SQRT(v * inv_d + eps);
        mean[r] = mu;
        rstd[r] = inv;
        if (gamma && beta) {
            for (long j = 0; j < d; j++) yr[j] = (xr[j] - mu) * inv * gamma[j] + beta[j];
        } else if (gamma) {
            for (long j = 0; j < d; j++) yr[j] = (xr[j] - mu) * inv * gamma[j];
        } else if (beta) {
            for (long j = 0; j < d; j++) yr[j] = (xr[j] - mu) * inv + beta[j];
        } else {
            for (long j = 0; j < d; j++) yr[j] = (xr[j] - mu) * inv;
        }
    }
}

BODY void layer_norm_backward_rows(const float *x, const float *dy, const float *mean, const float *rstd,
                                   const float *gamma, float *dx, float *dgamma, float *dbeta, long rows, long d,
                                   int accumulate, float *scratch) {
    const float inv_d = 1.0f / (float)d;
    float *xhat = scratch, *dxhat = scratch + d;
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * d, *gr = dy + r * d;
        const float mu = mean[r], inv = rstd[r];
        for (long j = 0; j < d; j++) xhat[j] = (xr[j] - mu) * inv;
        if (dgamma) for (long j = 0; j < d; j++) dgamma[j] += gr[j] * xhat[j];
        if (dbeta) for (long j = 0; j < d; j++) dbeta[j] += gr[j];
        if (!dx) continue;
        const float *dh = gr;
        if (gamma) {
            for (long j = 0; j < d; j++) dxhat[j] = gr[j] * gamma[j];
            dh = dxhat;
        }
        const float a = sum8(dh, d) * inv_d, b = dot8(dh, xhat, d) * inv_d;
        float *dxr = dx + r * d;
        if (accumulate) {
            for (long j = 0; j < d; j++) dxr[j] += inv * (dh[j] - a - xhat[j] * b);
        } else {
            for (long j = 0; j < d; j++) dxr[j] = inv * (dh[j] - a - xhat[j] * b);
        }
    }
}

// A transformer's width 64 gets a copy with the row length known at compile time.
BODY void layer_norm_forward_body(const float *x, float *y, float *mean, float *rstd, const float *gamma,
                                  const float *beta, long rows, long d, float eps) {
    if (d == 64) layer_norm_forward_rows(x, y, mean, rstd, gamma, beta, rows, 64, eps);
    else layer_norm_forward_rows(x, y, mean, rstd, gamma, beta, rows, d, eps);
}

BODY void layer_norm_backward_body(const float *x, const float *dy, const float *mean, const float *rstd,
                                   const float *gamma, float *dx, float *dgamma, float *dbeta, long rows, long d,
                                   int accumulate, float *scratch) {
    if (d == 64) layer_norm_backward_rows(x, dy, mean, rstd, gamma, dx, dgamma, dbeta, rows, 64, accumulate, scratch);
    else layer_norm_backward_rows(x, dy, mean, rstd, gamma, dx, dgamma, dbeta, rows, d, accumulate, scratch);
}

// Columns 32 at a time with the running sums in registers; each column still adds its rows in
// order 0, 1, 2, ..., the same order as a plain row-by-row loop.
BODY void column_sums_body(const float *x, float *out, long rows, long cols, int accumulate) {
    long j = 0;
    for (; j + 32 <= cols; j += 32) {
        float acc[32];
        for (long k = 0; k < 32; k++) acc[k] = accumulate ? out[j + k] : 0.0f;
        for (long r = 0; r < rows; r++)
            for (long k = 0; k < 32; k++) acc[k] += x[r * cols + j + k];
        for (long k = 0; k < 32; k++) out[j + k] = acc[k];
    }
    for (; j < cols; j++) {
        float acc = accumulate ? out[j] : 0.0f;
        for (long r = 0; r < rows; r++) acc += x[r * cols + j];
        out[j] = acc;
    }
}

// 8 x 8 blocks, so reads and writes both stay within a few cache lines at a time; whole
// blocks are vector shuffles, edge blocks take the element loop.
BODY void transpose_block(const float *x, float *y, long rows, long cols, long r0, long c0, long nr, long nc) {
    for (long c = 0; c < nc; c++)
        for (long r = 0; r < nr; r++) y[(c0 + c) * rows + r0 + r] = x[(r0 + r) * cols + c0 + c];
}

BODY void transpose_body(const float *x, float *y, long rows, long cols) {
    for (long r0 = 0; r0 < rows; r0 += 8)
        for (long c0 = 0; c0 < cols; c0 += 8) {
            const long nr = rows - r0 < 8 ? rows - r0 : 8, nc = cols - c0 < 8 ? cols - c0 : 8;
            if (nr == 8 && nc == 8) {
                v8f tile[8];
                for (long r = 0; r < 8; r++) tile[r] = load8(x + (r0 + r) * cols + c0);
                transpose8x8(tile);
                for (long c = 0; c < 8; c++) store8(y + (c0 + c) * rows + r0, tile[c]);
            } else {
                transpose_block(x, y, rows, cols, r0, c0, nr, nc);
            }
        }
}

BODY void add_bias_residual_body(float *y, const float *bias, const float *residual, long rows, long cols) {
    for (long r = 0; r < rows; r++) {
        float *yr = y + r * cols;
        const float *rr = residual ? residual + r * cols : 0;
        if (rr && bias) {
            for (long j = 0; j < cols; j++) yr[j] += rr[j] + bias[j];
        } else if (rr) {
            for (long j = 0; j < cols; j++) yr[j] += rr[j];
        } else if (bias) {
            for (long j = 0; j < cols; j++) yr[j] += bias[j];
        }
    }
}

BODY void adamw_update_body(float *w, const float *g, float *m, float *v, long n, float b1, float b2,
                            float step, float inv_sqrt_c2, float eps, float decay) {
    const float c1 = 1.0f - b1, c2 = 1.0f - b2;
    for (long i = 0; i < n; i++) {
        float gi = g[i];
        float mi = b1 * m[i] + c1 * gi;
        float vi = b2 * v[i] + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] = w[i] * decay - step * mi / (SQRT(vi) * inv_sqrt_c2 + eps);
    }
}

// GELU's forward pass is long chains of dependent vector operations; 16-wide AVX-512 halves
// the instructions in flight per element and runs it about 1.5x faster on Zen 4, so it gets a
// third copy. (The product-heavy kernels gain nothing from it.)
AVX2 static void gelu_forward_avx2(const float *x, float *y, float *s, long n) { gelu_forward_body(x, y, s, n); }
AVX512 static void gelu_forward_avx512(const float *x, float *y, float *s, long n) { gelu_forward_body(x, y, s, n); }
void laif_gelu_forward_portable(const float *x, float *y, float *s, long n) { gelu_forward_body(x, y, s, n); }
void laif_gelu_forward_avx2_or_portable(const float *x, float *y, float *s, long n) {
    if (laif_kernels_use_avx2()) gelu_forward_avx2(x, y, s, n); else gelu_forward_body(x, y, s, n);
}
void laif_gelu_forward(const float *x, float *y, float *s, long n) {
    if (laif_kernels_use_avx512()) gelu_forward_avx512(x, y, s, n);
    else laif_gelu_forward_avx2_or_portable(x, y, s, n);
}
KERNEL(gelu_backward, (const float *x, const float *s, const float *g, float *dx, long n, int accumulate),
       (x, s, g, dx, n, accumulate))
AVX2 static float log_sum_exp_avx2(const float *x, float *scratch, long n) { return log_sum_exp_body(x, scratch, n); }
float laif_log_sum_exp_portable(const float *x, float *scratch, long n) { return log_sum_exp_body(x, scratch, n); }
float laif_log_sum_exp(const float *x, float *scratch, long n) {
    return laif_kernels_use_avx2() ? log_sum_exp_avx2(x, scratch, n) : log_sum_exp_body(x, scratch, n);
}
KERNEL(scaled_softmax, (const float *x, float *d, long n, float shift, float scale, int accumulate),
       (x, d, n, shift, scale, accumulate))
KERNEL(layer_norm_forward, (const float *x, float *y, float *mean, float *rstd, const float *gamma,
                                  const float *beta, long rows, long d, float eps),
       (x, y, mean, rstd, gamma, beta, rows, d, eps))
KERNEL(layer_norm_backward, (const float *x, const float *dy, const float *mean, const float *rstd,
                              const float *gamma, float *dx, float *dgamma, float *dbeta, long rows, long d,
                              int accumulate, float *scratch),
       (x, dy, mean, rstd, gamma, dx, dgamma, dbeta, rows, d, accumulate, scratch))
KERNEL(column_sums, (const float *x, float *out, long rows, long cols, int accumulate), (x, out, rows, cols, accumulate))
KERNEL(transpose, (const float *x, float *y, long rows, long cols), (x, y, rows, cols))
KERNEL(add_bias_residual, (float *y, const float *bias, const float *residual, long rows, long cols),
       (y, bias, residual, rows, cols))
KERNEL(adamw_update, (float *w, const float *g, float *m, float *v, long n, float b1, float b2,
                            float step, float inv_sqrt_c2, float eps, float decay),
       (w, g, m, v, n, b1, b2, step, inv_sqrt_c2, eps, decay))
