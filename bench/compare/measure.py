#!/usr/bin/env python3
"""Runs a command and prints its wall time in seconds and its peak RSS in KiB: `measure.py CMD ARGS...`."""
import resource
import subprocess
import sys
import time

t0 = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - t0
if rc != 0:
    sys.exit("measure: %s exited with %d" % (" ".join(sys.argv[1:]), rc))
print("%.3f %d" % (elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
