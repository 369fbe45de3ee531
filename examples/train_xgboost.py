"""Train an XGBoost model on a Dask cluster, on data the script generates.

dask-fargate sets DASK_SCHEDULER_ADDRESS (and Dask's TLS settings when TLS is on) for the job, and
DFA_EXPECTED_WORKERS to the cluster's worker count. The script waits for those workers, trains with
xgboost.dask, prints the validation loss of every round and the final one, and saves the model, a
metrics JSON and metrics.jsonl (one line a round, drawn as a chart in the job summary). A worker lost during
training (a Spot interruption, an out-of-memory kill) fails that attempt: dask-fargate starts a replacement,
and the script waits for the full worker count and trains again from the start (--attempts), so the model is
the one an undisturbed run makes. An attempt that brings no result within --attempt-timeout is abandoned the
same way: XGBoost 1.7 pins each worker's share of the training to that worker, and a share whose worker is gone
can wait for it forever, so the workers are restarted (their nannies start fresh processes) before the next one. It saves to DFA_OUTPUT_DIR, the directory dask-fargate brings back to the runner (the current
directory when it is not set). Without DASK_SCHEDULER_ADDRESS it starts a small local cluster, so it
also runs on a laptop.

Works with distributed 2022.12 / xgboost 1.7 (Debian bookworm) and current releases.
"""

import argparse
import json
import os
import sys
import threading
import time

import dask.array as da
import xgboost as xgb
from distributed import Client, LocalCluster


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="samples to generate")
    parser.add_argument("--columns", type=int, default=20, help="features to generate")
    parser.add_argument("--partitions", type=int, default=8, help="chunks the data is split into")
    parser.add_argument("--rounds", type=int, default=30, help="boosting rounds")
    parser.add_argument("--attempts", type=int, default=3, help="training attempts when workers are lost during one")
    parser.add_argument("--attempt-timeout", type=float, default=1800, help="seconds an attempt may take before it is abandoned")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("DFA_EXPECTED_WORKERS", "1")), help="workers to wait for")
    parser.add_argument("--output-dir", default=os.environ.get("DFA_OUTPUT_DIR", "."), help="where the model and metrics go")
    parser.add_argument("--model-path", default=os.environ.get("DFA_MODEL_PATH"), help="where to save the model (default OUTPUT_DIR/xgboost-model.json)")
    args = parser.parse_args()
    args.model_path = args.model_path or os.path.join(args.output_dir, "xgboost-model.json")
    # The metrics go beside the model.
    args.metrics_path = os.path.join(os.path.dirname(args.model_path) or ".", "xgboost-metrics.json")
    return args


def make_data(rows, columns, partitions):
    """A binary classification problem with a known linear signal plus noise."""
    chunk = max(1, rows // partitions)
    random = da.random.RandomState(42)
    features = random.normal(size=(rows, columns), chunks=(chunk, columns))
    weights = random.normal(size=columns, chunks=columns)
    noise = random.normal(scale=0.5, size=rows, chunks=chunk)
    labels = ((features @ weights + noise) > 0).astype("int32")
    split = int(rows * 0.8)
    return features[:split], labels[:split], features[split:], labels[split:]


def train_with_attempts(client, args):
    """Trains on the full worker count; a lost worker fails the attempt, the next one starts over on a whole cluster."""
    params = {"objective": "binary:logistic", "eval_metric": "logloss", "tree_method": "hist", "max_depth": 6, "eta": 0.2}
    for attempt in range(1, args.attempts + 1):
        # The matrices are made again for each attempt: the partitions on a lost worker are recomputed from the seed.
        x_train, y_train, x_valid, y_valid = make_data(args.rows, args.columns, args.partitions)
        train = xgb.dask.DaskDMatrix(client, x_train, y_train)
        valid = xgb.dask.DaskDMatrix(client, x_valid, y_valid)
        print(f"training attempt {attempt} started", flush=True)
        try:
            return train_within(args.attempt_timeout, lambda: xgb.dask.train(client, params, train, num_boost_round=args.rounds, evals=[(valid, "valid")]))
        except Exception as error:  # a lost worker surfaces as XGBoostError, CommClosedError, KilledWorker, ...
            if attempt == args.attempts:
                raise
            print(f"training attempt {attempt} failed ({type(error).__name__}: {(str(error).splitlines() or [''])[0][:200]}); "
                  f"waiting for {args.workers} workers", flush=True)
            if isinstance(error, TimeoutError):
                # What the abandoned attempt left waiting on the scheduler goes with the workers' processes.
                client.restart()
            client.wait_for_workers(args.workers, timeout=600)
    raise RuntimeError("no training attempt")


def train_within(seconds, train):
    """The result of train(), or TimeoutError after `seconds`: the attempt runs in a thread this one stops waiting for."""
    outcome = {}

    def run():
        try:
            outcome["result"] = train()
        except BaseException as error:  # handed to the waiting thread
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeoutError(f"no result after {seconds:.0f} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def main():
    args = parse_args()
    address = os.environ.get("DASK_SCHEDULER_ADDRESS")
    client = Client(address) if address else Client(LocalCluster(n_workers=args.workers, threads_per_worker=1))
    started = time.time()
    client.wait_for_workers(args.workers, timeout=600)
    workers = len(client.scheduler_info()["workers"])
    print(f"connected to {client.scheduler.address} with {workers} workers", flush=True)

    output = train_with_attempts(client, args)

    losses = output["history"]["valid"]["logloss"]
    for round_number, loss in enumerate(losses, start=1):
        print(f"round {round_number:3d} valid-logloss {loss:.6f}")
    print(f"final valid-logloss {losses[-1]:.6f}")
    os.makedirs(os.path.dirname(args.model_path) or ".", exist_ok=True)
    output["booster"].save_model(args.model_path)
    print(f"model saved to {args.model_path}")
    seconds = time.time() - started
    metrics = {
        "model": os.path.basename(args.model_path),
        "final_valid_logloss": losses[-1],
        "valid_logloss": list(losses),
        "rounds": args.rounds,
        "rows": args.rows,
        "workers": workers,
        "workers_at_end": len(client.scheduler_info()["workers"]),
        "training_seconds": round(seconds, 1),
    }
    with open(args.metrics_path, "w") as f:
        json.dump(metrics, f, indent=2)
    # One JSON object a round: the job summary draws each metric over the rounds (README, "Job summary").
    rounds_path = os.path.join(os.path.dirname(args.metrics_path) or ".", "metrics.jsonl")
    with open(rounds_path, "w") as f:
        for round_number, loss in enumerate(losses, start=1):
            f.write(json.dumps({"round": round_number, "valid-logloss": loss}) + "\n")
    print(f"metrics saved to {args.metrics_path} and {rounds_path}")
    print(f"training took {seconds:.1f} s on {workers} workers; {metrics['workers_at_end']} at the end", flush=True)
    client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
