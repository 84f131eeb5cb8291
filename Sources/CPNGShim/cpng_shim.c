// The whole libpng decode happens here: libpng signals errors by longjmp-ing to the setjmp in
// cpng_decode, which must not unwind through Swift frames. Swift sees only a plain return code.

#include "cpng_shim.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// MARK: - Reading from memory

typedef struct {
  const unsigned char *data;
  size_t length;
  size_t offset;
} cpng_reader;

static void cpng_read(png_structp png, png_bytep out, png_size_t count) {
  cpng_reader *reader = (cpng_reader *)png_get_io_ptr(png);
  if (reader == NULL || count > reader->length - reader->offset) {
    png_error(png, "truncated PNG data");
    return;
  }
  memcpy(out, reader->data + reader->offset, count);
  reader->offset += count;
}

// MARK: - Errors and warnings

static void cpng_on_error(png_structp png, png_const_charp message) {
  cpng_image *image = (cpng_image *)png_get_error_ptr(png);
  if (image != NULL && image->error[0] == '\0') {
    snprintf(image->error, sizeof image->error, "%s", message ? message : "libpng error");
  }
  png_longjmp(png, 1);
}

static void cpng_on_warning(png_structp png, png_const_charp message) {
  // Warnings (bad ancillary chunks, CRC errors in them) are ignored: the pixels are still fine.
  (void)png;
  (void)message;
}

// MARK: - Decoding

int cpng_decode(const unsigned char *data, size_t length, size_t max_samples, cpng_image *out) {
  memset(out, 0, sizeof *out);
  if (length < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) {
    snprintf(out->error, sizeof out->error, "not a PNG file (bad signature)");
    return -1;
  }
  png_structp png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, out, cpng_on_error, cpng_on_warning);
  if (png == NULL) {
    snprintf(out->error, sizeof out->error, "libpng could not start");
    return -1;
  }
  png_infop info = png_create_info_struct(png);
  if (info == NULL) {
    png_destroy_read_struct(&png, NULL, NULL);
    snprintf(out->error, sizeof out->error, "libpng could not start");
    return -1;
  }
  // Written between setjmp and a possible longjmp, read after it: volatile.
  unsigned char *volatile pixels = NULL;
  png_bytep *volatile rows = NULL;
  cpng_reader reader = {data, length, 0};

  if (setjmp(png_jmpbuf(png))) {
    free(rows);
    free(pixels);
    png_destroy_read_struct(&png, &info, NULL);
    if (out->error[0] == '\0') snprintf(out->error, sizeof out->error, "invalid PNG data");
    out->pixels = NULL;
    out->size = 0;
    return -1;
  }

  png_set_read_fn(png, &reader, cpng_read);
  // No side may exceed the sample cap: libpng allocates and clears a row buffer in
  // png_read_update_info, before the full check below could refuse a 2^31-pixel-wide row.
  png_uint_32 side_limit = max_samples < 0x7fffffffu ? (png_uint_32)max_samples : 0x7fffffffu;
  png_set_user_limits(png, side_limit ? side_limit : 1, side_limit ? side_limit : 1);
  png_set_chunk_malloc_max(png, 8u << 20);
  png_read_info(png, info);

  png_uint_32 width = 0, height = 0;
  int bit_depth = 0, color_type = 0, interlace = 0;
  png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
  out->file_color_type = color_type;
  out->file_bit_depth = bit_depth;
  out->interlaced = interlace != PNG_INTERLACE_NONE;
  out->has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;

  // The channels after expansion, to cap the size before libpng allocates any row.
  int expanded = 1;
  switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: expanded = 1 + (out->has_trns ? 1 : 0); break;
    case PNG_COLOR_TYPE_GRAY_ALPHA: expanded = 2; break;
    case PNG_COLOR_TYPE_RGB:
    case PNG_COLOR_TYPE_PALETTE: expanded = 3 + (out->has_trns ? 1 : 0); break;
    default: expanded = 4; break;
  }
  if (height != 0 && (size_t)width * (size_t)expanded > max_samples / height) {
    snprintf(out->error, sizeof out->error,
             "image of %lu×%lu pixels × %d channels exceeds the limit of %zu samples",
             (unsigned long)width, (unsigned long)height, expanded, max_samples);
    png_error(png, out->error);
  }

  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (out->has_trns) png_set_tRNS_to_alpha(png);
  if (bit_depth == 16) {
    uint16_t probe = 1;
    if (*(unsigned char *)&probe == 1) png_set_swap(png);  // host order on little-endian
  }
  png_set_interlace_handling(png);
  png_read_update_info(png, info);

  int channels = png_get_channels(png, info);
  int depth = png_get_bit_depth(png, info);
  if (channels < 1 || channels > 4 || (depth != 8 && depth != 16)) {
    snprintf(out->error, sizeof out->error, "unsupported PNG layout (%d channels of %d bits)",
             channels, depth);
    png_error(png, out->error);
  }
  // Cap before allocating: width × height × channels, checked without overflow.
  size_t samples = (size_t)width * (size_t)channels;
  if (height != 0 && samples > max_samples / height) {
    snprintf(out->error, sizeof out->error,
             "image of %lu×%lu pixels × %d channels exceeds the limit of %zu samples",
             (unsigned long)width, (unsigned long)height, channels, max_samples);
    png_error(png, out->error);
  }
  samples *= height;
  size_t row_bytes = png_get_rowbytes(png, info);
  size_t bytes_per_sample = (size_t)depth / 8;
  if (row_bytes != (size_t)width * (size_t)channels * bytes_per_sample) {
    snprintf(out->error, sizeof out->error, "unexpected PNG row size");
    png_error(png, out->error);
  }
  size_t total = samples * bytes_per_sample;
  pixels = (unsigned char *)malloc(total ? total : 1);
  rows = (png_bytep *)malloc((height ? height : 1) * sizeof(png_bytep));
  if (pixels == NULL || rows == NULL) {
    snprintf(out->error, sizeof out->error, "out of memory for a %zu-byte image", total);
    png_error(png, out->error);
  }
  for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + (size_t)y * row_bytes;
  png_read_image(png, rows);
  png_read_end(png, NULL);

  free(rows);
  png_destroy_read_struct(&png, &info, NULL);
  out->width = width;
  out->height = height;
  out->channels = channels;
  out->bit_depth = depth;
  out->pixels = pixels;
  out->size = total;
  out->error[0] = '\0';
  return 0;
}

void cpng_free(cpng_image *image) {
  if (image == NULL) return;
  free(image->pixels);
  image->pixels = NULL;
  image->size = 0;
}

const char *cpng_version(void) { return PNG_LIBPNG_VER_STRING; }
