// The nearest-centre scans of dense Lloyd k-means (see lifestyle_shims.h): after one sgemm has
// written x·c for a block of rows, find each row's smallest ‖c‖² − 2x·c (and, for Hamerly's
// bounds, the second smallest too; both scans compare the same values, so Hamerly's labels are
// plain Lloyd's). The AVX-512F and AVX2 kernels keep one running
// minimum per lane and merge the lanes at the end; every value is computed with the scalar
// loop's operations in the same order (2·x·c is exact, the sum is rounded once), and ties go to
// the lowest centre index, so every level returns exactly what the scalar loop returns.
#include "lifestyle_shims.h"
#include <math.h>
#include <stdint.h>

#pragma STDC FP_CONTRACT OFF

static void argmin_scalar(const float *block, long m, long k, long ld, const float *cn2, int32_t *best, float *low) {
    for (long r = 0; r < m; r++) {
        const float *row = block + r * ld;
        long b = 0;
        float lo = cn2[0] - 2 * row[0];
        for (long c = 1; c < k; c++) {
            const float v = cn2[c] - 2 * row[c];
            if (v < lo) { lo = v; b = c; }
        }
        best[r] = (int32_t)b;
        low[r] = lo;
    }
}

__attribute__((unused)) static int nearest_level(int level) {
    const int have = lifestyle_gather_detected_level();
    return level > have ? have : level;
}

static inline float row_norm(const float *xn2, const long *rows, long r) { return xn2[rows ? rows[r] : r]; }

static inline float clamp_distance(float x2, float u) {
    const float t = x2 + u;
    return t >= 0 ? t : 0;   // also maps NaN to 0
}

