#!/usr/bin/env python3
"""Measures every label of cfgspace's SVG byte maps in headless Chromium, as the picture is drawn.

Usage: svg_labels.py PLAN.json
The plan (written by SVGLabelBrowserTests.swift) names the browser, its driver and the SVG files.
For every box (a <g> holding a rect and a text) the script asks Chromium for the text's bounding
box in the picture's own units and reports any label that reaches past its rect. It prints one
JSON report on stdout: how many pictures and labels it measured, and every overflow. Chromium and
chromedriver run in their own process group and end on every path (browser_session.py).
"""

import json
import sys

from browser_session import Session

MEASURE = """
const boxes = [];
for (const group of document.querySelectorAll('g')) {
  const text = group.querySelector('text');
  if (text === null) continue;
  const title = group.querySelector('title');
  const label = [...text.querySelectorAll('tspan')].map((span) => span.textContent).join('|') || text.textContent;
  const box = text.getBBox();
  // The rect the label sits in: the one whose extent holds the text's start.
  const rects = [...group.querySelectorAll('rect')].map((rect) => rect.getBBox());
  const x = Number(text.getAttribute('x'));
  const y = Number(text.getAttribute('y'));
  const home = rects.find((r) => x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height);
  boxes.push({ title: title === null ? '' : title.textContent, label,
               text: [box.x, box.y, box.width, box.height],
               rect: home === undefined ? null : [home.x, home.y, home.width, home.height] });
}
return { boxes, font: getComputedStyle(document.documentElement).fontFamily };
"""


def main():
    with open(sys.argv[1]) as file:
        plan = json.load(file)
    failures = []
    report = {"pictures": 0, "labels": 0, "overflows": [], "failures": failures}
    session = None
    try:
        session = Session(plan, failures)
        for path in plan["svgs"]:
            session.driver.get("file://" + path)
            measured = session.driver.execute_script(MEASURE)
            report["pictures"] += 1
            for box in measured["boxes"]:
                report["labels"] += 1
                name = path.rsplit("/", 1)[-1] + ": " + box["label"]
                if box["rect"] is None:
                    report["overflows"].append(name + " starts outside every rect of its box")
                    continue
                tx, ty, tw, th = box["text"]
                rx, ry, rw, rh = box["rect"]
                # Half a pixel for anti-aliasing; a glyph's ink never reaches its advance's end.
                if tx + tw > rx + rw + 0.5 or ty < ry - 0.5 or ty + th > ry + rh + 0.5:
                    report["overflows"].append("%s is %.1f by %.1f at (%.1f, %.1f), its box %.1f by %.1f at (%.1f, %.1f)"
                                               % (name, tw, th, tx, ty, rw, rh, rx, ry))
    except Exception as error:  # reported, not raised: the report is the answer
        failures.append("the browser run stopped: " + type(error).__name__ + ": " + str(error).splitlines()[0]
                        if str(error) else type(error).__name__)
    finally:
        if session is not None:
            session.close()
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
