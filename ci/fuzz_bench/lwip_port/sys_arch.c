/* For ci/fuzz_bench.sh's lwIP build: what the harness uses of lwip-contrib's
 * ports/unix/port/sys_arch.c with NO_SYS=1 (time and init). */
#include <time.h>

#include "lwip/sys.h"

u32_t sys_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (u32_t)(ts.tv_sec * 1000L + ts.tv_nsec / 1000000L);
}

u32_t sys_jiffies(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (u32_t)(ts.tv_sec * 1000000000L + ts.tv_nsec);
}

void sys_init(void) {}
