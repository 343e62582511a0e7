"""NHL team codes, names and colours; aliases used by older play-by-play (L.A, N.J, S.J, T.B)."""

from __future__ import annotations

import pandas as pd

from oa import schema

# code: (name, city, primary colour)
TEAMS = {
    "ANA": ("Anaheim Ducks", "Anaheim", "#F47A38"),
    "ARI": ("Arizona Coyotes", "Arizona", "#8C2633"),
    "BOS": ("Boston Bruins", "Boston", "#FFB81C"),
    "BUF": ("Buffalo Sabres", "Buffalo", "#003087"),
    "CAR": ("Carolina Hurricanes", "Carolina", "#CE1126"),
    "CBJ": ("Columbus Blue Jackets", "Columbus", "#002654"),
    "CGY": ("Calgary Flames", "Calgary", "#C8102E"),
    "CHI": ("Chicago Blackhawks", "Chicago", "#CF0A2C"),
    "COL": ("Colorado Avalanche", "Colorado", "#6F263D"),
    "DAL": ("Dallas Stars", "Dallas", "#006847"),
    "DET": ("Detroit Red Wings", "Detroit", "#CE1126"),
    "EDM": ("Edmonton Oilers", "Edmonton", "#041E42"),
    "FLA": ("Florida Panthers", "Florida", "#041E42"),
    "LAK": ("Los Angeles Kings", "Los Angeles", "#111111"),
    "MIN": ("Minnesota Wild", "Minnesota", "#154734"),
    "MTL": ("Montreal Canadiens", "Montreal", "#AF1E2D"),
    "NJD": ("New Jersey Devils", "New Jersey", "#CE1126"),
    "NSH": ("Nashville Predators", "Nashville", "#FFB81C"),
    "NYI": ("New York Islanders", "New York", "#00539B"),
    "NYR": ("New York Rangers", "New York", "#0038A8"),
    "OTT": ("Ottawa Senators", "Ottawa", "#C52032"),
    "PHI": ("Philadelphia Flyers", "Philadelphia", "#F74902"),
    "PIT": ("Pittsburgh Penguins", "Pittsburgh", "#FCB514"),
    "SEA": ("Seattle Kraken", "Seattle", "#001628"),
    "SJS": ("San Jose Sharks", "San Jose", "#006D75"),
    "STL": ("St. Louis Blues", "St. Louis", "#002F87"),
    "TBL": ("Tampa Bay Lightning", "Tampa Bay", "#002868"),
    "TOR": ("Toronto Maple Leafs", "Toronto", "#00205B"),
    "UTA": ("Utah Hockey Club", "Utah", "#71AFE5"),
    "VAN": ("Vancouver Canucks", "Vancouver", "#00205B"),
    "VGK": ("Vegas Golden Knights", "Vegas", "#B4975A"),
    "WPG": ("Winnipeg Jets", "Winnipeg", "#041E42"),
    "WSH": ("Washington Capitals", "Washington", "#C8102E"),
}
# sources without team names (the MoneyPuck extract) store the shooting side instead
PLACEHOLDERS = {
    "HOME": ("Home team (the source gives no team names)", None, "#0072B2"),
    "AWAY": ("Away team (the source gives no team names)", None, "#D55E00"),
}
ALIASES = {
    "L.A": "LAK",
    "N.J": "NJD",
    "S.J": "SJS",
    "T.B": "TBL",
    "PHX": "ARI",
    "LA": "LAK",
    "NJ": "NJD",
    "SJ": "SJS",
    "TB": "TBL",
}


def code(team: object) -> object:
    """The modern code for a team abbreviation (unknown codes pass through unchanged)."""
    return ALIASES.get(team, team) if isinstance(team, str) else team


def teams_table(codes: list[str], source: str) -> pd.DataFrame:
    rows = []
    for c in sorted({code(c) for c in codes if isinstance(c, str)}):
        name, city, colour = TEAMS.get(c) or PLACEHOLDERS.get(c, (c, None, None))
        rows.append(dict(team=c, source=source, name=name, city=city, color=colour))
    return schema.ordered(schema.TEAMS, pd.DataFrame(rows, columns=schema.TEAMS.column_names))
