#!/bin/bash -eu
# ClusterFuzzLite runs $SRC/build.sh; this copy keeps the layout it expects.
exec "$SRC/tcpfuzz/ci/oss-fuzz/build.sh"
