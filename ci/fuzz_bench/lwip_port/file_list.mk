# For ci/fuzz_bench.sh: prints the files of one list of lwIP's
# src/Filelists.mk, read as lwIP's own Makefile reads them.
#   make -f file_list.mk LWIPDIR=<lwip>/src LIST=LWIPNOAPPSFILES list
include $(LWIPDIR)/Filelists.mk
list: ; @printf '%s\n' $($(LIST))
