// registry.c — the sharded table of live Swift objects (address → metadata, size, epoch), the hook
// that fills it, and the free() interposer that empties it. Storage comes from glibc's __libc_calloc
// and goes back through __libc_free, so the table never re-enters its own free().
#define _GNU_SOURCE
#include "CHeapscanSwift.h"
#include <stdatomic.h>
#include <string.h>
#include <sched.h>
#include <pthread.h>

extern void *__libc_calloc(size_t, size_t);
extern void __libc_free(void *);

// The Swift runtime's hook pointer and its instrumentation flag (libswiftCore, Swift 6.3).
typedef void *(*hs_alloc_fn)(const void *metadata, size_t size, size_t alignMask);
extern hs_alloc_fn _swift_allocObject;
extern _Atomic unsigned char _swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly;
extern size_t swift_retainCount(void *);
extern _Bool swift_isDeallocating(void *);
__attribute__((swiftcall)) extern const void *swift_getTypeByMangledNameInContext(
    const char *name, size_t length, const void *context, const void *const *genericArgs);

#define SHARD_BITS 6
#define SHARDS (1u << SHARD_BITS)

typedef struct {
    atomic_flag lock;
    uint32_t capacity;  // power of two, or 0
    uint32_t count;
    hs_entry *slots;    // address 0 = empty
    char pad[64 - sizeof(atomic_flag) - 8 - sizeof(void *)];
} shard;

static shard shards[SHARDS];
static atomic_int installed;
static int clear_flag;
static hs_alloc_fn original_alloc;
static _Atomic uint32_t epoch = 1;
static __thread int suspended;

static inline uint64_t mix(uintptr_t a) { return (uint64_t)(a >> 4) * 0x9E3779B97F4A7C15ull; }

static inline void lock(shard *s) {
    while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire)) sched_yield();
}
static inline void unlock(shard *s) { atomic_flag_clear_explicit(&s->lock, memory_order_release); }

static void place(hs_entry *slots, uint32_t capacity, hs_entry e) {
    uint32_t mask = capacity - 1;
    uint32_t i = (uint32_t)(mix(e.address) >> 20) & mask;
    while (slots[i].address != 0) i = (i + 1) & mask;
    slots[i] = e;
}

/// Inserts under the shard's lock; grows at 1/2 load. Out of memory: the object stays unregistered.
static void insert(uintptr_t address, uintptr_t metadata, uint32_t size) {
    shard *s = &shards[mix(address) >> (64 - SHARD_BITS)];
    hs_entry e = {address, metadata, size, atomic_load_explicit(&epoch, memory_order_relaxed), (uintptr_t)pthread_self()};
    lock(s);
    if ((s->count + 1) * 2 > s->capacity) {
        uint32_t capacity = s->capacity ? s->capacity * 2 : 1024;
        hs_entry *slots = __libc_calloc(capacity, sizeof(hs_entry));
        if (!slots) { unlock(s); return; }
        for (uint32_t i = 0; i < s->capacity; i++)
            if (s->slots[i].address) place(slots, capacity, s->slots[i]);
        hs_entry *old = s->slots;
        s->slots = slots;
        s->capacity = capacity;
        __libc_free(old);
    }
    place(s->slots, s->capacity, e);
    s->count++;
    unlock(s);
}

/// Removes `address` if registered (linear probing with backward-shift deletion).
static void remove_address(uintptr_t address) {
    shard *s = &shards[mix(address) >> (64 - SHARD_BITS)];
    lock(s);
    if (s->count == 0) { unlock(s); return; }
    uint32_t mask = s->capacity - 1;
    uint32_t i = (uint32_t)(mix(address) >> 20) & mask;
    while (s->slots[i].address != address) {
        if (s->slots[i].address == 0) { unlock(s); return; }
        i = (i + 1) & mask;
    }
    uint32_t hole = i;
    for (uint32_t j = (hole + 1) & mask; s->slots[j].address != 0; j = (j + 1) & mask) {
        uint32_t home = (uint32_t)(mix(s->slots[j].address) >> 20) & mask;
        // Move j into the hole when its home is not in (hole, j] cyclically.
        int between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!between) { s->slots[hole] = s->slots[j]; hole = j; }
    }
    s->slots[hole].address = 0;
    s->count--;
    unlock(s);
}

static void *hook(const void *metadata, size_t size, size_t alignMask) {
    // Swift 6.3: swift_allocObject sets the instrumentation flag whenever a hook is set; with it set,
    // every retain takes a path that crashes on tagged pointers. Clear it at once (gated by caller).
    if (clear_flag)
        atomic_store_explicit(&_swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly, 0,
                              memory_order_relaxed);
    void *object = original_alloc(metadata, size, alignMask);
    if (object && !suspended) insert((uintptr_t)object, (uintptr_t)metadata, size > UINT32_MAX ? UINT32_MAX : (uint32_t)size);
    return object;
}

/// Replaces glibc's free process-wide: forgets the block if it was a registered object.
void free(void *p) {
    if (p && atomic_load_explicit(&installed, memory_order_relaxed)) remove_address((uintptr_t)p);
    __libc_free(p);
}

int hs_install(int clear_instrumentation_flag) {
    static atomic_flag once = ATOMIC_FLAG_INIT;
    if (atomic_flag_test_and_set(&once)) return atomic_load(&installed);
    clear_flag = clear_instrumentation_flag;
    original_alloc = _swift_allocObject;
    atomic_store(&installed, 1);  // frees are tracked before the first registration
    _swift_allocObject = hook;
    return 1;
}

int hs_installed(void) { return atomic_load(&installed); }
uint32_t hs_epoch(void) { return atomic_load(&epoch); }
uint32_t hs_next_epoch(void) { return atomic_fetch_add(&epoch, 1) + 1; }
void hs_set_suspended(int value) { suspended = value; }

size_t hs_live_count(void) {
    size_t n = 0;
    for (unsigned k = 0; k < SHARDS; k++) { lock(&shards[k]); n += shards[k].count; unlock(&shards[k]); }
    return n;
}

size_t hs_copy_entries(hs_entry *out, size_t capacity, uint32_t min_epoch, int this_thread_only) {
    size_t n = 0;
    uintptr_t self = (uintptr_t)pthread_self();
    for (unsigned k = 0; k < SHARDS; k++) {
        shard *s = &shards[k];
        lock(s);
        for (uint32_t i = 0; i < s->capacity; i++) {
            hs_entry e = s->slots[i];
            if (e.address == 0 || e.epoch < min_epoch || (this_thread_only && e.thread != self)) continue;
            if (n < capacity) out[n] = e;
            n++;
        }
        unlock(s);
    }
    return n;
}

int hs_is_registered(uintptr_t address) {
    shard *s = &shards[mix(address) >> (64 - SHARD_BITS)];
    lock(s);
    int found = 0;
    if (s->count) {
        uint32_t mask = s->capacity - 1;
        for (uint32_t i = (uint32_t)(mix(address) >> 20) & mask; s->slots[i].address; i = (i + 1) & mask)
            if (s->slots[i].address == address) { found = 1; break; }
    }
    unlock(s);
    return found;
}

size_t hs_strong_count(uintptr_t address) { return swift_retainCount((void *)address); }
int hs_is_deallocating(uintptr_t address) { return swift_isDeallocating((void *)address) ? 1 : 0; }

void hs_set_hook_enabled(int enabled) {
    if (atomic_load(&installed)) _swift_allocObject = enabled ? hook : original_alloc;
}

const void *hs_type_by_mangled_name(const uint8_t *name, size_t length) {
    return swift_getTypeByMangledNameInContext((const char *)name, length, 0, 0);
}
