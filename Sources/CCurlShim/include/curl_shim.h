#ifndef MAILROOM_CURL_SHIM_H
#define MAILROOM_CURL_SHIM_H

/// Typed, non-variadic wrappers over libcurl's variadic calls, so Swift can drive curl.
/// Swift cannot call C variadic functions (curl_easy_setopt and friends); each wrapper
/// here fixes one parameter type. Nothing else belongs in this target.

#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>

/// Initialises libcurl once per process (thread-safe; later calls are no-ops).
/// Stops OpenSSL from registering its atexit cleanup first, which otherwise races
/// Swift objects that still own curl handles at exit. Returns CURLE_OK on success.
CURLcode mr_curl_global_init_once(void);

CURLcode mr_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode mr_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode mr_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode mr_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode mr_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);

/// The signature shared by CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION and CURLOPT_READFUNCTION.
typedef size_t (*mr_data_callback)(char *buffer, size_t size, size_t count, void *context);
CURLcode mr_easy_setopt_data_callback(CURL *handle, CURLoption option, mr_data_callback callback);

/// Requires a verified TLS peer: the certificate chain (CURLOPT_SSL_VERIFYPEER = 1), the host
/// name (CURLOPT_SSL_VERIFYHOST = 2) and TLS 1.2 or newer (CURLOPT_SSLVERSION). These are curl's
/// defaults except the version, but set explicitly so no build default or future change weakens
/// them. Returns the first failure, or CURLE_OK.
CURLcode mr_easy_require_verified_tls(CURL *handle);

CURLcode mr_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode mr_easy_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode mr_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value);
CURLcode mr_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

CURLMcode mr_multi_setopt_long(CURLM *handle, CURLMoption option, long value);

/// Reads the next completed transfer from `multi`'s message queue, skipping other message kinds.
/// Returns 1 and fills `easy` and `result` when one was found, 0 when the queue is empty.
/// (CURLMsg carries its result in a union, which is awkward from Swift.)
int mr_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result);

/// Frees a header list after overwriting every entry's bytes with zeros, so a header that
/// carried a credential (Authorization) does not linger in freed heap memory.
void mr_slist_free_wiping(struct curl_slist *list);

#endif
