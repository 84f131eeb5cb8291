/* The fast path's AVX2 and AVX-512 kernels; see include/conv_kernels.h. */
#include "conv_kernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define CCK_TARGET __attribute__((target("avx512f,avx512vl,avx2,fma")))
#define CCK_INLINE static inline __attribute__((always_inline)) CCK_TARGET

int cck_avx512_available(void) {
    __builtin_cpu_init();
    /* The runtime's check also asks the OS (XGETBV) whether it saves the 512-bit state. */
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
}

/* MARK: - AVX-512 */

/* MARK: GEMM micro-kernels */

/* Four rows of a packed panel times 48 columns: 12 accumulators, 3 loads and 4 broadcasts
 * per k. Every output is one chain of fused multiply-adds over k, as in gemm4x24. */
CCK_INLINE void k4x48(const float *a, const float *b, const long *off, long kc, float *c,
                      long ldc, int acc) {
    __m512 r[4][3];
    for (int i = 0; i < 4; i++)
        for (int v = 0; v < 3; v++)
            r[i][v] = acc ? _mm512_loadu_ps(c + i * ldc + 16 * v) : _mm512_setzero_ps();
    for (long k = 0; k < kc; k++) {
        const float *bp = b + off[k];
        __m512 b0 = _mm512_loadu_ps(bp), b1 = _mm512_loadu_ps(bp + 16),
               b2 = _mm512_loadu_ps(bp + 32);
        for (int i = 0; i < 4; i++) {
            __m512 ai = _mm512_set1_ps(a[i]);
            r[i][0] = _mm512_fmadd_ps(ai, b0, r[i][0]);
            r[i][1] = _mm512_fmadd_ps(ai, b1, r[i][1]);
            r[i][2] = _mm512_fmadd_ps(ai, b2, r[i][2]);
        }
        a += 4;
    }
    for (int i = 0; i < 4; i++)
        for (int v = 0; v < 3; v++) _mm512_storeu_ps(c + i * ldc + 16 * v, r[i][v]);
}

/* Four rows times the last 24 columns: 16 + 8 lanes per row. */
CCK_INLINE void k4x24(const float *a, const float *b, const long *off, long kc, float *c,
                      long ldc, int acc) {
    __m512 lo[4];
    __m256 hi[4];
    for (int i = 0; i < 4; i++) {
        lo[i] = acc ? _mm512_loadu_ps(c + i * ldc) : _mm512_setzero_ps();
        hi[i] = acc ? _mm256_loadu_ps(c + i * ldc + 16) : _mm256_setzero_ps();
    }
    for (long k = 0; k < kc; k++) {
        const float *bp = b + off[k];
        __m512 b0 = _mm512_loadu_ps(bp);
        __m256 b1 = _mm256_loadu_ps(bp + 16);
        for (int i = 0; i < 4; i++) {
            lo[i] = _mm512_fmadd_ps(_mm512_set1_ps(a[i]), b0, lo[i]);
            hi[i] = _mm256_fmadd_ps(_mm256_set1_ps(a[i]), b1, hi[i]);
        }
        a += 4;
    }
    for (int i = 0; i < 4; i++) {
        _mm512_storeu_ps(c + i * ldc, lo[i]);
        _mm256_storeu_ps(c + i * ldc + 16, hi[i]);
    }
}

/* One row times 48 columns, k split four ways and the partial sums added as gemm1x24 adds
 * them: ((s0 + s1) + (s2 + s3)), then the earlier depth blocks' sum. */
CCK_INLINE void k1x48(const float *a, const float *b, const long *off, long kc, float *c,
                      int acc) {
    __m512 s[4][3];
    for (int u = 0; u < 4; u++)
        for (int v = 0; v < 3; v++) s[u][v] = _mm512_setzero_ps();
    long k = 0;
    for (; k + 4 <= kc; k += 4)
        for (int u = 0; u < 4; u++) {
            const float *p = b + off[k + u];
            __m512 au = _mm512_set1_ps(a[k + u]);
            for (int v = 0; v < 3; v++)
                s[u][v] = _mm512_fmadd_ps(au, _mm512_loadu_ps(p + 16 * v), s[u][v]);
        }
    for (; k < kc; k++) {
        const float *p = b + off[k];
        __m512 a0 = _mm512_set1_ps(a[k]);
        for (int v = 0; v < 3; v++)
            s[0][v] = _mm512_fmadd_ps(a0, _mm512_loadu_ps(p + 16 * v), s[0][v]);
    }
    for (int v = 0; v < 3; v++) {
        __m512 r = _mm512_add_ps(_mm512_add_ps(s[0][v], s[1][v]), _mm512_add_ps(s[2][v], s[3][v]));
        if (acc) r = _mm512_add_ps(r, _mm512_loadu_ps(c + 16 * v));
        _mm512_storeu_ps(c + 16 * v, r);
    }
}

