#ifndef CINFLATE_SHIM_H
#define CINFLATE_SHIM_H

#include <stddef.h>
#include <stdint.h>

/// The outcome of cinflate_raw.
typedef enum cinflate_status {
  /// The stream ended and filled `dst` exactly.
  CINFLATE_OK = 0,
  /// The compressed bytes are not valid deflate data.
  CINFLATE_CORRUPT = 1,
  /// The stream would produce more than `dst_length` bytes.
  CINFLATE_TOO_LONG = 2,
  /// The compressed bytes end before the stream does, or it ends short of `dst_length`.
  CINFLATE_TOO_SHORT = 3,
  /// zlib could not start (out of memory).
  CINFLATE_FAILED = 4
} cinflate_status;

/// Inflates the raw deflate stream (no zlib or gzip header, as in a zip member) in
/// `src[0..<src_length]` into `dst[0..<dst_length]`, the size the archive declares. Never writes
/// past `dst_length`: a stream that would is refused (CINFLATE_TOO_LONG).
cinflate_status cinflate_raw(
    const unsigned char *src, size_t src_length, unsigned char *dst, size_t dst_length);

/// The CRC-32 of `data[0..<length]` (zip's checksum, zlib's crc32).
uint32_t cinflate_crc32(const unsigned char *data, size_t length);

#endif