static void two_nearest_scalar(const float *block, long m, long k, long ld, const float *xn2, const long *rows, const float *cn2,
                               int32_t *best, float *first, float *second) {
    for (long r = 0; r < m; r++) {
        const float *row = block + r * ld;
        long b = 0;
        float f = INFINITY, s = INFINITY;
        for (long c = 0; c < k; c++) {
            const float u = cn2[c] - 2 * row[c];
            if (u < f) { s = f; f = u; b = c; } else if (u < s) { s = u; }
        }
        const float x2 = row_norm(xn2, rows, r);
        best[r] = (int32_t)b;
        first[r] = clamp_distance(x2, f);
        second[r] = clamp_distance(x2, s);
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

// ---------------------------------------------------------------- AVX-512F

__attribute__((target("avx512f")))
static void argmin_avx512(const float *block, long m, long k, long ld, const float *cn2, int32_t *best, float *low) {
    const __m512 two = _mm512_set1_ps(2.0f), inf = _mm512_set1_ps(INFINITY);
    const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i step = _mm512_set1_epi32(16), none = _mm512_set1_epi32(INT32_MAX);
    const long whole = k & ~15L;
    const __mmask16 tail = (__mmask16)((1u << (k & 15)) - 1);
    for (long r = 0; r < m; r++) {
        const float *row = block + r * ld;
        __m512 bv = inf;
        __m512i bi = _mm512_setzero_si512(), ci = lanes;
        for (long c = 0; c < whole; c += 16) {
            const __m512 v = _mm512_sub_ps(_mm512_loadu_ps(cn2 + c), _mm512_mul_ps(two, _mm512_loadu_ps(row + c)));
            const __mmask16 lt = _mm512_cmp_ps_mask(v, bv, _CMP_LT_OQ);
            bv = _mm512_mask_mov_ps(bv, lt, v);
            bi = _mm512_mask_mov_epi32(bi, lt, ci);
            ci = _mm512_add_epi32(ci, step);
        }
        if (tail) {
            const __m512 v = _mm512_sub_ps(_mm512_maskz_loadu_ps(tail, cn2 + whole), _mm512_mul_ps(two, _mm512_maskz_loadu_ps(tail, row + whole)));
            const __mmask16 lt = _mm512_mask_cmp_ps_mask(tail, v, bv, _CMP_LT_OQ);
            bv = _mm512_mask_mov_ps(bv, lt, v);
            bi = _mm512_mask_mov_epi32(bi, lt, ci);
        }
        const float lo = _mm512_reduce_min_ps(bv);
        const __mmask16 at = _mm512_cmp_ps_mask(bv, _mm512_set1_ps(lo), _CMP_EQ_OQ);
        best[r] = _mm512_reduce_min_epi32(_mm512_mask_mov_epi32(none, at, bi));
        low[r] = lo;
    }
}

__attribute__((target("avx512f")))
static void two_nearest_avx512(const float *block, long m, long k, long ld, const float *xn2, const long *rows, const float *cn2,
                               int32_t *best, float *first, float *second) {
    const __m512 two = _mm512_set1_ps(2.0f), inf = _mm512_set1_ps(INFINITY);
    const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i step = _mm512_set1_epi32(16), none = _mm512_set1_epi32(INT32_MAX);
    const long whole = k & ~15L;
    const __mmask16 tail = (__mmask16)((1u << (k & 15)) - 1);
    for (long r = 0; r < m; r++) {
        const float *row = block + r * ld;
        __m512 fv = inf, sv = inf;
        __m512i bi = _mm512_setzero_si512(), ci = lanes;
        for (long c = 0; c < whole; c += 16) {
            const __m512 u = _mm512_sub_ps(_mm512_loadu_ps(cn2 + c), _mm512_mul_ps(two, _mm512_loadu_ps(row + c)));
            const __mmask16 lt = _mm512_cmp_ps_mask(u, fv, _CMP_LT_OQ);
            sv = _mm512_mask_mov_ps(_mm512_min_ps(sv, u), lt, fv);
            fv = _mm512_mask_mov_ps(fv, lt, u);
            bi = _mm512_mask_mov_epi32(bi, lt, ci);
            ci = _mm512_add_epi32(ci, step);
        }
        if (tail) {
            // Lanes past k load ‖c‖² = +∞ (and x·c = 0): +∞ changes neither minimum.
            const __m512 u = _mm512_sub_ps(_mm512_mask_loadu_ps(inf, tail, cn2 + whole), _mm512_mul_ps(two, _mm512_maskz_loadu_ps(tail, row + whole)));
            const __mmask16 lt = _mm512_cmp_ps_mask(u, fv, _CMP_LT_OQ);
            sv = _mm512_mask_mov_ps(_mm512_min_ps(sv, u), lt, fv);
            fv = _mm512_mask_mov_ps(fv, lt, u);
            bi = _mm512_mask_mov_epi32(bi, lt, ci);
        }
        const float f = _mm512_reduce_min_ps(fv);
        const __mmask16 at = _mm512_cmp_ps_mask(fv, _mm512_set1_ps(f), _CMP_EQ_OQ);
        const int b = _mm512_reduce_min_epi32(_mm512_mask_mov_epi32(none, at, bi));
        // The second smallest of all values: the winning lane's second or another lane's smallest.
        const __mmask16 winner = _mm512_cmpeq_epi32_mask(bi, _mm512_set1_epi32(b)) & at;
        const float others = _mm512_reduce_min_ps(_mm512_mask_mov_ps(fv, winner, inf));
        const float s = _mm512_reduce_min_ps(sv);
        const float x2 = row_norm(xn2, rows, r);
        best[r] = b;
        first[r] = clamp_distance(x2, f);
        second[r] = clamp_distance(x2, others < s ? others : s);
    }
}

// ---------------------------------------------------------------- AVX2

static inline void merge_lanes(const float *value, const int32_t *index, int lanes, float *min, int32_t *at, int *lane) {
    float v = value[0];
    int32_t i = index[0];
    int l = 0;
    for (int j = 1; j < lanes; j++) {
        if (value[j] < v || (value[j] == v && index[j] < i)) { v = value[j]; i = index[j]; l = j; }
    }
    *min = v;
    *at = i;
    *lane = l;
}

__attribute__((target("avx2")))
static inline __m256 tail_load(const float *p, __m256i mask, __m256 fill) {
    return _mm256_blendv_ps(fill, _mm256_maskload_ps(p, mask), _mm256_castsi256_ps(mask));
}

__attribute__((target("avx2")))
static void argmin_avx2(const float *block, long m, long k, long ld, const float *cn2, int32_t *best, float *low) {
    const __m256 two = _mm256_set1_ps(2.0f), inf = _mm256_set1_ps(INFINITY);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), step = _mm256_set1_epi32(8);
    const long whole = k & ~7L, rest = k & 7;
    const __m256i tail = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)rest), lanes);
    for (long r = 0; r < m; r++) {
        const float *row = block + r * ld;
        __m256 bv = inf;
        __m256i bi = _mm256_setzero_si256(), ci = lanes;
        for (long c = 0; c < whole; c += 8) {
            const __m256 v = _mm256_sub_ps(_mm256_loadu_ps(cn2 + c), _mm256_mul_ps(two, _mm256_loadu_ps(row + c)));
            const __m256 lt = _mm256_cmp_ps(v, bv, _CMP_LT_OQ);
            bv = _mm256_blendv_ps(bv, v, lt);
            bi = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(bi), _mm256_castsi256_ps(ci), lt));
            ci = _mm256_add_epi32(ci, step);
        }
        if (rest) {
            const __m256 v = _mm256_sub_ps(tail_load(cn2 + whole, tail, inf), _mm256_mul_ps(two, tail_load(row + whole, tail, _mm256_setzero_ps())));
            const __m256 lt = _mm256_and_ps(_mm256_cmp_ps(v, bv, _CMP_LT_OQ), _mm256_castsi256_ps(tail));
            bv = _mm256_blendv_ps(bv, v, lt);
            bi = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(bi), _mm256_castsi256_ps(ci), lt));
        }
        float value[8];
        int32_t index[8];
        _mm256_storeu_ps(value, bv);
        _mm256_storeu_si256((__m256i *)index, bi);
        int lane;
        merge_lanes(value, index, 8, &low[r], &best[r], &lane);
    }
}

