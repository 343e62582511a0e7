"""Run the live path: a feed thread playing stored games and a scorer rating their shots.

`run_local` is what `python -m oa live` and `python -m oa bench live` run without a broker
URL: the feed and the scorer are two threads of one process joined by `LocalBroker`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from oa.live.broker import LocalBroker
from oa.live.feed import HEARTBEAT_S, feed, heartbeat_for, pace
from oa.live.messages import Message, ShotTag, records
from oa.live.publish import Publisher
from oa.live.scorer import Scorer

CHUNK = 32  # messages per publish when playing as fast as possible


@dataclass
class FeedStats:
    messages: int = 0
    records: int = 0
    shots: int = 0
    started: float = 0.0
    finished: float = 0.0


def play(
    messages: Iterable[Message],
    publish: Callable[[list[Message]], None],
    speed: float = 0.0,
    rate: float = 0.0,
    stop: threading.Event | None = None,
) -> FeedStats:
    """Publish messages in order, stamping each shot tag with the wall clock as it goes out.

    `speed` (game clock) or `rate` (records per second) paces the feed; neither: as fast as
    the broker takes them. A shot tag is published at once (never held in a chunk), so
    latency is measured from the moment the release could first be known.
    """
    st = FeedStats(started=time.time())
    t0 = time.perf_counter()
    chunk: list[Message] = []
    paced = bool(speed and 0 < speed < float("inf"))
    size = 1 if paced else CHUNK
    for m in messages:
        if stop is not None and stop.is_set():
            break
        st.messages += 1
        st.records += records(m)
        if rate > 0:
            ahead = st.records / rate - (time.perf_counter() - t0)
            if ahead > 0.002:
                if chunk:
                    publish(chunk)
                    chunk = []
                time.sleep(ahead)
        if isinstance(m, ShotTag):
            st.shots += 1
            m.sent_at = time.time()
            chunk.append(m)
            publish(chunk)
            chunk = []
            continue
        chunk.append(m)
        if len(chunk) >= size:
            publish(chunk)
            chunk = []
    if chunk:
        publish(chunk)
    st.finished = time.time()
    return st


def consume(
    broker: LocalBroker, scorer: Scorer, on_shot: Callable[[dict], None] | None = None, stale_check_s: float = 1.0
) -> None:
    """Score until the broker is closed and drained."""
    last_check = time.time()
    while True:
        batch = broker.poll(0.25)
        if batch is None:
            break
        for row in scorer.handle_batch(batch):
            if on_shot is not None:
                on_shot(row)
        now = time.time()
        if now - last_check > stale_check_s:
            scorer.check_stalled(now)
            last_check = now


def run_local(
    store: str | Path,
    game_ids: list[int],
    scorer: Scorer,
    speed: float = 0.0,
    rate: float = 0.0,
    on_shot: Callable[[dict], None] | None = None,
    capacity: int = 256,
    until_s: float | None = None,
) -> dict:
    """Play `game_ids` from `store` into `scorer` through an in-process broker; returns the figures."""
    messages = pace(feed(store, game_ids, until_s), speed, heartbeat_for(scorer.stale_after_s))
    broker = LocalBroker(capacity)
    out: dict = {}
    stop = threading.Event()

    def producer() -> None:
        try:
            out["feed"] = play(messages, broker.publish, speed, rate, stop)
        finally:
            broker.close()

    t = threading.Thread(target=producer, name="oa-live-feed", daemon=True)
    t0 = time.time()
    t.start()
    try:
        consume(broker, scorer, on_shot)
    except BaseException:
        stop.set()
        broker.close()
        raise
    finally:
        t.join(timeout=5)
    scorer.close_all()
    t1 = time.time()
    fs: FeedStats = out.get("feed", FeedStats())
    took = max(t1 - (fs.started or t0), 1e-9)
    return {
        "games": len(game_ids),
        "speed": speed or None,
        "rate": rate or None,
        "seconds": round(took, 2),
        "records": scorer.stats.records,
        "records_per_s": round(scorer.stats.records / took),
        **{k: v for k, v in scorer.stats.summary().items() if k != "records"},
    }


def local_scorer(
    store: str | Path,
    publish_to: str | Path | None,
    name: str = "scorer",
    stale_after_s: float = 60.0,
    models_from: str | Path | None = None,
) -> Scorer:
    """A scorer with the active models of `models_from` (default: the store), publishing under
    `publish_to` (None: nowhere)."""
    from oa.model.score import active_models
    from oa.store import Store

    with Store(models_from or store, read_only=True) as st:
        models = active_models(st)
    return Scorer(
        models, Publisher(publish_to) if publish_to is not None else None, name=name, stale_after_s=stale_after_s
    )


def run_redis_feed(
    store: str | Path,
    game_ids: list[int],
    url: str,
    prefix: str,
    speed: float = 0.0,
    rate: float = 0.0,
    until_s: float | None = None,
    heartbeat_s: float = HEARTBEAT_S,
) -> FeedStats:
    """Publish games into Redis Streams under `prefix` (the feed side of scale-out); paced, each game's
    clock goes out every `heartbeat_s` while it has nothing else to send."""
    from oa.live.redis_broker import RedisFeed, connect

    return play(
        pace(feed(store, game_ids, until_s), speed, heartbeat_s), RedisFeed(connect(url), prefix).publish, speed, rate
    )


def run_redis_scorer(
    store: str | Path,
    url: str,
    prefix: str,
    name: str,
    publish_to: str | Path,
    claim_idle_ms: int = 30_000,
    until: Callable[[], bool] | None = None,
    on_shot: Callable[[dict], None] | None = None,
    stale_after_s: float = 60.0,
    models_from: str | Path | None = None,
) -> dict:
    """One scorer process of the consumer group; stops on SIGTERM/SIGINT or when `until()`.

    Marks itself ready in `publish_to/ready/<name>` once connected, and leaves its figures in
    `publish_to/stats/<name>.json` when it stops.
    """
    import json
    import signal

    from oa.live.redis_broker import RedisScorer, connect

    rs = RedisScorer(
        connect(url),
        prefix,
        local_scorer(store, publish_to, name, stale_after_s, models_from),
        name,
        claim_idle_ms,
        on_shot,
    )
    # stop gracefully on SIGTERM/SIGINT while this runs, and give the process its own handlers back after
    # (a handler left behind outlives the scorer: forked children would inherit a stop for a scorer long gone)
    previous = {}
    if threading.current_thread() is threading.main_thread():  # only the main thread may set handlers
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, lambda *_: rs.stop())
    try:
        ready = Path(publish_to) / "ready" / name
        ready.parent.mkdir(parents=True, exist_ok=True)
        ready.write_text(str(os.getpid()))
        rs.run(until)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    out = {"name": name, **rs.scorer.stats.summary(), "latency_ms": [round(v, 3) for v in rs.scorer.stats.latency_ms]}
    stats_to = Path(publish_to) / "stats" / f"{name}.json"
    stats_to.parent.mkdir(parents=True, exist_ok=True)
    tmp = stats_to.with_suffix(".tmp")
    tmp.write_text(json.dumps(out))
    tmp.replace(stats_to)
    return out


def run_redis(
    store: str | Path,
    game_ids: list[int],
    url: str,
    prefix: str,
    name: str,
    publish_to: str | Path,
    feed_here: bool,
    speed: float = 0.0,
    rate: float = 0.0,
    until_s: float | None = None,
    stale_after_s: float = 60.0,
    claim_idle_ms: int = 30_000,
    on_shot: Callable[[dict], None] | None = None,
    models_from: str | Path | None = None,
) -> dict:
    """A scorer of the Redis consumer group; with `feed_here`, this process also feeds `game_ids` from a
    thread and the scorer stops once that feed is done and every game drained (`oa live --broker` with
    role all). Returns the scorer's figures without the raw latencies."""
    until = None
    if feed_here:
        from oa.live.redis_broker import connect, drained

        r0 = connect(url)
        t = threading.Thread(
            target=run_redis_feed,
            args=(store, game_ids, url, prefix),
            daemon=True,
            kwargs=dict(speed=speed, rate=rate, until_s=until_s, heartbeat_s=heartbeat_for(stale_after_s)),
        )
        t.start()
        until = lambda: not t.is_alive() and drained(r0, prefix, len(game_ids))  # noqa: E731
    res = run_redis_scorer(
        store,
        url,
        prefix,
        name,
        publish_to,
        claim_idle_ms,
        on_shot=on_shot,
        until=until,
        stale_after_s=stale_after_s,
        models_from=models_from,
    )
    res.pop("latency_ms", None)
    return res
