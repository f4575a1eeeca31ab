// CSR × dense gather kernels for AVX-512F and AVX2, picked at run time (see lifestyle_shims.h).
//
// Each output lane is the sum, in entry order, of val[p] * b[idx[p] * stride + lane], with the
// product and the sum rounded separately (no fused multiply-add): exactly the arithmetic of the
// portable Swift kernel, so results are bit-identical whichever kernel runs.
#include "lifestyle_shims.h"
#include <stdint.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#pragma STDC FP_CONTRACT OFF

// How many entries ahead the gathered rows are prefetched: about 128 lines in flight (measured on
// AMD EPYC Zen 4, one thread: k = 10, one line per entry, 5.2 ms at 8 ahead, 3.7 ms at 128; k = 100,
// seven lines, best at 16), and never fewer than 8 entries.
static inline long lookahead(long rowBytes) {
    const long la = 8192 / (rowBytes > 0 ? rowBytes : 64);
    return la < 8 ? 8 : la > 128 ? 128 : la;
}

// ---------------------------------------------------------------- AVX-512F (32 zmm registers)

#define Z_MAX 24   /* accumulators per pass: 384 floats (the SVD's 266-wide panels in one pass) */

__attribute__((target("avx512f"), always_inline))
static inline void z_pass(long lo, long hi, const long *rp, const int *idx, const float *val, long nnz,
                          const char *b, long rowBytes, long t0, long width, int nv, __mmask16 lastMask,
                          int first, float *out, long outStride) {
    const long ahead_entries = lookahead(rowBytes);
    for (long i = lo; i < hi; i++) {
        __m512 acc[Z_MAX];
        for (int a = 0; a < nv; a++) acc[a] = _mm512_setzero_ps();
        const long end = rp[i + 1];
        for (long p = rp[i]; p < end; p++) {
            if (p + ahead_entries < nnz) {
                const char *ahead = b + (long)idx[p + ahead_entries] * rowBytes + t0 * 4;
                if (first) {
                    // The first pass pulls whole rows in (later passes find them in L2); a row not
                    // starting on a line ends in one more.
                    _mm_prefetch(ahead, _MM_HINT_T0);
                    for (long line = 64; line < rowBytes; line += 64) _mm_prefetch(ahead + line, _MM_HINT_T0);
                    if (rowBytes & 63) _mm_prefetch(ahead + rowBytes - 1, _MM_HINT_T0);
                } else {
                    _mm_prefetch(ahead, _MM_HINT_T0);
                }
            }
            const __m512 v = _mm512_set1_ps(val[p]);
            const float *c = (const float *)(b + (long)idx[p] * rowBytes) + t0;
            for (int a = 0; a < nv - 1; a++) acc[a] = _mm512_add_ps(acc[a], _mm512_mul_ps(v, _mm512_loadu_ps(c + 16 * a)));
            acc[nv - 1] = _mm512_add_ps(acc[nv - 1], _mm512_mul_ps(v, _mm512_maskz_loadu_ps(lastMask, c + 16 * (nv - 1))));
        }
        float *row = out + (i - lo) * outStride + t0;
        for (int a = 0; a < nv - 1; a++) _mm512_storeu_ps(row + 16 * a, acc[a]);
        long left = width - t0 - 16 * (nv - 1);
        __mmask16 storeMask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        _mm512_mask_storeu_ps(row + 16 * (nv - 1), storeMask, acc[nv - 1]);
    }
}

// k ≤ 16 on a 16-float stride: one cache line per entry, one register.
__attribute__((target("avx512f"), always_inline))
static inline __m512 line_row(long i, const long *rp, const int *idx, const float *val, long nnz, const float *b) {
    __m512 acc = _mm512_setzero_ps();
    const long end = rp[i + 1];
    for (long p = rp[i]; p < end; p++) {
        if (p + 128 < nnz) _mm_prefetch((const char *)(b + ((long)idx[p + 128] << 4)), _MM_HINT_T0);
        acc = _mm512_add_ps(acc, _mm512_mul_ps(_mm512_set1_ps(val[p]), _mm512_loadu_ps(b + ((long)idx[p] << 4))));
    }
    return acc;
}

__attribute__((target("avx512f")))
static void gather_avx512_line(long lo, long hi, const long *rp, const int *idx, const float *val, long nnz,
                               const float *b, long width, float *out, long outStride) {
    const __mmask16 storeMask = width >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << width) - 1);
    for (long i = lo; i < hi; i++) _mm512_mask_storeu_ps(out + (i - lo) * outStride, storeMask, line_row(i, rp, idx, val, nnz, b));
}

