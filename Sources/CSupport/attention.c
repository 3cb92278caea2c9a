// Fused causal self-attention over a packed [B, T, 3D] projection, one (batch, head) block at a
// time; see laif_kernels.h. At a transformer LM's small head sizes (T = 32, d_head = 16) one
// block is a few thousand multiply-adds, so calling sgemm per block costs more in call and
// packing overhead than in arithmetic.
//
// Queries go in groups of 8 rows. Row i of a causal block needs keys 0...i, so every row of
// group g (rows 8g..<8g+8) is computed over the same W_g = min(8g + 8, T) keys, and the group's
// scores are kept transposed (key-major, 8 query lanes per key): the softmax's max and sum per
// row then become plain vector operations across keys, with no per-row horizontal reductions.
// Keys past a row's diagonal inside W_g get probability exactly 0. Every sum runs in a fixed
// order, so results repeat bit for bit.
#include "laif_kernels.h"
#include "kernel_math.h"

enum { LANES = 8 };

// Eight floats as one value: the product loops below are written on whole vectors (ymm
// registers in the AVX2 copy, pairs of xmm in the portable one), because the compiler's own
// vectoriser shuffles these small tiles instead of keeping them in registers.
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

// Four floats, for the columns a head size leaves after its whole 8-column chunks (12 = 8 + 4,
// the default student's): a quarter-filled pair of vectors beats four scalar columns.
typedef float v4f __attribute__((vector_size(16)));

BODY v4f load4(const float *p) {
    v4f v;
    memcpy(&v, p, sizeof v);
    return v;
}

BODY void store4(float *p, v4f v) { memcpy(p, &v, sizeof v); }

// Keys seen by query group g of a t-row block.
BODY long group_width(long g, long t) {
    long w = LANES * (g + 1);
    return w < t ? w : t;
}

long laif_attention_probs_count(long t) {
    long n = 0;
    for (long g = 0; g * LANES < t; g++) n += LANES * group_width(g, t);
    return n;
}

long laif_attention_scratch_count(long t, long dh) { return laif_attention_probs_count(t) + LANES * dh; }

// xt[c * 8 + r] = scale * rows[r * ld + c] for the group's `rows` rows; missing lanes are 0.
BODY void gather_lanes(float *restrict xt, const float *restrict rows, long count, long ld, long dh, float scale) {
    if (count == LANES) {
        for (long r = 0; r < LANES; r++)
            for (long c = 0; c < dh; c++) xt[c * LANES + r] = scale * rows[r * ld + c];
        return;
    }
    for (long c = 0; c < dh; c++)
        for (long r = 0; r < LANES; r++) xt[c * LANES + r] = r < count ? scale * rows[r * ld + c] : 0.0f;
}

// st[j * 8 + r] = sum_c keys[j * ld + c] * xt[c * 8 + r] for j < w: a group's scores
// (or output-gradient products), eight keys at a time so eight sums run side by side.
BODY void lanes_times_keys(float *restrict st, const float *restrict xt, const float *restrict keys, long w,
                           long ld, long dh) {
    long j = 0;
    for (; j + LANES <= w; j += LANES) {
        v8f acc[LANES];
        for (long jj = 0; jj < LANES; jj++) acc[jj] = (v8f){0};
        for (long c = 0; c < dh; c++) {
            const v8f x = load8(xt + c * LANES);
            for (long jj = 0; jj < LANES; jj++) acc[jj] += keys[(j + jj) * ld + c] * x;
        }
        for (long jj = 0; jj < LANES; jj++) store8(st + (j + jj) * LANES, acc[jj]);
    }
    for (; j < w; j++) {
        v8f acc = {0};
        for (long c = 0; c < dh; c++) acc += keys[j * ld + c] * load8(xt + c * LANES);
        store8(st + j * LANES, acc);
    }
}