/* One row times the last 24 columns (as k1x48). */
CCK_INLINE void k1x24(const float *a, const float *b, const long *off, long kc, float *c,
                      int acc) {
    __m512 lo[4];
    __m256 hi[4];
    for (int u = 0; u < 4; u++) {
        lo[u] = _mm512_setzero_ps();
        hi[u] = _mm256_setzero_ps();
    }
    long k = 0;
    for (; k + 4 <= kc; k += 4)
        for (int u = 0; u < 4; u++) {
            const float *p = b + off[k + u];
            lo[u] = _mm512_fmadd_ps(_mm512_set1_ps(a[k + u]), _mm512_loadu_ps(p), lo[u]);
            hi[u] = _mm256_fmadd_ps(_mm256_set1_ps(a[k + u]), _mm256_loadu_ps(p + 16), hi[u]);
        }
    for (; k < kc; k++) {
        const float *p = b + off[k];
        lo[0] = _mm512_fmadd_ps(_mm512_set1_ps(a[k]), _mm512_loadu_ps(p), lo[0]);
        hi[0] = _mm256_fmadd_ps(_mm256_set1_ps(a[k]), _mm256_loadu_ps(p + 16), hi[0]);
    }
    __m512 rl = _mm512_add_ps(_mm512_add_ps(lo[0], lo[1]), _mm512_add_ps(lo[2], lo[3]));
    __m256 rh = _mm256_add_ps(_mm256_add_ps(hi[0], hi[1]), _mm256_add_ps(hi[2], hi[3]));
    if (acc) {
        rl = _mm512_add_ps(rl, _mm512_loadu_ps(c));
        rh = _mm256_add_ps(rh, _mm256_loadu_ps(c + 16));
    }
    _mm512_storeu_ps(c, rl);
    _mm256_storeu_ps(c + 16, rh);
}

/* MARK: GEMM driver */

CCK_TARGET void cck_gemm_avx512(long rows, long depth, long columns, const float *a,
                                const float *b, const long *offsets, float *c, long ldc) {
    const long kBlock = 256;
    const long panels = rows / 4;
    for (long k0 = 0; k0 < depth; k0 += kBlock) {
        long kc = depth - k0 < kBlock ? depth - k0 : kBlock;
        int acc = k0 > 0;
        long t = 0;
        for (; t + 48 <= columns; t += 48) {
            for (long p = 0; p < panels; p++)
                k4x48(a + (p * depth + k0) * 4, b + t, offsets + k0, kc, c + p * 4 * ldc + t,
                      ldc, acc);
            for (long row = panels * 4; row < rows; row++)
                k1x48(a + row * depth + k0, b + t, offsets + k0, kc, c + row * ldc + t, acc);
        }
        for (; t < columns; t += 24) {
            for (long p = 0; p < panels; p++)
                k4x24(a + (p * depth + k0) * 4, b + t, offsets + k0, kc, c + p * 4 * ldc + t,
                      ldc, acc);
            for (long row = panels * 4; row < rows; row++)
                k1x24(a + row * depth + k0, b + t, offsets + k0, kc, c + row * ldc + t, acc);
        }
    }
}

/* MARK: Weight-gradient kernel */

/* Four rows of d against J taps of b (J = 3 or 6), 16 lanes per step (the last 8 with a mask),
 * added to acc (16 floats per row and tap, pitch ldacc entries). With J = 6, 24 accumulators
 * take 10 loads per 24 fused multiply-adds. */
