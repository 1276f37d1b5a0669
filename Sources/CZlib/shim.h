// CZlib — zlib's declarations for Swift (inflate, for gzip-compressed dumps). Nothing else.
#include <zlib.h>
