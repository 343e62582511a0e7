"""Benchmarks: each `python -m oa bench <name>` measures one thing and prints its figures.

- `demo` (demo.py): building the demo league from an empty store;
- `model` (model.py): the model against the simulator's truth and the baseline, scoring speed;
- `pbp`, `public` (sources.py): the play-by-play model on real NHL seasons, and against public models;
- `app` (dashboard.py): the dashboard's render times and memory;
- `live` (live.py): live scoring throughput and latency.

`--markdown PATH` writes the figures as a report (report.py) with the machine and the command.
"""
