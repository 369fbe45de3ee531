#!/usr/bin/env bash
# The main job on the embedded default, the local Docker Engine: build (or reuse) the Dask image for the
# bundled example environment and check that Dask, distributed and XGBoost import in it.
set -euo pipefail
cd "$(dirname "$0")/.."
base="${DFA_OFFLINE_IMAGE:-dask-fargate-action/offline-dask:bookworm}"
docker info >/dev/null 2>&1 || { echo "the Docker Engine is not running: start it (e.g. sudo dockerd &) and retry" >&2; exit 1; }
npx turbo run build --output-logs=errors-only
start=$(date +%s%N)
scripts/make-offline-image.sh "$base"
base_ms=$(( ($(date +%s%N) - start) / 1000000 ))
start=$(date +%s%N)
image=$(node packages/image/dist/cli.js build --environment-file examples/requirements.txt --base-image "$base" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.error(`${r.status}: ${r.image}`);console.log(r.image)})')
image_ms=$(( ($(date +%s%N) - start) / 1000000 ))
docker run --rm "$image" python3 -c "import dask, distributed, xgboost, sklearn; print(f'dask {dask.__version__}, distributed {distributed.__version__}, xgboost {xgboost.__version__}, scikit-learn {sklearn.__version__}')"
echo "phases: base image ${base_ms} ms, image job ${image_ms} ms"
