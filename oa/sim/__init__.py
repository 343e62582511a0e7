"""Demo league simulator: a fictional league with tracking, so the product works offline.

Everything here is labelled demo. The hidden truth (skills, true goal probability) is
written to `sim_*` tables that no model may read.
"""

LEAGUE_NAME = "Demo Hockey League (fictional)"
SOURCE = "demo"
