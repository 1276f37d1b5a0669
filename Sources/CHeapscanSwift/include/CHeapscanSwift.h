// CHeapscanSwift — the C half of HeapscanSwift: the Swift runtime's allocation hook, the process-wide
// free() interposer (glibc), a sharded registry of live Swift objects and exact strong counts.
// Only HeapscanSwift calls this; no type from here appears in a public Swift signature.
#ifndef CHEAPSCANSWIFT_H
#define CHEAPSCANSWIFT_H
#include <stddef.h>
#include <stdint.h>

/// Installs the hook (once; later calls do nothing); with `swift_6_3_workaround`, first the refcount
/// filter, and the hook clears the instrumentation flag on entry. Returns 1 when installed, -1 when
/// the workaround is asked for but libswiftCore is not the verified 6.3.1 build (nothing installed).
int hs_install(int swift_6_3_workaround);
/// Whether the hook is installed.
int hs_installed(void);
/// The current allocation epoch; new objects are stamped with it.
uint32_t hs_epoch(void);
/// Starts a new epoch and returns it.
uint32_t hs_next_epoch(void);
/// Stops (1) or resumes (0) registering objects allocated by the calling thread.
void hs_set_suspended(int suspended);
/// Live registered objects.
size_t hs_live_count(void);

/// One registered object.
typedef struct {
    uintptr_t address;
    uintptr_t metadata;
    uint32_t size;
    uint32_t epoch;
    uintptr_t thread;  // pthread_self() of the allocating thread
} hs_entry;

/// Copies up to `capacity` registered objects with `min_epoch <= epoch` (and, when `this_thread_only`,
/// allocated by the calling thread) into `out` (shard by shard, each under its lock); returns how many
/// there are in all (call again with more room if larger).
size_t hs_copy_entries(hs_entry *out, size_t capacity, uint32_t min_epoch, int this_thread_only);
/// Whether `address` is a registered, not yet freed object.
int hs_is_registered(uintptr_t address);
/// The exact strong count of the object at `address` (swift_retainCount on the raw pointer).
size_t hs_strong_count(uintptr_t address);
/// Whether the object at `address` is deiniting (dead, memory kept for unowned references).
int hs_is_deallocating(uintptr_t address);

/// The metadata of the type with mangled name `name` (symbolic references resolved relative to it),
/// or NULL: swift_getTypeByMangledNameInContext without a generic context.
const void *hs_type_by_mangled_name(const uint8_t *name, size_t length);

/// Benchmark helper: points the runtime's hook back at the original (0) or at ours again (1), after
/// hs_install; frees stay tracked either way.
void hs_set_hook_enabled(int enabled);
#endif
