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
//
// A block reads and writes its rows through tables of row pointers plus a column offset (the
// head's), so the gathered kernels work on the shared nodes in place, with no copy of each
// sequence; the plain kernels fill the tables with consecutive rows. The tables live at the
// start of the scratch buffer.
#include "laif_kernels.h"
#include "kernel_math.h"

enum { LANES = 8 };

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


// xt[c * 8 + r] = scale * rows[r][col + c] for an 8 x 8 tile.
BODY void transpose8_scaled(float *restrict xt, const float *const *rows, long col, float scale) {
    v8f r[8];
    for (int k = 0; k < 8; k++) r[k] = load8(rows[k] + col);
    transpose8x8(r);
    for (int k = 0; k < 8; k++) store8(xt + k * LANES, scale * r[k]);
}

// xt[c * 8 + r] = scale * rows[r][col + c] for the group's `count` rows; missing lanes are 0.
BODY void gather_lanes(float *restrict xt, const float *const *rows, long col, long count, long dh, float scale) {
    if (count == LANES) {
        long c0 = 0;
        for (; c0 + 8 <= dh; c0 += 8) transpose8_scaled(xt + c0 * LANES, rows, col + c0, scale);
        for (long r = 0; r < LANES; r++)
            for (long c = c0; c < dh; c++) xt[c * LANES + r] = scale * rows[r][col + c];
        return;
    }
    for (long c = 0; c < dh; c++)
        for (long r = 0; r < LANES; r++) xt[c * LANES + r] = r < count ? scale * rows[r][col + c] : 0.0f;
}

