/* Timed waits under libfaketime (tests only).

libfaketime 0.9.10 moves CLOCK_MONOTONIC as well as the wall clock, but does not wrap
sem_clockwait(), which CPython 3.11 uses for every lock, Event.wait and queue.get with a
timeout: the deadline Python computes on the moved monotonic clock is compared by the kernel
with the real one, so a wait either never ends (clock moved forward) or ends at once (moved
back). This wrapper, preloaded before libfaketime, turns the deadline back into "this much
time from now" on the kernel's clock. Built and preloaded by tests/faketime_waits/__init__.py when
the suite runs under faketime; nothing else uses it.
*/
#define _GNU_SOURCE
#include <dlfcn.h>
#include <semaphore.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int (*next_clockwait)(sem_t *, clockid_t, const struct timespec *);

int sem_clockwait(sem_t *sem, clockid_t clk, const struct timespec *abstime) {
    if (!next_clockwait)
        next_clockwait = (int (*)(sem_t *, clockid_t, const struct timespec *))dlsym(RTLD_NEXT, "sem_clockwait");
    struct timespec seen, kernel, deadline;
    clock_gettime(clk, &seen);
    syscall(SYS_clock_gettime, clk, &kernel);
    long long left = (long long)(abstime->tv_sec - seen.tv_sec) * 1000000000LL + (abstime->tv_nsec - seen.tv_nsec);
    if (left < 0) left = 0;
    long long at = (long long)kernel.tv_sec * 1000000000LL + kernel.tv_nsec + left;
    deadline.tv_sec = at / 1000000000LL;
    deadline.tv_nsec = at % 1000000000LL;
    return next_clockwait(sem, clk, &deadline);
}