// Softmax of each lane of a group's transposed scores over keys j <= first + r (later keys
// become exactly 0).
BODY void lanes_causal_softmax(float *restrict st, long first, long w) {
    for (long j = first; j < w; j++)
        for (long r = 0; r < LANES; r++)
            if (j > first + r) st[j * LANES + r] = -INFINITY;
    float m[LANES], s[LANES];
    for (long r = 0; r < LANES; r++) { m[r] = st[r]; s[r] = 0.0f; }
    for (long j = 1; j < w; j++)
        for (long r = 0; r < LANES; r++) m[r] = st[j * LANES + r] > m[r] ? st[j * LANES + r] : m[r];
    for (long j = 0; j < w; j++)
        for (long r = 0; r < LANES; r++) {
            float e = exp_full(st[j * LANES + r] - m[r]);
            st[j * LANES + r] = e;
            s[r] += e;
        }
    for (long r = 0; r < LANES; r++) s[r] = 1.0f / s[r];
    for (long j = 0; j < w; j++)
        for (long r = 0; r < LANES; r++) st[j * LANES + r] *= s[r];
}

// For `count` (<= 4) lanes from `lane0`: out[r * ldo + c] = (or +=) sum_{j < w} pt[j * 8 + r] *
// values[j * ld + c] over columns c0..<c0+8 nv: four output rows at a time, so each loaded
// value row feeds four independent sums.
BODY void lanes_times_values_chunk(float *restrict out, long ldo, const float *restrict pt, long lane0, long count,
                                   const float *restrict values, long w, long ld, long c0, long nv, int accumulate) {
    v8f acc[4][2];
    for (long r = 0; r < 4; r++)
        for (long u = 0; u < nv; u++) acc[r][u] = (v8f){0};
    for (long j = 0; j < w; j++) {
        v8f vj[2];
        for (long u = 0; u < nv; u++) vj[u] = load8(values + j * ld + c0 + 8 * u);
        const float *pj = pt + j * LANES + lane0;
        for (long r = 0; r < 4; r++)
            for (long u = 0; u < nv; u++) acc[r][u] += pj[r] * vj[u];
    }
    for (long r = 0; r < count; r++)
        for (long u = 0; u < nv; u++) {
            float *o = out + (lane0 + r) * ldo + c0 + 8 * u;
            store8(o, accumulate ? load8(o) + acc[r][u] : acc[r][u]);
        }
}

// The same for the four columns c0..<c0+4 (each sum in the same order as a single column's).
BODY void lanes_times_values_quad(float *restrict out, long ldo, const float *restrict pt, long lane0, long count,
                                  const float *restrict values, long w, long ld, long c0, int accumulate) {
    v4f acc[4];
    for (long r = 0; r < 4; r++) acc[r] = (v4f){0};
    for (long j = 0; j < w; j++) {
        const v4f vj = load4(values + j * ld + c0);
        const float *pj = pt + j * LANES + lane0;
        for (long r = 0; r < 4; r++) acc[r] += pj[r] * vj;
    }
    for (long r = 0; r < count; r++) {
        float *o = out + (lane0 + r) * ldo + c0;
        store4(o, accumulate ? load4(o) + acc[r] : acc[r]);
    }
}

// The same for a single column c (head sizes that are not a multiple of 4).
BODY void lanes_times_values_column(float *restrict out, long ldo, const float *restrict pt, long rows,
                                    const float *restrict values, long w, long ld, long c, int accumulate) {
    for (long r = 0; r < rows; r++) {
        float acc = 0.0f;
        for (long j = 0; j < w; j++) acc += pt[j * LANES + r] * values[j * ld + c];
        float *o = out + r * ldo + c;
        *o = accumulate ? *o + acc : acc;
    }
}

// out row r (r < rows) = (or +=) sum_{j < w} pt[j * 8 + r] * values row j, for all dh columns.
BODY void lanes_times_values(float *restrict out, long ldo, const float *restrict pt, long rows,
                             const float *restrict values, long w, long ld, long dh, int accumulate) {
    for (long lane0 = 0; lane0 < rows; lane0 += 4) {
        const long count = rows - lane0 < 4 ? rows - lane0 : 4;
        long c0 = 0;
        for (; c0 + 16 <= dh; c0 += 16)
            lanes_times_values_chunk(out, ldo, pt, lane0, count, values, w, ld, c0, 2, accumulate);
        if (c0 + 8 <= dh) {
            lanes_times_values_chunk(out, ldo, pt, lane0, count, values, w, ld, c0, 1, accumulate);
            c0 += 8;
        }
        if (c0 + 4 <= dh) lanes_times_values_quad(out, ldo, pt, lane0, count, values, w, ld, c0, accumulate);
    }
    for (long c = dh - dh % 4; c < dh; c++) lanes_times_values_column(out, ldo, pt, rows, values, w, ld, c, accumulate);
}