__attribute__((target("avx2")))
static void two_nearest_avx2(const float *block, long m, long k, long ld, const float *xn2, const long *rows, const float *cn2,
                             int32_t *best, float *first, float *second) {
    const __m256 two = _mm256_set1_ps(2.0f), inf = _mm256_set1_ps(INFINITY), zero = _mm256_setzero_ps();
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), step = _mm256_set1_epi32(8);
    const long whole = k & ~7L, rest = k & 7;
    const __m256i tail = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)rest), lanes);
    for (long r = 0; r < m; r++) {
        const float *row = block + r * ld;
        __m256 fv = inf, sv = inf;
        __m256i bi = _mm256_setzero_si256(), ci = lanes;
        for (long c = 0; c < whole; c += 8) {
            const __m256 u = _mm256_sub_ps(_mm256_loadu_ps(cn2 + c), _mm256_mul_ps(two, _mm256_loadu_ps(row + c)));
            const __m256 lt = _mm256_cmp_ps(u, fv, _CMP_LT_OQ);
            sv = _mm256_blendv_ps(_mm256_min_ps(sv, u), fv, lt);
            fv = _mm256_blendv_ps(fv, u, lt);
            bi = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(bi), _mm256_castsi256_ps(ci), lt));
            ci = _mm256_add_epi32(ci, step);
        }
        if (rest) {
            // Lanes past k see +∞ (from ‖c‖² = +∞), which changes neither minimum.
            const __m256 u = _mm256_sub_ps(tail_load(cn2 + whole, tail, inf), _mm256_mul_ps(two, tail_load(row + whole, tail, zero)));
            const __m256 lt = _mm256_cmp_ps(u, fv, _CMP_LT_OQ);
            sv = _mm256_blendv_ps(_mm256_min_ps(sv, u), fv, lt);
            fv = _mm256_blendv_ps(fv, u, lt);
            bi = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(bi), _mm256_castsi256_ps(ci), lt));
        }
        float value[8], rest2[8];
        int32_t index[8];
        _mm256_storeu_ps(value, fv);
        _mm256_storeu_ps(rest2, sv);
        _mm256_storeu_si256((__m256i *)index, bi);
        int lane;
        float f;
        merge_lanes(value, index, 8, &f, &best[r], &lane);
        float s = INFINITY;
        for (int j = 0; j < 8; j++) {
            if (rest2[j] < s) s = rest2[j];
            if (j != lane && value[j] < s) s = value[j];
        }
        const float x2 = row_norm(xn2, rows, r);
        first[r] = clamp_distance(x2, f);
        second[r] = clamp_distance(x2, s);
    }
}

void lifestyle_argmin_shifted(int level, const float *block, long m, long k, long ld, const float *cn2, int32_t *best, float *low) {
    if (k <= 0 || m <= 0) return;
    switch (nearest_level(level)) {
    case 2: argmin_avx512(block, m, k, ld, cn2, best, low); return;
    case 1: argmin_avx2(block, m, k, ld, cn2, best, low); return;
    default: argmin_scalar(block, m, k, ld, cn2, best, low); return;
    }
}

void lifestyle_two_nearest(int level, const float *block, long m, long k, long ld, const float *xn2, const long *rows, const float *cn2,
                           int32_t *best, float *first, float *second) {
    if (k <= 0 || m <= 0) return;
    switch (nearest_level(level)) {
    case 2: two_nearest_avx512(block, m, k, ld, xn2, rows, cn2, best, first, second); return;
    case 1: two_nearest_avx2(block, m, k, ld, xn2, rows, cn2, best, first, second); return;
    default: two_nearest_scalar(block, m, k, ld, xn2, rows, cn2, best, first, second); return;
    }
}

