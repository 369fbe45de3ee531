#!/usr/bin/env bash
# Rebuilds the action bundle and fails when it differs from the committed one: the runner executes
# packages/action/dist as committed, so it must be exactly what the sources build.
set -euo pipefail
cd "$(dirname "$0")/.."
npx turbo run build --filter=@dask-fargate-action/action --output-logs=errors-only --force >/dev/null
changes="$(git status --porcelain -- packages/action/dist)"
if [ -n "$changes" ]; then
  echo "packages/action/dist is not what the sources build; run npm run build and commit packages/action/dist:" >&2
  echo "$changes" | head -20 >&2
  exit 1
fi
echo "packages/action/dist matches the sources"
