"""The replay as a video: a tracked shot's last 5 seconds and the first after, as an H.264 MP4.

`read_clip(store, card)` reads the shot's tracking rows (the statement the Shot detail page's
replay uses, `oa.broadcast.data.FRAMES_SQL`) into a `Clip`: every entity's positions frame by
frame in the shot's normalised coordinates (attacking the net at x = +89). `Clip.at(t)` is
where everyone was `t` seconds from the release, interpolated linearly between the two
tracking frames around it, so a 30 fps video of 10 or 25 fps tracking moves smoothly instead
of repeating frames.

`Painter` draws the frames with Pillow, fast: the rink (from `oa.plots.rink`'s markings), the
backdrop and the caption bar (the rating, its tier and the three strongest factors, in the
theme's colours and fonts, `oa.broadcast.theme`) are drawn once, supersampled for smooth
edges; each frame copies that image and pastes the players (anti-aliased sprites made once per
team, number and role), the puck with its trail, the shooting lane and the clock on it.
`render_replay` pipes the raw RGB frames to the ffmpeg binary that imageio-ffmpeg ships
(libx264, yuv420p so every player plays it) and moves the file into place only when it is
complete.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFont

from oa.broadcast.data import FRAMES_SQL, ShotCard
from oa.broadcast.graphic import say, text_on
from oa.broadcast.theme import Theme
from oa.plots.replay import square_point
from oa.plots.rink import NO_FILL, RinkPaint, rink_markings
from oa.rink import RINK
from oa.schema import PUCK_ID
from oa.store import Store

BEFORE_S, AFTER_S = 5.0, 1.0  # the replay: 5 s before the release to 1 s after (as the Shot detail page)
VIDEO_SIZES = {"1920x1080": "full HD", "1280x720": "HD"}
MIN_FPS, MAX_FPS = 25, 60
DEFAULT_FPS = 30
TRAIL_S = 0.5  # the puck's trail
LANE_IN_S = 1.0  # the lane from the puck to the posts fades in over the last second before the release
SS = 3  # supersampling of everything drawn once (the rink, the caption, the sprites)
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"))


class ReplayError(ValueError):
    """A video that cannot be made as asked (size, frame rate); the message says what would work."""


class NoTracking(LookupError):
    """The shot has no tracking to replay (the message says why)."""


class EncoderError(RuntimeError):
    """The encoder (imageio-ffmpeg's ffmpeg) is missing or failed; the message says why."""


def parse_video_size(size: str) -> tuple[int, int]:
    """'1920x1080' -> (1920, 1080); only the sizes in `VIDEO_SIZES`."""
    s = str(size).strip().lower()
    if s not in VIDEO_SIZES:
        raise ReplayError(f"size {size!r} is not one of {', '.join(VIDEO_SIZES)}")
    w, h = s.split("x")
    return int(w), int(h)


def check_fps(fps: object) -> int:
    """A whole number of frames per second from `MIN_FPS` to `MAX_FPS`."""
    try:
        v = float(fps)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ReplayError(f"frame rate {fps!r} is not a number; use {MIN_FPS} to {MAX_FPS}") from None
    if not math.isfinite(v) or v != int(v) or not MIN_FPS <= v <= MAX_FPS:
        raise ReplayError(f"frame rate {fps!r} must be a whole number from {MIN_FPS} to {MAX_FPS}")
    return int(v)


# -- the clip: positions over time, interpolated --------------------------------------------------------
@dataclass(frozen=True)
class Clip:
    """A shot's tracking, entity by entity: `xy[e, k]` at tracking frame `first + k`, normalised; NaN untracked."""

    fps: float  # tracking frames per second
    first: int  # the first tracking frame held
    release: int  # the release frame (first with the puck in flight): t = 0
    ids: np.ndarray  # (E,) entity ids
    xy: np.ndarray  # (E, K, 2) feet, the shot's normalised coordinates
    side: np.ndarray  # (E,) 1 the shooting team, 0 the defending team, -1 the puck
    goalie: np.ndarray  # (E,) bool: a goalie
    numbers: tuple[str, ...]  # (E,) sweater numbers as text ("" unknown)
    shooter: int  # index of the shooter in ids, -1 if not tracked
    defending_goalie: int  # index of the goalie he shot at, -1 if none

    @property
    def start(self) -> float:
        """Seconds from the release of the first moment shown (at most `BEFORE_S` before)."""
        return max(-BEFORE_S, (self.first - self.release) / self.fps)

    @property
    def end(self) -> float:
        """Seconds from the release of the last tracked moment (at most `AFTER_S` after)."""
        return min(AFTER_S, (self.first + self.xy.shape[1] - 1 - self.release) / self.fps)

    @property
    def puck(self) -> int:
        hit = np.flatnonzero(self.ids == PUCK_ID)
        return int(hit[0]) if len(hit) else -1

    def at(self, t: float) -> np.ndarray:
        """Everyone's position `t` seconds from the release, (E, 2): linear between the two tracking frames
        around it; NaN for an entity not tracked on both (unless `t` falls on a tracked frame)."""
        s = (self.release - self.first) + t * self.fps
        k_max = self.xy.shape[1] - 1
        s = min(max(s, 0.0), float(k_max))
        k0 = min(int(math.floor(s)), k_max)
        a = s - k0
        p0 = self.xy[:, k0]
        if a < 1e-9 or k0 == k_max:
            return p0.copy()
        return (1.0 - a) * p0 + a * self.xy[:, k0 + 1]

    def frame_count(self, fps: int) -> int:
        return max(int(round((self.end - self.start) * fps)), 1)

    def times(self, fps: int) -> np.ndarray:
        """The moments the video shows, `fps` a second from `start`."""
        return self.start + np.arange(self.frame_count(fps)) / fps


def clip_from_rows(rows: pd.DataFrame, shot: dict, fps: float) -> Clip:
    """A `Clip` from tracking rows (frame_idx, entity_id, team, x, y, number, position) around `shot`."""
    if rows.empty:
        raise NoTracking(f"shot {shot.get('shot_id')} has no tracking frames around its release")
    d = rows
    fr = d["frame_idx"].to_numpy(np.int64)
    first, last = int(fr.min()), int(fr.max())
    if not first <= int(shot["release_frame"]) <= last:
        raise NoTracking(f"shot {shot.get('shot_id')} has no replay: its tracking does not cover the release")
    ids, inv = np.unique(d["entity_id"].to_numpy(np.int64), return_inverse=True)
    xy = np.full((len(ids), last - first + 1, 2), np.nan)
    sign = -1.0 if shot.get("flipped") else 1.0
    xy[inv, fr - first, 0] = sign * d["x"].to_numpy(float)
    xy[inv, fr - first, 1] = sign * d["y"].to_numpy(float)
    per = d.drop_duplicates("entity_id").set_index("entity_id").reindex(ids)
    team = per["team"].to_numpy(object)
    side = np.where(ids == PUCK_ID, -1, np.where(team == shot.get("team"), 1, 0)).astype(np.int8)
    gid, sid = shot.get("goalie_id"), shot.get("shooter_id")
    goalie = ((per["position"].to_numpy(object) == "G") | (ids == (gid if gid is not None else -2))) & (ids != PUCK_ID)
    numbers = tuple("" if pd.isna(n) else str(int(n)) for n in per["number"].tolist())

    def index(e: object) -> int:
        if e is None:
            return -1
        hit = np.flatnonzero(ids == int(e))  # type: ignore[call-overload]
        return int(hit[0]) if len(hit) else -1

    return Clip(float(fps), first, int(shot["release_frame"]), ids, xy, side, goalie, numbers, index(sid), index(gid))


def tracking_problem(shot: dict) -> str | None:
    """Why the shot has no replay (no tracking, no release frame), or None."""
    if not shot.get("has_tracking"):
        return "its game has no tracking (play-by-play only), so there is nothing to replay"
    if shot.get("release_frame") is None or not shot.get("fps"):
        return "its release frame is not known, so the replay cannot be cut around it"
    return None


def read_clip(store: Store, card: ShotCard) -> Clip:
    """The shot's tracking from 5 s before the release to 1 s after; `NoTracking` says why there is none."""
    s = card.shot
    why = tracking_problem(s)
    if why:
        raise NoTracking(f"shot {s.get('shot_id')} has no replay: {why}")
    fps, rel = float(s["fps"]), int(s["release_frame"])
    rows = store.query(
        FRAMES_SQL,
        {
            "g": int(s["game_id"]),
            "f0": rel - int(math.ceil(BEFORE_S * fps)),
            "f1": rel + int(math.ceil(AFTER_S * fps)),
        },
    )
    if rows.empty:
        raise NoTracking(f"shot {s.get('shot_id')} has no replay: no tracking frames are stored around its release")
    return clip_from_rows(rows, s, fps)


# -- fonts ------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _font_files() -> dict[str, str]:
    """Every TrueType / OpenType file under the usual font folders, by lower-case file stem."""
    out: dict[str, str] = {}
    for root in FONT_DIRS:
        for dirpath, _, files in os.walk(root):
            for f in files:
                if f.lower().endswith((".ttf", ".otf")):
                    out.setdefault(Path(f).stem.lower(), os.path.join(dirpath, f))
    return out


@lru_cache(maxsize=16)
def font_file(families: str, bold: bool) -> str | None:
    """The file of the first family of a CSS list ('Liberation Sans, DejaVu Sans, sans-serif') found here."""
    files = _font_files()
    for fam in families.split(","):
        stem = fam.strip().strip("'\"").replace(" ", "").lower()
        if not stem:
            continue
        for style in ("-bold", "bold", "-bd") if bold else ("-regular", "", "-book", "-roman"):
            if stem + style in files:
                return files[stem + style]
    return None


@lru_cache(maxsize=64)
def font(families: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_file(families, bold)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size)


def _fit(draw: ImageDraw.ImageDraw, text: str, families: str, size: float, width: float, bold: bool = False):
    """The font at `size`, or smaller so that `text` fits in `width` pixels."""
    s = int(round(size))
    f = font(families, s, bold)
    w = draw.textlength(text, font=f)
    if w > width and w > 0:
        f = font(families, max(int(s * width / w), 8), bold)
    return f


def _hex(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _distance(a: str, b: str) -> float:
    """How far apart two colours look (RGB distance, weighted for the eye)."""
    (r1, g1, b1), (r2, g2, b2) = _hex(a), _hex(b)
    return math.sqrt(2 * (r1 - r2) ** 2 + 4 * (g1 - g2) ** 2 + 3 * (b1 - b2) ** 2) / 3


def _darker(color: str, by: float = 0.7) -> tuple[int, int, int]:
    r, g, b = _hex(color)
    return round(r * by), round(g * by), round(b * by)


# -- the painter -------------------------------------------------------------------------------------------
class Painter:
    """Draws the video's frames at `size` (one of `VIDEO_SIZES`): static parts once, then frame by frame."""

    def __init__(self, card: ShotCard, clip: Clip, size: str, theme: Theme):
        self.card, self.clip, self.theme = card, clip, theme
        self.w, self.h = parse_video_size(size)
        self.k = self.w / 1920  # everything is laid out on 1920x1080 and scaled
        self.said = say(card, theme)
        self.color_for, self.color_opp = self.said.team_color, self.said.opponent_color
        if _distance(self.color_for, self.color_opp) < 90:  # two teams that would read as one: defenders in white
            self.color_opp = "#ffffff"
        k = self.k
        self.caption_h = round(250 * k)
        top, m = round(86 * k), round(24 * k)  # the clock's band above the rink; the margins
        # the part of the rink the play used (always the attacked net), as the Shot detail replay shows it,
        # widened to the left (more of the neutral zone) to fill the frame
        skaters = clip.xy[~clip.goalie]
        xmin = float(np.nanmin(skaters[..., 0])) if np.isfinite(skaters[..., 0]).any() else 30.0
        self.x1 = RINK.half_length + 1.5
        self.y0, self.y1 = -RINK.half_width - 1.5, RINK.half_width + 1.5
        box_w, box_h = self.w - 2 * m, self.h - self.caption_h - top - m
        self.scale = box_h / (self.y1 - self.y0)  # pixels per foot: the rink's full width fills the height
        self.x0 = max(min(min(xmin, 30.0) - 6.0, self.x1 - box_w / self.scale), -self.x1)
        self.scale = min(self.scale, box_w / (self.x1 - self.x0))
        rw, rh = (self.x1 - self.x0) * self.scale, (self.y1 - self.y0) * self.scale
        self.ox = (self.w - rw) / 2
        self.oy = top + (box_h - rh) / 2
        self.rink_box = (self.ox, self.oy, self.ox + rw, self.oy + rh)
        self._sprites: dict[tuple, Image.Image] = {}
        self.shot_xy = (float(card.shot["x"]), float(card.shot["y"]))
        self._travel = self._goalie_travel()
        self.base = self._base()

    # pixels
    def px(self, x: float, y: float) -> tuple[float, float]:
        return self.ox + (x - self.x0) * self.scale, self.oy + (self.y1 - y) * self.scale

    # -- drawn once
    def _base(self) -> Image.Image:
        img = Image.new("RGB", (self.w, self.h), _hex(self.theme.colors.background))
        img.paste(self._rink(), (round(self.ox), round(self.oy)))
        self._caption(img)
        self._legend(img)
        return img

    def _legend(self, img: Image.Image) -> None:
        """The key, in the band above the rink (left of the brand): the two teams, the shooter, lane and travel."""
        col, k, said = self.theme.colors, self.k, self.said
        big = Image.new("RGB", (round(1000 * k) * SS, round(60 * k) * SS), _hex(col.background))
        d = ImageDraw.Draw(big)
        S = k * SS
        f = font(self.theme.fonts.family, round(20 * S), True)
        x, yc, r = 0.0, 30 * S, 10 * S
        items = [
            ("dot", self.color_for, "#111418", unescape(said.team)),
            ("dot", self.color_opp, "#111418", unescape(said.opponent)),
            ("dot", col.panel, col.accent, "SHOOTER"),
            ("lane", col.lane, col.lane, "LANE TO THE POSTS"),
        ]
        if self._travel is not None:
            items.append(("line", col.travel, col.travel, "GOALIE'S TRAVEL"))
        for kind, fill, ring, word in items:
            if kind == "dot":
                d.ellipse((x, yc - r, x + 2 * r, yc + r), fill=fill, outline=ring, width=round(3 * S))
            elif kind == "lane":
                d.polygon([(x, yc), (x + 2 * r, yc - r), (x + 2 * r, yc + r)], fill=fill)
            else:
                d.line((x, yc, x + 2 * r, yc), fill=fill, width=round(5 * S))
            x += 2 * r + 10 * S
            d.text((x, yc), word, font=f, fill=col.muted, anchor="lm")
            x += d.textlength(word, font=f) + 30 * S
        w = min(int(x - 30 * S), big.width)
        strip = big.crop((0, 0, w, big.height)).resize((max(w // SS, 1), big.height // SS), Image.Resampling.LANCZOS)
        brand = self.theme.logos.wordmark
        bw = ImageDraw.Draw(img).textlength(brand, font=self._brand_font()) if brand else 0.0
        right = self.w - round(40 * k) - int(bw) - round(40 * k)  # left of the brand
        left = round(720 * k)  # right of the clock and the game line
        if strip.width > right - left:  # a long key (long team codes): smaller, never over the brand
            strip = strip.resize(
                (right - left, round(strip.height * (right - left) / strip.width)), Image.Resampling.LANCZOS
            )
        img.paste(strip, (right - strip.width, round(13 * k) + (big.height // SS - strip.height) // 2))

    def _brand_font(self) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        return font(self.theme.fonts.family, round(22 * self.k), True)

    def _rink(self) -> Image.Image:
        """The rink's view box, drawn `SS` times larger and scaled down (smooth lines)."""
        x0, y0, x1, y1 = self.rink_box
        W, H = round(x1 - x0), round(y1 - y0)
        s = self.scale * SS
        img = Image.new("RGB", (W * SS, H * SS), _hex(self.theme.colors.background))
        d = ImageDraw.Draw(img)
        paint = RinkPaint(ice=self.theme.colors.ice)
        lw = max(self.k, 0.5)
        for mk in rink_markings(RINK, paint):
            pts = [((float(a) - self.x0) * s, (self.y1 - float(b)) * s) for a, b in zip(mk.x, mk.y)]
            if len(pts) < 2:
                continue
            if mk.fill != NO_FILL:
                d.polygon(pts, fill=mk.fill)
            if mk.line_px > 0:
                width = max(int(round(mk.line_px * 1.6 * lw * SS)), 1)
                d.line(pts, fill=mk.line, width=width, joint="curve")
        return img.resize((W, H), Image.Resampling.LANCZOS)

    def _caption(self, img: Image.Image) -> None:
        """The bar under the rink: the shooter and the goalie, the chance and its tier, the three factors."""
        t, col, k, said = self.theme, self.theme.colors, self.k, self.said
        fam, head = t.fonts.family, t.fonts.headline
        H = self.caption_h
        y0 = self.h - H
        big = Image.new("RGB", (self.w * SS, H * SS), _hex(col.panel))
        d = ImageDraw.Draw(big)
        S = k * SS

        def at(v: float) -> float:
            return v * S

        # the team's slab: the shooter, his number and team, the goalie he faced
        slab_w = 620
        d.rectangle((0, 0, at(slab_w), H * SS), fill=said.team_color)
        d.rectangle((at(slab_w) - at(8), 0, at(slab_w), H * SS), fill=_darker(said.team_color))
        ink = text_on(said.team_color)
        name = unescape(said.shooter)
        f = _fit(d, name.upper(), head, at(64), at(slab_w - 70), bold=True)
        d.text((at(36), at(78)), name.upper(), font=f, fill=ink, anchor="ls")
        line = unescape(f"{said.number} {said.team_name}".strip())
        d.text((at(36), at(126)), line, font=_fit(d, line, fam, at(32), at(slab_w - 70)), fill=ink, anchor="ls")
        vs = unescape(f"vs {said.goalie} ({said.opponent})")
        d.text((at(36), at(178)), vs, font=_fit(d, vs, fam, at(28), at(slab_w - 70)), fill=ink, anchor="ls")
        when = unescape(f"{said.when} · {said.outcome}".strip(" ·"))
        d.text(
            (at(36), at(222)), when, font=_fit(d, when, fam, at(26), at(slab_w - 70), bold=True), fill=ink, anchor="ls"
        )
        # the chance and its tier
        cx = slab_w + 230
        d.text((at(cx), at(34)), "CHANCE OF A GOAL", font=font(fam, round(at(24)), True), fill=col.muted, anchor="mt")
        d.text((at(cx), at(150)), said.chance, font=font(head, round(at(118)), True), fill=col.accent, anchor="ms")
        bf = font(fam, round(at(26)), True)
        bw = d.textlength(said.tier_word, font=bf) + at(36)
        d.rounded_rectangle((at(cx) - bw / 2, at(172), at(cx) + bw / 2, at(220)), radius=at(6), fill=said.tier_color)
        d.text((at(cx), at(196)), said.tier_word, font=bf, fill=said.tier_ink, anchor="mm")
        # why: the three strongest factors, points then words
        fx = slab_w + 500
        d.text((at(fx), at(34)), "WHY", font=font(fam, round(at(24)), True), fill=col.muted, anchor="lt")
        ff, pf = font(fam, round(at(34))), font(fam, round(at(34)), True)
        room = 1920 - fx - 150 - 36
        yy = 34 + 66  # the first factor line sits 66 px below the "WHY" label
        for pts, words_, up in self.said.factors:
            d.text((at(fx + 120), at(yy)), pts, font=pf, fill=col.positive if up else col.negative, anchor="rs")
            text = unescape(words_)
            fit_f = _fit(d, text, fam, at(34), at(room))
            d.text((at(fx + 150), at(yy)), text, font=fit_f, fill=col.text, anchor="ls")
            yy += 56
        if not self.said.factors:
            d.text((at(fx), at(110)), "No factors stored for this shot", font=ff, fill=col.muted, anchor="ls")
        img.paste(big.resize((self.w, H), Image.Resampling.LANCZOS), (0, y0))
        # the brand, top right over the backdrop
        dd = ImageDraw.Draw(img)
        if t.logos.wordmark:
            dd.text(
                (self.w - round(40 * k), round(43 * k)),
                t.logos.wordmark,
                font=self._brand_font(),
                fill=col.muted,
                anchor="rm",
            )

    def _goalie_travel(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """The goalie's spot at the release and his square-up point (shown from the release on)."""
        g = self.clip.defending_goalie
        if g < 0:
            return None
        pos = self.clip.at(0.0)[g]
        if not np.isfinite(pos).all():
            return None
        gxy = (float(pos[0]), float(pos[1]))
        return gxy, square_point(gxy, self.shot_xy)

    # -- sprites (anti-aliased, made once)
    def _sprite(self, kind: str, color: str, number: str, ring: str, ring_w: float) -> Image.Image:
        key = (kind, color, number, ring, ring_w)
        got = self._sprites.get(key)
        if got is not None:
            return got
        k = self.k
        r = (21 if kind == "shooter" else 18 if kind == "skater" else 19 if kind == "goalie" else 7) * k
        n = int(math.ceil(2 * r + 4))
        S = SS + 1
        img = Image.new("RGBA", (n * S, n * S), (0, 0, 0, 0))
        d = ImageDraw.Draw(img)
        c = n * S / 2
        R = r * S
        box = (c - R, c - R, c + R, c + R)
        if kind == "goalie":
            d.rounded_rectangle(box, radius=R * 0.3, fill="#f2f2f2", outline=color, width=round(ring_w * S * k))
            ink = "#111418"
        else:
            d.ellipse(box, fill=color, outline=ring, width=max(round(ring_w * S * k), 1))
            ink = text_on(color) if color.startswith("#") else "#ffffff"
        if number:
            fs = round(R * (0.95 if len(number) < 2 else 0.85))
            d.text((c, c), number, font=font(self.theme.fonts.headline, fs, True), fill=ink, anchor="mm")
        out = img.resize((n, n), Image.Resampling.LANCZOS)
        self._sprites[key] = out
        return out

    def _paste(self, frame: Image.Image, sprite: Image.Image, x: float, y: float) -> None:
        px, py = self.px(x, y)
        n = sprite.size[0]
        frame.paste(sprite, (round(px - n / 2), round(py - n / 2)), sprite)

    # -- one frame
    def frame(self, t: float) -> Image.Image:
        """The picture `t` seconds from the release."""
        clip, col, k = self.clip, self.theme.colors, self.k
        img = self.base.copy()
        pos = clip.at(t)
        puck = clip.puck
        self._lane(img, t, pos[puck] if puck >= 0 else None)
        d = ImageDraw.Draw(img)
        if t >= 0 and self._travel is not None:
            (gx, gy), (qx, qy) = self._travel
            a, b = self.px(gx, gy), self.px(qx, qy)
            d.line((a, b), fill=col.travel, width=max(round(5 * k), 2))
            r = 9 * k
            d.line((b[0] - r, b[1] - r, b[0] + r, b[1] + r), fill=col.travel, width=max(round(5 * k), 2))
            d.line((b[0] - r, b[1] + r, b[0] + r, b[1] - r), fill=col.travel, width=max(round(5 * k), 2))
        # players: defenders, then the shooting team, the shooter last (on top)
        order = sorted(
            (e for e in range(len(clip.ids)) if e != puck and np.isfinite(pos[e]).all()),
            key=lambda e: (e == clip.shooter, int(clip.side[e])),
        )
        for e in order:
            color = self.color_for if clip.side[e] == 1 else self.color_opp
            if clip.goalie[e]:
                sp = self._sprite("goalie", color, "G", "", 5)
            elif e == clip.shooter:
                sp = self._sprite("shooter", color, clip.numbers[e], col.accent, 5)
            else:
                sp = self._sprite("skater", color, clip.numbers[e], "#111418", 2)
            self._paste(img, sp, float(pos[e, 0]), float(pos[e, 1]))
        if puck >= 0:
            self._puck(img, d, t)
        self._clock(img, d, t)
        return img

    def _lane(self, img: Image.Image, t: float, puck: np.ndarray | None) -> None:
        """The shooting lane: from the puck to the posts over the last second, then fixed at the release point."""
        if t >= 0:
            src, alpha = self.shot_xy, 0.42
        elif t > -LANE_IN_S and puck is not None and np.isfinite(puck).all():
            src, alpha = (float(puck[0]), float(puck[1])), 0.42 * (1 + t / LANE_IN_S)
        else:
            return
        gx = RINK.goal_line_x
        pts = [self.px(*src), self.px(gx, RINK.post_y), self.px(gx, -RINK.post_y)]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        box = (int(min(xs)) - 2, int(min(ys)) - 2, int(max(xs)) + 3, int(max(ys)) + 3)
        box = (max(box[0], 0), max(box[1], 0), min(box[2], self.w), min(box[3], self.h))
        if box[2] - box[0] < 2 or box[3] - box[1] < 2:
            return
        region = img.crop(box).convert("RGBA")
        over = Image.new("RGBA", region.size, (0, 0, 0, 0))
        od = ImageDraw.Draw(over)
        local = [(x - box[0], y - box[1]) for x, y in pts]
        r, g, b = _hex(self.theme.colors.lane)
        od.polygon(local, fill=(r, g, b, round(255 * alpha)), outline=(r, g, b, round(255 * min(1.0, 2 * alpha))))
        img.paste(Image.alpha_composite(region, over).convert("RGB"), box[:2])

    def _puck(self, img: Image.Image, d: ImageDraw.ImageDraw, t: float) -> None:
        clip, k = self.clip, self.k
        p = clip.puck
        n = max(int(TRAIL_S * 30), 2)
        trail = [clip.at(t - TRAIL_S * i / n)[p] for i in range(n, -1, -1)]
        pts = [self.px(float(q[0]), float(q[1])) for q in trail if np.isfinite(q).all()]
        if len(pts) > 1:
            d.line(pts, fill="#1f2933", width=max(round(4 * k), 2), joint="curve")
        now = clip.at(t)[p]
        if np.isfinite(now).all():
            self._paste(img, self._sprite("puck", "#000000", "", "#ffffff", 2.5), float(now[0]), float(now[1]))

    def _clock(self, img: Image.Image, d: ImageDraw.ImageDraw, t: float) -> None:
        """Top left over the backdrop: the time from the release (or SHOT at it) and the game clock."""
        col, k, fam = self.theme.colors, self.k, self.theme.fonts.family
        x, y = round(40 * k), round(16 * k)
        label = "SHOT" if abs(t) < 0.5 / 30 + 1e-9 or 0 <= t < 0.4 else f"{t:+.1f} s".replace("-", "−")
        f = font(self.theme.fonts.headline, round(40 * k), True)
        w = d.textlength("−0.0 s", font=f) + 28 * k
        fill = col.accent if label == "SHOT" else col.panel
        ink = "#111418" if label == "SHOT" else col.text
        d.rounded_rectangle((x, y, x + w, y + 54 * k), radius=6 * k, fill=fill)
        d.text((x + w / 2, y + 27 * k), label, font=f, fill=ink, anchor="mm")
        d.text(
            (x + w + 18 * k, y + 27 * k),
            f"{unescape(self.said.when)}  ·  {unescape(self.said.team)} vs {unescape(self.said.opponent)}",
            font=font(fam, round(28 * k), True),
            fill=col.muted,
            anchor="lm",
        )


# -- the video ---------------------------------------------------------------------------------------------
def ffmpeg_exe() -> str:
    """The ffmpeg binary imageio-ffmpeg ships (or $IMAGEIO_FFMPEG_EXE); `EncoderError` if there is none."""
    try:
        import imageio_ffmpeg
    except ImportError as e:
        raise EncoderError("imageio-ffmpeg is not installed: pip install -r requirements.txt") from e
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as e:
        raise EncoderError(f"no ffmpeg binary: {e}") from e


def encoder_problem() -> str | None:
    """Why replays cannot be encoded on this machine, or None."""
    try:
        ffmpeg_exe()
    except EncoderError as e:
        return str(e)
    return None


def write_video(
    frames: Callable[[], object],
    out: Path,
    size: tuple[int, int],
    fps: int,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Encode the RGB images `frames()` yields to H.264 (yuv420p) in `out`, written whole or not at all."""
    import imageio_ffmpeg

    ffmpeg_exe()
    out = Path(out)
    fd, tmp = tempfile.mkstemp(suffix=".mp4", prefix=".replay-", dir=out.parent if str(out.parent) else ".")
    os.close(fd)
    n = 0
    try:
        w = imageio_ffmpeg.write_frames(
            tmp,
            size,
            fps=fps,
            codec="libx264",
            pix_fmt_in="rgb24",
            pix_fmt_out="yuv420p",
            quality=None,
            macro_block_size=8,
            ffmpeg_log_level="error",
            output_params=["-preset", "veryfast", "-crf", "20", "-movflags", "+faststart", "-tune", "animation"],
        )
        w.send(None)
        try:
            for img in frames():  # type: ignore[attr-defined]
                w.send(img.tobytes())
                n += 1
                if progress:
                    progress(n)
        finally:
            w.close()
        os.replace(tmp, out)
    except Exception as e:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError | EncoderError):
            raise
        raise EncoderError(f"encoding failed: {e}") from e
    return n


def render_replay(
    card: ShotCard,
    clip: Clip,
    out: Path,
    size: str = "1920x1080",
    fps: int = DEFAULT_FPS,
    theme: Theme | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """The shot's replay as an MP4 in `out`; returns the number of frames written."""
    from oa.broadcast.theme import load_theme

    fps = check_fps(fps)
    painter = Painter(card, clip, size, theme or load_theme())
    times = clip.times(fps)
    total = len(times)
    return write_video(
        lambda: (painter.frame(float(t)) for t in times),
        out,
        (painter.w, painter.h),
        fps,
        (lambda i: progress(i, total)) if progress else None,
    )


def replay_bytes(card: ShotCard, clip: Clip, size: str, fps: int, theme: Theme) -> bytes:
    """The replay as MP4 bytes (the Shot detail page's download)."""
    with tempfile.TemporaryDirectory(prefix="oa-replay-") as d:
        p = Path(d) / "replay.mp4"
        render_replay(card, clip, p, size, fps, theme)
        return p.read_bytes()


__all__ = [
    "AFTER_S",
    "BEFORE_S",
    "VIDEO_SIZES",
    "Clip",
    "EncoderError",
    "NoTracking",
    "Painter",
    "ReplayError",
    "check_fps",
    "clip_from_rows",
    "parse_video_size",
    "read_clip",
    "render_replay",
    "replay_bytes",
    "tracking_problem",
]
