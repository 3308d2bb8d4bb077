#!/usr/bin/env python3
"""Drives cfgspace's HTML pages in headless Chromium as a reader would, and holds what they show
against `cfgspace table --format json`.

Usage: html_pages.py PLAN.json
The plan (written by HTMLPageBrowserTests.swift) names the pages, the cfgspace binary, the browser,
and per device the feature sets to tick at each spec version. One browser session serves every
page. For each set the script clicks the checkboxes, reads the offsets, sizes, moves, conditions,
spec sections and notes the page shows, and asks `cfgspace table` for the same device, version,
features, interpretation and sizing (table_oracle.py). It also follows the index to a page and
back, ticks each feature that requires others, unticks a requirement, round-trips the link, checks
the keyboard, the print style and the byte map's geometry, and reads Chromium's console.

It prints one JSON report on stdout: what it covered and every failure, each a sentence. Chromium
and chromedriver run in their own process group, and are ended and their profile removed on every
path, SIGTERM included (browser_session.py).
"""

import hashlib
import json
import os
import signal
import sys
import threading
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser_session import Session
from table_oracle import INTERPRETATIONS, SIZINGS, Oracle, compare


class Terminated(Exception):
    pass


# The open browser session, for the signal handler and the parent's watch.
SESSIONS = []


def on_sigterm(signum, frame):
    # The browser goes first: the test sends SIGKILL five seconds after SIGTERM, and a polite
    # quit could take longer.
    for session in SESSIONS:
        session.kill()
    raise Terminated()


def watch_parent(parent):
    """Ends the browser and this script when the test that started it is gone (it was killed and
    cannot end this script's process group, which the browser is not in)."""
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            for session in SESSIONS:
                session.kill()
            os._exit(3)


def nearest_first(sets, start):
    """The sets in an order where each differs little from the one before: fewer clicks."""
    remaining = [set(features) for features in sets]
    order = []
    current = set(start)
    while remaining:
        best = min(range(len(remaining)), key=lambda index: len(remaining[index] ^ current))
        current = remaining.pop(best)
        order.append(sorted(current))
    return order


def run_device(session, oracle, entry, report):
    device = entry["device"]
    phases = report["phases"]
    started = time.monotonic()
    # The page opens from a link that holds a state (another page was open before, so this is
    # a fresh load): the state reads back as the link has it, and the page writes the same link.
    opening = entry["links"][0]
    session.driver.get(session.url(device, opening["fragment"]))
    state = session.read()
    report["pages"] += 1
    report["links"] += 1
    if sorted(state["ticked"]) != sorted(opening["ticked"]) or state["version"] != opening["version"] \
            or state["hash"] != opening["fragment"]:
        session.fail(device, "the link " + opening["fragment"] + " opens as virtio " + str(state["version"]) + " with " +
                     str(state["ticked"]) + " and writes " + state["hash"])
    mentioned = session.mentioned()
    bits = session.driver.execute_script(
        "return Object.fromEntries(JSON.parse(document.getElementById('layout-data').textContent)"
        ".features.map((feature) => [feature.name, feature.bit]))")
    pending = []
    by_version = {}
    for case in entry["cases"]:
        by_version.setdefault(case["version"], []).append(case["features"])
    for version in sorted(by_version):
        state = session.choose_version(version, state)
        for wanted in nearest_first(by_version[version], state["ticked"]):
            where = device + " at " + version + " with {" + ", ".join(wanted) + "}"
            state, clicks = session.reach(wanted, where, mentioned, state)
            report["clicks"] += clicks
            if state["version"] != version:
                session.fail(where, "the page shows virtio " + str(state["version"]))
            link = "#spec=" + version + "&features=" + ",".join(sorted(state["ticked"], key=lambda name: bits[name]))
            if state["hash"] != link:
                session.fail(where, "the link says " + state["hash"] + ", not " + link)
            ticked = state["ticked"]
            futures = {(interpretation, sizing): oracle.table(entry["layout"], device, version, ticked,
                                                               interpretation, sizing)
                       for interpretation in INTERPRETATIONS for sizing in SIZINGS}
            pending.append((where, state, futures, entry["section"]))
            report["cases"].append({"device": device, "version": version, "planned": wanted, "ticked": ticked})
    phases["sets"] += time.monotonic() - started
    started = time.monotonic()

    # Requirements: each feature that requires others, ticked alone, brings them in and says why.
    state = session.choose_version(entry["newest"], state)
    for feature in entry["requirements"]:
        where = device + ": ticking " + feature
        session.click("untick-all", "feature-" + feature)
        state = session.read()
        report["requirements"].append({"device": device, "version": entry["newest"], "feature": feature,
                                       "ticked": state["ticked"], "status": state["status"]})
        if feature not in state["ticked"]:
            session.fail(where, "it did not stay ticked: " + state["status"])
        elif len(state["ticked"]) > 1 and "requires" not in state["status"]:
            session.fail(where, "the page ticked " + str(state["ticked"]) + " without saying why: " + state["status"])

    # Unticking what a ticked feature requires unticks it too, and says so.
    if entry["untick"] is not None:
        feature, required = entry["untick"]["feature"], entry["untick"]["required"]
        where = device + ": unticking " + required + " under " + feature
        session.click("untick-all", "feature-" + feature, "feature-" + required)
        state = session.read()
        report["unticks"] += 1
        if feature in state["ticked"] or required in state["ticked"]:
            session.fail(where, "the page still ticks " + str(state["ticked"]))
        if not ("Unticked " + required + ", and with it") in state["status"] or feature not in state["status"]:
            session.fail(where, "the page does not say why " + feature + " went: " + state["status"])

    phases["requirements"] += time.monotonic() - started
    started = time.monotonic()

    # The link: the state read back from a fresh load of the page's own link (on the pages with
    # the most to lose), and from hand-written ones (a requirement left out, a feature the device
    # lacks) followed in place.
    if entry["reload"] and entry["cases"]:
        last = entry["cases"][-1]
        state = session.choose_version(last["version"], session.read())
        state, _ = session.reach(last["features"], device + " link", mentioned, state)
        link = state["hash"]
        session.load(device, link)
        again = session.read()
        report["links"] += 1
        if sorted(again["ticked"]) != sorted(state["ticked"]) or again["version"] != state["version"] or again["hash"] != link:
            session.fail(device, "the link " + link + " loads as virtio " + str(again["version"]) + " with " +
                         str(again["ticked"]) + " and writes " + again["hash"] + "; it was made at virtio " +
                         str(state["version"]) + " with " + str(state["ticked"]))
    for written in entry["links"][1:]:
        session.driver.get(session.url(device, written["fragment"]))
        state = session.read()
        report["links"] += 1
        if sorted(state["ticked"]) != sorted(written["ticked"]) or state["version"] != written["version"]:
            session.fail(device, "the link " + written["fragment"] + " loads as virtio " + str(state["version"]) +
                         " with " + str(state["ticked"]) + ", not " + written["version"] + " with " + str(written["ticked"]))
        for word in written["says"]:
            if word not in state["status"]:
                session.fail(device, "the link " + written["fragment"] + " should say '" + word + "': " + state["status"])

    report["console_entries"] += session.console(device)
    phases["links"] += time.monotonic() - started
    return pending


