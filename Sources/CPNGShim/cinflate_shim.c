// zlib's raw inflate for the members of zip archives (.npz): one call that fills a buffer of the
// size the archive declares and refuses to write past it.

#include "cinflate_shim.h"

#include <limits.h>
#include <string.h>
#include <zlib.h>

cinflate_status cinflate_raw(
    const unsigned char *src, size_t src_length, unsigned char *dst, size_t dst_length) {
  z_stream s;
  memset(&s, 0, sizeof s);
  if (inflateInit2(&s, -MAX_WBITS) != Z_OK) return CINFLATE_FAILED;
  size_t in_done = 0, out_done = 0;
  int rc = Z_OK;
  cinflate_status status = CINFLATE_TOO_SHORT;
  for (;;) {
    // zlib counts in uInt: feed at most UINT_MAX at a time.
    if (s.avail_in == 0 && in_done < src_length) {
      size_t n = src_length - in_done;
      if (n > UINT_MAX) n = UINT_MAX;
      s.next_in = (Bytef *)(src + in_done);
      s.avail_in = (uInt)n;
      in_done += n;
    }
    if (s.avail_out == 0 && out_done < dst_length) {
      size_t n = dst_length - out_done;
      if (n > UINT_MAX) n = UINT_MAX;
      s.next_out = dst + out_done;
      s.avail_out = (uInt)n;
      out_done += n;
    }
    // One spare byte of room would be needed to tell "ends exactly here" from "goes on": a
    // stream that has not ended with the buffer full goes on.
    if (s.avail_out == 0 && out_done == dst_length) {
      unsigned char spare;
      s.next_out = &spare;
      s.avail_out = 1;
      rc = inflate(&s, Z_NO_FLUSH);
      if (rc == Z_STREAM_END && s.avail_out == 1) status = CINFLATE_OK;
      else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) status = CINFLATE_CORRUPT;
      else if (s.avail_out == 0) status = CINFLATE_TOO_LONG;
      else status = CINFLATE_TOO_SHORT;
      break;
    }
    uInt before_in = s.avail_in;
    uInt before_out = s.avail_out;
    rc = inflate(&s, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      status = (s.avail_out == 0 && out_done == dst_length) ? CINFLATE_OK : CINFLATE_TOO_SHORT;
      break;
    }
    if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
      status = CINFLATE_CORRUPT;
      break;
    }
    if (rc == Z_MEM_ERROR) {
      status = CINFLATE_FAILED;
      break;
    }
    // No progress and no more input: the stream ends early.
    if (s.avail_in == before_in && s.avail_out == before_out && in_done == src_length) {
      status = CINFLATE_TOO_SHORT;
      break;
    }
  }
  inflateEnd(&s);
  return status;
}

uint32_t cinflate_crc32(const unsigned char *data, size_t length) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (length > 0) {
    uInt n = length > UINT_MAX ? UINT_MAX : (uInt)length;
    crc = crc32(crc, data, n);
    data += n;
    length -= n;
  }
  return (uint32_t)crc;
}
