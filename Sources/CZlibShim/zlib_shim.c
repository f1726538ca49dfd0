#include "zlib_shim.h"

#include <limits.h>
#include <zlib.h>

/// Maps a finished or stuck `inflate(…, Z_FINISH)` to the shim's status.
static zlib_shim_status conclude(z_stream *stream, int result) {
    if (result == Z_STREAM_END) return stream->avail_in == 0 ? ZLIB_SHIM_OK : ZLIB_SHIM_BAD_DATA;  // one body, one stream
    if (result == Z_MEM_ERROR) return ZLIB_SHIM_NO_MEMORY;
    return ZLIB_SHIM_BAD_DATA;  // Z_DATA_ERROR, Z_NEED_DICT, or input ended first (truncated)
}

zlib_shim_status zlib_shim_gunzip(const unsigned char *input, size_t input_length, unsigned char *output, size_t limit,
                                  size_t *written) {
    *written = 0;
    if (input_length > UINT_MAX) return ZLIB_SHIM_TOO_LARGE;
    if (limit > UINT_MAX) limit = UINT_MAX;
    z_stream stream = {0};
    // 16 + MAX_WBITS: the gzip wrapper only (not zlib's, not raw deflate).
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return ZLIB_SHIM_NO_MEMORY;
    unsigned char spare = 0;
    stream.next_in = (unsigned char *)input;
    stream.avail_in = (unsigned int)input_length;
    stream.next_out = limit > 0 ? output : &spare;
    stream.avail_out = limit > 0 ? (unsigned int)limit : 0;
    int result = inflate(&stream, Z_FINISH);
    zlib_shim_status status;
    if (result == Z_BUF_ERROR && stream.avail_out == 0) {
        // The output is full: one more byte of room tells "exactly the limit" from "more than the limit".
        *written = stream.total_out;
        stream.next_out = &spare;
        stream.avail_out = 1;
        result = inflate(&stream, Z_FINISH);
        status = stream.avail_out == 0 ? ZLIB_SHIM_TOO_LARGE : conclude(&stream, result);
    } else {
        *written = stream.total_out;
        status = conclude(&stream, result);
    }
    inflateEnd(&stream);
    return status;
}
