#!/usr/bin/env python3
"""Prints Markdown tables of a JMH JSON result: each store operation beside the raw
round trip it needs, and their ratio (target: at most 1.3); the request fingerprint
beside a Jackson parse of the same body (target: at most 2); and, for
WebRequestAllocationBenchmark, the allocation per request (gc.alloc.rate.norm, with
-prof gc) of each request kind and what the idempotent ones add to a plain request."""
import json
import sys

TARGET = 1.3

# (label, store benchmark, raw benchmark or None, what the raw call is)
ROWS = [
    ("Redis claim, new key", "RedisStoreBenchmark.claimNew", "RedisStoreBenchmark.claimNewRaw",
     "`SET k v NX PX 30000`"),
    ("Redis claim, replay hit", "RedisStoreBenchmark.claimCompleted", "RedisStoreBenchmark.claimCompletedRaw",
     "`EVALSHA` of a script doing one `HGET`"),
    ("Redis claim, replay hit", "RedisStoreBenchmark.claimCompleted", "RedisStoreBenchmark.claimCompletedRawHget",
     "`HGET`"),
    ("Redis complete", "RedisStoreBenchmark.complete", "RedisStoreBenchmark.completeRaw",
     "`EVALSHA` of a script doing one `HSET`"),
    ("PostgreSQL claim, new key", "JdbcStoreBenchmark.claimNew", "JdbcStoreBenchmark.claimNewSameSql",
     "the store's `INSERT ... ON CONFLICT DO NOTHING`, on its table"),
    ("PostgreSQL claim, new key", "JdbcStoreBenchmark.claimNew", "JdbcStoreBenchmark.claimNewRaw",
     "minimal `INSERT ... ON CONFLICT DO NOTHING` (scratch table)"),
    ("PostgreSQL claim, replay hit", "JdbcStoreBenchmark.claimCompleted", "JdbcStoreBenchmark.claimCompletedSameSql",
     "the store's insert attempt and `SELECT`, on its table"),
    ("PostgreSQL claim, replay hit", "JdbcStoreBenchmark.claimCompleted", "JdbcStoreBenchmark.claimCompletedRaw",
     "minimal single-row `SELECT` (scratch table)"),
    ("PostgreSQL complete", "JdbcStoreBenchmark.complete", "JdbcStoreBenchmark.completeSameSql",
     "the store's `UPDATE`, on its table"),
    ("PostgreSQL complete", "JdbcStoreBenchmark.complete", "JdbcStoreBenchmark.completeRaw",
     "minimal single-row `UPDATE` (scratch table)"),
    ("Two-layer claim, new key", "TwoLayerStoreBenchmark.claimNew", None, ""),
    ("Two-layer claim, replay hit", "TwoLayerStoreBenchmark.claimCompleted", None, ""),
    ("In-memory claim, new key", "InMemoryStoreBenchmark.claimNew", None, ""),
]

FINGERPRINT_TARGET = 2.0

# (label, benchmark)
FINGERPRINT_ROWS = [
    ("fingerprint, canonical JSON (default)", "FingerprintBenchmark.fingerprintCanonical"),
    ("fingerprint, canonical JSON, numbers by value", "FingerprintBenchmark.fingerprintNormalizingNumbers"),
    ("fingerprint, bytes as sent (SHA-256 alone)", "FingerprintBenchmark.fingerprintRaw"),
    ("Jackson `readTree`", "FingerprintBenchmark.jacksonReadTree"),
    ("Jackson tokens alone (`nextToken` loop)", "FingerprintBenchmark.jacksonTokens"),
]
FINGERPRINT_BASE = "FingerprintBenchmark.jacksonReadTree"


WEB = "WebRequestAllocationBenchmark"

# (label, benchmark method)
WEB_ROWS = [
    ("plain request (no `@Idempotent`)", "plain"),
    ("idempotent, new key", "idempotentNewKey"),
    ("idempotent, replay", "idempotentReplay"),
]


def median(values):
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def web_norms(results):
    """{(store, maxBodySize, method): (bytes/op or None, µs/op)} of the web benchmark.
    bytes/op is the median over the measurement iterations: on a shared machine one
    iteration in several carries some background allocation, which moves the mean."""
    rows = {}
    for r in results:
        cls, method = r["benchmark"].split(".")[-2:]
        if cls != WEB:
            continue
        params = r.get("params", {})
        norm = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        rows[(params.get("store", ""), params.get("maxBodySize", ""), method)] = (
            median([v for fork in norm["rawData"] for v in fork]) if norm else None, r["primaryMetric"]["score"])
    return rows