BODY void attention_block_forward(const float *q, float *y, float *p, long t, long ld, long d, long dh,
                                  float scale, float *scratch) {
    const float *k = q + d, *v = q + 2 * d;
    float *qt = scratch;
    for (long g = 0, i0 = 0; i0 < t; g++, i0 += LANES) {
        const long w = group_width(g, t), rows = t - i0 < LANES ? t - i0 : LANES;
        gather_lanes(qt, q + i0 * ld, rows, ld, dh, scale);
        lanes_times_keys(p, qt, k, w, ld, dh);
        lanes_causal_softmax(p, i0, w);
        lanes_times_values(y + i0 * d, d, p, rows, v, w, ld, dh, 0);
        p += LANES * w;
    }
}

// out_j (+)= sum over every query row i at or after key j's group of coef[i][j] rows_i (dK from
// dS and Q, or dV from P and dY), for the `count` (<= 4) keys j0..<j0+count and columns
// c0..<c0+8 nv (nv = 0: the single column c0). Four keys at a time share each loaded row.
BODY void key_gradient_chunk(float *restrict out, long ld, const float *restrict coef, const float *restrict rows,
                             long ldr, long t, long j0, long count, long c0, long nv, int accumulate) {
    v8f acc[4][2];
    float single[4] = {0, 0, 0, 0};
    for (long u = 0; u < 4; u++)
        for (long e = 0; e < nv; e++) acc[u][e] = (v8f){0};
    long offset = 0;
    for (long g = 0, i0 = 0; i0 < t; g++, i0 += LANES) {
        const long w = group_width(g, t), count_rows = t - i0 < LANES ? t - i0 : LANES;
        if (j0 < w) {
            const float *cj = coef + offset + j0 * LANES;
            for (long r = 0; r < count_rows; r++) {
                const float *row = rows + (i0 + r) * ldr + c0;
                v8f rv[2];
                for (long e = 0; e < nv; e++) rv[e] = load8(row + 8 * e);
                for (long u = 0; u < 4; u++) {
                    // Keys past the last (t not a multiple of 4) must not be read.
                    const float s = u < count ? cj[u * LANES + r] : 0.0f;
                    for (long e = 0; e < nv; e++) acc[u][e] += s * rv[e];
                    if (nv == 0) single[u] += s * row[0];
                }
            }
        }
        offset += LANES * w;
    }
    for (long u = 0; u < count; u++) {
        float *o = out + (j0 + u) * ld + c0;
        for (long e = 0; e < nv; e++) store8(o + 8 * e, accumulate ? load8(o + 8 * e) + acc[u][e] : acc[u][e]);
        if (nv == 0) o[0] = accumulate ? o[0] + single[u] : single[u];
    }
}

// key_gradient_chunk for the four columns c0..<c0+4 (each sum in the same order as a single
// column's).
BODY void key_gradient_quad(float *restrict out, long ld, const float *restrict coef, const float *restrict rows,
                            long ldr, long t, long j0, long count, long c0, int accumulate) {
    v4f acc[4];
    for (long u = 0; u < 4; u++) acc[u] = (v4f){0};
    long offset = 0;
    for (long g = 0, i0 = 0; i0 < t; g++, i0 += LANES) {
        const long w = group_width(g, t), count_rows = t - i0 < LANES ? t - i0 : LANES;
        if (j0 < w) {
            const float *cj = coef + offset + j0 * LANES;
            for (long r = 0; r < count_rows; r++) {
                const v4f rv = load4(rows + (i0 + r) * ldr + c0);
                for (long u = 0; u < 4; u++) {
                    const float s = u < count ? cj[u * LANES + r] : 0.0f;
                    acc[u] += s * rv;
                }
            }
        }
        offset += LANES * w;
    }
    for (long u = 0; u < count; u++) {
        float *o = out + (j0 + u) * ld + c0;
        store4(o, accumulate ? load4(o) + acc[u] : acc[u]);
    }
}

