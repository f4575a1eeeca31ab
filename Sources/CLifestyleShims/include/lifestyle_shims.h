#ifndef LIFESTYLE_SHIMS_H
#define LIFESTYLE_SHIMS_H
#include <stdint.h>
// Small C helpers Swift cannot express: software prefetch for latency-bound gathers, the
// renameat2 system call (variadic `syscall` is not callable from Swift), and the CSR gather
// kernels for AVX-512 and AVX2 chosen at run time (gather.c; Swift code is built for baseline SSE2),
// dense k-means' nearest-centre scans (nearest.c) and the SVD's Gaussian deviates (normals.c).
static inline void lifestyle_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
static inline void lifestyle_prefetch_write(const void *address) { __builtin_prefetch(address, 1, 3); }

/// Atomically swaps two existing paths (Linux renameat2 RENAME_EXCHANGE). Returns 0 on success,
/// -1 with errno set (ENOSYS/EINVAL where the kernel or file system cannot).
int lifestyle_rename_exchange(const char *from, const char *to);

/// CSR × dense gather: out[(i - lo) * outStride + t] = Σ_p val[p] · b[idx[p] * stride + t] for rows
/// lo..<hi and t < width, summed in entry order with products and sums rounded separately (the
/// portable Swift kernel's arithmetic, so results are bit-identical). Runs the AVX-512F (level 2)
/// or AVX2 (level 1) kernel and returns 1; returns 0 and writes nothing for level 0 or a level
/// the CPU lacks.
int lifestyle_csr_gather(int level, long lo, long hi, const long *rp, const int *idx, const float *val, long nnz,
                         const float *b, long stride, long width, float *out, long outStride);
/// Spherical k-means' assignment of rows lo..<hi with the gather fused in (AVX-512, `level` 2, and
/// k ≤ 16 on a 16-float table stride only; returns 0 and writes nothing otherwise): v_c =
/// (Σ_p val[p]·table[idx[p]·16 + c], summed as `lifestyle_csr_gather` does) · scales[c]; labels[i] =
/// the first c < k with the largest v (−1 when rowScale[i] is 0), distances[i] = max(0, 1 − top·rowScale[i])
/// (0 for excluded rows); *objective = the Double sum of the distances in row order and *changed =
/// the number of labels that changed. The same values as the gather followed by the Swift scan for
/// finite products (k-means rejects non-finite input, and its scales are finite).
int lifestyle_spherical_assign(int level, long lo, long hi, const long *rp, const int *idx, const float *val, long nnz,
                               const float *table, long stride, long k, const float *scales, const float *rowScale,
                               int32_t *labels, float *distances, double *objective, long *changed);
/// The best gather kernel this CPU has: 2 AVX-512F, 1 AVX2, 0 none.
int lifestyle_gather_detected_level(void);

/// Dense Lloyd's nearest-centre scan (nearest.c): for rows r < m of `block` (row r at block + r·ld,
/// k values x·c), best[r] = the first c with the smallest cn2[c] − 2·block[c], low[r] = that value.
/// `level` as for the gather (capped at what the CPU has, 0 scalar); every level gives the same results.
void lifestyle_argmin_shifted(int level, const float *block, long m, long k, long ld, const float *cn2, int32_t *best, float *low);
/// Hamerly's scan: with u_c = cn2[c] − 2·block[c] (as in `lifestyle_argmin_shifted`), best[r] = the
/// first c with the smallest u, first[r] = max(0, ‖x‖² + that u) and second[r] = max(0, ‖x‖² + the
/// second smallest of all u) (equal to first[r] when the smallest occurs twice), where ‖x‖² =
/// xn2[rows[r]] (or xn2[r] when `rows` is NULL); a NaN sum counts as 0 as in the scalar rule.
void lifestyle_two_nearest(int level, const float *block, long m, long k, long ld, const float *xn2, const long *rows, const float *cn2,
                           int32_t *best, float *first, float *second);

/// Dense Lloyd's per-cluster Double sums, columns j0..<j1 of rows d floats long: for r < count and
/// i = rows[r] (or r when `rows` is NULL), subtracts x_i from sums[from[i]] when `from` is given
/// and from[i] ≥ 0, then adds it to sums[to[i]] when to[i] ≥ 0. Each element is converted exactly
/// and added once, in row order: every level gives the same bits.
void lifestyle_lloyd_sums(int level, const float *x, long d, long j0, long j1, const long *rows, long count,
                          const int32_t *from, const int32_t *to, double *sums);

/// Spherical k-means' moves for cluster c (spherical.c): subtracts scale[i]·xᵢ from `sum` (the
/// cluster's d raw sums) for the rows i listed in `leaving`, then adds it for those in `joining`,
/// each in list order, entry by entry (x from the CSR arrays rp/ci/vs). The first touch of each
/// feature j records j and the value it replaced (`mark`: one bit per feature, all clear on entry
/// and on return; `touched`/`old`: room for one more than the listed rows' entries). Then, in
/// touch order, table[j·kp + c] = sum[j], and *change = Σ (new − old)², *length = Σ (new² − old²)
/// in Double. Returns the number of features touched.
long lifestyle_spherical_move(const int32_t *leaving, long leavingCount, const int32_t *joining, long joiningCount,
                              const long *rp, const int32_t *ci, const float *vs, const float *scale,
                              float *sum, uint64_t *mark, int32_t *touched, float *old,
                              float *table, long kp, long c, double *change, double *length);

#define LIFESTYLE_NORMAL_BATCH 64
/// A stream of standard normal deviates (normals.c): SplitMix64 state plus the unread rest of the last batch.
typedef struct {
    uint64_t state;
    int available, next;
    float pending[2 * LIFESTYLE_NORMAL_BATCH];
} lifestyle_normal_stream;
/// Writes the stream's next `count` deviates to out[0..<count]. Start a stream with
/// `state` = a SplitMix64 state and `available` = `next` = 0.
void lifestyle_normals_fill(lifestyle_normal_stream *stream, float *out, long count);
/// One batch of the polar method with the kernel for `level` (0 baseline, 1 AVX2, 2 AVX-512):
/// writes up to 2·LIFESTYLE_NORMAL_BATCH deviates and returns how many, or −1 when the CPU lacks
/// that kernel. For tests: every level gives the same bits.
int lifestyle_normal_batch(int level, uint64_t *state, float *out);
/// The polar method's logarithm (positive normal floats; within 1 ulp), for tests.
float lifestyle_log_positive(float x);
#endif