def accessibility(session, device, report):
    """Labels, legends, the live region; the keyboard alone ticks a feature; the print style."""
    session.load(device, "#spec=" + report["newest"] + "&features=")
    problems = session.driver.execute_script("""
        const problems = [];
        for (const input of document.querySelectorAll('input')) {
          if (!document.querySelector('label[for="' + input.id + '"]')) problems.push('no label for ' + input.id);
        }
        for (const fieldset of document.querySelectorAll('fieldset')) {
          if (!fieldset.querySelector(':scope > legend')) problems.push('a fieldset without a legend');
        }
        const status = document.getElementById('status');
        if (status.getAttribute('aria-live') !== 'polite' || status.getAttribute('role') !== 'status') {
          problems.push('the status line is not a polite live region');
        }
        for (const table of document.querySelectorAll('table')) {
          if (!table.querySelector('caption')) problems.push('a table without a caption');
        }
        return problems;
    """)
    for problem in problems:
        session.fail(device, problem)
    # Focus order from the top of a freshly loaded page: the skip link, the way back, the chosen
    # version, the buttons, the features.
    order = []
    for _ in range(6):
        ActionChains(session.driver, duration=0).send_keys(Keys.TAB).perform()
        active = session.driver.switch_to.active_element
        order.append(active.get_attribute("id") or active.get_attribute("href") or active.tag_name)
    report["focus_order"] = order
    # The keyboard alone: Space on a focused checkbox ticks it, requirements come too, and the
    # live region says so.
    if report["keyboard_feature"] is not None:
        feature = report["keyboard_feature"]
        session.driver.execute_script("document.getElementById(arguments[0]).focus()", "feature-" + feature)
        ActionChains(session.driver, duration=0).send_keys(Keys.SPACE).perform()
        state = session.read()
        report["keyboard"] = {"feature": feature, "ticked": state["ticked"], "status": state["status"]}
    # Print: the controls' clutter goes, the chosen features stay. The keyboard ticked MQ and, with
    # it, CTRL_VQ, which leaves net's layout alone: its folded group prints, with only CTRL_VQ.
    report["print"] = printed(session)
    session.click("untick-all")
    report["print_none_ticked"] = printed(session)


