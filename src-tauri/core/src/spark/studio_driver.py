"""Creative Studio's feature and scoring job on Apache Spark.

Written by `studio features --emit spark-sql` next to `studio_features.sql` (the job, generated
from one stored segment model) and `studio_model.json` (that model's segments and columns).

    spark-submit studio_driver.py --events PATH_OR_TABLE [--format parquet|csv|table] \
        --out DIR [--features-format parquet|csv]

Reads the events (columns in studio_model.json "input": user_id, item_id, category, brand,
price, kind, ts and optionally session), refuses missing or wrongly typed columns by name
before running anything, runs the SQL, and writes into DIR:
  features/   the features file (one part file): user_id, spec_version, the raw features named
              as `studio features --raw` names them, segment (label), segment_id and the top
              three interests with their probabilities; `studio import --features DIR/features`
              loads it into a project;
  audiences/  per segment `<key>_google.csv` (Google Customer Match, "User ID") and
              `<key>_meta.csv` (Meta customer list, extern_id), ids sorted, CRLF, formula-like
              ids quoted with a leading ' as every studio CSV; segments under the minimum
              audience are refused and named in audiences/README.md.
"""

import argparse
import json
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

INTEGRAL = {"ByteType", "ShortType", "IntegerType", "LongType"}
NUMERIC = INTEGRAL | {"FloatType", "DoubleType", "DecimalType"}
STRING = {"StringType", "VarcharType", "CharType"}
# What each input column accepts, and how a refusal says it.
ACCEPTS = {
    "user_id": (STRING | INTEGRAL, "a string or an integer"),
    "item_id": (STRING | INTEGRAL, "a string or an integer"),
    "category": (STRING, "a string"),
    "brand": (STRING, "a string"),
    "price": (NUMERIC, "a number"),
    "kind": (STRING, "a string"),
    "ts": (INTEGRAL, "an integer (Unix seconds)"),
    "session": (STRING | INTEGRAL, "a string"),
}
OPTIONAL = {"session"}


class InputError(Exception):
    """The events input cannot be used; the message names the columns."""


def load_config(here=HERE):
    with open(os.path.join(here, "studio_model.json"), encoding="utf-8") as f:
        return json.load(f)


def statements(here=HERE):
    with open(os.path.join(here, "studio_features.sql"), encoding="utf-8") as f:
        text = f.read()
    out = []
    for part in text.split(";\n"):
        body = "\n".join(l for l in part.splitlines() if not l.strip().startswith("--")).strip()
        if body:
            out.append(body)
    return out


def schema_problems(schema, config):
    """Missing and wrongly typed input columns, by name (empty when usable)."""
    types = {f.name.lower(): type(f.dataType).__name__ for f in schema.fields}
    missing, wrong = [], []
    for name, _ in config["input"]:
        if name not in types:
            if name not in OPTIONAL:
                missing.append(name)
            continue
        accepted, want = ACCEPTS[name]
        if types[name] not in accepted:
            wrong.append("%s is %s (needs %s)" % (name, types[name].replace("Type", "").lower(), want))
    problems = []
    if missing:
        problems.append("missing columns: " + ", ".join(missing))
    if wrong:
        problems.append("wrong types: " + "; ".join(wrong))
    return problems


def run(spark, events, here=HERE, config=None):
    """Check `events` (a DataFrame), run the SQL over it; returns the `studio_output` DataFrame."""
    from pyspark.sql import functions as F

    config = config or load_config(here)
    problems = schema_problems(events.schema, config)
    if problems:
        raise InputError("the events input is not usable: " + "; ".join(problems))
    events = events.select([F.col(f.name).alias(f.name.lower()) for f in events.schema.fields])
    if "session" not in events.columns:
        events = events.withColumn("session", F.lit(None).cast("string"))
    events.createOrReplaceTempView("events")
    for s in statements(here):
        spark.sql(s)
    return spark.table("studio_output")


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def inert(cell):
    """The studio's CSV cell rule (csv_cell::inert): a formula-like text gets a leading '."""
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        if not (_NUMBER.match(cell) and math.isfinite(float(cell))):
            return "'" + cell
    return cell


def csv_line(cell):
    cell = inert(cell)
    if cell == "" or any(c in cell for c in ',"\r\n'):
        cell = '"' + cell.replace('"', '""') + '"'
    return cell + "\r\n"


def write_audiences(spark, features, out, config):
    """One Google and one Meta list per segment with at least the minimum audience."""
    from pyspark.sql import functions as F

    folder = os.path.join(out, "audiences")
    os.makedirs(folder, exist_ok=True)
    counts = {r["segment"]: r["count"] for r in features.groupBy("segment").count().collect()}
    written, refused = [], []
    for seg in config["segments"]:
        n = counts.get(seg["label"], 0)
        if n < config["min_audience"]:
            refused.append("segment %d %s has %d users, under the minimum audience of %d: a list that small could single people out, so none is written"
                           % (seg["label"], json.dumps(seg["name_en"], ensure_ascii=False), n, config["min_audience"]))
            continue
        google = open(os.path.join(folder, seg["key"] + "_google.csv"), "w", encoding="utf-8", newline="")
        meta = open(os.path.join(folder, seg["key"] + "_meta.csv"), "w", encoding="utf-8", newline="")
        with google, meta:
            google.write(csv_line("User ID"))
            meta.write(csv_line("extern_id"))
            ids = features.where(F.col("segment") == seg["label"]).select("user_id").distinct().orderBy("user_id")
            for row in ids.toLocalIterator():
                line = csv_line(row["user_id"])
                google.write(line)
                meta.write(line)
        written.append((seg, n))
    with open(os.path.join(folder, "README.md"), "w", encoding="utf-8") as f:
        f.write("# Audiences of segment model %d (computed by Spark)\n\n" % config["model_id"])
        f.write("- `*_google.csv`: Google Ads Customer Match, list type \"User ID\" (column `User ID`; upload key type CRM_ID).\n")
        f.write("- `*_meta.csv`: Meta Custom Audience from a customer list, identifier EXTERN_ID (column `extern_id`).\n\n")
        for seg, n in written:
            f.write("- `%s`: segment %d %s, %d users\n" % (seg["key"], seg["label"], seg["name_en"], n))
        for r in refused:
            f.write("- refused: %s\n" % r)
    return written, refused


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", required=True, help="Parquet or CSV path, or a table name with --format table")
    ap.add_argument("--format", default="parquet", choices=["parquet", "csv", "table"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--features-format", default="parquet", choices=["parquet", "csv"])
    a = ap.parse_args(argv)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("studio-features").getOrCreate()
    if a.format == "table":
        events = spark.table(a.events)
    elif a.format == "csv":
        events = spark.read.option("header", True).option("inferSchema", True).csv(a.events)
    else:
        events = spark.read.parquet(a.events)
    try:
        out = run(spark, events)
    except InputError as e:
        print("studio: error[invalid_input]: %s" % e, file=sys.stderr)
        return 2
    path = os.path.join(a.out, "features")
    w = out.coalesce(1).write.mode("overwrite")
    (w.option("header", True).csv(path) if a.features_format == "csv" else w.parquet(path))
    if a.features_format == "parquet":
        features = spark.read.parquet(path)
    else:
        from pyspark.sql import functions as F

        features = spark.read.option("header", True).csv(path).withColumn("segment", F.col("segment").cast("int"))
    written, refused = write_audiences(spark, features, a.out, load_config())
    print("studio spark job: %d users -> %s; %d audiences written, %d refused" % (features.count(), path, len(written), len(refused)))
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
