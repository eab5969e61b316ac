#ifndef TBKIT_CRC32C_H
#define TBKIT_CRC32C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Returns 1 when this CPU has a CRC32C instruction (SSE4.2 on x86-64, the CRC extension on arm64).
int tbkit_crc32c_hw_available(void);

/// Extends `crc` (the finished, non-inverted CRC32C of the bytes before) over `len` bytes at `data`
/// with the CPU instruction, three interleaved streams on long inputs. Call only when
/// `tbkit_crc32c_hw_available()` returned 1.
uint32_t tbkit_crc32c_hw(uint32_t crc, const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
