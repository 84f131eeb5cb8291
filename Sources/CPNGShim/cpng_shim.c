// libpng runs here only: it signals errors by longjmp-ing to the setjmp of the shim function
// that called it, which must not unwind through Swift frames. Swift sees return codes and an
// error string. The image is read row by row (cpng_read_row), so memory is a row or two, not
// the image; only an interlaced image is decoded whole (its rows are complete only after the
// last of the seven passes), into a buffer whose size the caller capped.

#include "cpng_shim.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cpng_stream {
  png_structp png;
  png_infop info;
  const unsigned char *data;
  size_t length;
  size_t offset;
  /// The next row cpng_read_row returns.
  uint32_t row;
  uint32_t height;
  size_t row_bytes;
  int interlaced;
  /// An interlaced image, decoded whole by cpng_start.
  unsigned char *whole;
  char error[200];
};

// MARK: - Reading from memory

static void cpng_read(png_structp png, png_bytep out, png_size_t count) {
  cpng_stream *s = (cpng_stream *)png_get_io_ptr(png);
  if (s == NULL || count > s->length - s->offset) {
    png_error(png, "truncated PNG data");
    return;
  }
  memcpy(out, s->data + s->offset, count);
  s->offset += count;
}

// MARK: - Errors and warnings

static void cpng_on_error(png_structp png, png_const_charp message) {
  cpng_stream *s = (cpng_stream *)png_get_error_ptr(png);
  if (s != NULL && s->error[0] == '\0') {
    snprintf(s->error, sizeof s->error, "%s", message ? message : "libpng error");
  }
  png_longjmp(png, 1);
}

static void cpng_on_warning(png_structp png, png_const_charp message) {
  // Warnings (bad ancillary chunks, CRC errors in them) are ignored: the pixels are still fine.
  (void)png;
  (void)message;
}

static void cpng_fail(cpng_stream *s, cpng_info *info, const char *fallback) {
  snprintf(info->error, sizeof info->error, "%s", s->error[0] ? s->error : fallback);
}

// MARK: - Opening

cpng_stream *cpng_open(const unsigned char *data, size_t length, cpng_info *info) {
  memset(info, 0, sizeof *info);
  if (length < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) {
    snprintf(info->error, sizeof info->error, "not a PNG file (bad signature)");
    return NULL;
  }
  cpng_stream *s = (cpng_stream *)calloc(1, sizeof *s);
  if (s == NULL) {
    snprintf(info->error, sizeof info->error, "out of memory");
    return NULL;
  }
  s->data = data;
  s->length = length;
  s->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, s, cpng_on_error, cpng_on_warning);
  if (s->png != NULL) s->info = png_create_info_struct(s->png);
  if (s->png == NULL || s->info == NULL) {
    snprintf(info->error, sizeof info->error, "libpng could not start");
    cpng_close(s);
    return NULL;
  }
  if (setjmp(png_jmpbuf(s->png))) {
    cpng_fail(s, info, "invalid PNG data");
    cpng_close(s);
    return NULL;
  }
  png_set_read_fn(s->png, s, cpng_read);
  // The caller checks the sides against its own limits (with a message of its own) before
  // cpng_start, where libpng allocates its row buffers; libpng's default of 10^6 would refuse
  // first with a less helpful one.
  png_set_user_limits(s->png, 0x7fffffffu, 0x7fffffffu);
  png_set_chunk_malloc_max(s->png, 8u << 20);
  png_read_info(s->png, s->info);

  png_uint_32 width = 0, height = 0;
  int bit_depth = 0, color_type = 0, interlace = 0;
  png_get_IHDR(s->png, s->info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
  info->width = width;
  info->height = height;
  info->file_color_type = color_type;
  info->file_bit_depth = bit_depth;
  info->interlaced = interlace != PNG_INTERLACE_NONE;
  info->has_trns = png_get_valid(s->png, s->info, PNG_INFO_tRNS) != 0;
  switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: info->channels = 1 + (info->has_trns ? 1 : 0); break;
    case PNG_COLOR_TYPE_GRAY_ALPHA: info->channels = 2; break;
    case PNG_COLOR_TYPE_RGB:
    case PNG_COLOR_TYPE_PALETTE: info->channels = 3 + (info->has_trns ? 1 : 0); break;
    default: info->channels = 4; break;
  }
  info->bit_depth = bit_depth == 16 ? 16 : 8;
  s->height = height;
  s->interlaced = info->interlaced;
  return s;
}

