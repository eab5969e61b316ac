#ifndef TBKIT_CZLIB_SHIM_H
#define TBKIT_CZLIB_SHIM_H
#include <zlib.h>
#endif