// st[j * 8 + r] = sum_c keys[j][col + c] * xt[c * 8 + r] for j < w: a group's scores
// (or output-gradient products), eight keys at a time so eight sums run side by side.
BODY void lanes_times_keys(float *restrict st, const float *restrict xt, const float *const *keys, long col, long w,
                           long dh) {
    long j = 0;
    for (; j + LANES <= w; j += LANES) {
        const float *key[LANES];
        for (long jj = 0; jj < LANES; jj++) key[jj] = keys[j + jj] + col;
        v8f acc[LANES];
        for (long jj = 0; jj < LANES; jj++) acc[jj] = (v8f){0};
        for (long c = 0; c < dh; c++) {
            const v8f x = load8(xt + c * LANES);
            for (long jj = 0; jj < LANES; jj++) acc[jj] += key[jj][c] * x;
        }
        for (long jj = 0; jj < LANES; jj++) store8(st + (j + jj) * LANES, acc[jj]);
    }
    for (; j < w; j++) {
        const float *key = keys[j] + col;
        v8f acc = {0};
        for (long c = 0; c < dh; c++) acc += key[c] * load8(xt + c * LANES);
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

// For `count` (<= 4) lanes from `lane0`: outs[r][col + c] = (or +=) sum_{j < w} pt[j * 8 + r] *
// values[j][vcol + c] over columns c0..<c0+8 nv: four output rows at a time, so each loaded
// value row feeds four independent sums.
BODY void lanes_times_values_chunk(float *const *outs, long col, const float *restrict pt, long lane0, long count,
                                   const float *const *values, long vcol, long w, long c0, long nv, int accumulate) {
    v8f acc[4][2];
    for (long r = 0; r < 4; r++)
        for (long u = 0; u < nv; u++) acc[r][u] = (v8f){0};
    for (long j = 0; j < w; j++) {
        const float *value = values[j] + vcol + c0;
        v8f vj[2];
        for (long u = 0; u < nv; u++) vj[u] = load8(value + 8 * u);
        const float *pj = pt + j * LANES + lane0;
        for (long r = 0; r < 4; r++)
            for (long u = 0; u < nv; u++) acc[r][u] += pj[r] * vj[u];
    }
    for (long r = 0; r < count; r++)
        for (long u = 0; u < nv; u++) {
            float *o = outs[lane0 + r] + col + c0 + 8 * u;
            store8(o, accumulate ? load8(o) + acc[r][u] : acc[r][u]);
        }
}

// The same for the four columns c0..<c0+4 (each sum in the same order as a single column's).
BODY void lanes_times_values_quad(float *const *outs, long col, const float *restrict pt, long lane0, long count,
                                  const float *const *values, long vcol, long w, long c0, int accumulate) {
    v4f acc[4];
    for (long r = 0; r < 4; r++) acc[r] = (v4f){0};
    for (long j = 0; j < w; j++) {
        const v4f vj = load4(values[j] + vcol + c0);
        const float *pj = pt + j * LANES + lane0;
        for (long r = 0; r < 4; r++) acc[r] += pj[r] * vj;
    }
    for (long r = 0; r < count; r++) {
        float *o = outs[lane0 + r] + col + c0;
        store4(o, accumulate ? load4(o) + acc[r] : acc[r]);
    }
}

// The same for a single column c (head sizes that are not a multiple of 4).
BODY void lanes_times_values_column(float *const *outs, long col, const float *restrict pt, long rows,
                                    const float *const *values, long vcol, long w, long c, int accumulate) {
    for (long r = 0; r < rows; r++) {
        float acc = 0.0f;
        for (long j = 0; j < w; j++) acc += pt[j * LANES + r] * values[j][vcol + c];
        float *o = outs[r] + col + c;
        *o = accumulate ? *o + acc : acc;
    }
}

// Output row r (r < rows) = (or +=) sum_{j < w} pt[j * 8 + r] * value row j, for all dh columns.
BODY void lanes_times_values(float *const *outs, long col, const float *restrict pt, long rows,
                             const float *const *values, long vcol, long w, long dh, int accumulate) {
    for (long lane0 = 0; lane0 < rows; lane0 += 4) {
        const long count = rows - lane0 < 4 ? rows - lane0 : 4;
        long c0 = 0;
        for (; c0 + 16 <= dh; c0 += 16)
            lanes_times_values_chunk(outs, col, pt, lane0, count, values, vcol, w, c0, 2, accumulate);
        if (c0 + 8 <= dh) {
            lanes_times_values_chunk(outs, col, pt, lane0, count, values, vcol, w, c0, 1, accumulate);
            c0 += 8;
        }
        if (c0 + 4 <= dh) lanes_times_values_quad(outs, col, pt, lane0, count, values, vcol, w, c0, accumulate);
    }
    for (long c = dh - dh % 4; c < dh; c++)
        lanes_times_values_column(outs, col, pt, rows, values, vcol, w, c, accumulate);
}

// The next sequence's inputs, fetched a few cache lines per query group while this sequence
// computes. By the backward pass, Q, K, V and the probabilities were written long before and
// sit in L3 or beyond, and the blocks' strided reads (one head's columns of each row) hide
// them from the hardware prefetcher: the first pass over a sequence stalled on every row
// (measured in the bench's SFT step: the attention backward took 270 us cold against 178 us
// on the same data warm). A sequence's worth of prefetches issued at once mostly get
// dropped, so they are spread over its (head, group) steps. Hints only: no result changes.
typedef struct {
    const float *source;    // the next sequence's rows: source + row_of(i) * ld
    const int32_t *rows;    // row_of(i) = rows[i] (gathered) or first + i (consecutive)
    long first, t, ld;
    long row, byte;         // the next line to fetch in the source rows
    const char *next[2], *end[2];   // contiguous streams (probabilities, output gradients)
    long lines_per_step;
} prefetch_plan;

BODY void prefetch_plan_init(prefetch_plan *plan, const float *source, const int32_t *rows, long first, long t,
                             long ld, const float *probs, long probs_count, const float *dy, long dy_count,
                             long steps) {
    plan->source = source;
    plan->rows = rows;
    plan->first = first;
    plan->t = t;
    plan->ld = ld;
    plan->row = 0;
    plan->byte = 0;
    plan->next[0] = (const char *)probs;
    plan->end[0] = probs ? (const char *)(probs + probs_count) : NULL;
    plan->next[1] = (const char *)dy;
    plan->end[1] = dy ? (const char *)(dy + dy_count) : NULL;
    const long row_lines = (ld * (long)sizeof(float) + 63) / 64;
    plan->lines_per_step = (t * row_lines + steps - 1) / steps;
}

BODY void prefetch_step(prefetch_plan *plan) {
    if (!plan) return;
    const long row_bytes = plan->ld * (long)sizeof(float);
    for (long n = 0; n < plan->lines_per_step && plan->row < plan->t; n++) {
        const long index = plan->rows ? plan->rows[plan->row] : plan->first + plan->row;
        __builtin_prefetch((const char *)(plan->source + index * plan->ld) + plan->byte, 0, 1);
        plan->byte += 64;
        if (plan->byte >= row_bytes) { plan->byte = 0; plan->row++; }
    }
    for (int k = 0; k < 2; k++)
        for (long n = 0; n < plan->lines_per_step && plan->next[k] < plan->end[k]; n++, plan->next[k] += 64)
            __builtin_prefetch(plan->next[k], 0, 1);
}

// One (sequence, head) block: Q, K and V of row i at src[i] + col, + d + col, + 2 d + col; the
// output row i at ys[i] + col.
BODY void attention_block_forward(const float *const *src, float *const *ys, long col, float *p, long t, long d,
                                  long dh, float scale, float *scratch, prefetch_plan *plan) {
    float *qt = scratch;
    for (long g = 0, i0 = 0; i0 < t; g++, i0 += LANES) {
        const long w = group_width(g, t), rows = t - i0 < LANES ? t - i0 : LANES;
        prefetch_step(plan);
        gather_lanes(qt, src + i0, col, rows, dh, scale);
        lanes_times_keys(p, qt, src, d + col, w, dh);
        lanes_causal_softmax(p, i0, w);
        lanes_times_values(ys + i0, col, p, rows, src, 2 * d + col, w, dh, 0);
        p += LANES * w;
    }
}

// outs[j][col + c] (+)= sum over every query row i at or after key j's group of coef[i][j]
// rows[i][rcol + c] (dK from dS and Q, or dV from P and dY), for the `count` (<= 4) keys
// j0..<j0+count and columns c0..<c0+8 nv (nv = 0: the single column c0). Four keys at a time
// share each loaded row.
BODY void key_gradient_chunk(float *const *outs, long col, const float *restrict coef, const float *const *rows,
                             long rcol, long t, long j0, long count, long c0, long nv, int accumulate) {
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
                const float *row = rows[i0 + r] + rcol + c0;
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
        float *o = outs[j0 + u] + col + c0;
        for (long e = 0; e < nv; e++) store8(o + 8 * e, accumulate ? load8(o + 8 * e) + acc[u][e] : acc[u][e]);
        if (nv == 0) o[0] = accumulate ? o[0] + single[u] : single[u];
    }
}

// key_gradient_chunk for the four columns c0..<c0+4 (each sum in the same order as a single
// column's).
BODY void key_gradient_quad(float *const *outs, long col, const float *restrict coef, const float *const *rows,
                            long rcol, long t, long j0, long count, long c0, int accumulate) {
    v4f acc[4];
    for (long u = 0; u < 4; u++) acc[u] = (v4f){0};
    long offset = 0;
    for (long g = 0, i0 = 0; i0 < t; g++, i0 += LANES) {
        const long w = group_width(g, t), count_rows = t - i0 < LANES ? t - i0 : LANES;
        if (j0 < w) {
            const float *cj = coef + offset + j0 * LANES;
            for (long r = 0; r < count_rows; r++) {
                const v4f rv = load4(rows[i0 + r] + rcol + c0);
                for (long u = 0; u < 4; u++) {
                    const float s = u < count ? cj[u * LANES + r] : 0.0f;
                    acc[u] += s * rv;
                }
            }
        }
        offset += LANES * w;
    }
    for (long u = 0; u < count; u++) {
        float *o = outs[j0 + u] + col + c0;
        store4(o, accumulate ? load4(o) + acc[u] : acc[u]);
    }
}

// dK = dS^T Q (or dV = P^T dY) for every key, in chunks of 4 keys and 16, 8 or 4 columns.
BODY void key_gradients(float *const *outs, long col, const float *restrict coef, const float *const *rows, long rcol,
                        long t, long dh, int accumulate) {
    for (long j = 0; j < t; j += 4) {
        const long count = t - j < 4 ? t - j : 4;
        long c0 = 0;
        for (; c0 + 16 <= dh; c0 += 16) key_gradient_chunk(outs, col, coef, rows, rcol, t, j, count, c0, 2, accumulate);
        if (c0 + 8 <= dh) {
            key_gradient_chunk(outs, col, coef, rows, rcol, t, j, count, c0, 1, accumulate);
            c0 += 8;
        }
        if (c0 + 4 <= dh) {
            key_gradient_quad(outs, col, coef, rows, rcol, t, j, count, c0, accumulate);
            c0 += 4;
        }
        for (; c0 < dh; c0++) key_gradient_chunk(outs, col, coef, rows, rcol, t, j, count, c0, 0, accumulate);
    }
}

// The backward pass of one block: Q, K, V read as in the forward; dY row i at dys[i] + col; dQ,
// dK, dV of row i written (or added) at dsrc[i] + col, + d + col, + 2 d + col.
BODY void attention_block_backward(const float *const *src, const float *restrict p, const float *const *dys,
                                   float *const *dsrc, long col, long t, long d, long dh, float scale, int accumulate,
                                   float *scratch, prefetch_plan *plan) {
    float *ds = scratch, *dyt = scratch + laif_attention_probs_count(t);
    long offset = 0;
    for (long g = 0, i0 = 0; i0 < t; g++, i0 += LANES) {
        const long w = group_width(g, t), rows = t - i0 < LANES ? t - i0 : LANES;
        const float *pt = p + offset;
        float *dst = ds + offset;
        prefetch_step(plan);
        // dP = dY V^T;  dS = scale P (dP - <P, dP>) per row; masked P = 0 gives dS = 0.
        gather_lanes(dyt, dys + i0, col, rows, dh, 1.0f);
        lanes_times_keys(dst, dyt, src, 2 * d + col, w, dh);
        float dot[LANES];
        for (long r = 0; r < LANES; r++) dot[r] = 0.0f;
        for (long j = 0; j < w; j++)
            for (long r = 0; r < LANES; r++) dot[r] += pt[j * LANES + r] * dst[j * LANES + r];
        for (long j = 0; j < w; j++)
            for (long r = 0; r < LANES; r++)
                dst[j * LANES + r] = scale * (pt[j * LANES + r] * (dst[j * LANES + r] - dot[r]));
        // dQ = dS K
        lanes_times_values(dsrc + i0, col, dst, rows, src, d + col, w, dh, accumulate);
        offset += LANES * w;
    }
    // dK = dS^T Q;  dV = P^T dY
    key_gradients(dsrc, d + col, ds, src, col, t, dh, accumulate);
    key_gradients(dsrc, 2 * d + col, p, dys, col, t, dh, accumulate);
}

// Row tables at the start of the scratch buffer (pointers are at most two floats wide), then
// the blocks' own scratch.
enum { TABLES = 3, FLOATS_PER_POINTER = (sizeof(void *) + sizeof(float) - 1) / sizeof(float) };

BODY long table_floats(long t) { return TABLES * t * FLOATS_PER_POINTER; }

long laif_attention_scratch_count(long t, long dh) {
    return table_floats(t) + laif_attention_probs_count(t) + LANES * dh;
}

long laif_attention_gathered_scratch_count(long t, long heads, long dh) {
    (void)heads;
    return laif_attention_scratch_count(t, dh);
}

// table[i] = base + i * ld for the t rows of one sequence.
BODY void fill_consecutive(const float **table, const float *base, long t, long ld) {
    for (long i = 0; i < t; i++) table[i] = base + i * ld;
}

// table[i] = nodes + rows[i] * ld for the t rows of one sequence.
BODY void fill_gathered(const float **table, const float *nodes, const int32_t *rows, long t, long ld) {
    for (long i = 0; i < t; i++) table[i] = nodes + (long)rows[i] * ld;
}

// Every head of one sequence, through its row tables. The usual head sizes get copies with the
// width known at compile time (no loop tails): 16 (d_model 64, 4 heads) and 12 (the default
// student's 48 / 4); any other size takes the generic copy.
BODY void sequence_forward(const float *const *src, float *const *ys, float *probs, long t, long heads, long dh,
                           float scale, int keep_probs, float *scratch, prefetch_plan *plan) {
    const long d = heads * dh, block = laif_attention_probs_count(t);
    for (long h = 0; h < heads; h++) {
        float *p = probs + (keep_probs ? h * block : 0);
        if (dh == 16) attention_block_forward(src, ys, h * 16, p, t, d, 16, scale, scratch, plan);
        else if (dh == 12) attention_block_forward(src, ys, h * 12, p, t, d, 12, scale, scratch, plan);
        else attention_block_forward(src, ys, h * dh, p, t, d, dh, scale, scratch, plan);
    }
}

BODY void sequence_backward(const float *const *src, const float *probs, const float *const *dys, float *const *dsrc,
                            long t, long heads, long dh, float scale, int accumulate, float *scratch,
                            prefetch_plan *plan) {
    const long d = heads * dh, block = laif_attention_probs_count(t);
    for (long h = 0; h < heads; h++) {
        const float *p = probs + h * block;
        if (dh == 16)
            attention_block_backward(src, p, dys, dsrc, h * 16, t, d, 16, scale, accumulate, scratch, plan);
        else if (dh == 12)
            attention_block_backward(src, p, dys, dsrc, h * 12, t, d, 12, scale, accumulate, scratch, plan);
        else
            attention_block_backward(src, p, dys, dsrc, h * dh, t, d, dh, scale, accumulate, scratch, plan);
    }
}

// The plain kernels and the gathered ones differ only in the source (and source-gradient) row
// tables: consecutive rows of [b, t, 3 d], or node rows[bi * t + i] of [n, 3 d].
BODY void attention_forward_body(const float *source, const int32_t *rows, float *y, float *probs, long b, long t,
                                 long heads, long dh, float scale, int keep_probs, float *scratch) {
    const long d = heads * dh, ld = 3 * d, block = laif_attention_probs_count(t);
    const float **src = (const float **)(void *)scratch;
    float **ys = (float **)(void *)(scratch + t * FLOATS_PER_POINTER);
    float *work = scratch + table_floats(t);
    for (long bi = 0; bi < b; bi++) {
        if (rows) fill_gathered(src, source, rows + bi * t, t, ld);
        else fill_consecutive(src, source + bi * t * ld, t, ld);
        fill_consecutive((const float **)ys, y + bi * t * d, t, d);
        // The forward's Q, K, V were just written by the projection, so only the plain kernel
        // gains (shared-prefix rows repeat across sequences and are warm: measured a little
        // slower with the prefetches in DPO's forward).
        prefetch_plan plan, *next = NULL;
        if (!rows && bi + 1 < b) {
            prefetch_plan_init(&plan, source, NULL, (bi + 1) * t, t, ld, NULL, 0, NULL, 0, heads * ((t + LANES - 1) / LANES));
            next = &plan;
        }
        sequence_forward(src, ys, probs + (keep_probs ? bi * heads * block : 0), t, heads, dh, scale, keep_probs, work,
                         next);
    }
}

BODY void attention_backward_body(const float *source, const int32_t *rows, const float *probs, const float *dy,
                                  float *dsource, long b, long t, long heads, long dh, float scale, int accumulate,
                                  float *scratch) {
    const long d = heads * dh, ld = 3 * d, block = laif_attention_probs_count(t);
    const float **src = (const float **)(void *)scratch;
    const float **dys = (const float **)(void *)(scratch + t * FLOATS_PER_POINTER);
    float **dsrc = (float **)(void *)(scratch + 2 * t * FLOATS_PER_POINTER);
    float *work = scratch + table_floats(t);
    for (long bi = 0; bi < b; bi++) {
        if (rows) {
            fill_gathered(src, source, rows + bi * t, t, ld);
            fill_gathered((const float **)dsrc, dsource, rows + bi * t, t, ld);
        } else {
            fill_consecutive(src, source + bi * t * ld, t, ld);
            fill_consecutive((const float **)dsrc, dsource + bi * t * ld, t, ld);
        }
        fill_consecutive(dys, dy + bi * t * d, t, d);
        prefetch_plan plan, *next = NULL;
        if (bi + 1 < b) {
            prefetch_plan_init(&plan, source, rows ? rows + (bi + 1) * t : NULL, (bi + 1) * t, t, ld,
                               probs + (bi + 1) * heads * block, heads * block, dy + (bi + 1) * t * d, t * d,
                               heads * ((t + LANES - 1) / LANES));
            next = &plan;
        }
        sequence_backward(src, probs + bi * heads * block, dys, dsrc, t, heads, dh, scale, accumulate, work, next);
    }
}

BODY void causal_attention_forward_body(const float *qkv, float *y, float *probs, long b, long t, long heads, long dh,
                                        float scale, int keep_probs, float *scratch) {
    attention_forward_body(qkv, NULL, y, probs, b, t, heads, dh, scale, keep_probs, scratch);
}

BODY void causal_attention_backward_body(const float *qkv, const float *probs, const float *dy, float *dqkv, long b,
                                         long t, long heads, long dh, float scale, int accumulate, float *scratch) {
    attention_backward_body(qkv, NULL, probs, dy, dqkv, b, t, heads, dh, scale, accumulate, scratch);
}

KERNEL(causal_attention_forward, (const float *qkv, float *y, float *probs, long b, long t, long heads, long dh,
                                  float scale, int keep_probs, float *scratch),
       (qkv, y, probs, b, t, heads, dh, scale, keep_probs, scratch))
KERNEL(causal_attention_backward, (const float *qkv, const float *probs, const float *dy, float *dqkv, long b,
                                   long t, long heads, long dh, float scale, int accumulate, float *scratch),
       (qkv, probs, dy, dqkv, b, t, heads, dh, scale, accumulate, scratch))

// The gathered variants: sequence bi's row i is row rows[bi * t + i] of `nodes` [n, 3 d], so
// rows that share a prefix share their projections (see laif_kernels.h). The backward pass adds
// each sequence's gradients onto its nodes in place, sequence by sequence; within a sequence
// each value is added once, so the sums are those of a gather followed by a scatter-add.
BODY void causal_attention_forward_gathered_body(const float *nodes, const int32_t *rows, float *y, float *probs,
                                                 long b, long t, long heads, long dh, float scale, int keep_probs,
                                                 float *scratch) {
    attention_forward_body(nodes, rows, y, probs, b, t, heads, dh, scale, keep_probs, scratch);
}

BODY void causal_attention_backward_gathered_body(const float *nodes, const int32_t *rows, const float *probs,
                                                  const float *dy, float *dnodes, long b, long t, long heads, long dh,
                                                  float scale, float *scratch) {
    attention_backward_body(nodes, rows, probs, dy, dnodes, b, t, heads, dh, scale, 1, scratch);
}

KERNEL(causal_attention_forward_gathered, (const float *nodes, const int32_t *rows, float *y, float *probs, long b,
                                           long t, long heads, long dh, float scale, int keep_probs, float *scratch),
       (nodes, rows, y, probs, b, t, heads, dh, scale, keep_probs, scratch))
KERNEL(causal_attention_backward_gathered, (const float *nodes, const int32_t *rows, const float *probs, const float *dy,
                                            float *dnodes, long b, long t, long heads, long dh, float scale,
                                            float *scratch),
       (nodes, rows, probs, dy, dnodes, b, t, heads, dh, scale, scratch))
