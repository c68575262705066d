#!/usr/bin/env python3
"""Compare `studio ope --json` with the Python `obp` package (0.5.7) on the same inputs.

Modes:
  compare_obp.py [--studio BIN]          obp's estimators vs the studio, every number |Δ| ≤ 1e-9.
                                         Without obp: prints "SKIP: obp not installed
                                         (`make obp` ...)" and exits 0.
  compare_obp.py --numpy [--studio BIN]  the same comparison against a direct numpy
                                         transcription of obp's formulas ("numpy transcription,
                                         not obp") — for machines without obp. Skips (exit 0)
                                         without numpy.
  compare_obp.py --bench --logs F --policy P [--repeat 5]
                                         time obp (estimators incl. bootstrap) and print JSON.

What both sides get: the logs (`item_id`, `position` densely ranked to 0.. as obp's
OpenBanditDataset does, `click`, `propensity_score`), the evaluation policy as obp's
`action_dist` of shape (n_rounds, n_items, n_positions) built from the policy table
(`uniform`, `best-item`, or a CSV item_id,position,probability), and the reward model
    prior = clicks / rows,  q(a, k) = (clicks(a, k) + prior) / (impressions(a, k) + 1)
as `estimated_rewards_by_reg_model` (the same for every row). obp runs
InverseProbabilityWeighting, SelfNormalizedInverseProbabilityWeighting and DoublyRobust:
`estimate_policy_value` and `estimate_interval(n_bootstrap_samples, alpha, random_state)`.
The mean importance weight and effective sample size, which obp does not report, are checked
against numpy.

The logs are the gzipped Open Bandit samples in fixtures/data/open-bandit/ (decompressed into a
temporary directory for the studio) and the hand-made fixtures/ope/tiny_logs.csv.

The studio binary: --studio, else $STUDIO_BIN, else target/debug/studio. obp 0.5.7 declares
Python < 3.11 and pins torch 1.12; `make obp` installs it without its pins into the virtual
environment target/obp-venv (run this script with target/obp-venv/bin/python; the bench and the
integration test read $OPE_PYTHON). Without torch, obp's module-level torch imports are served by
a stand-in (`_AbsentTorch`) that raises if used: IPW, SNIPW and DR never use it.
"""
import argparse
import csv
import gzip
import importlib.abc
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The Open Bandit samples, gzipped in the repository (fixtures/README.md); `studio ope` reads
# plain CSV, so compare() decompresses them into a temporary directory first.
DATA = ROOT / "fixtures" / "data" / "open-bandit"
TOL = 1e-9

# (logs, policy): the real samples under several policies, and the hand-made tiny fixture.
CASES = [
    (DATA / "random" / "all.csv.gz", "uniform"),
    (DATA / "random" / "all.csv.gz", str(ROOT / "fixtures" / "ope" / "policy_80x3.csv")),
    (DATA / "bts" / "all.csv.gz", str(ROOT / "fixtures" / "ope" / "policy_80x3.csv")),
    (DATA / "bts" / "all.csv.gz", "best-item"),
    (DATA / "bts" / "all.csv.gz", "uniform"),
    (ROOT / "fixtures" / "ope" / "tiny_logs.csv", str(ROOT / "fixtures" / "ope" / "tiny_policy.csv")),
]
ESTIMATORS = ["ipw", "snipw", "dr"]


