"""The live scorer: keeps a window per game, rates each shot at its tag, publishes it.

Bad input never stops it: a malformed message, an out-of-order frame, records for a
game it was never told about, a game that goes quiet mid-stream are each logged and
counted, and only that message (or that game) is affected. A malformed message is
rejected before it changes a game's window. A game ends at its end message; it is
closed as stalled only when nothing at all came for it, not even the feed's clock
(sent between tracked sequences), for `stale_after_s` seconds.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field

import numpy as np

from oa.features.registry import PBP, TRACKING, factor_named
from oa.live.messages import (
    Clock,
    Event,
    Frames,
    GameEnd,
    GameStart,
    GameState,
    Message,
    MessageError,
    ShotTag,
    Withdraw,
    check_clock,
    check_event,
    check_frames,
    check_shot,
    check_start,
    check_state,
    check_withdraw,
    game_id_of,
    records,
)
from oa.live.publish import SHOT_COLUMNS, Publisher
from oa.live.window import GameWindow
from oa.model.artifact import Model, ModelError
from oa.model.score import score_batch

log = logging.getLogger("oa.live")
TOP = 5


@dataclass
class Stats:
    """What the scorer has seen; every kind of bad input has its own counter."""

    messages: int = 0
    records: int = 0
    shots: int = 0
    withdrawn: int = 0  # published shots the feed deleted, retracted
    unchanged: int = 0  # shots sent again whose rating came out the same (not published again)
    malformed: int = 0  # messages or records that failed validation
    out_of_order: int = 0  # frames not newer than the game's last frame (dropped)
    unknown_game: int = 0  # messages for a game with no start (or already closed)
    games_started: int = 0
    games_ended: int = 0
    games_stalled: int = 0  # games closed because they went quiet mid-stream
    errors: int = 0  # shots that could not be scored, messages that tripped a fault (logged)
    dead_letters: int = 0  # Redis entries rejected and moved to the dead-letter stream
    latency_ms: list = field(default_factory=list)

    def summary(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k != "latency_ms"}
        return {**out, **latency_summary(self.latency_ms)}


def latency_summary(latency_ms: list[float]) -> dict:
    """p50, p99 and max of release-to-rating latencies (None without shots)."""
    a = np.asarray(latency_ms, dtype=float)
    return {
        f"latency_ms_{k}": (round(float(fn(a)), 2) if len(a) else None)
        for k, fn in (("p50", lambda x: np.percentile(x, 50)), ("p99", lambda x: np.percentile(x, 99)), ("max", np.max))
    }


class Scorer:
    """Consumes messages of many interleaved games and publishes a rating per shot."""

    def __init__(
        self, models: list[Model], publisher: Publisher | None = None, name: str = "scorer", stale_after_s: float = 60.0
    ):
        self.models = {m.feature_set: m for m in models}
        if not self.models:
            raise ValueError("the live scorer needs a trained model; run `python -m oa train` first")
        self.publisher = publisher
        self.name = name
        self.stale_after_s = stale_after_s
        self.games: dict[int, GameWindow] = {}
        self.stats = Stats()

    # -- messages ----------------------------------------------------------------------
    def handle(self, m: Message, replay: bool = False) -> dict | None:
        """Apply one message; returns the published rating for a shot tag. `replay` rebuilds state only.

        Never raises on input: a malformed message is counted (`malformed`), one that trips
        anything else is logged with its traceback and counted (`errors`).
        """
        try:
            return self.apply(m, replay)
        except MessageError as e:
            self.reject(m, e)
        except Exception:  # noqa: BLE001 - no message may stop the scorer
            self.stats.errors += 1
            log.exception("game %s: %s message could not be handled", getattr(m, "game_id", "?"), type(m).__name__)
        return None

    def reject(self, m: object, e: MessageError) -> None:
        """Count and log a malformed message."""
        self.stats.malformed += 1
        log.warning("game %s: malformed %s message: %s", getattr(m, "game_id", "?"), type(m).__name__, e)

    def apply(self, m: Message, replay: bool = False) -> dict | None:
        """`handle` that raises MessageError for a malformed message, before it changes any state."""
        s = self.stats
        s.messages += 1
        s.records += records(m)
        now = time.time()
        game_id_of(m.game_id)
        if isinstance(m, Frames):
            ok = check_frames(m)
            g = self._game(m.game_id)
            if g is None:
                return None
            if not ok.all():
                s.malformed += int((~ok).sum())
                log.warning(
                    "game %s frame %s: %d malformed record(s) dropped", m.game_id, m.frame_idx, int((~ok).sum())
                )
            if not g.add_frames(m, ok):
                s.out_of_order += 1
                log.warning("game %s: frame %s arrived after frame %s; dropped", m.game_id, m.frame_idx, g.last_frame)
            g.last_seen = now
            return None
        if isinstance(m, GameStart):
            self._start(m, now)
            return None
        if isinstance(m, Event):
            check_event(m.row)
        elif isinstance(m, ShotTag):
            check_shot(m.shot)
        elif isinstance(m, Clock):
            check_clock(m)
        elif isinstance(m, Withdraw):
            check_withdraw(m)
        elif isinstance(m, GameState):
            check_state(m)
        g = self._game(m.game_id)
        if g is None:
            return None
        g.last_seen = now
        if isinstance(m, Event):
            g.add_event(m.row)
        elif isinstance(m, ShotTag):
            if replay:
                g.tag(m.shot)
                return None
            return self._score(g, m)
        elif isinstance(m, Clock):
            g.clock = float(m.game_seconds)
        elif isinstance(m, Withdraw):
            g.drop(m.event_idx)
            for sid in m.shot_ids:
                g.published.pop(int(sid), None)
            if not replay:
                for sid in m.shot_ids:
                    if self.publisher:
                        self.publisher.withdraw(m.game_id, sid)
                    s.withdrawn += 1
        elif isinstance(m, GameState):
            if self.publisher and not replay:
                self.publisher.state(m.game_id, m.state)
        elif isinstance(m, GameEnd):
            self._close(m.game_id, ended=True)
        return None

    def _start(self, m: GameStart, now: float) -> None:
        check_start(m)
        try:
            g = GameWindow(m)
        except (KeyError, ValueError, TypeError) as e:
            raise MessageError(f"start message does not make a game ({type(e).__name__}: {e})") from None
        if m.game_id not in self.games:
            self.stats.games_started += 1
        g.last_seen = now
        self.games[int(m.game_id)] = g
        return None

    def _game(self, game_id: int) -> GameWindow | None:
        g = self.games.get(int(game_id))
        if g is None:
            self.stats.unknown_game += 1
            if self.stats.unknown_game <= 10 or self.stats.unknown_game % 1000 == 0:
                log.warning(
                    "message for unknown or closed game %s ignored (%d so far)", game_id, self.stats.unknown_game
                )
        return g

    def _close(self, game_id: int, ended: bool) -> None:
        if self.games.pop(int(game_id), None) is None:
            return
        if ended:
            self.stats.games_ended += 1
        else:
            self.stats.games_stalled += 1
            log.warning(
                "game %s sent nothing, not even its clock, for %.0f s; closed as stalled", game_id, self.stale_after_s
            )
        if self.publisher:
            self.publisher.close_game(game_id)

    def check_stalled(self, now: float | None = None) -> list[int]:
        """Close games that have been silent longer than `stale_after_s`; returns their ids."""
        now = time.time() if now is None else now
        quiet = [gid for gid, g in self.games.items() if now - g.last_seen > self.stale_after_s]
        for gid in quiet:
            self._close(gid, ended=False)
        return quiet

    # -- scoring -----------------------------------------------------------------------
    def model_for(self, feature_set: str) -> Model:
        """The model batch would use (`oa.model.score.score_store`): tracking shots by the tracking
        model (else the play-by-play one); play-by-play shots only by a play-by-play model, since a
        tracking model reads missing tracking as an empty net."""
        if feature_set == TRACKING and TRACKING in self.models:
            return self.models[TRACKING]
        if PBP in self.models:
            return self.models[PBP]
        raise ModelError(
            "no play-by-play model to rate a shot without tracking; train one with `python -m oa train --features pbp`"
        )

    def rate(self, g: GameWindow, shot: dict) -> tuple[dict, dict]:
        """(rating row, factor values) of a shot from the game's window."""
        feats = g.features(shot)
        return self._rows(feats, [shot])[0], {k: v[0] for k, v in feats.items()}

    def rate_many(self, g: GameWindow, shots: list[dict]) -> list[dict]:
        """Rating rows of several shots of one game, factored and scored together."""
        return self._rows(g.features_of(shots), shots)

    def _rows(self, feats: dict, shots: list[dict]) -> list[dict]:
        fs = feats["feature_set"]
        if len(set(fs.tolist())) > 1:  # tracked and untracked shots together: one model at a time
            return [self._rows({k: v[i : i + 1] for k, v in feats.items()}, [s])[0] for i, s in enumerate(shots)]
        model = self.model_for(str(fs[0]))
        sc = score_batch(model, feats)
        out = []
        for i, shot in enumerate(shots):
            top = [
                {
                    "factor": t["factor"],
                    "label": factor_named(t["factor"]).label,
                    "value": t["value"],
                    "pp": round(t["pp"], 2),
                    "logit": round(t["logit"], 4),
                }
                for t in sc.top(i, TOP)
            ]
            row = {k: shot.get(k) for k in SHOT_COLUMNS}
            row.update(
                feature_set=str(fs[i]),
                model_id=model.model_id,
                p_goal=float(sc.p[i]),
                tier=str(sc.tier[i]),
                base_logit=float(sc.base[i]),
                top_factors=json.dumps(top),
                scorer=self.name,
            )
            out.append(row)
        return out

    def handle_batch(self, batch: list[Message]) -> list[dict]:
        """`handle` each message; a run of shot tags of one game (a real feed's poll) is rated together.
        Returns the published ratings."""
        out: list[dict] = []
        i = 0
        while i < len(batch):
            m = batch[i]
            j = i + 1
            if isinstance(m, ShotTag):
                while j < len(batch) and isinstance(batch[j], ShotTag) and batch[j].game_id == m.game_id:
                    j += 1
            if j - i > 1:
                out.extend(self._score_run(batch[i:j]))  # type: ignore[arg-type]
            else:
                row = self.handle(m)
                if row is not None:
                    out.append(row)
            i = j
        return out

    def _score_run(self, tags: list[ShotTag]) -> list[dict]:
        """Shot tags of one game: each checked (a malformed one rejected alone), then rated at once."""
        ok = []
        for m in tags:
            self.stats.messages += 1
            self.stats.records += 1
            try:
                game_id_of(m.game_id)
                check_shot(m.shot)
            except MessageError as e:
                self.reject(m, e)
                continue
            ok.append(m)
        g = self._game(tags[0].game_id) if ok else None
        if g is None:
            return []
        g.last_seen = time.time()
        try:
            rows = self.rate_many(g, [m.shot for m in ok])
        except Exception:  # noqa: BLE001 - rate them one by one: only a bad one fails
            return [r for m in ok if (r := self._score(g, m)) is not None]
        return [r for m, row in zip(ok, rows) if (r := self._publish(g, m, row)) is not None]

    def _score(self, g: GameWindow, m: ShotTag) -> dict | None:
        try:
            row, _ = self.rate(g, m.shot)
        except Exception as e:  # noqa: BLE001 - one bad shot must not stop the other games
            self.stats.errors += 1
            log.error("game %s: shot %s could not be scored: %s", m.game_id, m.shot.get("shot_id"), e)
            return None
        return self._publish(g, m, row)

    def _publish(self, g: GameWindow, m: ShotTag, row: dict) -> dict | None:
        row["tagged_at"] = m.sent_at
        same = tuple(v for k, v in row.items() if k not in ("tagged_at", "event_idx"))
        if g.published.get(int(row["shot_id"])) == same:
            self.stats.unchanged += 1  # a revision upstream that changes nothing here: the row stands
            return None
        g.published[int(row["shot_id"])] = same
        if self.publisher:
            self.publisher.shot(row)
        g.shots += 1
        self.stats.shots += 1
        if m.sent_at:
            self.stats.latency_ms.append((time.time() - m.sent_at) * 1000.0)
        return row

    def close_all(self) -> None:
        for gid in list(self.games):
            self._close(gid, ended=True)