#else
void lifestyle_argmin_shifted(int level, const float *block, long m, long k, long ld, const float *cn2, int32_t *best, float *low) {
    (void)level;
    if (k > 0 && m > 0) argmin_scalar(block, m, k, ld, cn2, best, low);
}

void lifestyle_two_nearest(int level, const float *block, long m, long k, long ld, const float *xn2, const long *rows, const float *cn2,
                           int32_t *best, float *first, float *second) {
    (void)level;
    if (k > 0 && m > 0) two_nearest_scalar(block, m, k, ld, xn2, rows, cn2, best, first, second);
}
#endif

// ---------------------------------------------------------------- Lloyd's Double sums

// s[j0..<j1] ∓= row[j0..<j1] in Double (x − y and x + (−y) are the same operation, so one
// helper per level takes the sign).
static inline void sums_row_scalar(double *s, const float *row, long j0, long j1, int subtract) {
    for (long j = j0; j < j1; j++) s[j] += subtract ? -(double)row[j] : (double)row[j];
}

static void sums_scalar(const float *x, long d, long j0, long j1, const long *rows, long count,
                        const int32_t *from, const int32_t *to, double *sums) {
    for (long r = 0; r < count; r++) {
        const long i = rows ? rows[r] : r;
        const float *row = x + i * d;
        if (from && from[i] >= 0) sums_row_scalar(sums + (long)from[i] * d, row, j0, j1, 1);
        if (to[i] >= 0) sums_row_scalar(sums + (long)to[i] * d, row, j0, j1, 0);
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("avx512f"), always_inline))
static inline void sums_row_avx512(double *s, const float *row, long j0, long j1, int subtract) {
    long j = j0;
    for (; j + 8 <= j1; j += 8) {
        const __m512d v = _mm512_cvtps_pd(_mm256_loadu_ps(row + j)), t = _mm512_loadu_pd(s + j);
        _mm512_storeu_pd(s + j, subtract ? _mm512_sub_pd(t, v) : _mm512_add_pd(t, v));
    }
    sums_row_scalar(s, row, j, j1, subtract);
}

__attribute__((target("avx512f")))
static void sums_avx512(const float *x, long d, long j0, long j1, const long *rows, long count,
                        const int32_t *from, const int32_t *to, double *sums) {
    for (long r = 0; r < count; r++) {
        const long i = rows ? rows[r] : r;
        const float *row = x + i * d;
        if (rows && r + 4 < count) {
            // Listed rows are scattered: pull the whole segment of the row four ahead.
            const char *ahead = (const char *)(x + rows[r + 4] * d + j0);
            for (long b = 0; b < (j1 - j0) * 4; b += 64) _mm_prefetch(ahead + b, _MM_HINT_T0);
        }
        if (from && from[i] >= 0) sums_row_avx512(sums + (long)from[i] * d, row, j0, j1, 1);
        if (to[i] >= 0) sums_row_avx512(sums + (long)to[i] * d, row, j0, j1, 0);
    }
}

__attribute__((target("avx2"), always_inline))
static inline void sums_row_avx2(double *s, const float *row, long j0, long j1, int subtract) {
    long j = j0;
    for (; j + 4 <= j1; j += 4) {
        const __m256d v = _mm256_cvtps_pd(_mm_loadu_ps(row + j)), t = _mm256_loadu_pd(s + j);
        _mm256_storeu_pd(s + j, subtract ? _mm256_sub_pd(t, v) : _mm256_add_pd(t, v));
    }
    sums_row_scalar(s, row, j, j1, subtract);
}

__attribute__((target("avx2")))
static void sums_avx2(const float *x, long d, long j0, long j1, const long *rows, long count,
                      const int32_t *from, const int32_t *to, double *sums) {
    for (long r = 0; r < count; r++) {
        const long i = rows ? rows[r] : r;
        const float *row = x + i * d;
        if (from && from[i] >= 0) sums_row_avx2(sums + (long)from[i] * d, row, j0, j1, 1);
        if (to[i] >= 0) sums_row_avx2(sums + (long)to[i] * d, row, j0, j1, 0);
    }
}
#endif

void lifestyle_lloyd_sums(int level, const float *x, long d, long j0, long j1, const long *rows, long count,
                          const int32_t *from, const int32_t *to, double *sums) {
    if (j1 <= j0 || count <= 0) return;
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    switch (nearest_level(level)) {
    case 2: sums_avx512(x, d, j0, j1, rows, count, from, to, sums); return;
    case 1: sums_avx2(x, d, j0, j1, rows, count, from, to, sums); return;
    default: break;
    }
#else
    (void)level;
#endif
    sums_scalar(x, d, j0, j1, rows, count, from, to, sums);
}
