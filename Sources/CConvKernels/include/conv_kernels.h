/* ConvKernels' AVX2 and AVX-512 kernels: the loops of FastKernels.swift on 8-lane (AVX2 + FMA)
 * and 16-lane (AVX-512) registers, each compiled for its instruction set with a per-function
 * target attribute and called only when the processor has it (cck_avx2_available,
 * cck_avx512_available). The rest of the program is built for the baseline processor. On other
 * processors and architectures the functions exist but must not be called. */
#ifndef CONVSCOPE_CONV_KERNELS_H
#define CONVSCOPE_CONV_KERNELS_H

/* MARK: AVX2 + FMA */

/* 1 when this processor (and its operating system) runs AVX2 and FMA code. */
int cck_avx2_available(void);

/* c[m][t] = sum_k A[m][k] * b[offsets[k] + t] for m < rows, t < columns (a multiple of 24).
 * A is packed as FastKernels.packA packs it: panels of 4 rows interleaved by k, then single
 * rows. Bit for bit the result of cck_gemm_avx512: the same depth blocks of 256, the same
 * order of fused multiply-adds for every output, the same 4-way split for single rows. */
void cck_gemm_avx2(long rows, long depth, long columns, const float *a, const float *b,
                   const long *offsets, float *c, long ldc);

/* For every row r < paddedRows and tap j < paddedTaps (a multiple of 3):
 * acc[(r * paddedTaps + j) * 8 + lane] += sum over t = lane (mod 8) of d[r * ldd + t] *
 * b[offsets[j] + t], t < length (a multiple of 8), one chain of fused multiply-adds per lane
 * continuing from acc. The caller adds the 8 lanes up. */
void cck_dot_all_avx2(const float *d, long ldd, long paddedRows, const float *b,
                      const long *offsets, long paddedTaps, long length, float *acc);

/* Runs 12 independent chains of 8-lane fused multiply-adds `iterations` times (the AVX2 FMA
 * peak: 2 * 8 * 12 * iterations FLOP); returns a value that depends on them. */
float cck_fma_loop_avx2(long iterations, float seed);

/* MARK: AVX-512 */

/* 1 when this processor (and its operating system) runs AVX-512F and AVX-512VL code. */
int cck_avx512_available(void);

/* cck_gemm_avx2 on 16-lane registers (tiles of 48 columns, then 24): the same bits. */
void cck_gemm_avx512(long rows, long depth, long columns, const float *a, const float *b,
                     const long *offsets, float *c, long ldc);

/* The weight-gradient kernel on 16 lanes: for every tile of 4 rows r and 3 taps j,
 * acc[(r * paddedTaps + j) * 16 + lane] += sum over t = lane (mod 16) of d[r * ldd + t] *
 * b[offsets[j] + t], t < length (a multiple of 8). The caller adds the 16 lanes up at the end,
 * so sums group differently from the AVX2 kernel (same terms, another order). */
void cck_dot_all_avx512(const float *d, long ldd, long paddedRows, const float *b,
                        const long *offsets, long paddedTaps, long length, float *acc);

/* Runs 12 independent chains of 16-lane fused multiply-adds `iterations` times (the AVX-512
 * FMA peak: 2 * 16 * 12 * iterations FLOP); returns a value that depends on them. */
float cck_fma_loop_avx512(long iterations, float seed);

#endif