// dK = dS^T Q (or dV = P^T dY) for every key, in chunks of 4 keys and 16, 8 or 4 columns.
BODY void key_gradients(float *restrict out, long ld, const float *restrict coef, const float *restrict rows, long ldr,
                        long t, long dh, int accumulate) {
    for (long j = 0; j < t; j += 4) {
        const long count = t - j < 4 ? t - j : 4;
        long c0 = 0;
        for (; c0 + 16 <= dh; c0 += 16) key_gradient_chunk(out, ld, coef, rows, ldr, t, j, count, c0, 2, accumulate);
        if (c0 + 8 <= dh) {
            key_gradient_chunk(out, ld, coef, rows, ldr, t, j, count, c0, 1, accumulate);
            c0 += 8;
        }
        if (c0 + 4 <= dh) {
            key_gradient_quad(out, ld, coef, rows, ldr, t, j, count, c0, accumulate);
            c0 += 4;
        }
        for (; c0 < dh; c0++) key_gradient_chunk(out, ld, coef, rows, ldr, t, j, count, c0, 0, accumulate);
    }
}

BODY void attention_block_backward(const float *q, const float *p, const float *dy, float *dq, long t, long ld,
                                   long d, long dh, float scale, int accumulate, float *scratch) {
    const float *k = q + d, *v = q + 2 * d;
    float *dk = dq + d, *dv = dq + 2 * d;
    float *ds = scratch, *dyt = scratch + laif_attention_probs_count(t);
    long offset = 0;
    for (long g = 0, i0 = 0; i0 < t; g++, i0 += LANES) {
        const long w = group_width(g, t), rows = t - i0 < LANES ? t - i0 : LANES;
        const float *pt = p + offset;
        float *dst = ds + offset;
        // dP = dY V^T;  dS = scale P (dP - <P, dP>) per row; masked P = 0 gives dS = 0.
        gather_lanes(dyt, dy + i0 * d, rows, d, dh, 1.0f);
        lanes_times_keys(dst, dyt, v, w, ld, dh);
        float dot[LANES];
        for (long r = 0; r < LANES; r++) dot[r] = 0.0f;
        for (long j = 0; j < w; j++)
            for (long r = 0; r < LANES; r++) dot[r] += pt[j * LANES + r] * dst[j * LANES + r];
        for (long j = 0; j < w; j++)
            for (long r = 0; r < LANES; r++)
                dst[j * LANES + r] = scale * (pt[j * LANES + r] * (dst[j * LANES + r] - dot[r]));
        // dQ = dS K
        lanes_times_values(dq + i0 * ld, ld, dst, rows, k, w, ld, dh, accumulate);
        offset += LANES * w;
    }
    // dK = dS^T Q;  dV = P^T dY
    key_gradients(dk, ld, ds, q, ld, t, dh, accumulate);
    key_gradients(dv, ld, p, dy, d, t, dh, accumulate);
}

// The usual head sizes get copies with the width known at compile time (no loop tails): 16
// (d_model 64, 4 heads) and 12 (the default student's 48 / 4); any other size takes the
// generic copy.
BODY void causal_attention_forward_body(const float *qkv, float *y, float *probs, long b, long t, long heads,
                                        long dh, float scale, int keep_probs, float *scratch) {
    const long d = heads * dh, ld = 3 * d, block = laif_attention_probs_count(t);
    for (long bi = 0; bi < b; bi++)
        for (long h = 0; h < heads; h++) {
            const float *q = qkv + bi * t * ld + h * dh;
            float *yb = y + bi * t * d + h * dh;
            float *p = probs + (keep_probs ? (bi * heads + h) * block : 0);
            if (dh == 16) attention_block_forward(q, yb, p, t, ld, d, 16, scale, scratch);
            else if (dh == 12) attention_block_forward(q, yb, p, t, ld, d, 12, scale, scratch);
            else attention_block_forward(q, yb, p, t, ld, d, dh, scale, scratch);
        }
}

