// registry.c — the sharded table of live Swift objects (address → metadata, size, epoch), the hook
// that fills it, and the free() interposer that empties it. Storage comes from glibc's __libc_calloc
// and goes back through __libc_free, so the table never re-enters its own free().
#define _GNU_SOURCE
#include "CHeapscanSwift.h"
#include <stdatomic.h>
#include <string.h>
#include <sched.h>
#include <pthread.h>
#include <dlfcn.h>

extern void *__libc_calloc(size_t, size_t);
extern void __libc_free(void *);

// The Swift runtime's hook pointer and its instrumentation flag (libswiftCore, Swift 6.3).
typedef void *(*hs_alloc_fn)(const void *metadata, size_t size, size_t alignMask);
extern hs_alloc_fn _swift_allocObject;
extern _Atomic unsigned char _swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly;
// The refcounting hook pointers the runtime jumps through while that flag is set (C convention).
extern void *(*_swift_retain)(void *);
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

// Swift 6.3 trap: swift_allocObject sets the instrumentation flag whenever an alloc hook is set, and
// with the flag set swift_retain skips its fast path's "(intptr_t)p <= 0: not a native object" test
// and goes to _swift_retain_adapterImpl, which masks the value with 0x00FFFFFFFFFFFFF8 — a string
// literal's tagged pointer becomes a small bad address — and calls *_swift_retain with it (measured:
// a parallel `swift test` crashed there on another thread). The hook clears the flag at once, but other
// threads can pass in between. So *_swift_retain gets a filter: in 6.3.1 its only caller is that
// adapter (one reference in libswiftCore), which keeps the unmasked value in %rbx; the filter skips
// values <= 0 as the fast path does and jumps to the original for the rest. x86_64, 6.3.1 only:
// hs_install checks the runtime's code bytes first (runtime_is_verified_build).
__attribute__((visibility("hidden"))) void *(*hs_original_retain)(void *);
extern void *hs_retain_filter(void *);
#if defined(__x86_64__)
__asm__(
    ".text\n"
    ".p2align 4\n"
    ".type hs_retain_filter,@function\n"
    "hs_retain_filter:\n"
    "    test %rbx, %rbx\n"
    "    jle 1f\n"
    "    jmp *hs_original_retain(%rip)\n"
    "1:  mov %rdi, %rax\n"
    "    ret\n"
    ".size hs_retain_filter, .-hs_retain_filter\n");
#endif

/// Whether swift_retain and swift_allocObject are byte for byte the Swift 6.3.1 x86_64 build this was
/// verified against (flag test, fast-path test, hook comparison).
static int runtime_is_verified_build(void) {
#if defined(__x86_64__)
    static const unsigned char retain_code[] = {
        0x55, 0x48, 0x89, 0xe5, 0x0f, 0xb6, 0x05, 0xf6, 0xe9, 0x28, 0x00, 0x3c, 0x01, 0x74, 0x5e, 0x48,
        0x85, 0xff, 0x7e, 0x3b, 0x48, 0xbe, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x48, 0xba,
        0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x48, 0x21, 0xfa, 0x48, 0x8d, 0x4a, 0x08, 0x48};
    static const unsigned char alloc_code[] = {
        0x55, 0x48, 0x89, 0xe5, 0x53, 0x50, 0x48, 0x89, 0xfb, 0x48, 0x8b, 0x05, 0x98, 0x8c, 0x18, 0x00,
        0x48, 0x8d, 0x0d, 0xa9, 0xfd, 0xff, 0xff, 0x48, 0x39, 0xc8, 0x75, 0x1d, 0x48, 0x89, 0xf7, 0x48,
        0x89, 0xd6, 0xe8, 0x89, 0xfc, 0xff, 0xff, 0x48, 0x89, 0x18, 0x48, 0xc7, 0x40, 0x08, 0x03, 0x00};
    const void *retain = dlsym(RTLD_DEFAULT, "swift_retain");
    const void *alloc = dlsym(RTLD_DEFAULT, "swift_allocObject");
    return retain && alloc && memcmp(retain, retain_code, sizeof retain_code) == 0
        && memcmp(alloc, alloc_code, sizeof alloc_code) == 0;
#else
    return 0;
#endif
}

static void *hook(const void *metadata, size_t size, size_t alignMask) {
    // Swift 6.3: swift_allocObject has just set the instrumentation flag; clear it so retains take
    // their fast path again (the filters keep the slow path safe for other threads meanwhile).
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
    if (clear_instrumentation_flag) {
        if (!runtime_is_verified_build()) { atomic_flag_clear(&once); return -1; }
        hs_original_retain = _swift_retain;
        _swift_retain = hs_retain_filter;  // before the flag can ever be set
    }
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
