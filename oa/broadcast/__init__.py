"""The broadcast kit: graphics for air and social media, drawn from one replaceable theme.

`theme` (the theme file and its checks, team colours), `data` (a shot as a graphic shows it,
the same queries as the Shot detail page), `graphic` (the shot graphic as a Plotly figure in
three sizes, rendered to PNG or SVG by a warm Chromium through kaleido). Above `oa.plots`
and `oa.model`, below `oa.app` and `oa.cli`.
"""
