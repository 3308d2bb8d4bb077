"""Chromium, headless, driven through chromedriver: started in a process group of its own with its
files in one folder, read in one call, clicked as a reader clicks, and ended on every path."""

import os
import shutil
import signal
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains

# What the page shows, read in one call: the state, the status line, the sizes and every row.
READ_PAGE = """
const text = (node) => node === null ? null : node.textContent;
const rows = [...document.querySelectorAll('#field-table tbody tr')].map((row) => ({
  name: row.dataset.field,
  size: text(row.querySelector('td[data-column=size]')),
  fixed: text(row.querySelector('td[data-column=fixed] .offset')),
  packed: text(row.querySelector('td[data-column=packed] .offset')),
  move: text(row.querySelector('td[data-column=move]')),
  notes: text(row.querySelector('td[data-column=notes]')),
  condition: text(row.querySelector('td[data-column=condition] code')),
  holds: text(row.querySelector('td[data-column=condition] .holds')),
  spec: text(row.querySelector('td[data-column=spec]')),
}));
const sizes = {};
for (const cell of document.querySelectorAll('#sizes td')) {
  sizes[cell.dataset.interpretation + ' ' + cell.dataset.sizing] = cell.textContent;
}
const radio = document.querySelector('input[name=spec]:checked');
return {
  ticked: [...document.querySelectorAll('#features input[type=checkbox]:checked')].map((box) => box.value),
  needed: Object.fromEntries([...document.querySelectorAll('#features .needed')]
    .map((span) => [span.id.slice('needed-'.length), span.textContent])),
  version: radio === null ? null : radio.value,
  hash: location.hash,
  status: document.getElementById('status').textContent,
  noConfig: document.getElementById('no-config') !== null,
  sizes, rows,
};
"""



class Session:
    def __init__(self, plan, failures):
        self.plan = plan
        self.failures = failures
        self.driver = None
        self.service = None
        # Chromium's profile and every temporary file it makes, in one folder removed at the end.
        self.scratch = tempfile.mkdtemp(prefix="cfgspace-chromium-")
        os.mkdir(os.path.join(self.scratch, "tmp"))
        options = webdriver.ChromeOptions()
        options.binary_location = plan["chromium"]
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,2400", "--hide-scrollbars", "--force-device-scale-factor=1",
                         "--user-data-dir=" + os.path.join(self.scratch, "profile"), "--no-first-run",
                         "--disable-extensions"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # chromedriver, and the Chromium it starts, in a process group of their own.
        environment = dict(os.environ, TMPDIR=os.path.join(self.scratch, "tmp"))
        self.service = Service(plan["chromedriver"], env=environment, popen_kw={"start_new_session": True})
        try:
            self.driver = webdriver.Chrome(service=self.service, options=options)
            self.driver.set_page_load_timeout(30)
            self.driver.set_script_timeout(30)
        except BaseException:
            self.close()
            raise

    def close(self):
        """Ends the browser and its driver, whatever state they are in, and removes their files."""
        try:
            if self.driver is not None:
                self.driver.quit()
            elif self.service is not None:
                self.service.stop()
        except Exception:
            pass
        finally:
            self.kill()

    def kill(self):
        """Ends chromedriver and every Chromium process at once, with no word to either (their
        process group; Chromium's crash handlers leave it but end with it), and removes their
        files. Safe from a signal handler or another thread, and more than once."""
        process = getattr(self.service, "process", None)
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                process.wait(timeout=10)
            except Exception:
                pass
        shutil.rmtree(self.scratch, ignore_errors=True)

    def fail(self, where, message):
        self.failures.append(where + ": " + message)

    def url(self, device, fragment=""):
        return "file://" + os.path.join(self.plan["pages"], device + ".html") + fragment

    def load(self, device, fragment=""):
        # A blank page first, so that a new fragment loads the page again rather than only
        # changing its hash.
        self.driver.get("about:blank")
        self.driver.get(self.url(device, fragment))

    def read(self):
        return self.driver.execute_script(READ_PAGE)

    def console(self, where):
        """Chromium's console since the last look; every error fails."""
        entries = self.driver.get_log("browser")
        for entry in entries:
            if entry.get("level") == "SEVERE":
                self.fail(where, "console error: " + entry.get("message", ""))
        return len(entries)

    def click(self, *element_ids):
        """Clicks each element in turn, in one pointer sequence; a box folded away in a closed
        <details> is reached as a reader reaches it, by clicking its summary first."""
        targets = self.driver.execute_script("""
            const targets = [];
            const opened = new Set();
            for (const id of arguments[0]) {
              const element = document.getElementById(id);
              const details = element.closest('details');
              if (details !== null && !details.open && !opened.has(details)) {
                targets.push(details.querySelector('summary'));
                opened.add(details);
              }
              targets.push(element);
            }
            return targets;
        """, list(element_ids))
        chain = ActionChains(self.driver, duration=0)
        for element in targets:
            chain.click(element)
        chain.perform()

    def mentioned(self):
        """Each feature's requirement, as the names it mentions, from the page's own data."""
        return self.driver.execute_script("""
            const names = (condition) => condition === null ? [] : 'feature' in condition ? [condition.feature] :
              'not' in condition ? names(condition.not) : (condition.all || condition.any || []).flatMap(names);
            const data = JSON.parse(document.getElementById('layout-data').textContent);
            return Object.fromEntries(data.features.map((feature) => [feature.name, names(feature.requires)]));
        """)

    def choose_version(self, version, state):
        """The page as it is once the version is chosen."""
        if state["version"] == version:
            return state
        self.click("spec-" + version.replace(".", "-"))
        return self.read()

    def reach(self, wanted, where, mentioned, state):
        """Clicks boxes as a reader would until every wanted feature is ticked and every other
        ticked one is one the page says a ticked feature needs. Each round, in one pointer
        sequence, unticks what nothing needs and ticks the wanted features no other wanted one
        requires (their requirements come with them). `state` is the page as last read."""
        wanted = set(wanted)
        required = {name for feature in wanted for name in mentioned.get(feature, [])}
        clicks = 0
        for _ in range(2 * len(wanted) + 8):
            ticked = set(state["ticked"])
            missing = sorted(wanted - ticked)
            spare = sorted(name for name in ticked - wanted if state["needed"].get(name, "") == "")
            if not missing and not spare:
                return state, clicks
            targets = spare + ([name for name in missing if name not in required] or missing[:1])
            self.click(*["feature-" + name for name in targets])
            clicks += len(targets)
            state = self.read()
        self.fail(where, "could not reach " + str(sorted(wanted)) + " by clicking; the page shows " +
                  str(state["ticked"]))
        return state, clicks
