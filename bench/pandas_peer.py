"""pandas peer for the ingest benchmark (bench/run.sh); run with /usr/bin/python3.

Usage: pandas_peer.py parse|full FILE.csv

  parse  pd.read_csv(FILE) only (default C engine, dtypes inferred)
  full   read_csv, then the timestamp column through pd.to_datetime (UTC,
         ISO 8601), then a groupby on series computing count, first and last
         time per series: roughly the work `headroom ingest` does before it
         places samples on grids and writes the store (this peer writes
         nothing).

Prints one line of key=value pairs on stdout: rows, series (full only),
per-phase seconds measured inside the process (import excluded) and the
pandas version, for run.sh to parse.
"""
import sys
import time

t_start = time.perf_counter()
import pandas as pd  # noqa: E402

t_import = time.perf_counter() - t_start


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("parse", "full"):
        sys.stderr.write("usage: pandas_peer.py parse|full FILE.csv\n")
        return 64
    mode, path = sys.argv[1], sys.argv[2]
    out = {"pandas": pd.__version__, "import_s": "%.3f" % t_import}

    t = time.perf_counter()
    df = pd.read_csv(path)
    out["read_s"] = "%.3f" % (time.perf_counter() - t)
    out["rows"] = str(len(df))

    if mode == "full":
        t = time.perf_counter()
        # pandas >= 2.0 takes format="ISO8601"; 1.x has no such format name
        # but fast-paths ISO 8601 strings when format is None.
        major = int(pd.__version__.split(".")[0])
        if major >= 2:
            ts = pd.to_datetime(df["timestamp"], utc=True, format="ISO8601")
            out["ts_format"] = "ISO8601"
        else:
            ts = pd.to_datetime(df["timestamp"], utc=True)
            out["ts_format"] = "inferred-iso"
        df["timestamp"] = ts
        out["todatetime_s"] = "%.3f" % (time.perf_counter() - t)

        t = time.perf_counter()
        g = df.groupby("series", sort=False).agg(
            n=("value", "size"), first=("timestamp", "min"), last=("timestamp", "max")
        )
        out["groupby_s"] = "%.3f" % (time.perf_counter() - t)
        out["series"] = str(len(g))

    print(" ".join("%s=%s" % kv for kv in out.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