// Spherical assignment for k ≤ 16 on a 16-float stride: the row's dot products as
// gather_avx512_line computes them, each multiplied by its centre's scale; the first largest wins (lanes ≥ k
// never do); distance max(0, 1 − top·s) as the Swift loop writes it.
__attribute__((target("avx512f")))
static void spherical_avx512(long lo, long hi, const long *rp, const int *idx, const float *val, long nnz,
                             const float *b, long k, const float *scales, const float *rowScale,
                             int32_t *labels, float *distances, double *objective, long *changed) {
    const __mmask16 inK = (__mmask16)((1u << k) - 1);
    const __m512 cs = _mm512_maskz_loadu_ps(inK, scales);
    const __m512 lowest = _mm512_set1_ps(-__builtin_inff());
    double total = 0;
    long moved = 0;
    for (long i = lo; i < hi; i++) {
        const __m512 acc = line_row(i, rp, idx, val, nnz, b);
        const float s = rowScale[i];
        if (s == 0) { labels[i] = -1; distances[i] = 0; continue; }
        const __m512 v = _mm512_mask_mov_ps(lowest, inK, _mm512_mul_ps(acc, cs));
        const float top = _mm512_reduce_max_ps(v);
        const __mmask16 at = _mm512_mask_cmp_ps_mask(inK, v, _mm512_set1_ps(top), _CMP_EQ_OQ);
        const int32_t best = at ? (int32_t)__builtin_ctz((unsigned)at) : 0;
        const float d = 1 - top * s;
        const float distance = d >= 0 ? d : 0;
        if (labels[i] != best) { moved++; labels[i] = best; }
        distances[i] = distance;
        total += (double)distance;
    }
    *objective = total;
    *changed = moved;
}

#define Z_CASE(N) case N: z_pass(lo, hi, rp, idx, val, nnz, b, rowBytes, t0, width, N, lastMask, first, out, outStride); break;

__attribute__((target("avx512f")))
static void gather_avx512(long lo, long hi, const long *rp, const int *idx, const float *val, long nnz,
                          const float *bf, long stride, long width, float *out, long outStride) {
    if (stride == 16) { gather_avx512_line(lo, hi, rp, idx, val, nnz, bf, width, out, outStride); return; }
    const char *b = (const char *)bf;
    const long rowBytes = stride * 4;
    const long vectors = (width + 15) / 16;
    const long passes = (vectors + Z_MAX - 1) / Z_MAX;
    const long perPass = (vectors + passes - 1) / passes;
    for (long t0 = 0, pass = 0; t0 < width; t0 += 16 * perPass, pass++) {
        const long lanes = width - t0 < 16 * perPass ? width - t0 : 16 * perPass;
        const int nv = (int)((lanes + 15) / 16);
        // Lanes of the last vector that lie inside the row stride (the rest may belong to the next row).
        const long inStride = stride - t0 - 16 * (nv - 1);
        const __mmask16 lastMask = inStride >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << inStride) - 1);
        const int first = pass == 0;
        switch (nv) {
            Z_CASE(1) Z_CASE(2) Z_CASE(3) Z_CASE(4) Z_CASE(5) Z_CASE(6) Z_CASE(7) Z_CASE(8)
            Z_CASE(9) Z_CASE(10) Z_CASE(11) Z_CASE(12) Z_CASE(13) Z_CASE(14) Z_CASE(15) Z_CASE(16)
            Z_CASE(17) Z_CASE(18) Z_CASE(19) Z_CASE(20) Z_CASE(21) Z_CASE(22) Z_CASE(23) Z_CASE(24)
            default: break;
        }
    }
}

// ---------------------------------------------------------------- AVX2 (16 ymm registers)

#define Y_MAX 12   /* accumulators per pass: 96 floats */

__attribute__((target("avx2"), always_inline))
static inline void y_pass(long lo, long hi, const long *rp, const int *idx, const float *val, long nnz,
                          const char *b, long rowBytes, long t0, long width, int nv, __m256i lastMask,
                          int first, float *out, long outStride) {
    const long ahead_entries = lookahead(rowBytes);
    for (long i = lo; i < hi; i++) {
        __m256 acc[Y_MAX];
        for (int a = 0; a < nv; a++) acc[a] = _mm256_setzero_ps();
        const long end = rp[i + 1];
        for (long p = rp[i]; p < end; p++) {
            if (p + ahead_entries < nnz) {
                const char *ahead = b + (long)idx[p + ahead_entries] * rowBytes + t0 * 4;
                if (first) {
                    // The first pass pulls whole rows in (later passes find them in L2); a row not
                    // starting on a line ends in one more.
                    _mm_prefetch(ahead, _MM_HINT_T0);
                    for (long line = 64; line < rowBytes; line += 64) _mm_prefetch(ahead + line, _MM_HINT_T0);
                    if (rowBytes & 63) _mm_prefetch(ahead + rowBytes - 1, _MM_HINT_T0);
                } else {
                    _mm_prefetch(ahead, _MM_HINT_T0);
                }
            }
            const __m256 v = _mm256_set1_ps(val[p]);
            const float *c = (const float *)(b + (long)idx[p] * rowBytes) + t0;
            for (int a = 0; a < nv - 1; a++) acc[a] = _mm256_add_ps(acc[a], _mm256_mul_ps(v, _mm256_loadu_ps(c + 8 * a)));
            acc[nv - 1] = _mm256_add_ps(acc[nv - 1], _mm256_mul_ps(v, _mm256_maskload_ps(c + 8 * (nv - 1), lastMask)));
        }
        float *row = out + (i - lo) * outStride + t0;
        for (int a = 0; a < nv - 1; a++) _mm256_storeu_ps(row + 8 * a, acc[a]);
        long left = width - t0 - 8 * (nv - 1);
        if (left >= 8) {
            _mm256_storeu_ps(row + 8 * (nv - 1), acc[nv - 1]);
        } else {
            float lanes[8];
            _mm256_storeu_ps(lanes, acc[nv - 1]);
            for (long l = 0; l < left; l++) row[8 * (nv - 1) + l] = lanes[l];
        }
    }
}

