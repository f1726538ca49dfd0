#ifndef MAILROOM_ZLIB_SHIM_H
#define MAILROOM_ZLIB_SHIM_H

#include <stddef.h>

/// Why an inflate stopped.
typedef enum {
    ZLIB_SHIM_OK = 0,
    /// The output would pass the caller's limit.
    ZLIB_SHIM_TOO_LARGE = 1,
    /// Not gzip data, corrupt, or truncated.
    ZLIB_SHIM_BAD_DATA = 2,
    /// zlib could not allocate its state.
    ZLIB_SHIM_NO_MEMORY = 3
} zlib_shim_status;

/// Inflates one gzip stream (RFC 1952) from `input` into `output` (capacity `limit`), writing the
/// inflated size to `*written`. zlib's `inflateInit2` is a macro, which Swift cannot call: this is
/// the whole reason the shim exists.
zlib_shim_status zlib_shim_gunzip(const unsigned char *input, size_t input_length, unsigned char *output, size_t limit,
                                  size_t *written);

#endif
