"""Run a scikit-learn grid search on a Dask cluster through joblib's Dask backend.

dask-fargate sets DASK_SCHEDULER_ADDRESS (and Dask's TLS settings when TLS is on) and
DFA_EXPECTED_WORKERS. Each cross-validation fit becomes a task on a worker; the script prints the
best parameters and score, and how many tasks each worker ran, and saves the best model, a metrics
JSON and metrics.jsonl (one line per candidate of the grid, drawn in the job summary) to DFA_OUTPUT_DIR, the directory dask-fargate brings back to the runner (the current directory
when it is not set).

Works with distributed 2022.12 / scikit-learn 1.2 (Debian bookworm) and current releases.
"""

import argparse
import json
import os
import sys
from collections import Counter

import joblib
from distributed import Client, LocalCluster, get_task_stream
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("DFA_EXPECTED_WORKERS", "1")))
    parser.add_argument("--output-dir", default=os.environ.get("DFA_OUTPUT_DIR", "."), help="where the model and metrics go")
    args = parser.parse_args()
    address = os.environ.get("DASK_SCHEDULER_ADDRESS")
    client = Client(address) if address else Client(LocalCluster(n_workers=args.workers, threads_per_worker=1))
    client.wait_for_workers(args.workers, timeout=600)
    print(f"connected to {client.scheduler.address} with {len(client.scheduler_info()['workers'])} workers", flush=True)

    features, labels = make_classification(n_samples=args.samples, n_features=20, n_informative=8, random_state=0)
    grid = {"n_estimators": [20, 60], "max_depth": [4, 8, None]}
    search = GridSearchCV(RandomForestClassifier(random_state=0), grid, cv=3, n_jobs=-1)
    with get_task_stream(client) as stream, joblib.parallel_backend("dask"):
        search.fit(features, labels)

    per_worker = Counter(task["worker"] for task in stream.data)
    print(f"best parameters {search.best_params_}")
    print(f"best cv accuracy {search.best_score_:.4f}")
    for worker, count in sorted(per_worker.items()):
        print(f"worker {worker} ran {count} tasks")
    print(f"tasks ran on {len(per_worker)} workers")
    os.makedirs(args.output_dir, exist_ok=True)
    model_path = os.path.join(args.output_dir, "sklearn-model.joblib")
    joblib.dump(search.best_estimator_, model_path)
    metrics = {
        "model": os.path.basename(model_path),
        "best_params": {k: v for k, v in search.best_params_.items()},
        "best_cv_accuracy": search.best_score_,
        "samples": args.samples,
        "tasks_per_worker": dict(sorted(per_worker.items())),
    }
    metrics_path = os.path.join(args.output_dir, "sklearn-metrics.json")
    with open(metrics_path, "w") as f:
        json.dump(metrics, f, indent=2)
    # One JSON object per candidate of the grid (`step`): the job summary draws each metric over them.
    rounds_path = os.path.join(args.output_dir, "metrics.jsonl")
    results = search.cv_results_
    with open(rounds_path, "w") as f:
        for step, (score, seconds) in enumerate(zip(results["mean_test_score"], results["mean_fit_time"]), start=1):
            f.write(json.dumps({"step": step, "mean-cv-accuracy": float(score), "mean-fit-seconds": float(seconds)}) + "\n")
    print(f"model saved to {model_path}, metrics to {metrics_path} and {rounds_path}")
    client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
