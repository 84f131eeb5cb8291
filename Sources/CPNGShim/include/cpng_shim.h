#ifndef CPNG_SHIM_H_DECODE
#define CPNG_SHIM_H_DECODE

#include <stddef.h>
#include <stdint.h>

/// A PNG decoded by libpng entirely inside C (libpng reports errors with longjmp, which must
/// never cross a Swift frame).
///
/// Samples are interleaved (row-major, then channel). With `bit_depth` 8 each sample is one byte;
/// with 16 each is a `uint16_t` in host byte order. Palette images are expanded to RGB(A),
/// grey images of 1, 2 or 4 bits are scaled to 8 bits, and a tRNS chunk becomes an alpha channel.
typedef struct cpng_image {
  /// Width and height in pixels.
  uint32_t width;
  uint32_t height;
  /// Samples per pixel after expansion: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
  int channels;
  /// 8 or 16.
  int bit_depth;
  /// The colour type and bit depth stored in the file (PNG_COLOR_TYPE_*, 1..16).
  int file_color_type;
  int file_bit_depth;
  /// Whether the file is Adam7-interlaced.
  int interlaced;
  /// Whether the file has a tRNS chunk (transparency for palette, grey or RGB).
  int has_trns;
  /// The decoded samples (malloc'd; release with cpng_free), or NULL after an error.
  unsigned char *pixels;
  /// The size of `pixels` in bytes.
  size_t size;
  /// A one-line reason when decoding failed (empty on success).
  char error[200];
} cpng_image;

/// Decodes the PNG in `data[0..<length]`.
///
/// Refuses, before allocating the pixel buffer, images whose sample count (width × height ×
/// channels) exceeds `max_samples`. Returns 0 on success; on failure returns -1 and writes a
/// reason to `out->error`. Nothing is printed. Call cpng_free on `out` in both cases.
int cpng_decode(const unsigned char *data, size_t length, size_t max_samples, cpng_image *out);

/// Releases the pixel buffer of an image filled by cpng_decode.
void cpng_free(cpng_image *image);

/// The PNG_LIBPNG_VER_STRING this shim was compiled against.
const char *cpng_version(void);

#endif
