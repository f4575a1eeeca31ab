// Spherical k-means' moves for one cluster (see SphericalSparseUpdate.swift): the rows that left
// the cluster are subtracted from its row of raw sums and the rows that joined are added, the
// first touch of each feature keeps the value it replaced, and the touched features are then
// copied into the feature-major table with the change they made.
//
// Plain C, products and sums rounded separately (no contraction): the same bits as the Swift
// loops it replaces, on every CPU.
#include "lifestyle_shims.h"
#pragma STDC FP_CONTRACT OFF

// A cursor running ahead through the entries of the listed rows, fetching their sums.
typedef struct { long row, at, end; } ahead_cursor;

static inline void ahead_step(ahead_cursor *q, const int32_t *list, long count, const long *rp, const int32_t *ci, const float *sum) {
    while (q->at >= q->end && q->row + 1 < count) {
        q->row++;
        q->at = rp[list[q->row]];
        q->end = rp[list[q->row] + 1];
    }
    if (q->at < q->end) { __builtin_prefetch(sum + ci[q->at], 1, 3); q->at++; }
}

static long add_rows(const int32_t *list, long count, int negate, const long *rp, const int32_t *ci, const float *vs,
                     const float *scale, float *sum, uint64_t *mark, int32_t *touched, float *old, long t) {
    if (count <= 0) return t;
    ahead_cursor q = { 0, rp[list[0]], rp[list[0] + 1] };
    for (int a = 0; a < 32; a++) ahead_step(&q, list, count, rp, ci, sum);
    for (long r = 0; r < count; r++) {
        if (r + 2 < count) {
            // The rows lie anywhere in the matrix: fetch the row after next.
            const long i2 = list[r + 2], lo2 = rp[i2], hi2 = rp[i2 + 1] < lo2 + 64 ? rp[i2 + 1] : lo2 + 64;
            for (long p = lo2; p < hi2; p += 16) { __builtin_prefetch(ci + p, 0, 3); __builtin_prefetch(vs + p, 0, 3); }
        }
        const long i = list[r];
        const float s = negate ? -scale[i] : scale[i];
        for (long p = rp[i], end = rp[i + 1]; p < end; p++) {
            ahead_step(&q, list, count, rp, ci, sum);
            const long j = ci[p];
            // The first touch is unpredictable: record every touch, keep the first ones.
            const uint64_t word = mark[j >> 6];
            const long first = !((word >> (j & 63)) & 1);
            mark[j >> 6] = word | (uint64_t)1 << (j & 63);
            const float o = sum[j];
            touched[t] = (int32_t)j;
            old[t] = o;
            t += first;
            sum[j] = o + s * vs[p];
        }
    }
    return t;
}

long lifestyle_spherical_move(const int32_t *leaving, long leavingCount, const int32_t *joining, long joiningCount,
                              const long *rp, const int32_t *ci, const float *vs, const float *scale,
                              float *sum, uint64_t *mark, int32_t *touched, float *old,
                              float *table, long kp, long c, double *change, double *length) {
    long t = add_rows(leaving, leavingCount, 1, rp, ci, vs, scale, sum, mark, touched, old, 0);
    t = add_rows(joining, joiningCount, 0, rp, ci, vs, scale, sum, mark, touched, old, t);
    double dd = 0, dn = 0;
    for (long q = 0; q < t; q++) {
        if (q + 16 < t) __builtin_prefetch(table + (long)touched[q + 16] * kp + c, 1, 3);
        const long j = touched[q];
        const float nv = sum[j];
        table[j * kp + c] = nv;
        mark[j >> 6] = 0;
        const double n = nv, o = old[q], e = n - o;
        dd += e * e;
        dn += n * n - o * o;
    }
    *change = dd;
    *length = dn;
    return t;
}
