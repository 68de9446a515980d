/* For ci/fuzz_bench.sh's lwIP build: the Linux parts of lwip-contrib's
 * ports/unix/port/include/arch/cc.h (as in Debian's lwip 2.1.3 port). */
#ifndef LWIP_ARCH_CC_H
#define LWIP_ARCH_CC_H
#define LWIP_UNIX_LINUX
#define LWIP_TIMEVAL_PRIVATE 0
#include <sys/time.h>
#define LWIP_ERRNO_INCLUDE <errno.h>
#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_RAND() ((u32_t)rand())
#include <sys/types.h>
#define LWIP_DONT_PROVIDE_BYTEORDER_FUNCTIONS
typedef unsigned int sys_prot_t;
#endif /* LWIP_ARCH_CC_H */
