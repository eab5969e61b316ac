// Hardware CRC32C (Castagnoli). The instruction has a latency of about three cycles and a
// throughput of one per cycle, so long buffers are split into three streams that run in parallel
// and are joined with a "shift by N zero bytes" operator (a linear map on the 32-bit register,
// stored as four 256-entry tables).
#include "tbkit_crc32c.h"

#include <string.h>

/* Which CPU instruction extends a CRC32C register, and how this OS tells whether the CPU has it.
 * Each branch includes only headers its platform has: <cpuid.h> is the compiler's own; Linux (glibc
 * and musl) reports arm64 features through getauxval(AT_HWCAP); macOS through sysctlbyname. */
#if defined(__x86_64__)
#include <cpuid.h>

static int cpu_has_crc32c(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (c & bit_SSE4_2) ? 1 : 0;
}

#define CRC1(c, p) __builtin_ia32_crc32qi((c), *(const uint8_t *)(p))
#define HW_TARGET __attribute__((target("sse4.2")))

#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif

static int cpu_has_crc32c(void) { return (getauxval(AT_HWCAP) & HWCAP_CRC32) ? 1 : 0; }

#define CRC1(c, p) __builtin_arm_crc32cb((c), *(const uint8_t *)(p))
#define HW_TARGET __attribute__((target("crc")))

#elif defined(__aarch64__) && defined(__APPLE__)
#include <sys/types.h>
#include <sys/sysctl.h>

/* Every Apple Silicon CPU has the CRC32 instructions; the OS says so all the same. */
static int cpu_has_crc32c(void) {
    int has = 0;
    size_t size = sizeof has;
    if (sysctlbyname("hw.optional.armv8_crc32", &has, &size, NULL, 0) != 0) return 0;
    return has ? 1 : 0;
}

#define CRC1(c, p) __builtin_arm_crc32cb((c), *(const uint8_t *)(p))
#define HW_TARGET __attribute__((target("crc")))

#endif

#if defined(HW_TARGET)
#include <pthread.h>

#define POLY 0x82f63b78u  /* reflected Castagnoli polynomial */
#define LONG_BLOCK 8192
#define SHORT_BLOCK 256

/* Multiplies the 32x32 GF(2) matrix `mat` (one column per input bit) by `vec`. */
static uint32_t gf2_times(const uint32_t *mat, uint32_t vec) {
    uint32_t sum = 0;
    while (vec) {
        if (vec & 1) sum ^= *mat;
        vec >>= 1;
        mat++;
    }
    return sum;
}

/* square = mat * mat */
static void gf2_square(uint32_t *square, const uint32_t *mat) {
    for (int n = 0; n < 32; n++) square[n] = gf2_times(mat, mat[n]);
}

/* Builds tables that advance a raw CRC register over `len` zero bytes. */
static void zeros_tables(uint32_t tables[4][256], size_t len) {
    uint32_t op[32], sq[32], result[32], tmp[32];
    /* operator for one zero bit */
    op[0] = POLY;
    for (int n = 1; n < 32; n++) op[n] = 1u << (n - 1);
    /* -> two bits, four bits, eight bits (one byte) */
    gf2_square(sq, op);
    gf2_square(op, sq);
    gf2_square(sq, op);
    memcpy(op, sq, sizeof op); /* op = one zero byte */
    /* result = identity */
    for (int n = 0; n < 32; n++) result[n] = 1u << n;
    while (len) {
        if (len & 1) {
            for (int n = 0; n < 32; n++) tmp[n] = gf2_times(op, result[n]);
            memcpy(result, tmp, sizeof tmp);
        }
        len >>= 1;
        if (len) {
            gf2_square(sq, op);
            memcpy(op, sq, sizeof sq);
        }
    }
    for (uint32_t n = 0; n < 256; n++) {
        tables[0][n] = gf2_times(result, n);
        tables[1][n] = gf2_times(result, n << 8);
        tables[2][n] = gf2_times(result, n << 16);
        tables[3][n] = gf2_times(result, n << 24);
    }
}

