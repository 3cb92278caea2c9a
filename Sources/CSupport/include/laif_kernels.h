#ifndef LAIF_KERNELS_H
#define LAIF_KERNELS_H

// Elementwise and row kernels for the tensor library's hot loops (GELU, cross-entropy
// gradients, layer norm, AdamW, causal softmax rows).
//
// Release builds target plain x86-64 (SSE2), where exp-heavy loops run 4 lanes wide. Each
// kernel is compiled twice from one body: a portable version and an AVX2+FMA version, chosen
// at run time by the CPU's features. Every `laif_X` dispatches; `laif_X_portable` always runs
// the portable version (tests compare the two). The versions agree to float rounding (FMA
// fuses some products), and each is deterministic on its own.
//
//     laif_gelu_forward(x, y, s, n);            // y = gelu(x), s = saved sigmoids (or NULL)
//     laif_gelu_forward_portable(x, y, s, n);   // the same without AVX2

/// Non-zero when the dispatching kernels use the AVX2+FMA versions on this CPU.
///
///     if (laif_kernels_use_avx2()) { /* the fast path is active */ }
int laif_kernels_use_avx2(void);

/// y[i] = gelu(x[i]) (tanh form); when `s` is not NULL, s[i] = sigmoid(2u(x[i])) is kept for
/// the backward pass. y may alias x.
///
///     laif_gelu_forward(x, y, NULL, n);
void laif_gelu_forward(const float *x, float *y, float *s, long n);
void laif_gelu_forward_portable(const float *x, float *y, float *s, long n);

/// dx[i] = g[i] * gelu'(x[i]) from the saved sigmoids (adds into dx when `accumulate`).
///
///     laif_gelu_backward(x, s, g, dx, n, 0);
void laif_gelu_backward(const float *x, const float *s, const float *g, float *dx, long n, int accumulate);
void laif_gelu_backward_portable(const float *x, const float *s, const float *g, float *dx, long n, int accumulate);

/// In-place causal softmax of a t x t score block: row i becomes softmax over columns 0...i,
/// later columns 0.
///
///     laif_causal_softmax_rows(scores, 32);
void laif_causal_softmax_rows(float *p, long t);
void laif_causal_softmax_rows_portable(float *p, long t);

/// Softmax backward of a causal t x t block in place: ds[i][j] = p[i][j] (ds[i][j] - <p_i, ds_i>),
/// with the masked columns (p = 0) set to 0.
///
///     laif_causal_softmax_backward_rows(probs, dscores, 32);
void laif_causal_softmax_backward_rows(const float *p, float *ds, long t);
void laif_causal_softmax_backward_rows_portable(const float *p, float *ds, long t);

/// log(sum(exp(x[0..<n]))) for n >= 1 (the max is subtracted first); `scratch` holds n floats.
/// An infinite or NaN maximum is returned as is.
///
///     float lse = laif_log_sum_exp(row, scratch, 64);
float laif_log_sum_exp(const float *x, float *scratch, long n);
float laif_log_sum_exp_portable(const float *x, float *scratch, long n);

/// d[j] = scale * exp(x[j] - shift) for j < n (adds into d when `accumulate`): the softmax
/// part of a cross-entropy gradient, with shift = the row's log-sum-exp.
///
///     laif_scaled_softmax(row, grad, 64, lse, 1.0f / rows, 0);
void laif_scaled_softmax(const float *x, float *d, long n, float shift, float scale, int accumulate);
void laif_scaled_softmax_portable(const float *x, float *d, long n, float shift, float scale, int accumulate);

/// Layer norm over rows of length d: y = (x - mean) * rstd * gamma + beta (gamma, beta may be
/// NULL), biased variance; mean[r] and rstd[r] are kept for the backward pass.
///
///     laif_layer_norm_forward(x, y, mean, rstd, gamma, beta, rows, 64, 1e-5f);
void laif_layer_norm_forward(const float *x, float *y, float *mean, float *rstd, const float *gamma,
                             const float *beta, long rows, long d, float eps);
void laif_layer_norm_forward_portable(const float *x, float *y, float *mean, float *rstd, const float *gamma,
                                      const float *beta, long rows, long d, float eps);

/// Layer norm backward from the saved mean and rstd: adds dy * xhat into `dgamma` and dy into
/// `dbeta` (each may be NULL), and writes dx (adds when `accumulate`; NULL skips it) with
/// dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), dxhat = dy * gamma (gamma may be
/// NULL). `scratch` holds 2 d floats.
///
///     laif_layer_norm_backward(x, dy, mean, rstd, gamma, dx, dgamma, dbeta, rows, 64, 0, scratch);
void laif_layer_norm_backward(const float *x, const float *dy, const float *mean, const float *rstd,
                              const float *gamma, float *dx, float *dgamma, float *dbeta, long rows, long d,
                              int accumulate, float *scratch);
void laif_layer_norm_backward_portable(const float *x, const float *dy, const float *mean, const float *rstd,
                                       const float *gamma, float *dx, float *dgamma, float *dbeta, long rows,
                                       long d, int accumulate, float *scratch);

/// One AdamW update of n parameters in place (torch.optim.AdamW's formula):
/// m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w = w decay - step m / (sqrt(v) invSqrtC2 + eps).
///
///     laif_adamw_update(w, g, m, v, n, 0.9f, 0.999f, lr / c1, 1 / sqrtf(c2), 1e-8f, 1 - lr * wd);
void laif_adamw_update(float *w, const float *g, float *m, float *v, long n, float b1, float b2,
                       float step, float inv_sqrt_c2, float eps, float decay);
void laif_adamw_update_portable(float *w, const float *g, float *m, float *v, long n, float b1, float b2,
                                float step, float inv_sqrt_c2, float eps, float decay);

#endif
