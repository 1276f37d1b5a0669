// CGraphviz — the libgraphviz headers heapscan uses, and nothing else.
#ifndef HEAPSCAN_CGRAPHVIZ_SHIM_H
#define HEAPSCAN_CGRAPHVIZ_SHIM_H
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>

// Swift 6 rejects reading mutable C globals such as `Agdirected`; these read them for Swift.
static inline Agdesc_t heapscan_agdirected(void) { return Agdirected; }
static inline Agdesc_t heapscan_agstrictdirected(void) { return Agstrictdirected; }
#endif