class _AbsentTorchMeta(type):
    """Type of the stand-ins for torch's names: any attribute is another stand-in (so
    `torch.utils.data.DataLoader` in a signature evaluates), subclassing works (obp's
    `nn.Module` policies are defined), and calling one raises."""

    def __getattr__(cls, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _absent_torch_name(f"{cls.__qualname__}.{attr}")

    def __call__(cls, *args, **kwargs):
        raise RuntimeError(f"{cls.__qualname__}: torch is not installed (obp's estimators compared here never use it)")


def _absent_torch_name(qualname):
    return _AbsentTorchMeta(qualname.rsplit(".", 1)[-1], (), {"__qualname__": qualname})


class _AbsentTorchModule(types.ModuleType):
    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _absent_torch_name(f"{self.__name__}.{attr}")


class _AbsentTorch(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports of `torch` and `torch.*` when torch is not installed. obp 0.5.7 imports torch at
    module level (type hints in `obp.utils`, the neural policies in `obp.policy`) but the
    estimators compared here (IPW, SNIPW, DR) never call it, and torch 1.12, which obp pins,
    has no build for current Pythons. Only installed by `import_obp` after `import torch` failed;
    any real use of torch then raises instead of computing something else."""

    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            return importlib.util.spec_from_loader(name, self, is_package=True)
        return None

    def create_module(self, spec):
        return _AbsentTorchModule(spec.name)

    def exec_module(self, module):
        module.__path__ = []


def import_obp():
    """obp itself (its code unchanged), with torch replaced by `_AbsentTorch` when missing.
    Returns (module, note for the report line)."""
    note = ""
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.meta_path.insert(0, _AbsentTorch())
        note = " (torch not installed: not used by these estimators)"
    import obp

    return obp, note


def plain_copy(path, tmp):
    """`path` itself, or for `<dir>/<name>.gz` its decompressed copy `tmp/<dir>/<name>` (the
    parent folder's name kept: it labels the case), made once."""
    path = Path(path)
    if path.suffix != ".gz":
        return path
    dest = Path(tmp) / path.parent.name / path.stem
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "rb") as src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out)
    return dest


def load_logs(path):
    """The four columns, with position densely ranked to 0.. (obp's rankdata(..., 'dense') - 1)."""
    import numpy as np

    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        ci, cp, cc, cs = (header.index(c) for c in ("item_id", "position", "click", "propensity_score"))
        cols = [(int(r[ci]), int(r[cp]), float(r[cc]), float(r[cs])) for r in rows if r]
    action = np.array([c[0] for c in cols], dtype=np.int64)
    raw_pos = np.array([c[1] for c in cols], dtype=np.int64)
    levels, position = np.unique(raw_pos, return_inverse=True)
    reward = np.array([c[2] for c in cols])
    pscore = np.array([c[3] for c in cols])
    return dict(action=action, position=position.astype(np.int64), reward=reward, pscore=pscore,
                n_items=int(action.max()) + 1, n_positions=len(levels), base=int(levels[0]))


def reward_model(logs):
    """q[a, k] = (clicks(a, k) + prior) / (impressions(a, k) + 1), prior = clicks / rows."""
    import numpy as np

    clicks = np.zeros((logs["n_items"], logs["n_positions"]))
    shows = np.zeros_like(clicks)
    np.add.at(clicks, (logs["action"], logs["position"]), logs["reward"])
    np.add.at(shows, (logs["action"], logs["position"]), 1.0)
    prior = logs["reward"].mean()
    return (clicks + prior) / (shows + 1.0)


def policy_table(spec, logs, q):
    """pi[a, k] for the policy spec, positions 0-based."""
    import numpy as np

    n_items, n_pos = logs["n_items"], logs["n_positions"]
    if spec == "uniform":
        return np.full((n_items, n_pos), 1.0 / n_items)
    if spec == "best-item":
        pi = np.zeros((n_items, n_pos))
        pi[np.argmax(q, axis=0), np.arange(n_pos)] = 1.0
        return pi
    pi = np.zeros((n_items, n_pos))
    with open(spec, newline="") as f:
        for r in csv.DictReader(f):
            pi[int(r["item_id"]), int(r["position"]) - logs["base"]] = float(r["probability"])
    return pi


def per_row(table, n):
    """A (n_items, n_positions) table as obp's (n_rounds, n_items, n_positions) array."""
    import numpy as np

    return np.ascontiguousarray(np.broadcast_to(table, (n,) + table.shape))


def weight_stats(logs, pi):
    import numpy as np

    iw = pi[logs["action"], logs["position"]] / logs["pscore"]
    ess = iw.sum() ** 2 / (iw ** 2).sum()
    sn = iw / iw.mean()
    return {"ipw": (iw.mean(), ess), "snipw": (sn.mean(), sn.sum() ** 2 / (sn ** 2).sum()), "dr": (iw.mean(), ess)}


def obp_inputs(logs, pi, q):
    """obp's keyword arguments: the logs plus `action_dist` and the DR reward model per row."""
    n = len(logs["action"])
    kw = dict(reward=logs["reward"], action=logs["action"], action_dist=per_row(pi, n), pscore=logs["pscore"], position=logs["position"])
    return kw, per_row(q, n)


def obp_estimates(kw, q_full, n_boot, alpha, seed):
    """obp's own estimators; returns {estimator: (value, lower, upper, bootstrap mean)}."""
    from obp.ope import DoublyRobust, InverseProbabilityWeighting, SelfNormalizedInverseProbabilityWeighting

    out = {}
    level = f"{100 * (1. - alpha)}% CI"
    for name, est, extra in [("ipw", InverseProbabilityWeighting(), {}),
                             ("snipw", SelfNormalizedInverseProbabilityWeighting(), {}),
                             ("dr", DoublyRobust(), {"estimated_rewards_by_reg_model": q_full})]:
        v = est.estimate_policy_value(**kw, **extra)
        ci = est.estimate_interval(**kw, **extra, n_bootstrap_samples=n_boot, alpha=alpha, random_state=seed)
        out[name] = (float(v), float(ci[f"{level} (lower)"]), float(ci[f"{level} (upper)"]), float(ci["mean"]))
    return out


def run_obp(logs, pi, q, n_boot, alpha, seed):
    kw, q_full = obp_inputs(logs, pi, q)
    return obp_estimates(kw, q_full, n_boot, alpha, seed)


def run_numpy(logs, pi, q, n_boot, alpha, seed):
    """numpy transcription of obp 0.5.7's formulas (not obp): same outputs as run_obp."""
    import numpy as np

    n = len(logs["action"])
    a, k, r, p = logs["action"], logs["position"], logs["reward"], logs["pscore"]
    iw = pi[a, k] / p
    # np.average(q̂[i, :, k_i], weights=π[i, :, k_i]) over contiguous rows, as obp's fancy index gives
    dm = np.average(np.ascontiguousarray(q.T), weights=np.ascontiguousarray(pi.T), axis=1)[k]
    rounds = {"ipw": r * iw, "snipw": r * iw / iw.mean(), "dr": dm + iw * (r - q[a, k])}
    out = {}
    for name, samples in rounds.items():
        rs = np.random.RandomState(seed)
        boot = [np.mean(rs.choice(samples, size=n)) for _ in range(n_boot)]
        out[name] = (float(samples.mean()), float(np.percentile(boot, 100 * (alpha / 2))),
                     float(np.percentile(boot, 100 * (1.0 - alpha / 2))), float(np.mean(boot)))
    return out


def run_studio(binary, logs_path, policy, n_boot, alpha, seed):
    cmd = [binary, "ope", "--logs", str(logs_path), "--policy", policy, "--bootstrap", str(n_boot),
           "--alpha", repr(alpha), "--seed", str(seed), "--json"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {done.returncode}: {done.stderr}")
    return json.loads(done.stdout)


def compare(reference, label, binary, n_boot, alpha, seed):
    with tempfile.TemporaryDirectory(prefix="compare-obp-") as tmp:
        return compare_in(tmp, reference, label, binary, n_boot, alpha, seed)


def compare_in(tmp, reference, label, binary, n_boot, alpha, seed):
    worst = {"estimates": 0.0, "diagnostics": 0.0}
    failures = []
    for fixture_path, policy in CASES:
        if not Path(fixture_path).exists():
            failures.append(f"{fixture_path}: not found (the fixtures are part of the repository)")
            continue
        logs_path = plain_copy(fixture_path, tmp)
        logs = load_logs(logs_path)
        q = reward_model(logs)
        pi = policy_table(policy, logs, q)
        theirs = reference(logs, pi, q, n_boot, alpha, seed)
        stats = weight_stats(logs, pi)
        ours = run_studio(binary, logs_path, policy, n_boot, alpha, seed)
        got = {e["estimator"]: e for e in ours["estimates"]}
        pairs = [("on_policy_value", ours["on_policy_value"], float(logs["reward"].mean())),
                 ("reward_model.prior", ours["reward_model"]["prior"], float(logs["reward"].mean()))]
        for name in ESTIMATORS:
            v, lo, hi, mean = theirs[name]
            g = got[name]
            pairs += [(f"{name}.value", g["value"], v), (f"{name}.ci_lower", g["ci_lower"], lo),
                      (f"{name}.ci_upper", g["ci_upper"], hi), (f"{name}.bootstrap_mean", g["bootstrap_mean"], mean),
                      (f"{name}.mean_weight", g["mean_weight"], float(stats[name][0])),
                      (f"{name}.effective_sample_size", g["effective_sample_size"], float(stats[name][1]))]
        case_worst = 0.0
        for what, studio, ref in pairs:
            d = abs(studio - ref)
            case_worst = max(case_worst, d)
            kind = "diagnostics" if what.endswith(("mean_weight", "effective_sample_size")) else "estimates"
            worst[kind] = max(worst[kind], d)
            if os.environ.get("OPE_SHOW_DIFFS") and d > 0:
                print(f"    {what}: |Δ| = {d:.3g}")
            if not d <= TOL:
                failures.append(f"{Path(logs_path).parent.name}/{Path(logs_path).name} × {Path(policy).name}: {what} studio {studio!r} vs {label} {ref!r} (|Δ| = {d:.3g})")
        vals = "  ".join(f"{n} {theirs[n][0]:.6f} [{theirs[n][1]:.6f}, {theirs[n][2]:.6f}]" for n in ESTIMATORS)
        print(f"  {Path(logs_path).parent.name}/{Path(logs_path).name} × {Path(policy).name}: {len(pairs)} numbers, max |Δ| = {case_worst:.3g}   ({vals})")
    for f in failures:
        print("FAIL:", f)
    print(f"{label}: max |Δ| = {worst['estimates']:.3g} over values, CIs and bootstrap means; "
          f"{worst['diagnostics']:.3g} over mean weights and ESS (checked with numpy); "
          f"tolerance {TOL:g} — {'OK' if not failures else 'FAILED'}")
    return 1 if failures else 0


def bench(args):
    """Time obp on one logs file: JSON with the best-of-`repeat` seconds of each stage — load
    (pandas.read_csv + dense-ranked positions, as obp's OpenBanditDataset), prepare (reward
    model, policy table, obp's per-row arrays), estimators (obp's three estimators, value and
    bootstrap interval each)."""
    from obp.ope import InverseProbabilityWeighting  # noqa: F401  (import cost is not timed)

    try:
        import pandas as pd
        from scipy.stats import rankdata
    except ImportError:
        pd = None

    def load():
        if pd is None:
            return load_logs(args.logs)
        df = pd.read_csv(args.logs, index_col=0)
        a = df["item_id"].values
        pos = rankdata(df["position"].values, "dense") - 1
        return dict(action=a, position=pos, reward=df["click"].values.astype(float), pscore=df["propensity_score"].values,
                    n_items=int(a.max()) + 1, n_positions=int(pos.max()) + 1, base=int(df["position"].min()))

    best = {"load": float("inf"), "prepare": float("inf"), "estimators": float("inf")}
    result = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        logs = load()
        t1 = time.perf_counter()
        q = reward_model(logs)
        pi = policy_table(args.policy, logs, q)
        kw, q_full = obp_inputs(logs, pi, q)
        t2 = time.perf_counter()
        result = obp_estimates(kw, q_full, args.bootstrap, args.alpha, args.seed)
        t3 = time.perf_counter()
        for k, v in (("load", t1 - t0), ("prepare", t2 - t1), ("estimators", t3 - t2)):
            best[k] = min(best[k], v)
    print(json.dumps({"logs": str(args.logs), "policy": args.policy, "repeat": args.repeat, "seconds": best,
                      "estimates": {k: v[0] for k, v in result.items()}}))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--studio", default=os.environ.get("STUDIO_BIN", str(ROOT / "target" / "debug" / "studio")))
    ap.add_argument("--numpy", action="store_true", help="compare with a numpy transcription of obp's formulas (not obp)")
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--logs")
    ap.add_argument("--policy", default="uniform")
    ap.add_argument("--bootstrap", type=int, default=100)
    ap.add_argument("--alpha", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    if args.numpy:
        try:
            import numpy  # noqa: F401
        except ImportError:
            print("SKIP: numpy not installed (pip install numpy)")
            return 0
        print("numpy transcription, not obp:")
        return compare(run_numpy, "numpy transcription", args.studio, args.bootstrap, args.alpha, args.seed)

    try:
        obp, torch_note = import_obp()
    except Exception as e:  # ImportError, or a broken dependency (torch) raising something else
        print(f"SKIP: obp not installed (`make obp`, then use target/obp-venv/bin/python) [{type(e).__name__}: {e}]")
        return 0
    if args.bench:
        return bench(args)
    print(f"obp {obp.__version__}{torch_note}:")
    return compare(run_obp, f"obp {obp.__version__}", args.studio, args.bootstrap, args.alpha, args.seed)


if __name__ == "__main__":
    sys.exit(main())