static inline uint32_t shift(const uint32_t tables[4][256], uint32_t crc) {
    return tables[0][crc & 0xff] ^ tables[1][(crc >> 8) & 0xff] ^ tables[2][(crc >> 16) & 0xff] ^
           tables[3][crc >> 24];
}

static uint32_t long_tables[4][256];
static uint32_t short_tables[4][256];


static pthread_once_t setup_once = PTHREAD_ONCE_INIT;
static int hw_available = 0;

/* Asks the CPU once, and builds the stream-joining tables only when they will be used. Runs on
 * the first call, never at load time: nothing executes before the program asks for the CRC. */
static void setup(void) {
    hw_available = cpu_has_crc32c();
    if (hw_available) {
        zeros_tables(long_tables, LONG_BLOCK);
        zeros_tables(short_tables, SHORT_BLOCK);
    }
}

int tbkit_crc32c_hw_available(void) {
    pthread_once(&setup_once, setup);
    return hw_available;
}

static inline uint64_t load64(const unsigned char *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}
#if defined(__x86_64__)
#define CRC8(c, p) ((uint32_t)__builtin_ia32_crc32di((c), load64(p)))
#else
#define CRC8(c, p) __builtin_arm_crc32cd((c), load64(p))
#endif

HW_TARGET uint32_t tbkit_crc32c_hw(uint32_t crc, const void *data, size_t len) {
    const unsigned char *next = (const unsigned char *)data;
    uint64_t c0 = crc ^ 0xffffffffu;

    /* align to 8 bytes */
    while (len && ((uintptr_t)next & 7)) {
        c0 = CRC1((uint32_t)c0, next);
        next++;
        len--;
    }
    /* three streams over LONG_BLOCK each */
    while (len >= 3 * LONG_BLOCK) {
        uint64_t c1 = 0, c2 = 0;
        const unsigned char *end = next + LONG_BLOCK;
        do {
            c0 = CRC8((uint32_t)c0, next);
            c1 = CRC8((uint32_t)c1, next + LONG_BLOCK);
            c2 = CRC8((uint32_t)c2, next + 2 * LONG_BLOCK);
            next += 8;
        } while (next < end);
        c0 = shift(long_tables, (uint32_t)c0) ^ (uint32_t)c1;
        c0 = shift(long_tables, (uint32_t)c0) ^ (uint32_t)c2;
        next += 2 * LONG_BLOCK;
        len -= 3 * LONG_BLOCK;
    }
    while (len >= 3 * SHORT_BLOCK) {
        uint64_t c1 = 0, c2 = 0;
        const unsigned char *end = next + SHORT_BLOCK;
        do {
            c0 = CRC8((uint32_t)c0, next);
            c1 = CRC8((uint32_t)c1, next + SHORT_BLOCK);
            c2 = CRC8((uint32_t)c2, next + 2 * SHORT_BLOCK);
            next += 8;
        } while (next < end);
        c0 = shift(short_tables, (uint32_t)c0) ^ (uint32_t)c1;
        c0 = shift(short_tables, (uint32_t)c0) ^ (uint32_t)c2;
        next += 2 * SHORT_BLOCK;
        len -= 3 * SHORT_BLOCK;
    }
    while (len >= 8) {
        c0 = CRC8((uint32_t)c0, next);
        next += 8;
        len -= 8;
    }
    while (len) {
        c0 = CRC1((uint32_t)c0, next);
        next++;
        len--;
    }
    return (uint32_t)c0 ^ 0xffffffffu;
}
#else
/* No CRC32C instruction known on this CPU or OS: TBKit uses its software CRC. */
int tbkit_crc32c_hw_available(void) { return 0; }
uint32_t tbkit_crc32c_hw(uint32_t crc, const void *data, size_t len) {
    (void)data;
    (void)len;
    return crc;
}
#endif
