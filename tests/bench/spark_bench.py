"""The Spark side of `cargo bench --bench spark`: EVENTS_CSV EMIT_DIR OUT_DIR.

Converts the events CSV to Parquet with pyarrow (untimed), starts a local[2] session (timed:
session_s), runs the emitted job on the Parquet events and writes its features file (timed:
job_s), and prints one JSON line with the times, the user count and the JVM's peak RSS.
"""

import importlib.util
import json
import os
import sys
import time

import pyarrow.csv as pacsv
import pyarrow.parquet as pq


def jvm_peak_mb(spark):
    try:
        pid = spark.sparkContext._gateway.proc.pid
        for line in open("/proc/%d/status" % pid):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except Exception:  # noqa: BLE001 - the figure is optional
        return None


def main(events_csv, emit, out):
    parquet = os.path.join(out, "events.parquet")
    os.makedirs(out, exist_ok=True)
    opts = pacsv.ConvertOptions(column_types={"user_id": "string", "item_id": "string", "session": "string", "ts": "int64", "price": "float64"})
    pq.write_table(pacsv.read_csv(events_csv, convert_options=opts), parquet)
    spec = importlib.util.spec_from_file_location("studio_driver", os.path.join(emit, "studio_driver.py"))
    driver = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(driver)
    t = time.time()
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("studio-bench")
             .config("spark.ui.enabled", "false").config("spark.driver.memory", "6g")
             .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    session = time.time() - t
    t = time.time()
    result = driver.run(spark, spark.read.parquet(parquet), here=emit)
    features = os.path.join(out, "features")
    result.coalesce(1).write.mode("overwrite").parquet(features)
    job = time.time() - t
    users = spark.read.parquet(features).count()
    peak = jvm_peak_mb(spark)
    spark.stop()
    print(json.dumps({"session_s": round(session, 2), "job_s": round(job, 2), "users": users, "jvm_peak_mb": peak}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
