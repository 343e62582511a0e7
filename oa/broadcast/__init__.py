"""The broadcast kit: graphics for air and social media, drawn from one replaceable theme.

`theme` (the theme file and its checks, team colours), `data` (a shot as a graphic shows it,
the same queries as the Shot detail page), `graphic` (the shot graphic as a Plotly figure in
three sizes, rendered to PNG or SVG by a warm Chromium through kaleido), `recap` (a game's
recap as a self-contained HTML page and a 1920x1080 PNG), `deserved` ("deserved to win":
replays of a game's chances, pure numpy). Above `oa.plots`
and `oa.model`, below `oa.app` and `oa.cli`.
"""
