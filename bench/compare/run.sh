#!/usr/bin/env bash
# Side-by-side benchmark: the same workloads in Linea and in PyTorch (numpy/OpenBLAS for GEMM),
# interleaved in one run, ROUNDS times; writes BENCHMARKS.md at the repository root with medians and
# ratios. Usage: bench/compare/run.sh [ROUNDS]   (default 3; a full run takes about 15-25 minutes)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/compare"
ROUNDS="${1:-${ROUNDS:-3}}"
PY=/usr/bin/python3   # Debian's python3-torch lives here, not in a pyenv/venv python

# OpenBLAS is the peer's BLAS: python3-torch alone pulls in the reference BLAS (10-30× slower), so a machine
# that has PyTorch without OpenBLAS would make every GEMM ratio meaningless.
if ! "$PY" -c "import torch, numpy" 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "compare: installing PyTorch (python3-torch) with OpenBLAS (libopenblas0-pthread)..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy libopenblas0-pthread >&2
  fi
  if ! "$PY" -c "import torch, numpy" 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
    echo "compare: PyTorch or OpenBLAS is missing for $PY: sudo apt-get install python3-torch python3-numpy libopenblas0-pthread" >&2
    exit 1
  fi
fi

"$ROOT/linea" --version >/dev/null   # builds the jar once, before anything is timed
OUT="$(mktemp -d)"
echo "compare: raw results in $OUT" >&2

torch_run() {  # threads, args...
  local t="$1"; shift
  # OMP_WAIT_POLICY=PASSIVE: spin-waiting OpenMP threads collapse 2-thread figures on a shared machine.
  # OPENBLAS_CORETYPE/L2_SIZE may be pinned on this machine for old OpenBLAS builds; they slow a current one.
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$t" OPENBLAS_NUM_THREADS="$t" \
    "$PY" "$HERE/torch_workloads.py" "$@" --threads "$t"
}

specs=("W1 --batch-size 32" "W1 --batch-size 256" "W2" "W4" "W5")
for round in $(seq 1 "$ROUNDS"); do
  echo "compare: round $round of $ROUNDS" >&2
  for spec in "${specs[@]}"; do
    for t in 1 2; do
      # shellcheck disable=SC2086
      "$ROOT/linea" bench $spec --threads "$t" 2>/dev/null >> "$OUT/results.jsonl"
      # shellcheck disable=SC2086
      torch_run "$t" $spec 2>/dev/null >> "$OUT/results.jsonl"
    done
  done
  # Whole-process time of the tutorial program (JVM start / Python imports included), and the peak
  # memory (RSS) of a W1 run at batch 32 on 1 thread.
  read -r secs _ < <("$PY" "$HERE/measure.py" "$ROOT/linea" example tutorial)
  printf '{"peer":"linea","workload":"tutorial","variant":"process","value":%s,"unit":"s"}\n' "$secs" >> "$OUT/results.jsonl"
  read -r secs _ < <("$PY" "$HERE/measure.py" "$PY" "$ROOT/examples/python/tutorial.py")
  printf '{"peer":"pytorch","workload":"tutorial","variant":"process","value":%s,"unit":"s"}\n' "$secs" >> "$OUT/results.jsonl"
  read -r _ rss < <("$PY" "$HERE/measure.py" "$ROOT/linea" bench W1 --batch-size 32 --threads 1)
  printf '{"peer":"linea","workload":"RSS","variant":"W1-batch32-threads1","value":%s,"unit":"MiB"}\n' "$((rss / 1024))" >> "$OUT/results.jsonl"
  read -r _ rss < <(env OMP_WAIT_POLICY=PASSIVE "$PY" "$HERE/measure.py" "$PY" "$HERE/torch_workloads.py" W1 --batch-size 32 --threads 1)
  printf '{"peer":"pytorch","workload":"RSS","variant":"W1-batch32-threads1","value":%s,"unit":"MiB"}\n' "$((rss / 1024))" >> "$OUT/results.jsonl"
done

"$PY" "$HERE/report.py" "$OUT/results.jsonl" "$ROUNDS" > "$ROOT/BENCHMARKS.md"
# The distributed figures are measured by hand (two JVMs, DistributedBench): kept across regenerations.
cat "$HERE/distributed.md" >> "$ROOT/BENCHMARKS.md"
echo "compare: wrote $ROOT/BENCHMARKS.md" >&2
