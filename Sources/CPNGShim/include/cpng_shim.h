#ifndef CPNG_SHIM_H_DECODE
#define CPNG_SHIM_H_DECODE

#include <stddef.h>
#include <stdint.h>

/// What a PNG's header says, and the layout of the rows cpng_read_row writes, filled by
/// cpng_open and cpng_start. libpng runs entirely inside C (it reports errors with longjmp, which
/// must never cross a Swift frame); Swift sees return codes and `error`.
///
/// Rows are interleaved samples (pixel, then channel). With `bit_depth` 8 each sample is one
/// byte; with 16 each is a `uint16_t` in host byte order. Palette images are expanded to RGB(A),
/// grey images of 1, 2 or 4 bits are scaled to 8 bits, and a tRNS chunk becomes an alpha channel.
typedef struct cpng_info {
  /// Width and height in pixels.
  uint32_t width;
  uint32_t height;
  /// Samples per pixel after expansion: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA (known after
  /// cpng_open).
  int channels;
  /// 8 or 16 (after expansion).
  int bit_depth;
  /// The colour type and bit depth stored in the file (PNG_COLOR_TYPE_*, 1..16).
  int file_color_type;
  int file_bit_depth;
  /// Whether the file is Adam7-interlaced.
  int interlaced;
  /// Whether the file has a tRNS chunk (transparency for palette, grey or RGB).
  int has_trns;
  /// The bytes of one row as cpng_read_row writes it (after cpng_start).
  size_t row_bytes;
  /// A one-line reason when a call failed (empty otherwise).
  char error[200];
} cpng_info;

/// A PNG being read row by row (opaque).
typedef struct cpng_stream cpng_stream;

/// Reads the signature and the chunks up to the image data of the PNG in `data[0..<length]`
/// (which must stay valid until cpng_close) and fills `info`; allocates nothing proportional to
/// the image's size. Returns NULL on failure with the reason in `info->error`.
cpng_stream *cpng_open(const unsigned char *data, size_t length, cpng_info *info);

/// Sets up the transformations and libpng's row buffers (one row or two). An interlaced image
/// is decoded whole here, into a buffer of `info->row_bytes × info->height` bytes (the caller
/// caps its size first). Returns 0, or -1 with the reason in `info->error`.
int cpng_start(cpng_stream *stream, cpng_info *info);

/// Writes the next row (`info->row_bytes` bytes) to `row`. After the last row, the chunks after
/// the image data are read (and checked) too. Returns 0, or -1 with the reason in `info->error`.
int cpng_read_row(cpng_stream *stream, unsigned char *row, cpng_info *info);

/// Releases everything the stream holds; NULL is allowed.
void cpng_close(cpng_stream *stream);

/// The PNG_LIBPNG_VER_STRING this shim was compiled against.
const char *cpng_version(void);

#endif
