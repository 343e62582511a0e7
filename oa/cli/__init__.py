"""`python -m oa ...` (or `oa ...`): build the demo league, ingest real data, train, score, go live, benchmark.

One module per group of commands; options several commands share are in `options.py`. Commands are
registered here, in the order `oa --help` lists them.
"""

from __future__ import annotations

from oa.cli import bench, ingest, league, live, model
from oa.cli.common import app, bench_app

app.command()(league.demo)
app.command()(model.factors)
app.command()(model.features)
app.command()(model.train)
app.command()(model.score)
app.command()(live.serve)
app.command()(league.profile)
app.command()(ingest.ingest)
bench_app.command("demo")(bench.bench_demo)
bench_app.command("model")(bench.bench_model)
bench_app.command("pbp")(bench.bench_pbp)
bench_app.command("public")(bench.bench_public)
bench_app.command("app")(bench.bench_dashboard)
app.command()(live.live)
bench_app.command("live")(bench.bench_live)
bench_app.command("seasons")(bench.bench_seasons)

__all__ = ["app", "main"]


def main() -> None:
    app()
