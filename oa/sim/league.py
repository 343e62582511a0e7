"""Teams and rosters of the fictional demo league, with hidden skills."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oa.sim import SOURCE

CITIES = [
    "Aurora",
    "Bayport",
    "Cedar Falls",
    "Dunmore",
    "Eastbrook",
    "Fairhaven",
    "Glenwood",
    "Harbor City",
    "Ironvale",
    "Juniper",
    "Kingsford",
    "Lakeshore",
    "Maple Ridge",
    "Northgate",
    "Oakmont",
    "Pinecrest",
    "Queensbury",
    "Riverton",
    "Stonebridge",
    "Timberline",
    "Union Bay",
    "Valemont",
    "Westfield",
    "Yellowpine",
    "Ashford",
    "Brightwater",
    "Coldspring",
    "Deerfield",
    "Elkhorn",
    "Foxborough",
    "Granite Bay",
    "Hollowmere",
]
NICKNAMES = [
    "Lynx",
    "Mariners",
    "Foxes",
    "Ironmen",
    "Comets",
    "Herons",
    "Wolves",
    "Pilots",
    "Smelters",
    "Jays",
    "Monarchs",
    "Gulls",
    "Rangers",
    "Blizzard",
    "Oaks",
    "Pines",
    "Crowns",
    "Otters",
    "Masons",
    "Timberwolves",
    "Tide",
    "Vipers",
    "Wardens",
    "Yetis",
    "Anchors",
    "Bolts",
    "Caribou",
    "Drakes",
    "Elks",
    "Flyers",
    "Granite",
    "Owls",
]
FIRST = [
    "Alex",
    "Ben",
    "Carl",
    "Dan",
    "Eli",
    "Finn",
    "Gus",
    "Hank",
    "Ivan",
    "Jon",
    "Kai",
    "Leo",
    "Max",
    "Nils",
    "Owen",
    "Pete",
    "Quinn",
    "Rory",
    "Sam",
    "Theo",
    "Uli",
    "Vic",
    "Will",
    "Xavi",
    "Yan",
    "Zed",
    "Aki",
    "Bo",
    "Cole",
    "Dane",
    "Emil",
    "Jesse",
    "Kasper",
    "Lars",
    "Matti",
    "Niko",
    "Oskar",
    "Tuomas",
]
LAST = [
    "Aho",
    "Berg",
    "Carlsson",
    "Dubois",
    "Eklund",
    "Fortin",
    "Gagnon",
    "Holm",
    "Ivanov",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Morin",
    "Nyberg",
    "Olsen",
    "Petrov",
    "Quist",
    "Roy",
    "Sorensen",
    "Tremblay",
    "Ulrich",
    "Virtanen",
    "Walsh",
    "Young",
    "Zajac",
    "Brodeur",
    "Lemieux",
    "Moreau",
    "Novak",
    "Pelletier",
    "Savard",
    "Kovac",
    "Halvorsen",
    "Makela",
    "Stromberg",
    "Lavoie",
    "Bergeron",
    "Hedman",
]
COLORS = [
    "#1f4e79",
    "#b22222",
    "#2e7d32",
    "#6a1b9a",
    "#ef6c00",
    "#00838f",
    "#5d4037",
    "#c2185b",
    "#283593",
    "#9e9d24",
    "#37474f",
    "#d84315",
    "#00695c",
    "#4527a0",
    "#ad1457",
    "#1565c0",
]

ROSTER = ("C",) * 4 + ("LW",) * 4 + ("RW",) * 4 + ("D",) * 6 + ("G",) * 2  # 12 F, 6 D, 2 G


@dataclass
class League:
    """The league as tables (teams, players, hidden skills) plus fast lookups for the simulator."""

    teams: pd.DataFrame
    players: pd.DataFrame
    skills: pd.DataFrame

    def __post_init__(self) -> None:
        p = self.players.merge(self.skills, on="player_id")
        self.roster: dict[str, pd.DataFrame] = {t: g.reset_index(drop=True) for t, g in p.groupby("team")}
        self.by_id = p.set_index("player_id")

    @property
    def team_codes(self) -> list[str]:
        return list(self.teams["team"])


def _code(city: str, nick: str, used: set[str]) -> str:
    parts = city.split()
    cands = [
        (parts[0][:2] + parts[-1][0]).upper() if len(parts) > 1 else city[:3].upper(),
        (city[0] + nick[:2]).upper(),
        (city[:2] + nick[0]).upper(),
    ]
    for c in cands:
        if c not in used:
            used.add(c)
            return c
    raise ValueError(f"no free code for {city}")


def build_league(seed: int = 0, n_teams: int = 32) -> League:
    """A fictional league of `n_teams` teams with 20-player rosters and hidden skills."""
    if not 2 <= n_teams <= len(CITIES):
        raise ValueError(f"n_teams must be between 2 and {len(CITIES)}, got {n_teams}")
    rng = np.random.default_rng([seed, 7001])
    used: set[str] = set()
    teams, players, skills = [], [], []
    for i in range(n_teams):
        city, nick = CITIES[i], NICKNAMES[i]
        code = _code(city, nick, used)
        teams.append(dict(team=code, source=SOURCE, name=f"{city} {nick}", city=city, color=COLORS[i % len(COLORS)]))
        numbers = rng.choice(np.arange(2, 99), size=len(ROSTER), replace=False)
        for k, pos in enumerate(ROSTER):
            pid = 9_000_000 + i * 100 + k + 1
            is_g = pos == "G"
            height = rng.normal(75.0, 1.8) if is_g else rng.normal(74.0 if pos == "D" else 72.5, 2.0)
            players.append(
                dict(
                    player_id=pid,
                    source=SOURCE,
                    name=f"{FIRST[rng.integers(len(FIRST))]} {LAST[rng.integers(len(LAST))]}",
                    team=code,
                    position=pos,
                    shoots="L" if rng.random() < 0.62 else "R",
                    height_in=float(np.round(np.clip(height, 66, 81), 1)),
                    number=int(numbers[k]),
                )
            )
            # hidden talent in log-odds: finishing for skaters, stopping for goalies;
            # depth in the lineup follows k (line 1 players first), so top lines finish a bit better
            if is_g:
                skills.append(dict(player_id=pid, shooting=None, goaltending=float(rng.normal(0.0, 0.12))))
            else:
                line_bonus = 0.06 - 0.03 * ((k % 4) if pos != "D" else (k - 12) // 2)
                skills.append(dict(player_id=pid, shooting=float(rng.normal(line_bonus, 0.13)), goaltending=None))
    return League(pd.DataFrame(teams), pd.DataFrame(players), pd.DataFrame(skills))
