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

BODY void causal_softmax_rows_body(float *p, long t) {
    for (long i = 0; i < t; i++) causal_softmax_row(p + i * t, i, t);
}

BODY void causal_softmax_backward_rows_body(const float *p, float *ds, long t) {
    for (long i = 0; i < t; i++) {
        const float *pr = p + i * t;
        float *dr = ds + i * t;
        long w = causal_width(i, t);
        float dot = dot8(pr, dr, w);
        for (long j = 0; j < w; j++) dr[j] = pr[j] * (dr[j] - dot);
        for (long j = w; j < t; j++) dr[j] = 0.0f;
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

BODY void layer_norm_forward_body(const float *x, float *y, float *mean, float *rstd, const float *gamma,
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

BODY void layer_norm_backward_body(const float *x, const float *dy, const float *mean, const float *rstd,
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

KERNEL(gelu_forward, (const float *x, float *y, float *s, long n), (x, y, s, n))
KERNEL(causal_softmax_rows, (float *p, long t), (p, t))
KERNEL(causal_softmax_backward_rows, (const float *p, float *ds, long t), (p, ds, t))
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
KERNEL(adamw_update, (float *w, const float *g, float *m, float *v, long n, float b1, float b2,
                            float step, float inv_sqrt_c2, float eps, float decay),
       (w, g, m, v, n, b1, b2, step, inv_sqrt_c2, eps, decay))