#define Y_CASE(N) case N: y_pass(lo, hi, rp, idx, val, nnz, b, rowBytes, t0, width, N, lastMask, first, out, outStride); break;

__attribute__((target("avx2")))
static void gather_avx2(long lo, long hi, const long *rp, const int *idx, const float *val, long nnz,
                        const float *bf, long stride, long width, float *out, long outStride) {
    const char *b = (const char *)bf;
    const long rowBytes = stride * 4;
    const long vectors = (width + 7) / 8;
    const long passes = (vectors + Y_MAX - 1) / Y_MAX;
    const long perPass = (vectors + passes - 1) / passes;
    for (long t0 = 0, pass = 0; t0 < width; t0 += 8 * perPass, pass++) {
        const long lanes = width - t0 < 8 * perPass ? width - t0 : 8 * perPass;
        const int nv = (int)((lanes + 7) / 8);
        const long inStride = stride - t0 - 8 * (nv - 1);
        int32_t m[8];
        for (int l = 0; l < 8; l++) m[l] = l < inStride ? -1 : 0;
        const __m256i lastMask = _mm256_loadu_si256((const __m256i *)m);
        const int first = pass == 0;
        switch (nv) {
            Y_CASE(1) Y_CASE(2) Y_CASE(3) Y_CASE(4) Y_CASE(5) Y_CASE(6)
            Y_CASE(7) Y_CASE(8) Y_CASE(9) Y_CASE(10) Y_CASE(11) Y_CASE(12)
            default: break;
        }
    }
}

int lifestyle_spherical_assign(int level, long lo, long hi, const long *rp, const int *idx, const float *val, long nnz,
                               const float *table, long stride, long k, const float *scales, const float *rowScale,
                               int32_t *labels, float *distances, double *objective, long *changed) {
    if (level < 2 || stride != 16 || k < 1 || k > 16 || level > lifestyle_gather_detected_level()) return 0;
    spherical_avx512(lo, hi, rp, idx, val, nnz, table, k, scales, rowScale, labels, distances, objective, changed);
    return 1;
}

int lifestyle_gather_detected_level(void) {
    static int level = -1;
    int l = __atomic_load_n(&level, __ATOMIC_RELAXED);
    if (l < 0) {
        __builtin_cpu_init();
        l = __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&level, l, __ATOMIC_RELAXED);
    }
    return l;
}

int lifestyle_csr_gather(int level, long lo, long hi, const long *rp, const int *idx, const float *val, long nnz,
                         const float *b, long stride, long width, float *out, long outStride) {
    if (width <= 0 || stride < width || outStride < width || level > lifestyle_gather_detected_level()) return 0;
    switch (level) {
    case 2: gather_avx512(lo, hi, rp, idx, val, nnz, b, stride, width, out, outStride); return 1;
    case 1: gather_avx2(lo, hi, rp, idx, val, nnz, b, stride, width, out, outStride); return 1;
    default: return 0;
    }
}

#else
int lifestyle_spherical_assign(int level, long lo, long hi, const long *rp, const int *idx, const float *val, long nnz,
                               const float *table, long stride, long k, const float *scales, const float *rowScale,
                               int32_t *labels, float *distances, double *objective, long *changed) {
    (void)level; (void)lo; (void)hi; (void)rp; (void)idx; (void)val; (void)nnz; (void)table; (void)stride; (void)k;
    (void)scales; (void)rowScale; (void)labels; (void)distances; (void)objective; (void)changed;
    return 0;
}
int lifestyle_gather_detected_level(void) { return 0; }
int lifestyle_csr_gather(int level, long lo, long hi, const long *rp, const int *idx, const float *val, long nnz,
                         const float *b, long stride, long width, float *out, long outStride) {
    (void)level; (void)lo; (void)hi; (void)rp; (void)idx; (void)val; (void)nnz; (void)b; (void)stride; (void)width; (void)out; (void)outStride;
    return 0;
}
#endif