BODY void causal_attention_backward_body(const float *qkv, const float *probs, const float *dy, float *dqkv, long b,
                                         long t, long heads, long dh, float scale, int accumulate, float *scratch) {
    const long d = heads * dh, ld = 3 * d, block = laif_attention_probs_count(t);
    for (long bi = 0; bi < b; bi++)
        for (long h = 0; h < heads; h++) {
            const long offset = bi * t * ld + h * dh;
            const float *p = probs + (bi * heads + h) * block;
            const float *dyb = dy + bi * t * d + h * dh;
            if (dh == 16)
                attention_block_backward(qkv + offset, p, dyb, dqkv + offset, t, ld, d, 16, scale, accumulate, scratch);
            else if (dh == 12)
                attention_block_backward(qkv + offset, p, dyb, dqkv + offset, t, ld, d, 12, scale, accumulate, scratch);
            else
                attention_block_backward(qkv + offset, p, dyb, dqkv + offset, t, ld, d, dh, scale, accumulate, scratch);
        }
}

KERNEL(causal_attention_forward, (const float *qkv, float *y, float *probs, long b, long t, long heads, long dh,
                                  float scale, int keep_probs, float *scratch),
       (qkv, y, probs, b, t, heads, dh, scale, keep_probs, scratch))
KERNEL(causal_attention_backward, (const float *qkv, const float *probs, const float *dy, float *dqkv, long b,
                                   long t, long heads, long dh, float scale, int accumulate, float *scratch),
       (qkv, probs, dy, dqkv, b, t, heads, dh, scale, accumulate, scratch))

// The gathered variants: sequence bi's row i is row rows[bi * t + i] of `nodes` [n, 3 d], so
// rows that share a prefix share their projections (see laif_kernels.h). Each sequence's rows
// are copied into scratch and go through the plain kernels; the backward pass then adds each
// row's gradient onto its node in order, the same sums as a gather followed by a scatter-add.
// Copies sequence rows rows[0..<t] of `nodes` into `sequence` [t, ld].
BODY void gather_sequence(float *restrict sequence, const float *restrict nodes, const int32_t *rows, long t, long ld) {
    for (long i = 0; i < t; i++) memcpy(sequence + i * ld, nodes + (long)rows[i] * ld, ld * sizeof(float));
}

BODY void causal_attention_forward_gathered_body(const float *nodes, const int32_t *rows, float *y, float *probs,
                                                 long b, long t, long heads, long dh, float scale, int keep_probs,
                                                 float *scratch) {
    const long d = heads * dh, ld = 3 * d, block = laif_attention_probs_count(t);
    float *sequence = scratch + laif_attention_scratch_count(t, dh);
    for (long bi = 0; bi < b; bi++) {
        gather_sequence(sequence, nodes, rows + bi * t, t, ld);
        causal_attention_forward_body(sequence, y + bi * t * d, probs + (keep_probs ? bi * heads * block : 0), 1, t,
                                      heads, dh, scale, keep_probs, scratch);
    }
}

BODY void causal_attention_backward_gathered_body(const float *nodes, const int32_t *rows, const float *probs,
                                                  const float *dy, float *dnodes, long b, long t, long heads, long dh,
                                                  float scale, float *scratch) {
    const long d = heads * dh, ld = 3 * d, block = laif_attention_probs_count(t);
    float *sequence = scratch + laif_attention_scratch_count(t, dh), *gradient = sequence + t * ld;
    for (long bi = 0; bi < b; bi++) {
        gather_sequence(sequence, nodes, rows + bi * t, t, ld);
        causal_attention_backward_body(sequence, probs + bi * heads * block, dy + bi * t * d, gradient, 1, t, heads, dh,
                                       scale, 0, scratch);
        for (long i = 0; i < t; i++) {
            float *node = dnodes + (long)rows[bi * t + i] * ld;
            const float *g = gradient + i * ld;
            for (long c = 0; c < ld; c++) node[c] += g[c];
        }
    }
}

long laif_attention_gathered_scratch_count(long t, long heads, long dh) {
    return laif_attention_scratch_count(t, dh) + 2 * t * 3 * heads * dh;
}

KERNEL(causal_attention_forward_gathered, (const float *nodes, const int32_t *rows, float *y, float *probs, long b,
                                           long t, long heads, long dh, float scale, int keep_probs, float *scratch),
       (nodes, rows, y, probs, b, t, heads, dh, scale, keep_probs, scratch))
KERNEL(causal_attention_backward_gathered, (const float *nodes, const int32_t *rows, const float *probs, const float *dy,
                                            float *dnodes, long b, long t, long heads, long dh, float scale,
                                            float *scratch),
       (nodes, rows, probs, dy, dnodes, b, t, heads, dh, scale, scratch))
