"""The fleet audit as a picture: findings per Flight, stacked by severity (error, warning, info).

One drawing for the two notebooks beside this file (flights_helper.ipynb, fleet_audit.py) and for
README's picture (tools/fleet_chart.py writes docs/fleet_audit.svg with it). It takes the rows of
the notebooks' query (flight_name, error, warning, info), in the order to draw them, top to bottom.

matplotlib, because both notebooks show its figures as plain images (no JavaScript needed to see
them, so a headless run produces the real picture) and the same code writes README's SVG.
"""
from matplotlib.figure import Figure

SEVERITIES = ("error", "warning", "info")
# Bar colour and the colour of the count written on it, per severity.
COLORS = {"error": ("#c62828", "white"), "warning": ("#f9a825", "black"), "info": ("#b0bec5", "black")}
TITLE = "Fleet audit: findings per Flight"


def plot_findings(rows):
    """Return a matplotlib Figure: one bar per Flight, its findings stacked error, warning, info.

    ``rows``: an iterable of ``(flight_name, error, warning, info)`` (a JupySQL result set, a
    list from ``fetchall()`` or a polars DataFrame's ``rows()``), drawn top to bottom in order.
    """
    rows = [(str(r[0]), *(int(n) for n in r[1:4])) for r in rows]
    fig = Figure(figsize=(7.5, 1.6 + 0.45 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    positions = list(range(len(rows)))
    left = [0] * len(rows)
    for column, severity in enumerate(SEVERITIES, start=1):
        counts = [row[column] for row in rows]
        color, text_color = COLORS[severity]
        bars = ax.barh(positions, counts, left=left, height=0.6, color=color, label=severity)
        ax.bar_label(bars, labels=[str(n) if n else "" for n in counts], label_type="center",
                     color=text_color, fontsize=9)
        left = [total + n for total, n in zip(left, counts)]
    for position, total in zip(positions, left):
        ax.annotate("no findings" if total == 0 else f"{total}", (total, position), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=9, color="#455a64")
    ax.set_yticks(positions, [row[0] for row in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, max(left, default=0) + 1.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("findings (flight_findings)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(TITLE, loc="left", fontsize=12)
    ax.legend(ncols=len(SEVERITIES), loc="lower right", bbox_to_anchor=(1, 1), frameon=False, fontsize=9)
    return fig
