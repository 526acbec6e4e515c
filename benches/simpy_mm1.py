"""The M/M/1 model of benches/core.rs in SimPy, for `make bench`'s comparison.

Usage: python3 benches/simpy_mm1.py CUSTOMERS
Prints customers simulated per wall-clock second (best of three runs).
"""
import random
import sys
import time

import simpy

ARRIVAL_RATE_PER_MS = 0.05  # 50 per second
MEAN_SERVICE_MS = 10.0


def customer(env, server, latencies):
    arrived = env.now
    with server.request() as turn:
        yield turn
        yield env.timeout(random.expovariate(1.0 / MEAN_SERVICE_MS))
    latencies.append(env.now - arrived)


def source(env, server, customers, latencies):
    for _ in range(customers):
        yield env.timeout(random.expovariate(ARRIVAL_RATE_PER_MS))
        env.process(customer(env, server, latencies))


def run_once(customers):
    random.seed(1)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    latencies = []
    env.process(source(env, server, customers, latencies))
    started = time.perf_counter()
    env.run()
    elapsed = time.perf_counter() - started
    mean = sum(latencies) / len(latencies)
    if not 15.0 < mean < 25.0:
        raise SystemExit(f"SimPy model is off: mean response {mean:.2f} ms, expected about 20")
    return customers / elapsed


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"{max(run_once(count) for _ in range(3)):.1f}")
