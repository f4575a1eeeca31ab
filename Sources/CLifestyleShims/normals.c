// Standard normal deviates for the randomised SVD's test matrix: Marsaglia's polar method on
// batches of 64 candidate pairs, written as plain loops the compiler vectorises, built for
// AVX-512 (F + DQ: 64-bit multiplies), AVX2 and baseline x86-64, picked at run time.
//
// Every operation is IEEE single precision, rounded once (no fused multiply-add, no approximate
// reciprocals), on integers drawn by SplitMix64 exactly as Swift's `SeededGenerator`, so the
// deviates depend on the seed alone: the same on any CPU, any kernel, any libm.
#include "lifestyle_shims.h"
#include <string.h>

#pragma STDC FP_CONTRACT OFF

#define BATCH LIFESTYLE_NORMAL_BATCH

static inline __attribute__((always_inline)) uint64_t splitmix(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// ln x for positive normal floats (Cephes logf: x = m·2^e with m in [√½, √2), a degree-9
// polynomial in m − 1, e·ln 2 added in two parts); within 1 ulp.
static inline __attribute__((always_inline)) float log_positive(float x) {
    int32_t bits;
    memcpy(&bits, &x, 4);
    float e = (float)((bits >> 23) - 126);
    const int32_t mbits = (bits & 0x007FFFFF) | 0x3F000000;   // mantissa in [0.5, 1)
    float m;
    memcpy(&m, &mbits, 4);
    const int small = m < 0.707106781186547524f;
    e = small ? e - 1 : e;
    m = small ? m + m - 1 : m - 1;
    const float z = m * m;
    float y = 7.0376836292E-2f;
    y = y * m - 1.1514610310E-1f;
    y = y * m + 1.1676998740E-1f;
    y = y * m - 1.2420140846E-1f;
    y = y * m + 1.4249322787E-1f;
    y = y * m - 1.6668057665E-1f;
    y = y * m + 2.0000714765E-1f;
    y = y * m - 2.4999993993E-1f;
    y = y * m + 3.3333331174E-1f;
    y = y * m * z;
    y += -2.12194440E-4f * e;
    y += -0.5f * z;
    return m + y + 0.693359375f * e;
}

float lifestyle_log_positive(float x) { return log_positive(x); }

// One batch: 64 draws → u, v on a 2^-23 grid in [−1, 1); pairs with s = u² + v² in (0, 1) give
// u·f, v·f with f = √(−2 ln s / s), written in draw order. Returns the number written (even).
#define POLAR_BATCH_BODY                                                                                  \
    float u[BATCH], v[BATCH], f[BATCH];                                                                   \
    for (int l = 0; l < BATCH; l++) {                                                                     \
        const uint64_t w = splitmix(state);                                                               \
        u[l] = (float)(int32_t)(w >> 40) * 0x1p-23f - 1;                                                  \
        v[l] = (float)(int32_t)((w >> 16) & 0xFFFFFF) * 0x1p-23f - 1;                                     \
    }                                                                                                     \
    for (int l = 0; l < BATCH; l++) {                                                                     \
        const float s = u[l] * u[l] + v[l] * v[l];                                                        \
        const int keep = s < 1 && s > 0;                                                                  \
        const float t = keep ? s : 0.5f;                                                                  \
        const float g = __builtin_sqrtf(-2 * log_positive(t) / t);                                        \
        f[l] = keep ? g : 0;                                                                              \
    }                                                                                                     \
    int n = 0;                                                                                            \
    for (int l = 0; l < BATCH; l++) {                                                                     \
        out[n] = u[l] * f[l];                                                                             \
        out[n + 1] = v[l] * f[l];                                                                         \
        n += f[l] != 0 ? 2 : 0;                                                                           \
    }                                                                                                     \
    return n;

static int batch_baseline(uint64_t *state, float *out) { POLAR_BATCH_BODY }

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("avx2"))) static int batch_avx2(uint64_t *state, float *out) { POLAR_BATCH_BODY }
__attribute__((target("avx512f,avx512dq"))) static int batch_avx512(uint64_t *state, float *out) { POLAR_BATCH_BODY }

static int best_level(void) {
    static int level = -1;
    int l = __atomic_load_n(&level, __ATOMIC_RELAXED);
    if (l < 0) {
        __builtin_cpu_init();
        l = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&level, l, __ATOMIC_RELAXED);
    }
    return l;
}

static int batch(uint64_t *state, float *out) {
    const int l = best_level();
    return l == 2 ? batch_avx512(state, out) : l == 1 ? batch_avx2(state, out) : batch_baseline(state, out);
}

int lifestyle_normal_batch(int level, uint64_t *state, float *out) {
    if (level > best_level()) return -1;
    return level == 2 ? batch_avx512(state, out) : level == 1 ? batch_avx2(state, out) : batch_baseline(state, out);
}
#else
static int batch(uint64_t *state, float *out) { return batch_baseline(state, out); }
int lifestyle_normal_batch(int level, uint64_t *state, float *out) { return level == 0 ? batch_baseline(state, out) : -1; }
#endif

void lifestyle_normals_fill(lifestyle_normal_stream *stream, float *out, long count) {
    while (count > 0) {
        if (stream->next == stream->available) {
            int n = 0;
            while (n == 0) n = batch(&stream->state, stream->pending);
            stream->available = n;
            stream->next = 0;
        }
        long take = stream->available - stream->next;
        if (take > count) take = count;
        memcpy(out, stream->pending + stream->next, (size_t)take * sizeof(float));
        stream->next += (int)take;
        out += take;
        count -= take;
    }
}