def printed(session):
    """What shows of the page in print."""
    session.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        return session.driver.execute_script("""
            const shown = (node) => node !== null && getComputedStyle(node).display !== 'none' &&
              node.getClientRects().length > 0;
            const boxes = [...document.querySelectorAll('#features input[type=checkbox]')];
            return {
              status: shown(document.getElementById('status')),
              buttons: shown(document.getElementById('tick-all')),
              tickedShown: boxes.filter((box) => box.checked).every((box) => shown(box.closest('li'))),
              untickedShown: boxes.filter((box) => !box.checked).some((box) => shown(box.closest('li'))),
              more: shown(document.getElementById('more-features')),
              table: shown(document.getElementById('field-table')),
              maps: shown(document.getElementById('maps')),
            };
        """)
    finally:
        session.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def picture(session, shot, report):
    """The byte map's geometry where a reader looks, and whether a screenshot is the same twice."""
    fragment = "#spec=" + shot["version"] + "&features=" + ",".join(shot["features"])
    digests = []
    for _ in range(2):
        session.load(shot["device"], fragment)
        session.driver.set_window_size(1280, 2400)
        png = session.driver.get_screenshot_as_png()
        digests.append(hashlib.sha256(png).hexdigest())
    report["screenshot"] = {"bytes": len(png), "stable": digests[0] == digests[1], "sha256": digests[0]}
    if shot.get("path"):
        with open(shot["path"], "wb") as file:
            file.write(png)
    report["geometry"] = session.driver.execute_script("""
        const rect = (node) => { const r = node.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
        const field = arguments[0];
        const found = (figure) => [...document.querySelectorAll('#' + figure + ' .box')]
          .filter((box) => box.querySelector('.label') && box.querySelector('.label').textContent.startsWith(field + ' @'))
          .map((box) => ({ label: box.querySelector('.label').textContent, rect: rect(box) }));
        const rows = (figure) => [...document.querySelectorAll('#' + figure + ' .row-label')]
          .map((label) => ({ text: label.textContent, rect: rect(label) }));
        const cells = (figure) => [...document.querySelectorAll('#' + figure + ' .byte')].map((cell) => rect(cell));
        return {
          fixed: { figure: rect(document.getElementById('map-fixed')), boxes: found('map-fixed'), rows: rows('map-fixed'),
                   cells: cells('map-fixed') },
          packed: { figure: rect(document.getElementById('map-packed')), boxes: found('map-packed'), rows: rows('map-packed'),
                    cells: cells('map-packed') },
          scrollWidth: document.documentElement.scrollWidth,
          width: window.innerWidth,
        };
    """, shot["field"])
    session.console("screenshot")


def index(session, report):
    """The index page: the pages it links, in the report; a reader clicks the first, lands on that
    device's page, and clicks the way back."""
    session.driver.get("file://" + os.path.join(session.plan["pages"], "index.html"))
    links = [link.get_attribute("href") for link in session.driver.find_elements(By.CSS_SELECTOR, "#devices a")]
    report["index_links"] = [link.rsplit("/", 1)[-1] for link in links]
    if links:
        session.driver.find_element(By.CSS_SELECTOR, "#devices a").click()
        heading = session.driver.find_element(By.TAG_NAME, "h1").text
        device = report["index_links"][0][:-len(".html")]
        if session.driver.current_url.split("#")[0] != links[0] or not heading.startswith(device + " "):
            session.fail("index", "its first link opened " + session.driver.current_url + " headed " + repr(heading))
        session.driver.find_element(By.CSS_SELECTOR, ".crumbs a").click()
        if not session.driver.current_url.endswith("/index.html"):
            session.fail("index", "the way back from " + device + " led to " + session.driver.current_url)
    session.console("index")


def main():
    signal.signal(signal.SIGTERM, on_sigterm)
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    # Selenium finds nothing by itself: the plan names the browser and its driver.
    os.environ["SE_OFFLINE"] = "true"
    with open(sys.argv[1]) as file:
        plan = json.load(file)
    started = time.monotonic()
    failures = []
    report = {"pages": 0, "cases": [], "requirements": [], "unticks": 0, "links": 0, "clicks": 0,
              "console_entries": 0, "oracle_calls": 0, "failures": failures,
              "phases": {"browser start": 0.0, "sets": 0.0, "requirements": 0.0, "links": 0.0, "reader": 0.0,
                         "waiting for cfgspace table": 0.0}}
    oracle = Oracle(plan)
    session = None
    try:
        session = Session(plan, failures)
        SESSIONS.append(session)
        phases = report["phases"]
        phases["browser start"] = time.monotonic() - started
        index(session, report)
        pending = []
        for entry in plan["devices"]:
            pending += run_device(session, oracle, entry, report)
        mark = time.monotonic()
        keyboard = plan["keyboard"]
        report["newest"] = keyboard["version"]
        report["keyboard_feature"] = keyboard["feature"]
        accessibility(session, keyboard["device"], report)
        picture(session, plan["screenshot"], report)
        phases["reader"] = time.monotonic() - mark
        mark = time.monotonic()
        for where, state, futures, section in pending:
            compare(where, state, {key: future.result() for key, future in futures.items()}, section, failures)
        phases["waiting for cfgspace table"] = time.monotonic() - mark
        for key in phases:
            phases[key] = round(phases[key], 1)
    except Terminated:
        failures.append("terminated before the end")
    except Exception as error:  # reported, not raised: the report is the answer
        failures.append("the browser run stopped: " + type(error).__name__ + ": " + str(error).splitlines()[0]
                        if str(error) else type(error).__name__)
    finally:
        oracle.pool.shutdown(wait=True, cancel_futures=True)
        if session is not None:
            session.close()
    report["oracle_calls"] = oracle.calls
    report["seconds"] = round(time.monotonic() - started, 1)
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
