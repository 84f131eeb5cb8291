/* ConvCore's AVX-512 kernels: the same loops as FastKernels.swift (AVX2, SIMD8<Float>) on
 * 16-lane registers, compiled for AVX-512 with a per-function target attribute and called only
 * when the processor has it (cfk_avx512_available). On other processors and architectures the
 * functions exist but must not be called. */
#ifndef CONVSCOPE_FAST_KERNELS_H
#define CONVSCOPE_FAST_KERNELS_H

/* 1 when this processor (and its operating system) runs AVX-512F and AVX-512VL code. */
int cfk_avx512_available(void);

/* c[m][t] = sum_k A[m][k] * b[offsets[k] + t] for m < rows, t < columns (a multiple of 24).
 * A is packed as FastKernels.packA packs it: panels of 4 rows interleaved by k, then single
 * rows. Bit for bit the result of FastKernels.gemm: the same depth blocks of 256, the same
 * order of fused multiply-adds for every output, the same 4-way split for single rows. */
void cfk_gemm_avx512(long rows, long depth, long columns, const float *a, const float *b,
                     const long *offsets, float *c, long ldc);

/* FastKernels.dotAll on 16 lanes: for every tile of 4 rows r and 3 taps j,
 * acc[(r * paddedTaps + j) * 16 + lane] += sum over t = lane (mod 16) of d[r * ldd + t] *
 * b[offsets[j] + t], t < length (a multiple of 8). The caller adds the 16 lanes up at the end,
 * so sums group differently from the AVX2 kernel (same terms, another order). */
void cfk_dot_all_avx512(const float *d, long ldd, long paddedRows, const float *b,
                        const long *offsets, long paddedTaps, long length, float *acc);

/* Runs 12 independent chains of 16-lane fused multiply-adds `iterations` times (the AVX-512
 * FMA peak: 2 * 16 * 12 * iterations FLOP); returns a value that depends on them. */
float cfk_fma_loop_avx512(long iterations, float seed);

#endif
