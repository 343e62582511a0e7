"""`python -m oa ...` (or `oa ...`): build the demo league, ingest real data, train, score, go live, benchmark.

One module per group of commands; options several commands share are in `options.py`. Commands are
registered here, in the order `oa --help` lists them.
"""

from __future__ import annotations

from oa.cli import analysis, bench, export, ingest, league, live, model, nhl
from oa.cli.common import app, bench_app, live_app

app.command()(league.demo)
app.command()(model.factors)
app.command()(model.features)
app.command()(model.train)
app.command()(model.score)
app.command()(live.serve)
app.command()(league.profile)
app.command()(ingest.ingest)
nhl.nhl_app.command("sync")(nhl.sync)
app.add_typer(nhl.nhl_app, name="nhl")
bench_app.command("demo")(bench.bench_demo)
bench_app.command("model")(bench.bench_model)
bench_app.command("pbp")(bench.bench_pbp)
bench_app.command("public")(bench.bench_public)
bench_app.command("app")(bench.bench_dashboard)
live_app.callback(invoke_without_command=True)(live.live)
live_app.command("nhl")(live.live_nhl)
bench_app.command("live")(bench.bench_live)
bench_app.command("live-nhl")(bench.bench_live_nhl)
bench_app.command("season")(bench.bench_season)
bench_app.command("seasons")(bench.bench_seasons)
bench_app.command("sync")(bench.bench_sync)
bench_app.command("graphic")(bench.bench_graphic)
bench_app.command("recap")(bench.bench_recap)
bench_app.command("studio")(bench.bench_studio)
export.export_app.command("shot")(export.export_shot)
export.export_app.command("game")(export.export_game)
bench_app.command("replay")(bench.bench_replay)
bench_app.command("toi")(bench.bench_toi)
export.export_app.command("replay")(export.export_replay)
export.export_app.command("table")(analysis.export_table)
app.command("players")(analysis.players)
bench_app.command("talent")(bench.bench_talent)
bench_app.command("analysis")(bench.bench_analysis)
app.add_typer(export.export_app, name="export")

__all__ = ["app", "main"]


def main() -> None:
    app()