#define CCK_DOT_KERNEL(NAME, J)                                                               \
    CCK_INLINE void NAME(const float *d, long ldd, const float *b, const long *off,           \
                         long length, float *acc, long ldacc) {                               \
        const float *dr[4] = {d, d + ldd, d + 2 * ldd, d + 3 * ldd};                          \
        const float *bj[J];                                                                   \
        for (int j = 0; j < J; j++) bj[j] = b + off[j];                                       \
        __m512 s[4][J];                                                                       \
        for (int i = 0; i < 4; i++)                                                           \
            for (int j = 0; j < J; j++) s[i][j] = _mm512_setzero_ps();                        \
        long t = 0;                                                                           \
        for (; t + 16 <= length; t += 16) {                                                   \
            __m512 y[4];                                                                      \
            for (int i = 0; i < 4; i++) y[i] = _mm512_loadu_ps(dr[i] + t);                    \
            for (int j = 0; j < J; j++) {                                                     \
                __m512 x = _mm512_loadu_ps(bj[j] + t);                                        \
                for (int i = 0; i < 4; i++) s[i][j] = _mm512_fmadd_ps(y[i], x, s[i][j]);      \
            }                                                                                 \
        }                                                                                     \
        if (t < length) {                                                                     \
            const __mmask16 low = 0x00FF;                                                     \
            __m512 y[4];                                                                      \
            for (int i = 0; i < 4; i++) y[i] = _mm512_maskz_loadu_ps(low, dr[i] + t);         \
            for (int j = 0; j < J; j++) {                                                     \
                __m512 x = _mm512_maskz_loadu_ps(low, bj[j] + t);                             \
                for (int i = 0; i < 4; i++) s[i][j] = _mm512_fmadd_ps(y[i], x, s[i][j]);      \
            }                                                                                 \
        }                                                                                     \
        for (int i = 0; i < 4; i++)                                                           \
            for (int j = 0; j < J; j++) {                                                     \
                float *p = acc + (i * ldacc + j) * 16;                                        \
                _mm512_storeu_ps(p, _mm512_add_ps(_mm512_loadu_ps(p), s[i][j]));              \
            }                                                                                 \
    }

CCK_DOT_KERNEL(dot4x3, 3)
CCK_DOT_KERNEL(dot4x6, 6)

CCK_TARGET void cck_dot_all_avx512(const float *d, long ldd, long paddedRows, const float *b,
                                   const long *offsets, long paddedTaps, long length,
                                   float *acc) {
    for (long r = 0; r < paddedRows; r += 4) {
        long j = 0;
        for (; j + 6 <= paddedTaps; j += 6)
            dot4x6(d + r * ldd, ldd, b, offsets + j, length, acc + (r * paddedTaps + j) * 16,
                   paddedTaps);
        for (; j < paddedTaps; j += 3)
            dot4x3(d + r * ldd, ldd, b, offsets + j, length, acc + (r * paddedTaps + j) * 16,
                   paddedTaps);
    }
}

/* MARK: FMA peak */

CCK_TARGET float cck_fma_loop_avx512(long iterations, float seed) {
    const __m512 m = _mm512_set1_ps(0.999999f), a = _mm512_set1_ps(1e-7f);
    __m512 c[12];
    for (int i = 0; i < 12; i++) c[i] = _mm512_set1_ps(seed + (float)i);
    for (long n = 0; n < iterations; n++)
        for (int i = 0; i < 12; i++) c[i] = _mm512_fmadd_ps(c[i], m, a);
    __m512 s = c[0];
    for (int i = 1; i < 12; i++) s = _mm512_add_ps(s, c[i]);
    return _mm512_reduce_add_ps(s);
}

/* MARK: - AVX2 + FMA */

#define CCK_TARGET2 __attribute__((target("avx2,fma")))
#define CCK_INLINE2 static inline __attribute__((always_inline)) CCK_TARGET2