// MARK: - Rows

int cpng_start(cpng_stream *s, cpng_info *info) {
  if (setjmp(png_jmpbuf(s->png))) {
    cpng_fail(s, info, "invalid PNG data");
    return -1;
  }
  int color_type = info->file_color_type;
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(s->png);
  if (color_type == PNG_COLOR_TYPE_GRAY && info->file_bit_depth < 8) {
    png_set_expand_gray_1_2_4_to_8(s->png);
  }
  if (info->has_trns) png_set_tRNS_to_alpha(s->png);
  if (info->file_bit_depth == 16) {
    uint16_t probe = 1;
    if (*(unsigned char *)&probe == 1) png_set_swap(s->png);  // host order on little-endian
  }
  if (s->interlaced) png_set_interlace_handling(s->png);
  png_read_update_info(s->png, s->info);

  int channels = png_get_channels(s->png, s->info);
  int depth = png_get_bit_depth(s->png, s->info);
  if (channels != info->channels || depth != info->bit_depth) {
    snprintf(s->error, sizeof s->error, "unsupported PNG layout (%d channels of %d bits)",
             channels, depth);
    png_error(s->png, s->error);
  }
  s->row_bytes = png_get_rowbytes(s->png, s->info);
  if (s->row_bytes != (size_t)info->width * (size_t)channels * (size_t)(depth / 8)) {
    png_error(s->png, "unexpected PNG row size");
  }
  info->row_bytes = s->row_bytes;
  if (!s->interlaced) return 0;

  size_t height = s->height ? s->height : 1;
  s->whole = (unsigned char *)malloc(s->row_bytes * height);
  png_bytep *rows = (png_bytep *)malloc(height * sizeof(png_bytep));
  if (s->whole == NULL || rows == NULL) {
    free(rows);
    snprintf(info->error, sizeof info->error, "out of memory for an interlaced image");
    return -1;
  }
  for (png_uint_32 y = 0; y < s->height; y++) rows[y] = s->whole + (size_t)y * s->row_bytes;
  // A longjmp from here would leak `rows`: keep it in the stream's jmp context instead.
  png_bytep *volatile held = rows;
  if (setjmp(png_jmpbuf(s->png))) {
    free(held);
    cpng_fail(s, info, "invalid PNG data");
    return -1;
  }
  png_read_image(s->png, held);
  png_read_end(s->png, NULL);
  free(held);
  return 0;
}

int cpng_read_row(cpng_stream *s, unsigned char *row, cpng_info *info) {
  if (s->row >= s->height) {
    snprintf(info->error, sizeof info->error, "no more rows");
    return -1;
  }
  if (s->whole != NULL) {
    memcpy(row, s->whole + (size_t)s->row * s->row_bytes, s->row_bytes);
    s->row++;
    return 0;
  }
  if (setjmp(png_jmpbuf(s->png))) {
    cpng_fail(s, info, "invalid PNG data");
    return -1;
  }
  png_read_row(s->png, row, NULL);
  s->row++;
  if (s->row == s->height) png_read_end(s->png, NULL);
  return 0;
}

void cpng_close(cpng_stream *s) {
  if (s == NULL) return;
  if (s->png != NULL) png_destroy_read_struct(&s->png, s->info ? &s->info : NULL, NULL);
  free(s->whole);
  free(s);
}

const char *cpng_version(void) { return PNG_LIBPNG_VER_STRING; }
