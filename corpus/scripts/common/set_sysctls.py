#!/usr/bin/env python3
"""Writes each "/proc/sys/<name>=<value>" argument to its proc file, as the
set_sysctls.py helper of packetdrill's suites does (scripts in this project
run it in a fresh network namespace, so nothing needs restoring)."""
import sys

for assignment in sys.argv[1:]:
    path, value = assignment.split("=", 1)
    with open(path, "w") as proc_file:
        proc_file.write(value.strip('"'))
