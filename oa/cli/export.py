"""`export ...`: what the broadcast kit makes from the store, as files.

`export shot`: a shot's graphic; `export game`: a game's recap (HTML page and PNG); `export replay`:
a tracked shot's replay as a video.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, cast

import typer

from oa.cli import options
from oa.cli.common import bars, console, fail
from oa.settings import DEFAULT_DB

if TYPE_CHECKING:
    from oa.broadcast.theme import Theme

export_app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Graphics for air and social media, as files (offline)."
)
MAX_ID = 2**63 - 1


def _size(value: str) -> str:
    from oa.broadcast.graphic import SIZES

    v = value.strip().lower()
    if v not in SIZES:
        raise typer.BadParameter(f"{value!r} is not a size; use one of {', '.join(SIZES)}")
    return v


def _format(value: str | None) -> str | None:
    from oa.broadcast.graphic import FORMATS

    if value is None:
        return None
    v = value.strip().lower()
    if v not in FORMATS:
        raise typer.BadParameter(f"{value!r} is not a format; use one of {', '.join(FORMATS)}")
    return v


def _theme(value: Path | None):
    """The theme file, loaded and checked here so a bad one is named before anything is drawn."""
    from oa.broadcast.theme import ThemeError, load_theme

    try:
        return load_theme(value)
    except ThemeError as e:
        raise typer.BadParameter(str(e)) from None


def _theme_option() -> Path | None:
    """`--theme FILE`, read and checked by its callback (every export draws with a theme)."""
    return typer.Option(
        None,
        "--theme",
        help="a theme file (TOML) to draw with",
        show_default="$OA_THEME or oa/broadcast/theme.toml",
        callback=_theme,
    )


def _shot_id(value: int) -> int:
    if value < 0 or value > MAX_ID:
        raise typer.BadParameter(f"{value} is not a shot id (game_id × 10000 + event index)")
    return value


def _writable(out: Path) -> str | None:
    """Why `out` cannot be written, or None."""
    if out.exists() and out.is_dir():
        return f"{out} is a folder; give a file name such as {out / 'shot.png'}"
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        return f"the folder {parent} does not exist"
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        return f"{out} cannot be written (permission denied)"
    return None


def export_shot(
    shot_id: int = typer.Argument(..., callback=_shot_id, help="the shot's id (game_id × 10000 + event index)"),
    out: Path = typer.Option(..., "--out", "-o", help="the file to write (.png or .svg)"),
    size: str = typer.Option("1920x1080", "--size", callback=_size, help="1920x1080, 1920x300 or 1080x1080"),
    fmt: str | None = typer.Option(
        None, "--format", callback=_format, help="png or svg (default: from --out's suffix, else png)"
    ),
    theme_file: Path | None = _theme_option(),
    db: Path = options.db(DEFAULT_DB),
) -> None:
    """A shot's graphic: shooter, goalie, clock, chance and tier, the three strongest factors, the rink.

    1920x1080 (full screen), 1920x300 (lower third, transparent background) or 1080x1080
    (social), as PNG or SVG, rendered offline by Debian's Chromium.
    """
    from oa.broadcast.data import NoShot, read_card
    from oa.broadcast.graphic import RenderError, render_shot, renderer
    from oa.store import Store, StoreError

    theme = cast("Theme", theme_file)  # the option's callback read and checked the file: a Theme
    fmt = fmt or (out.suffix.lower().lstrip(".") if out.suffix.lower() in (".png", ".svg") else "png")
    why = _writable(out)
    if why:
        fail(ValueError(why))
    try:
        with Store(db, read_only=True) as store:
            card = read_card(store, shot_id)
        data = render_shot(card, size, fmt, theme)
        out.write_bytes(data)
    except (StoreError, NoShot, RenderError) as e:
        fail(e)
    except OSError as e:
        fail(OSError(f"cannot write {out}: {e.strerror or e}"))
    finally:
        renderer().close()  # Chromium stopped before exit, its profile folder removed
    if card.shot.get("p_goal") is None:
        bars.print(f"[yellow]warning:[/yellow] shot {shot_id} has no rating yet (`python -m oa score --db {db}`)")
    console.print(f"wrote {out} ({size} {fmt}, {len(data):,} bytes)")


def _game_id(value: int) -> int:
    if value < 0 or value > MAX_ID:
        raise typer.BadParameter(f"{value} is not a game id")
    return value


def _folder(out: Path) -> str | None:
    """Why the folder `out` cannot take the recap (it is made if its parent exists), or None."""
    if out.exists() and not out.is_dir():
        return f"{out} is a file; give a folder for the recap's two files"
    parent = out if out.exists() else out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        return f"the folder {parent} does not exist"
    if not os.access(parent, os.W_OK):
        return f"{parent} cannot be written (permission denied)"
    return None


def export_game(
    game_id: int = typer.Argument(..., callback=_game_id, help="the game's id"),
    out: Path = typer.Option(..., "--out", "-o", help="the folder to write game-ID.html and game-ID.png into"),
    theme_file: Path | None = _theme_option(),
    db: Path = options.db(DEFAULT_DB),
) -> None:
    """A game's recap: one self-contained HTML page (works offline) and a 1920x1080 PNG.

    The final score, the expected-goals flow with power plays shaded and goals marked, the
    shot map sized by chance, each team's three best chances with their factors, the best
    save, the least likely goal, and "deserved to win" (10,000 replays of the game's chances).
    """
    from oa.broadcast.graphic import RenderError, renderer
    from oa.broadcast.recap import NoGame, read_recap, recap_html, render_png
    from oa.store import Store, StoreError

    theme = cast("Theme", theme_file)
    why = _folder(out)
    if why:
        fail(ValueError(why))
    html_path, png_path = out / f"game-{game_id}.html", out / f"game-{game_id}.png"
    try:
        with Store(db, read_only=True) as store:
            recap = read_recap(store, game_id)
        page = recap_html(recap, theme)
        png = render_png(recap, theme)
        out.mkdir(exist_ok=True)
        html_path.write_text(page, encoding="utf-8")
        png_path.write_bytes(png)
    except (StoreError, NoGame, RenderError) as e:
        fail(e)
    except OSError as e:
        fail(OSError(f"cannot write into {out}: {e.strerror or e}"))
    finally:
        renderer().close()
    if not recap.rated:
        bars.print(f"[yellow]warning:[/yellow] game {game_id} has no rated shot yet (`python -m oa score --db {db}`)")
    console.print(f"wrote {html_path} ({len(page.encode()):,} bytes) and {png_path} (1920x1080, {len(png):,} bytes)")


def _video_size(value: str) -> str:
    from oa.broadcast.replay import VIDEO_SIZES

    v = value.strip().lower()
    if v not in VIDEO_SIZES:
        raise typer.BadParameter(f"{value!r} is not a video size; use one of {', '.join(VIDEO_SIZES)}")
    return v


def _fps(value: str) -> int:
    from oa.broadcast.replay import ReplayError, check_fps

    try:
        return check_fps(value)
    except ReplayError as e:
        raise typer.BadParameter(str(e)) from None


def _mp4(value: Path) -> Path:
    if value.suffix.lower() != ".mp4":
        raise typer.BadParameter(f"{value} is not an .mp4 file name; the replay is an MP4 video (e.g. replay.mp4)")
    return value


def export_replay(
    shot_id: int = typer.Argument(..., callback=_shot_id, help="the shot's id (game_id × 10000 + event index)"),
    out: Path = typer.Option(..., "--out", "-o", callback=_mp4, help="the video file to write (.mp4)"),
    size: str = typer.Option("1920x1080", "--size", callback=_video_size, help="1920x1080 or 1280x720"),
    fps: str = typer.Option("30", "--fps", callback=_fps, help="frames per second, 25 to 60"),
    theme_file: Path | None = _theme_option(),
    db: Path = options.db(DEFAULT_DB),
) -> None:
    """A tracked shot's replay as an MP4 video: 5 s before the release to 1 s after, the rating on a caption bar.

    H.264 (yuv420p, plays everywhere) at 1920x1080 or 1280x720, positions interpolated
    between tracking frames; encoded offline by the ffmpeg that imageio-ffmpeg ships.
    """
    from oa.broadcast.data import NoShot, read_card
    from oa.broadcast.replay import EncoderError, NoTracking, read_clip, render_replay
    from oa.store import Store, StoreError

    theme = cast("Theme", theme_file)  # the option's callback read and checked the file: a Theme
    why = _writable(out)
    if why:
        fail(ValueError(why))
    try:
        with Store(db, read_only=True) as store:
            card = read_card(store, shot_id)
            clip = read_clip(store, card)
        with bars.status(f"drawing and encoding shot {shot_id}'s replay"):
            n = render_replay(card, clip, out, size, int(fps), theme)
    except (StoreError, NoShot, NoTracking, EncoderError) as e:
        fail(e)
    except OSError as e:
        fail(OSError(f"cannot write {out}: {e.strerror or e}"))
    if card.shot.get("p_goal") is None:
        bars.print(f"[yellow]warning:[/yellow] shot {shot_id} has no rating yet (`python -m oa score --db {db}`)")
    console.print(f"wrote {out} ({size}, {fps} fps, {n} frames, {out.stat().st_size:,} bytes)")
