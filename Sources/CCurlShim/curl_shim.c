#define _GNU_SOURCE  // RTLD_DEFAULT
#include "curl_shim.h"

#include <dlfcn.h>
#include <pthread.h>

static pthread_once_t global_init_once = PTHREAD_ONCE_INIT;
static CURLcode global_init_result = CURLE_FAILED_INIT;

/// OPENSSL_INIT_NO_ATEXIT from <openssl/crypto.h> (OpenSSL 1.1.1 and later).
#define MR_OPENSSL_INIT_NO_ATEXIT 0x00080000L

typedef int (*mr_openssl_init_crypto)(uint64_t options, const void *settings);

static void global_init(void) {
    // With curl's OpenSSL backend, libcrypto is loaded with libcurl: tell it, before curl initialises it,
    // not to register its atexit cleanup. Looked up at run time so that this target neither links
    // libcrypto nor needs its headers; with another TLS backend the symbol is absent and nothing is needed.
    mr_openssl_init_crypto init_crypto = (mr_openssl_init_crypto)dlsym(RTLD_DEFAULT, "OPENSSL_init_crypto");
    if (init_crypto != NULL) {
        init_crypto(MR_OPENSSL_INIT_NO_ATEXIT, NULL);
    }
    global_init_result = curl_global_init(CURL_GLOBAL_ALL);
}

CURLcode mr_curl_global_init_once(void) {
    pthread_once(&global_init_once, global_init);
    return global_init_result;
}

CURLcode mr_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode mr_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode mr_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode mr_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode mr_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode mr_easy_setopt_data_callback(CURL *handle, CURLoption option, mr_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

CURLcode mr_easy_require_verified_tls(CURL *handle) {
    CURLcode result = curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
    if (result == CURLE_OK) {
        result = curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    }
    if (result == CURLE_OK) {
        result = curl_easy_setopt(handle, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    }
    return result;
}

CURLcode mr_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLcode mr_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLcode mr_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLcode mr_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLMcode mr_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

int mr_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result) {
    int queued = 0;
    CURLMsg *message;
    while ((message = curl_multi_info_read(multi, &queued)) != NULL) {
        if (message->msg == CURLMSG_DONE) {
            *easy = message->easy_handle;
            *result = message->data.result;
            return 1;
        }
    }
    return 0;
}

void mr_slist_free_wiping(struct curl_slist *list) {
    for (struct curl_slist *entry = list; entry != NULL; entry = entry->next) {
        if (entry->data != NULL) {
            volatile char *bytes = entry->data;
            while (*bytes != '\0') {
                *bytes++ = '\0';
            }
        }
    }
    curl_slist_free_all(list);
}
