/* For ci/fuzz_bench.sh: lwIP 2.1.3's test/fuzz/fuzz.c as a
 * libFuzzer target (LLVMFuzzerTestOneInput), for libFuzzer and for AFL++'s
 * libAFLDriver.a.
 *
 * fuzz.c is included unchanged: its testif_init(), input_pkt(), input_pkts()
 * and pktbuf[] are the ones used here. Its main() (renamed, unused) does
 * everything in one go for one input per process:
 *   lwip_init(); ... snmp_init();                     set-up
 *   len = fread(pktbuf, 1, sizeof(pktbuf), stdin);    one input
 *   input_pkts(&net_test, pktbuf, len);
 * main's body is replicated faithfully below, split in two: the set-up,
 * statement for statement, once per process in LLVMFuzzerInitialize; the
 * fread (at most sizeof(pktbuf) bytes into pktbuf) and input_pkts() per
 * input in LLVMFuzzerTestOneInput. main's local net_test becomes a static,
 * so the stack's state carries over from one input to the next (there is no
 * way to reset lwIP without a new process). The argv[1] file branch of main
 * is left out: the engines hand over the input. */
#include <stdint.h>

#define main lwip_fuzz_main
#include "fuzz.c"
#undef main

static struct netif net_test;

int LLVMFuzzerInitialize(int* argc, char*** argv);
int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int LLVMFuzzerInitialize(int* argc, char*** argv) {
  ip4_addr_t addr;
  ip4_addr_t netmask;
  ip4_addr_t gw;

  LWIP_UNUSED_ARG(argc);
  LWIP_UNUSED_ARG(argv);

  lwip_init();

  IP4_ADDR(&addr, 172, 30, 115, 84);
  IP4_ADDR(&netmask, 255, 255, 255, 0);
  IP4_ADDR(&gw, 172, 30, 115, 1);

  netif_add(&net_test, &addr, &netmask, &gw, &net_test, testif_init, ethernet_input);
  netif_set_up(&net_test);
  netif_set_link_up(&net_test);

#if LWIP_IPV6
  nd6_tmr(); /* tick nd to join multicast groups */
#endif
  dns_setserver(0, &net_test.gw);

  /* initialize apps */
  httpd_init();
  lwiperf_start_tcp_server_default(NULL, NULL);
  mdns_resp_init();
  mdns_resp_add_netif(&net_test, "hostname", 255);
  snmp_init();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  /* len = fread(pktbuf, 1, sizeof(pktbuf), stdin); */
  size_t len = size < sizeof(pktbuf) ? size : sizeof(pktbuf);
  if (len > 0) {
    memcpy(pktbuf, data, len);
  }
  input_pkts(&net_test, pktbuf, len);
  return 0;
}
