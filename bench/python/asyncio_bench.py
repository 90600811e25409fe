"""The Lock and Queue cases of syncio's benchmark in Python asyncio, for reference.

Usage: python3 asyncio_bench.py OUT.json [ROUNDS] [--quick] (--quick: tiny counts, one round, a check only). asyncio's queue put/get do not yield while
they need not wait, so its 1P/1C runs in runs of up to maxsize items rather than item by item. Times are CPU time per operation
(time.process_time, like the JS runs), the median over rounds; every batch's result is checked.
"""
import asyncio
import json
import statistics
import sys
import time

QUICK = "--quick" in sys.argv
SCALE = 0.01 if QUICK else 1
ITEMS = int(200_000 * SCALE)  # asyncio is slower than the JS runtimes: fewer items keep the run short


async def lock_uncontended(ops):
    lock = asyncio.Lock()
    count = 0
    start = time.process_time()
    for _ in range(ops):
        await lock.acquire()
        count += 1
        lock.release()
    return time.process_time() - start, count


async def lock_contended(tasks, per_task):
    lock = asyncio.Lock()
    count = 0

    async def task():
        nonlocal count
        for _ in range(per_task):
            await lock.acquire()
            count += 1
            lock.release()

    # asyncio's acquire() does not yield on a free lock and a task starts on a later loop turn:
    # without this start line the first task would run all its rounds alone, uncontended.
    await lock.acquire()
    running = [asyncio.ensure_future(task()) for _ in range(tasks)]
    await asyncio.sleep(0)
    start = time.process_time()
    lock.release()
    await asyncio.gather(*running)
    return time.process_time() - start, count


async def queue_pc(maxsize, items):
    queue = asyncio.Queue(maxsize)

    async def producer():
        for i in range(items):
            await queue.put(i)

    async def consumer():
        total = 0
        for _ in range(items):
            total += await queue.get()
        return total

    start = time.process_time()
    _, total = await asyncio.gather(producer(), consumer())
    return time.process_time() - start, total


async def burst(items):
    queue = asyncio.Queue()
    start = time.process_time()
    for i in range(items):
        queue.put_nowait(i)
    total = 0
    for _ in range(items):
        total += await queue.get()
    return time.process_time() - start, total


def sum_to(n):
    return n * (n - 1) // 2


def scaled(n):
    return max(1, round(n * SCALE))


OPS = scaled(20_000)
BURST = scaled(100_000)
CASES = [
    ("lock.uncontended", OPS, lambda: lock_uncontended(OPS), OPS),
    ("lock.contended.2", 2 * scaled(10_000), lambda: lock_contended(2, scaled(10_000)), 2 * scaled(10_000)),
    ("lock.contended.16", 16 * scaled(1_250), lambda: lock_contended(16, scaled(1_250)), 16 * scaled(1_250)),
    ("lock.contended.1000", 1000 * scaled(20), lambda: lock_contended(1000, scaled(20)), 1000 * scaled(20)),
    ("queue.bounded", ITEMS, lambda: queue_pc(10, ITEMS), sum_to(ITEMS)),
    ("queue.unbounded", ITEMS, lambda: queue_pc(0, ITEMS), sum_to(ITEMS)),
    ("queue.burst", BURST, lambda: burst(BURST), sum_to(BURST)),
]


async def main(out, rounds):
    started = time.perf_counter()
    per_round = {case[0]: [] for case in CASES}
    for name, ops, batch, expected in CASES:  # warm-up
        await batch()
    for _ in range(rounds):
        for name, ops, batch, expected in CASES:
            seconds, value = await batch()
            if value != expected:
                raise SystemExit(f"{name}: batch returned {value}, expected {expected}")
            per_round[name].append(seconds / ops * 1e9)
    results = []
    for name, ops, _, _ in CASES:
        values = per_round[name]
        middle = statistics.median(values)
        results.append({"caseId": name, "nsPerOp": middle, "spread": (max(values) - min(values)) / middle if middle else 0, "ops": ops})
    with open(out, "w") as f:
        json.dump({"version": sys.version.split()[0], "seconds": time.perf_counter() - started, "results": results}, f, indent=2)


if __name__ == "__main__":
    args = [arg for arg in sys.argv[1:] if arg != "--quick"]
    asyncio.run(main(args[0], 1 if QUICK else int(args[1]) if len(args) > 1 else 3))
