#ifndef TBKIT_CLIBCRYPTO_SHIM_H
#define TBKIT_CLIBCRYPTO_SHIM_H
/* OpenSSL's libcrypto, for SHA-256 (EVP digests) and HMAC-SHA256 on platforms without CryptoKit. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif
