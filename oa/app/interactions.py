"""The model page's words for factor interactions (stored at training by `oa.model.interactions`).

Pure functions of the stored summary, so they are tested without Streamlit.
"""

from __future__ import annotations

from oa.app.text import esc
from oa.vocab import plural

RETRAIN = "retrain to see interactions"
PAIRS_SHOWN = 6


def pair_label(factors: list[str], labels: dict[str, str]) -> str:
    """'Distance × Shot type': the two factors' names as the page says them."""
    return " × ".join(labels.get(n, n) for n in factors)


def missing_note(inter: dict | None, db: str) -> str | None:
    """What to say instead of the chart when the model has no interactions; None when it has them."""
    if not inter:
        return (
            f"This model was trained before factor interactions were worked out: {RETRAIN} "
            f"(`python -m oa train --db {db}`)."
        )
    if not inter.get("pairs"):
        why = inter.get("unavailable", "no pair of factors changes the other's effect")
        return f"Factor interactions could not be worked out for this model: {esc(why)}."
    return None


def caption(inter: dict, labels: dict[str, str]) -> str:
    """What the bars mean, in a coach's words, with the strongest single factor for scale."""
    main = inter.get("main") or {}
    top = next(iter(main), None)
    scale = (
        f" For scale: {labels.get(top, top)} on its own moves a shot by {main[top]['pp']:.1f} points on average."
        if top
        else ""
    )
    return (
        "Some factors matter more or less depending on another: how much distance matters can depend on the "
        "shot type, for instance. Each bar is a pair of factors; its length is how many points of goal chance "
        "the two add or take away together, beyond what each does on its own, averaged over "
        f"{plural(inter.get('shots', 0), 'training shot')} (SHAP interaction values).{scale}"
    )


def example(inter: dict, labels: dict[str, str]) -> str | None:
    """One worked sentence for the strongest pair: its clearest case among the shots looked at."""
    ex = inter.get("example")
    if not ex or not inter.get("pairs"):
        return None
    names = inter["pairs"][0]["factors"]
    values = "; ".join(esc(ex["values"].get(n, "?")) for n in names)
    pp = float(ex["pp"])
    verb = "add" if pp >= 0 else "take"
    way = "to" if pp >= 0 else "off"
    return (
        f"**Strongest pair: {esc(pair_label(names, labels))}.** For example, one shot: {values}. On it, "
        f"{esc(labels.get(names[0], names[0]).lower())} and {esc(labels.get(names[1], names[1]).lower())} "
        f"together {verb} {abs(pp):.1f} points {way} its chance of a goal (rated {100 * ex['p_goal']:.0f}%), "
        "beyond what each does on its own."
    )
