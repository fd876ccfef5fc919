#!/usr/bin/env bash
# GPU check for the drills (issue 11, section 6), ready for the first run on a CUDA machine:
#   1. every torch drill's reference, starter and mutants run on CUDA through the real worker
#      (reference must pass, starter and every mutant must fail), with the device each run used;
#   2. the drill benchmark (bench/drill_bench.py), whose last line is JSON with
#      torch_cuda_warm_ms (a torch drill on the GPU, learner process pre-started with its CUDA
#      context) beside the CPU figures.
# Without a CUDA device it says so and exits 0 (nothing to check); exit 1 on any surprise.
# Usage: bash bench/gpu_check.sh [--runs N]
set -u
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY="$(command -v python3)"
RUNS=10
if [ "${1:-}" = "--runs" ] && [ -n "${2:-}" ]; then RUNS="$2"; fi

if ! "$PY" -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
    echo "gpu_check: skipped, no CUDA device visible to torch (CPU figures: $PY bench/drill_bench.py)"
    exit 0
fi
"$PY" -c "import torch; print('gpu_check:', torch.cuda.get_device_name(0), '| torch', torch.__version__, '| CUDA', torch.version.cuda)"

echo "== torch drills on CUDA (reference passes; starter and mutants fail)"
"$PY" - <<'PYTHON'
import sys
import time

from studyapp.core.drills.runner import DrillRunner
from studyapp.core.drills.catalog import load_catalog

exercises, problems = load_catalog()
surprises = len(problems)
for problem in problems:
    print(f"problem: {problem}")
torch_drills = [e for e in exercises if e.needs_torch]
with DrillRunner() as runner:
    for exercise in torch_drills:
        runs = [("reference", exercise.solution_path, True), ("starter", exercise.starter_path, False)]
        runs += [(f"mutant {m.name}", m.path, False) for m in exercise.mutants]
        for label, path, should_pass in runs:
            started = time.perf_counter()
            report = runner.run(exercise, path.read_text(encoding="utf-8"))
            ms = (time.perf_counter() - started) * 1000
            ok = report.passed == should_pass and report.device == "cuda"
            surprises += not ok
            verdict = "ok      " if ok else "SURPRISE"
            print(f"{verdict} {exercise.key:40} {label:30} {report.outcome:8} "
                  f"{report.device:5} {ms:8.1f} ms")
            if not ok and should_pass:
                print(f"         {report.message[:300]}")
print(f"{len(torch_drills)} torch drills on CUDA, {surprises} surprises")
sys.exit(1 if surprises else 0)
PYTHON
verify=$?

echo "== drill benchmark"
"$PY" bench/drill_bench.py --runs "$RUNS"
bench=$?
[ "$verify" -eq 0 ] && [ "$bench" -eq 0 ]
