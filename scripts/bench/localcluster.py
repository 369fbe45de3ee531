# distributed.LocalCluster as the Docker backend's yardstick: the same worker count, process workers, one
# thread each, mutual TLS (a temporary per-cluster CA, like ours). Prints "ready <s>" once every worker has
# registered (time inside this process, imports excluded), then closes the cluster.
import sys
import time

from distributed import Client, LocalCluster
from distributed.security import Security


def main() -> None:
    workers = int(sys.argv[1])
    started = time.perf_counter()
    security = Security.temporary()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, security=security, dashboard_address=":0")
    client = Client(cluster, security=security)
    client.wait_for_workers(workers)
    print(f"ready {time.perf_counter() - started:.3f} {cluster.scheduler_address}", flush=True)
    client.close()
    cluster.close()


if __name__ == "__main__":  # process workers are spawned: the module must not start a cluster on import
    main()
