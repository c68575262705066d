"""Run the emitted Spark job (studio_driver.py + studio_features.sql) on projects' own events,
in ONE Spark session (local mode), for the integration test `spark_equals_studio`.

    python equality.py CASE_DIR...

Each CASE_DIR holds `project.studio` (a studio project with a segment model) and `emit/` (what
`studio features --emit spark-sql` wrote for it). For each case this writes:
  events.parquet   the project's events in the documented input schema (joined with products,
                   price in currency units) — the job's input;
  spark/features/  the job's features file (Parquet), spark/audiences/ its audience lists.
Then it checks that the driver refuses bad input by name (a missing column, a wrongly typed
one) and prints one JSON line: {"cases": [...], "refusals": [...], "seconds": ...}.
The comparison with the studio's own numbers is the Rust test's.
"""

import importlib.util
import json
import os
import sqlite3
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq


def export_events(project, path):
    con = sqlite3.connect("file:%s?mode=ro" % project, uri=True)
    rows = con.execute(
        "SELECT e.user_id, e.product_id, p.category, p.brand, COALESCE(e.price_cents, p.price_cents), e.kind, e.ts, e.session"
        " FROM events e JOIN products p ON p.id = e.product_id ORDER BY e.id"
    ).fetchall()
    con.close()
    cols = list(zip(*rows))
    table = pa.table({
        "user_id": pa.array(cols[0], pa.string()),
        "item_id": pa.array(cols[1], pa.string()),
        "category": pa.array(cols[2], pa.string()),
        "brand": pa.array(cols[3], pa.string()),
        "price": pa.array([c / 100.0 for c in cols[4]], pa.float64()),
        "kind": pa.array(cols[5], pa.string()),
        "ts": pa.array(cols[6], pa.int64()),
        "session": pa.array(cols[7], pa.string()),
    })
    pq.write_table(table, path)
    return len(rows)


def load_driver(emit_dir):
    spec = importlib.util.spec_from_file_location("studio_driver_%d" % abs(hash(emit_dir)), os.path.join(emit_dir, "studio_driver.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(cases):
    t0 = time.time()
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    spark = (SparkSession.builder.master("local[2]").appName("studio-equality")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
             .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    summary = {"cases": [], "refusals": []}
    for case in cases:
        emit = os.path.join(case, "emit")
        driver = load_driver(emit)
        config = driver.load_config(emit)
        events_path = os.path.join(case, "events.parquet")
        n = export_events(os.path.join(case, "project.studio"), events_path)
        events = spark.read.parquet(events_path)
        out = driver.run(spark, events, here=emit, config=config)
        features = os.path.join(case, "spark", "features")
        out.coalesce(1).write.mode("overwrite").parquet(features)
        written, refused = driver.write_audiences(spark, spark.read.parquet(features), os.path.join(case, "spark"), config)
        summary["cases"].append({"case": case, "events": n, "audiences": len(written), "refused": len(refused)})
    # Bad input is refused with the names, before anything runs.
    emit = os.path.join(cases[0], "emit")
    driver = load_driver(emit)
    events = spark.read.parquet(os.path.join(cases[0], "events.parquet"))
    for bad in (events.drop("price", "kind"), events.withColumn("ts", F.col("ts").cast("string"))):
        try:
            driver.run(spark, bad, here=emit)
            summary["refusals"].append("accepted")
        except driver.InputError as e:
            summary["refusals"].append(str(e))
    spark.stop()
    summary["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main(sys.argv[1:])
