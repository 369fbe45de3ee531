#!/usr/bin/env bash
# The main job on the embedded default, the local Docker Engine: build (or reuse) the Dask image for the
# bundled example environment, start one scheduler and two workers, train the XGBoost example on them,
# print its metric and the phase timings, and remove the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
docker info >/dev/null 2>&1 || { echo "the Docker Engine is not running: start it (e.g. sudo dockerd &) and retry" >&2; exit 1; }
npx turbo run build --output-logs=errors-only >&2
# No image can be pulled offline: the base image is made from Debian packages (once, then reused; needs root
# and debootstrap). With internet access, DFA_DEMO_BASE_IMAGE names a Python image to pip-install into instead.
base="${DFA_DEMO_BASE_IMAGE:-$(scripts/make-offline-image.sh)}"
exec node packages/cli/dist/main.js run --backend docker \
  --environment-file examples/requirements.txt --base-image "$base" \
  --workers 2 --worker-cpu 1 --worker-memory 2GB \
  --job-workdir examples --job-command "python3 train_xgboost.py"
