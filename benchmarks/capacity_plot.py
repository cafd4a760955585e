"""The capacity plan's figures: daily load over the month and reminder lateness."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt

from benchmarks.capacity import FREE_RATE, Plan, plan_month
from benchmarks.common import Options, Result

HERE = Path(__file__).parent
LOAD_PNG = HERE / "capacity_load.png"
LATENESS_PNG = HERE / "capacity_lateness.png"
DAY_PNG = HERE / "capacity_day.png"
SECONDS_A_DAY_AWAKE = 15 * 3600  # 06.00-21.00


async def run(options: Options) -> list[Result]:
    """The capacity plan's results, with its figures drawn beside RESULTS.md. The plot sits
    above the model: the model never imports the plot."""
    results, plans = await plan_month(options)
    draw(plans)
    return results


def draw(plans: list[Plan]) -> None:
    _load(plans)
    _lateness(plans)
    _busiest_day(plans[-1])


def _load(plans: list[Plan]) -> None:
    figure, axes = plt.subplots(len(plans), 1, figsize=(10, 3.2 * len(plans)), sharex=True)
    for ax, plan in zip(axes, plans, strict=True):
        days = plan.per_day()
        order = sorted(days)
        colours = ["tab:blue" if d.weekday() < 5 else "tab:gray" for d in order]
        ax.bar(order, [days[d] for d in order], color=colours, width=0.8)
        day_at_30 = FREE_RATE * 86_400
        awake_at_30 = FREE_RATE * SECONDS_A_DAY_AWAKE
        top = max(days.values())
        if top > awake_at_30 / 4:
            ax.axhline(day_at_30, color="tab:red", linestyle="--", label="30/s for 24 h")
            ax.axhline(awake_at_30, color="tab:orange", linestyle=":", label="30/s, 06.00-21.00")
            ax.legend(loc="upper right", fontsize=8)
        ax.set_title(
            f"{plan.scale.name}: {plan.scale.groups:,} groups, {plan.scale.families:,} families"
            " (grey: weekend)",
            fontsize=10,
        )
        ax.set_ylabel("messages due a day")
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.grid(axis="y", alpha=0.3)
    axes[-1].tick_params(axis="x", rotation=45)
    figure.suptitle("Daily load: messages due per day (group's local date)")
    figure.tight_layout()
    figure.savefig(LOAD_PNG, dpi=90)
    plt.close(figure)


def _lateness(plans: list[Plan]) -> None:
    figure, axes = plt.subplots(1, len(plans), figsize=(12, 4), sharey=True)
    for ax, plan in zip(axes, plans, strict=True):
        labels, maxima, p99s = [], [], []
        for outcome in plan.outcomes:
            labels.append(f"{outcome.rate:,}/s\n{outcome.short}")
            maxima.append(outcome.late_max / 60)
            p99s.append(outcome.quantile(0.99) / 60)
        xs = range(len(labels))
        ax.bar([x - 0.2 for x in xs], maxima, width=0.4, label="max", color="tab:red")
        ax.bar([x + 0.2 for x in xs], p99s, width=0.4, label="p99", color="tab:blue")
        for x, value in zip(xs, maxima, strict=True):
            ax.annotate(_minutes(value), (x - 0.2, value), ha="center", va="bottom", fontsize=7)
        ax.set_xticks(list(xs), labels, fontsize=8)
        ax.set_title(plan.scale.name, fontsize=10)
        ax.set_yscale("symlog", linthresh=1)
        ax.grid(axis="y", alpha=0.3)
    axes[0].set_ylabel("reminder lateness past deadline (min)")
    axes[0].legend(fontsize=8)
    figure.suptitle(
        "Reminders arriving after their deadline (without windows: after their due time),"
        " simulated dispatcher"
    )
    figure.tight_layout()
    figure.savefig(LATENESS_PNG, dpi=90)
    plt.close(figure)


def _minutes(value: float) -> str:
    """0 when none was late, else two significant digits (2.6 s is 0.043 min, not 0.0)."""
    if value == 0:
        return "0"
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"


def _busiest_day(plan: Plan) -> None:
    """Hour by hour through the busiest day: what falls due and what each dispatcher sends."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(next(iter(plan.scale.zones)))
    days = plan.per_day()
    busiest = max(days, key=lambda d: days[d])
    start = datetime(busiest.year, busiest.month, busiest.day, tzinfo=tz)
    hours = [start + timedelta(hours=h) for h in range(24)]
    due = plan.per_hour()
    figure, ax = plt.subplots(figsize=(10, 4))
    xs = list(range(24))
    ax.bar(xs, [due.get(h, 0) for h in hours], color="lightgray", label="due (nominal)")
    # (colour, line style, width): the two 30/s runs overlap while saturated, so the one
    # without windows is drawn wide and dashed underneath.
    styles = {
        (30, False): ("tab:red", "--", 3.0),
        (30, True): ("tab:blue", "-", 1.5),
        (1000, True): ("tab:green", "-", 1.5),
    }
    for outcome in plan.outcomes:
        style = styles.get((outcome.rate, outcome.windows))
        if style is None or outcome.wide:
            continue
        colour, line, width = style
        label = f"sent at {outcome.rate:,}/s {outcome.label}"
        sent = [outcome.sent_per_hour.get(h, 0) for h in hours]
        ax.step(xs, sent, where="mid", color=colour, linestyle=line, linewidth=width, label=label)
    ax.axhline(30 * 3600, color="black", linestyle=":", linewidth=1, label="30/s for an hour")
    ax.set_xticks(xs, [f"{h:02d}" for h in xs], fontsize=8)
    ax.set_xlabel(f"hour of the day ({start.tzname()})")
    ax.set_ylabel("messages in the hour")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_title(
        f"{plan.scale.name}, busiest day {busiest:%a %d %b %Y}: due and sent per hour\n"
        f"(the model's dispatcher wakes every {plan.scale.tick.total_seconds():.0f} s, so what"
        " is due on the hour may go in the tick before)",
        fontsize=9,
    )
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(DAY_PNG, dpi=90)
    plt.close(figure)