def web_table(results, before=None):
    """bytes/op (median of the iterations) per request kind and parameters, what the idempotent ones add to a plain
    request; with a second (before) result, its bytes/op beside them."""
    after = web_norms(results)
    if not after:
        return
    print()
    if all(norm is None for norm, _ in after.values()):
        print(f"{WEB}: no gc.alloc.rate.norm (run with -prof gc: run.sh --alloc)")
        return
    before = web_norms(before) if before else None

    def cells(rows, key, method):
        norm = rows.get(key + (method,), (None, None))[0]
        plain = rows.get(key + ("plain",), (None, None))[0]
        if norm is None:
            return ["—", "—"]
        diff = "—" if method == "plain" or plain is None else f"{norm - plain:+,.0f}"
        return [f"{norm:,.0f}", diff]

    if before is None:
        print("| store | max-body-size | request | bytes/op | minus plain | µs/op |")
        print("| --- | ---: | --- | ---: | ---: | ---: |")
    else:
        print("| store | max-body-size | request | before bytes/op | before minus plain "
              "| after bytes/op | after minus plain |")
        print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for key in sorted({k[:2] for k in after}):
        for label, method in WEB_ROWS:
            if key + (method,) not in after:
                continue
            row = [key[0], key[1], label]
            if before is None:
                row += cells(after, key, method) + [f"{after[key + (method,)][1]:,.0f}"]
            else:
                row += cells(before, key, method) + cells(after, key, method)
            print("| " + " | ".join(row) + " |")


def main(path, before_path=None):
    with open(path) as f:
        results = json.load(f)
    before = None
    if before_path:
        with open(before_path) as f:
            before = json.load(f)
    scores = {}
    medians = {}
    for r in results:
        name = ".".join(r["benchmark"].split(".")[-2:])
        if name.startswith(WEB + "."):
            continue
        m = r["primaryMetric"]
        scores[name] = (m["score"], m.get("scoreError"))
        raw = sorted(x for fork in m.get("rawData", []) for x in fork)
        if raw:
            medians[name] = median(raw)

    def fmt(name):
        if name not in scores:
            return None, "—"
        score, error = scores[name]
        try:
            error = float(error)
        except (TypeError, ValueError):
            error = None
        if error is None or error != error:  # "NaN" with a single iteration
            return score, f"{score:.1f}"
        return score, f"{score:.1f} ± {error:.1f}"

    if any(store in scores for _, store, _, _ in ROWS):
        store_table(scores, fmt)
    if FINGERPRINT_BASE in scores:
        if any(store in scores for _, store, _, _ in ROWS):
            print()
        fingerprint_table(scores, medians, fmt)
    web_table(results, before)


def fingerprint_table(scores, median, fmt):
    """Ratios of medians: on a shared machine one disturbed iteration moves the mean."""
    base = median.get(FINGERPRINT_BASE, scores[FINGERPRINT_BASE][0])
    print("| ~1 MB JSON body | ms/op | median ms/op | × Jackson `readTree` (medians) | ≤ 2x |")
    print("| --- | ---: | ---: | ---: | --- |")
    for label, name in FINGERPRINT_ROWS:
        score, text = fmt(name)
        if score is None:
            continue
        middle = median.get(name, score)
        ratio = middle / base
        met = ("yes" if ratio <= FINGERPRINT_TARGET else "no") if name.startswith("FingerprintBenchmark.fingerprint") else "—"
        print(f"| {label} | {text} | {middle:.1f} | {ratio:.2f} | {met} |")


def store_table(scores, fmt):
    print("| operation | store µs/op | raw call | raw µs/op | ratio | ≤ 1.3x |")
    print("| --- | ---: | --- | ---: | ---: | --- |")
    for label, store, raw, raw_label in ROWS:
        store_score, store_text = fmt(store)
        if store_score is None:
            continue
        raw_score, raw_text = fmt(raw) if raw else (None, "—")
        if raw_score:
            ratio = store_score / raw_score
            ratio_text, met = f"{ratio:.2f}", ("yes" if ratio <= TARGET else "no")
        else:
            ratio_text, met = "—", "—"
        print(f"| {label} | {store_text} | {raw_label or '—'} | {raw_text} | {ratio_text} | {met} |")


if __name__ == "__main__":
    # table.py [RESULT.json [BEFORE.json]]: a second result adds its allocation beside.
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/jmh.json", sys.argv[2] if len(sys.argv) > 2 else None)
