#ifndef LAIF_KERNELS_H
#define LAIF_KERNELS_H

#include <stdint.h>

// Elementwise and row kernels for the tensor library's hot loops (GELU, cross-entropy
// gradients, layer norm, AdamW, fused causal attention, bias sums, transposes).
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
/// The AVX2 copy where the CPU has AVX2 (else the portable one): `laif_gelu_forward` prefers an
/// AVX-512 copy when it can, and tests compare all three.
void laif_gelu_forward_avx2_or_portable(const float *x, float *y, float *s, long n);

/// Non-zero when `laif_gelu_forward` uses its AVX-512 copy on this CPU.
///
///     if (laif_kernels_use_avx512()) { /* 16-wide GELU */ }
int laif_kernels_use_avx512(void);

/// dx[i] = g[i] * gelu'(x[i]) from the saved sigmoids (adds into dx when `accumulate`).
///
///     laif_gelu_backward(x, s, g, dx, n, 0);
void laif_gelu_backward(const float *x, const float *s, const float *g, float *dx, long n, int accumulate);
void laif_gelu_backward_portable(const float *x, const float *s, const float *g, float *dx, long n, int accumulate);

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

/// out[j] = sum over rows r of x[r * cols + j] (adds onto out when `accumulate`), rows summed
/// in order: the bias gradient of a linear layer.
///
///     laif_column_sums(dy, dbias, 1024, 64, 0);
void laif_column_sums(const float *x, float *out, long rows, long cols, int accumulate);
void laif_column_sums_portable(const float *x, float *out, long rows, long cols, int accumulate);

/// y = x^T for a row-major rows x cols matrix x: y[c * rows + r] = x[r * cols + c].
///
///     laif_transpose(weight, weightT, 192, 64);   // [192, 64] -> [64, 192]
void laif_transpose(const float *x, float *y, long rows, long cols);
void laif_transpose_portable(const float *x, float *y, long rows, long cols);

/// y[r][j] += residual[r][j] + bias[j] over a row-major rows x cols block (either may be NULL;
/// with both, their sum is formed first): a linear layer's bias and residual added after its
/// product.
///
///     laif_add_bias_residual(y, bias, residual, 81, 192);
void laif_add_bias_residual(float *y, const float *bias, const float *residual, long rows, long cols);
void laif_add_bias_residual_portable(float *y, const float *bias, const float *residual, long rows, long cols);

/// One AdamW update of n parameters in place (torch.optim.AdamW's formula):
/// m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w = w decay - step m / (sqrt(v) invSqrtC2 + eps).
///
///     laif_adamw_update(w, g, m, v, n, 0.9f, 0.999f, lr / c1, 1 / sqrtf(c2), 1e-8f, 1 - lr * wd);
void laif_adamw_update(float *w, const float *g, float *m, float *v, long n, float b1, float b2,
                       float step, float inv_sqrt_c2, float eps, float decay);
void laif_adamw_update_portable(float *w, const float *g, float *m, float *v, long n, float b1, float b2,
                                float step, float inv_sqrt_c2, float eps, float decay);

/// Causal multi-head self-attention forward, fused: for every batch row and head, reads Q, K, V
/// from the packed projection `qkv` [b, t, 3 d] (d = heads * dh; Q = columns 0..<d, K = d..<2d,
/// V = 2d..<3d, head h at h * dh), computes P = causal softmax(scale Q K^T) over keys j <= i
/// and writes P V into `y` [b, t, d] with heads side by side. P is stored in the kernels' own
/// layout, laif_attention_probs_count(t) floats per (batch, head): with `keep_probs` every block
/// is kept in `probs` (b * heads blocks) for the backward pass; otherwise `probs` holds one
/// block, reused. `scratch` holds laif_attention_scratch_count(t, dh) floats.
///
///     laif_causal_attention_forward(qkv, y, probs, 32, 32, 4, 16, 0.25f, 1, scratch);
void laif_causal_attention_forward(const float *qkv, float *y, float *probs, long b, long t, long heads, long dh,
                                   float scale, int keep_probs, float *scratch);
void laif_causal_attention_forward_portable(const float *qkv, float *y, float *probs, long b, long t, long heads,
                                            long dh, float scale, int keep_probs, float *scratch);

/// The backward pass of `laif_causal_attention_forward` from its kept `probs` and the output
/// gradient `dy` [b, t, d]: writes dQ, dK, dV into `dqkv` [b, t, 3 d] (adds when `accumulate`).
/// `scratch` holds laif_attention_scratch_count(t, dh) floats.
///
///     laif_causal_attention_backward(qkv, probs, dy, dqkv, 32, 32, 4, 16, 0.25f, 0, scratch);
void laif_causal_attention_backward(const float *qkv, const float *probs, const float *dy, float *dqkv, long b,
                                    long t, long heads, long dh, float scale, int accumulate, float *scratch);
void laif_causal_attention_backward_portable(const float *qkv, const float *probs, const float *dy, float *dqkv,
                                             long b, long t, long heads, long dh, float scale, int accumulate,
                                             float *scratch);

/// `laif_causal_attention_forward` over rows gathered from `nodes` [n, 3 d]: row i of sequence
/// bi is row rows[bi * t + i] (sequences that share a prefix share those rows). `y` and
/// `probs` are as for the plain kernel; `scratch` holds
/// laif_attention_gathered_scratch_count(t, heads, dh) floats. The results equal gathering the
/// rows into [b, t, 3 d] first.
///
///     laif_causal_attention_forward_gathered(nodes, rows, y, probs, 64, 32, 4, 16, 0.25f, 1, scratch);
void laif_causal_attention_forward_gathered(const float *nodes, const int32_t *rows, float *y, float *probs, long b,
                                            long t, long heads, long dh, float scale, int keep_probs, float *scratch);
void laif_causal_attention_forward_gathered_portable(const float *nodes, const int32_t *rows, float *y, float *probs,
                                                     long b, long t, long heads, long dh, float scale, int keep_probs,
                                                     float *scratch);

/// The backward pass of `laif_causal_attention_forward_gathered`: adds each row's dQ, dK, dV
/// onto its node's row of `dnodes` [n, 3 d], sequence by sequence and row by row in order (the
/// caller zeroes `dnodes` for a fresh gradient).
///
///     laif_causal_attention_backward_gathered(nodes, rows, probs, dy, dnodes, 64, 32, 4, 16, 0.25f, scratch);
void laif_causal_attention_backward_gathered(const float *nodes, const int32_t *rows, const float *probs,
                                             const float *dy, float *dnodes, long b, long t, long heads, long dh,
                                             float scale, float *scratch);
void laif_causal_attention_backward_gathered_portable(const float *nodes, const int32_t *rows, const float *probs,
                                                      const float *dy, float *dnodes, long b, long t, long heads,
                                                      long dh, float scale, float *scratch);

/// Floats of scratch the gathered attention kernels need.
///
///     long n = laif_attention_gathered_scratch_count(32, 4, 16);
long laif_attention_gathered_scratch_count(long t, long heads, long dh);

/// Floats of attention probabilities kept per (batch, head) for sequence length t: rows go in
/// groups of 8, each group storing 8 lanes for every key up to its last row.
///
///     long n = laif_attention_probs_count(32);   // 640 (of 1024 in a full 32 x 32 block)
long laif_attention_probs_count(long t);

/// Floats of scratch the attention kernels need for sequence length t and head size dh.
///
///     long n = laif_attention_scratch_count(32, 16);   // 960
long laif_attention_scratch_count(long t, long dh);

#endif
