#ifndef LIFESTYLE_SHIMS_H
#define LIFESTYLE_SHIMS_H
// Small C helpers Swift cannot express: software prefetch for latency-bound gathers, and the
// renameat2 system call (variadic `syscall` is not callable from Swift).
static inline void lifestyle_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
static inline void lifestyle_prefetch_write(const void *address) { __builtin_prefetch(address, 1, 3); }

/// Atomically swaps two existing paths (Linux renameat2 RENAME_EXCHANGE). Returns 0 on success,
/// -1 with errno set (ENOSYS/EINVAL where the kernel or file system cannot).
int lifestyle_rename_exchange(const char *from, const char *to);
#endif