int cck_avx2_available(void) {
    __builtin_cpu_init();
    /* The runtime's check also asks the OS (XGETBV) whether it saves the 256-bit state. */
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

/* MR rows times 8 * V columns (MR = 6 or 4, V = 2 or 1). A tile may start in the middle of a
 * packed panel: its rows i < n0 read a0[i] and the others a1[i - n0] (each steps 4 floats per
 * k). 6x16 holds 12 accumulators, 2 loads of b and 1 broadcast: 15 of the 16 ymm registers,
 * which clang allocates without spills (a 4x24 tile needs all 16, and clang's loop then spilt
 * one accumulator and shuffled the rest every k: 47 GFLOP/s on the large layer's forward against
 * 110+ now). Every output is one chain of fused multiply-adds over k, as in k4x48. */
#define CCK_GEMM_TILE_AVX2(NAME, MR, V)                                                       \
    CCK_INLINE2 void NAME(const float *a0, const float *a1, int n0, const float *b,            \
                          const long *off, long kc, float *c, long ldc, int acc) {              \
        __m256 r[MR][V];                                                                       \
        for (int i = 0; i < MR; i++)                                                           \
            for (int v = 0; v < V; v++)                                                        \
                r[i][v] = acc ? _mm256_loadu_ps(c + i * ldc + 8 * v) : _mm256_setzero_ps();    \
        for (long k = 0; k < kc; k++) {                                                        \
            const float *bp = b + off[k];                                                      \
            __m256 bv[V];                                                                      \
            for (int v = 0; v < V; v++) bv[v] = _mm256_loadu_ps(bp + 8 * v);                   \
            for (int i = 0; i < MR; i++) {                                                     \
                __m256 ai = _mm256_broadcast_ss(i < n0 ? a0 + i : a1 + (i - n0));              \
                for (int v = 0; v < V; v++) r[i][v] = _mm256_fmadd_ps(ai, bv[v], r[i][v]);     \
            }                                                                                  \
            a0 += 4;                                                                           \
            a1 += 4;                                                                           \
        }                                                                                      \
        for (int i = 0; i < MR; i++)                                                           \
            for (int v = 0; v < V; v++) _mm256_storeu_ps(c + i * ldc + 8 * v, r[i][v]);        \
    }

CCK_GEMM_TILE_AVX2(k6x16_avx2, 6, 2)
CCK_GEMM_TILE_AVX2(k6x8_avx2, 6, 1)
CCK_GEMM_TILE_AVX2(k4x16_avx2, 4, 2)
CCK_GEMM_TILE_AVX2(k4x8_avx2, 4, 1)

/* One tile of mr (6 or 4) rows from `row` (even, below the last full panel) over 16 columns
 * (8 when !wide) of depth block k0: finds the tile's rows in the 4-row panels and calls the
 * kernel with a constant split (n0 = 4 or 2), so that the compiler drops the row test. */
CCK_INLINE2 void tile_avx2(int mr, int wide, const float *a, long depth, long k0, long row,
                           const float *b, const long *off, long kc, float *c, long ldc,
                           int acc) {
    const float *a0 = a + ((row / 4) * depth + k0) * 4 + row % 4;
    const int n0 = 4 - (int)(row % 4);
    const float *a1 = n0 < mr ? a + ((row / 4 + 1) * depth + k0) * 4 : a0;
    float *cr = c + row * ldc;
    if (mr == 6 && wide)
        n0 == 4 ? k6x16_avx2(a0, a1, 4, b, off, kc, cr, ldc, acc)
                : k6x16_avx2(a0, a1, 2, b, off, kc, cr, ldc, acc);
    else if (mr == 6)
        n0 == 4 ? k6x8_avx2(a0, a1, 4, b, off, kc, cr, ldc, acc)
                : k6x8_avx2(a0, a1, 2, b, off, kc, cr, ldc, acc);
    else if (wide)
        n0 == 4 ? k4x16_avx2(a0, a1, 4, b, off, kc, cr, ldc, acc)
                : k4x16_avx2(a0, a1, 2, b, off, kc, cr, ldc, acc);
    else
        n0 == 4 ? k4x8_avx2(a0, a1, 4, b, off, kc, cr, ldc, acc)
                : k4x8_avx2(a0, a1, 2, b, off, kc, cr, ldc, acc);
}

/* One row times 24 columns, k split four ways and the partial sums added as k1x48 adds them:
 * ((s0 + s1) + (s2 + s3)), then the earlier depth blocks' sum. */
CCK_INLINE2 void k1x24_avx2(const float *a, const float *b, const long *off, long kc, float *c,
                            int acc) {
    __m256 s[4][3];
    for (int u = 0; u < 4; u++)
        for (int v = 0; v < 3; v++) s[u][v] = _mm256_setzero_ps();
    long k = 0;
    for (; k + 4 <= kc; k += 4)
        for (int u = 0; u < 4; u++) {
            const float *p = b + off[k + u];
            __m256 au = _mm256_broadcast_ss(a + k + u);
            for (int v = 0; v < 3; v++)
                s[u][v] = _mm256_fmadd_ps(au, _mm256_loadu_ps(p + 8 * v), s[u][v]);
        }
    for (; k < kc; k++) {
        const float *p = b + off[k];
        __m256 a0 = _mm256_broadcast_ss(a + k);
        for (int v = 0; v < 3; v++)
            s[0][v] = _mm256_fmadd_ps(a0, _mm256_loadu_ps(p + 8 * v), s[0][v]);
    }
    for (int v = 0; v < 3; v++) {
        __m256 r = _mm256_add_ps(_mm256_add_ps(s[0][v], s[1][v]), _mm256_add_ps(s[2][v], s[3][v]));
        if (acc) r = _mm256_add_ps(r, _mm256_loadu_ps(c + 8 * v));
        _mm256_storeu_ps(c + 8 * v, r);
    }
}

CCK_TARGET2 void cck_gemm_avx2(long rows, long depth, long columns, const float *a,
                               const float *b, const long *offsets, float *c, long ldc) {
    const long kBlock = 256;
    /* The rows of full panels are tiled by 6, then one or two tiles of 4 end them (32 rows:
     * 6+6+6+6+4+4; 16: 6+6+4); the rows after them one at a time, as AVX-512 does. */
    const long panelRows = rows / 4 * 4;
    const long sixes = panelRows % 6 == 2 ? (panelRows - 8) / 6 : panelRows / 6;
    for (long k0 = 0; k0 < depth; k0 += kBlock) {
        long kc = depth - k0 < kBlock ? depth - k0 : kBlock;
        int acc = k0 > 0;
        for (long t = 0; t < columns; t += 16) {
            const int wide = t + 16 <= columns;
            long row = 0;
            for (long s6 = 0; s6 < sixes; s6++, row += 6)
                tile_avx2(6, wide, a, depth, k0, row, b + t, offsets + k0, kc, c + t, ldc, acc);
            for (; row < panelRows; row += 4)
                tile_avx2(4, wide, a, depth, k0, row, b + t, offsets + k0, kc, c + t, ldc, acc);
        }
        for (long t = 0; t < columns; t += 24)
            for (long row = panelRows; row < rows; row++)
                k1x24_avx2(a + row * depth + k0, b + t, offsets + k0, kc, c + row * ldc + t, acc);
    }
}

/* R rows of d against J taps of b, 8 lanes per step, continuing the chains already in acc (8
 * floats per row and tap, pitch ldacc entries). 3x4 keeps 12 accumulators, the 3 rows of d and
 * one tap of b at a time: all 16 ymm registers, 7 loads per 12 fused multiply-adds, which clang
 * allocates without spills (a 4x3 tile needs 17 registers, and clang spilt an accumulator
 * through memory on every step). Measured on the large layer's dw alone, one thread, best of 7
 * medians: 4x3 (spilling) 64-column chunks 4.3 ms; 2x6 512: 3.2 ms; 3x4 512: 3.0 ms. */
#define CCK_DOT_KERNEL_AVX2(NAME, R, J)                                                       \
    CCK_INLINE2 void NAME(const float *d, long ldd, const float *b, const long *off,           \
                          long length, float *acc, long ldacc) {                               \
        const float *bj[J];                                                                    \
        for (int j = 0; j < J; j++) bj[j] = b + off[j];                                        \
        __m256 s[R][J];                                                                        \
        for (int i = 0; i < R; i++)                                                            \
            for (int j = 0; j < J; j++) s[i][j] = _mm256_loadu_ps(acc + (i * ldacc + j) * 8);  \
        for (long t = 0; t < length; t += 8) {                                                 \
            __m256 y[R];                                                                       \
            for (int i = 0; i < R; i++) y[i] = _mm256_loadu_ps(d + i * ldd + t);               \
            for (int j = 0; j < J; j++) {                                                      \
                __m256 x = _mm256_loadu_ps(bj[j] + t);                                         \
                for (int i = 0; i < R; i++) s[i][j] = _mm256_fmadd_ps(y[i], x, s[i][j]);       \
            }                                                                                  \
        }                                                                                      \
        for (int i = 0; i < R; i++)                                                            \
            for (int j = 0; j < J; j++) _mm256_storeu_ps(acc + (i * ldacc + j) * 8, s[i][j]);  \
    }

CCK_DOT_KERNEL_AVX2(dot3x4_avx2, 3, 4)
CCK_DOT_KERNEL_AVX2(dot3x3_avx2, 3, 3)
CCK_DOT_KERNEL_AVX2(dot2x4_avx2, 2, 4)
CCK_DOT_KERNEL_AVX2(dot2x3_avx2, 2, 3)
CCK_DOT_KERNEL_AVX2(dot1x4_avx2, 1, 4)
CCK_DOT_KERNEL_AVX2(dot1x3_avx2, 1, 3)

/* Rows in tiles of 3 (the last of 1 or 2); taps in tiles of 4 up to the last multiple of 12,
 * then of 3 (paddedTaps is a multiple of 3). */
CCK_TARGET2 void cck_dot_all_avx2(const float *d, long ldd, long paddedRows, const float *b,
                                  const long *offsets, long paddedTaps, long length, float *acc) {
    const long wideTaps = paddedTaps / 12 * 12;
    for (long r = 0; r < paddedRows; r += 3) {
        const long rowsLeft = paddedRows - r;
        const float *dr = d + r * ldd;
        for (long j = 0; j < paddedTaps;) {
            float *ac = acc + (r * paddedTaps + j) * 8;
            const long *oj = offsets + j;
            if (j < wideTaps) {
                if (rowsLeft >= 3) dot3x4_avx2(dr, ldd, b, oj, length, ac, paddedTaps);
                else if (rowsLeft == 2) dot2x4_avx2(dr, ldd, b, oj, length, ac, paddedTaps);
                else dot1x4_avx2(dr, ldd, b, oj, length, ac, paddedTaps);
                j += 4;
            } else {
                if (rowsLeft >= 3) dot3x3_avx2(dr, ldd, b, oj, length, ac, paddedTaps);
                else if (rowsLeft == 2) dot2x3_avx2(dr, ldd, b, oj, length, ac, paddedTaps);
                else dot1x3_avx2(dr, ldd, b, oj, length, ac, paddedTaps);
                j += 3;
            }
        }
    }
}

CCK_TARGET2 float cck_fma_loop_avx2(long iterations, float seed) {
    const __m256 m = _mm256_set1_ps(0.999999f), a = _mm256_set1_ps(1e-7f);
    __m256 c[12];
    for (int i = 0; i < 12; i++) c[i] = _mm256_set1_ps(seed + (float)i);
    for (long n = 0; n < iterations; n++)
        for (int i = 0; i < 12; i++) c[i] = _mm256_fmadd_ps(c[i], m, a);
    __m256 s = c[0];
    for (int i = 1; i < 12; i++) s = _mm256_add_ps(s, c[i]);
    float lanes[8];
    _mm256_storeu_ps(lanes, s);
    float total = 0;
    for (int i = 0; i < 8; i++) total += lanes[i];
    return total;
}

#else

int cck_avx512_available(void) { return 0; }

void cck_gemm_avx512(long rows, long depth, long columns, const float *a, const float *b,
                     const long *offsets, float *c, long ldc) {
    (void)rows, (void)depth, (void)columns, (void)a, (void)b, (void)offsets, (void)c, (void)ldc;
}

void cck_dot_all_avx512(const float *d, long ldd, long paddedRows, const float *b,
                        const long *offsets, long paddedTaps, long length, float *acc) {
    (void)d, (void)ldd, (void)paddedRows, (void)b, (void)offsets, (void)paddedTaps,
        (void)length, (void)acc;
}

float cck_fma_loop_avx512(long iterations, float seed) {
    (void)iterations;
    return seed;
}


int cck_avx2_available(void) { return 0; }

void cck_gemm_avx2(long rows, long depth, long columns, const float *a, const float *b,
                   const long *offsets, float *c, long ldc) {
    (void)rows, (void)depth, (void)columns, (void)a, (void)b, (void)offsets, (void)c, (void)ldc;
}

void cck_dot_all_avx2(const float *d, long ldd, long paddedRows, const float *b,
                      const long *offsets, long paddedTaps, long length, float *acc) {
    (void)d, (void)ldd, (void)paddedRows, (void)b, (void)offsets, (void)paddedTaps,
        (void)length, (void)acc;
}

float cck_fma_loop_avx2(long iterations, float seed) {
    (void)iterations;
    return seed;
}

#endif
