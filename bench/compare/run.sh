#!/usr/bin/env bash
# Side-by-side benchmark: the same workloads in Linea and its peers — Debian's PyTorch 1.13 (numpy/OpenBLAS
# for GEMM), PyTorch 2.x from the machine's pip wheels (MKL) when it installs, and onnxruntime (Java API) for
# the inference workloads — interleaved in one run, ROUNDS times; writes BENCHMARKS.md at the repository root
# with medians and ratios. Usage: bench/compare/run.sh [ROUNDS]   (default 3; a full run takes about 15-25 minutes)
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

# PyTorch 2.x in a venv, from the machine's local wheels (PyPI itself is not reachable: the local indexes only).
VENV="${LINEA_BENCH_VENV:-$HERE/.venv}"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
  echo "compare: making $VENV with torch==2.13.0+cpu from the local wheels..." >&2
  { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --index-url file:///opt/pypi/simple \
      --extra-index-url file:///opt/pypi-more/simple --find-links /opt/wheels torch==2.13.0+cpu numpy; } >&2 \
    || echo "compare: PyTorch 2.x could not be installed; comparing with PyTorch 1.13 only" >&2
fi
PY2=""
"$VENV/bin/python" -c "import torch" 2>/dev/null && PY2="$VENV/bin/python"

PEER1="$("$PY" -c 'import torch; print("pytorch-" + torch.__version__.split("+")[0])')"
"$ROOT/linea" --version >/dev/null   # builds the jars once, before anything is timed
BENCH_JAR="$ROOT/bench/target/benchmarks.jar"
[ -f "$BENCH_JAR" ] || (cd "$ROOT" && JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -q -B -DskipTests -pl bench -am package)
OUT="$(mktemp -d)"
echo "compare: raw results in $OUT" >&2
# The onnxruntime peer runs the FCNN as PyTorch 1.13 exports it (opset 17, dynamic batch axis).
"$PY" "$HERE/torch_workloads.py" export-onnx "$OUT/fcnn.onnx"
ort_run() {  # threads, workload
  /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
    -XX:+UseSerialGC -cp "$BENCH_JAR" dev.linea.bench.OnnxRuntimeWorkloads "$OUT/fcnn.onnx" "$2" "$1"
}
# The CPU and the kernel choices Linea made for it (vector width, GEMM blocking), for the report's header.
LINEA_GEMM_CHOICE="$("$ROOT/linea" bench W5 --sizes 64 --threads 1 2>&1 >/dev/null | sed -n 's/^linea bench: kernels //p' | head -1)"
export LINEA_GEMM_CHOICE

torch_run() {  # python, threads, args...
  local py="$1" t="$2"; shift 2
  # OMP_WAIT_POLICY=PASSIVE: spin-waiting OpenMP threads collapse 2-thread figures on a shared machine.
  # OPENBLAS_CORETYPE/L2_SIZE may be pinned on this machine for old OpenBLAS builds; they slow a current one.
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$t" OPENBLAS_NUM_THREADS="$t" \
    MKL_NUM_THREADS="$t" "$py" "$HERE/torch_workloads.py" "$@" --threads "$t"
}

specs=("W1 --batch-size 32" "W1 --batch-size 256" "W2" "W4" "W5" "W6" "W7")
# WORKLOADS="W2;W6" runs only those (and leaves out the whole-process and memory figures).
if [ -n "${WORKLOADS:-}" ]; then IFS=';' read -r -a specs <<< "$WORKLOADS"; fi
for round in $(seq 1 "$ROUNDS"); do
  echo "compare: round $round of $ROUNDS" >&2
  for spec in "${specs[@]}"; do
    for t in 1 2; do
      # shellcheck disable=SC2086
      "$ROOT/linea" bench $spec --threads "$t" 2>/dev/null >> "$OUT/results.jsonl"
      # shellcheck disable=SC2086
      torch_run "$PY" "$t" $spec 2>/dev/null >> "$OUT/results.jsonl"
      if [ -n "$PY2" ]; then
        # shellcheck disable=SC2086
        torch_run "$PY2" "$t" $spec 2>/dev/null >> "$OUT/results.jsonl"
      fi
      case "$spec" in W2|W6) ort_run "$t" "$spec" 2>/dev/null >> "$OUT/results.jsonl" ;; esac
    done
  done
  [ -z "${WORKLOADS:-}" ] || continue
  # Whole-process time of the tutorial program (JVM start / Python imports included), and the peak
  # memory (RSS) of a W1 run at batch 32 on 1 thread.
  read -r secs _ < <("$PY" "$HERE/measure.py" "$ROOT/linea" example tutorial)
  printf '{"peer":"linea","workload":"tutorial","variant":"process","value":%s,"unit":"s"}\n' "$secs" >> "$OUT/results.jsonl"
  read -r secs _ < <("$PY" "$HERE/measure.py" "$PY" "$ROOT/examples/python/tutorial.py")
  printf '{"peer":"'"$PEER1"'","workload":"tutorial","variant":"process","value":%s,"unit":"s"}\n' "$secs" >> "$OUT/results.jsonl"
  read -r _ rss < <("$PY" "$HERE/measure.py" "$ROOT/linea" bench W1 --batch-size 32 --threads 1)
  printf '{"peer":"linea","workload":"RSS","variant":"W1-batch32-threads1","value":%s,"unit":"MiB"}\n' "$((rss / 1024))" >> "$OUT/results.jsonl"
  read -r _ rss < <(env OMP_WAIT_POLICY=PASSIVE "$PY" "$HERE/measure.py" "$PY" "$HERE/torch_workloads.py" W1 --batch-size 32 --threads 1)
  printf '{"peer":"'"$PEER1"'","workload":"RSS","variant":"W1-batch32-threads1","value":%s,"unit":"MiB"}\n' "$((rss / 1024))" >> "$OUT/results.jsonl"
done

REPORT="${REPORT:-$ROOT/BENCHMARKS.md}"   # REPORT=FILE writes elsewhere (a partial run, say)
"$PY" "$HERE/report.py" "$OUT/results.jsonl" "$ROUNDS" > "$REPORT"
# The distributed figures are measured by hand (two JVMs, DistributedBench): kept across regenerations.
cat "$HERE/distributed.md" >> "$REPORT"
echo "compare: wrote $REPORT" >&2
