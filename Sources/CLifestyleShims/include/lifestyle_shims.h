#ifndef LIFESTYLE_SHIMS_H
#define LIFESTYLE_SHIMS_H
// Small C helpers Swift cannot express: software prefetch for latency-bound gathers.
static inline void lifestyle_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
static inline void lifestyle_prefetch_write(const void *address) { __builtin_prefetch(address, 1, 3); }
#endif
