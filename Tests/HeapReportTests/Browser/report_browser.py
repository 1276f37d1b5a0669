#!/usr/bin/env python3
"""report_browser — drives headless Chromium through chromedriver (W3C WebDriver, plain HTTP on
loopback, standard library only) to check a heapscan HTML report as a reader sees it, and to time
its first paint. Used by Tests/HeapReportTests (Swift) and scripts/bench-report.

  report_browser.py inspect REPORT.html SCREENSHOT.png   -> one JSON object of facts on stdout
  report_browser.py paint PAGE.html [PAGE.html ...] --runs N -> one JSON object of seconds per page
"""
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C web element reference key

# Installed before any page script: records every CSP violation and every dialog, so a payload that
# tried to run (and was blocked) is seen as well as one that ran.
WATCH = """
window.__violations = [];
window.__dialogs = 0;
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
});
window.alert = window.confirm = window.prompt = function () { window.__dialogs++; };
"""


class Driver:
    """One chromedriver process and one headless Chromium session."""

    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.profile = tempfile.mkdtemp(prefix="heapscan-chromium-")
        self.process = subprocess.Popen(
            [CHROMEDRIVER, "--port=%d" % self.port, "--allowed-ips=127.0.0.1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 20
        while True:
            try:
                if self._call("GET", "/status")["value"].get("ready"):
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.time() > deadline:
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "unhandledPromptBehavior": "ignore",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,1000", "--hide-scrollbars", "--force-color-profile=srgb",
                         "--no-first-run", "--user-data-dir=" + self.profile],
            },
        }}}
        self.session = self._call("POST", "/session", caps)["value"]["sessionId"]

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            "http://127.0.0.1:%d%s" % (self.port, path), data=data, method=method,
            headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise RuntimeError("webdriver %s %s: %s" % (method, path, error.read().decode()[:500]))

    def command(self, method, path, body=None):
        return self._call(method, "/session/%s%s" % (self.session, path), body)["value"]

    def cdp(self, cmd, params):
        return self.command("POST", "/goog/cdp/execute", {"cmd": cmd, "params": params})

    def script(self, source, *args):
        return self.command("POST", "/execute/sync", {"script": source, "args": list(args)})

    def open(self, path):
        self.command("POST", "/url", {"url": "file://" + os.path.abspath(path)})

    def find(self, css):
        found = self.command("POST", "/element", {"using": "css selector", "value": css})
        return next(iter(found.values()))

    def click(self, element):
        self.command("POST", "/element/%s/click" % element, {})

    def wait_for(self, source, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.script(source)
            if value:
                return value
            time.sleep(0.02)
        raise RuntimeError("timed out waiting for: " + source)

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.command("GET", "/screenshot")))

    def close(self):
        try:
            self._call("DELETE", "/session/%s" % self.session)
        finally:
            self.process.terminate()
            try:
                self.process.wait(3)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # chromedriver's own group, started above
                self.process.wait(10)
            shutil.rmtree(self.profile, ignore_errors=True)


CENSUS = """
const tags = {};
for (const e of document.getElementsByTagName('*')) tags[e.tagName.toLowerCase()] = (tags[e.tagName.toLowerCase()] || 0) + 1;
const attrs = [];
for (const e of document.getElementsByTagName('*')) for (const a of e.attributes) if (a.name.startsWith('on')) attrs.push(e.tagName + ' ' + a.name);
return {tags: tags, handlerAttributes: attrs, violations: window.__violations, dialogs: window.__dialogs,
        pwned: window.__pwned === undefined ? null : String(window.__pwned), title: document.title};
"""


def inspect(report, screenshot):
    d = Driver()
    try:
        d.cdp("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
        d.open(report)
        painted = float(d.wait_for("return document.documentElement.dataset.painted"))
        facts = {"painted_ms": painted}
        facts["sections"] = d.script("return Array.from(document.querySelectorAll('main > section')).map(s => s.id)")
        facts["text_length"] = d.script("return document.body.innerText.length")
        facts["body_text"] = d.script("return document.body.textContent.slice(0, 300000)")
        facts["cycle_articles"] = d.script("return document.querySelectorAll('article.cycle').length")
        facts["cycle_svgs"] = d.script(
            "return Array.from(document.querySelectorAll('article.cycle img.cycle-svg')).map(i => "
            "({decoded: i.complete && i.naturalWidth > 0, svg: i.src.startsWith('data:image/svg+xml;base64,')}))")
        facts["suspects"] = d.script("return document.querySelectorAll('#suspects-content .suspect').length")
        facts["type_rows"] = d.script("return document.querySelectorAll('#types-content tbody tr').length")
        facts["site_rows"] = d.script("return document.querySelectorAll('#sites-content tbody tr').length")
        facts["comparison_rows"] = d.script("return document.querySelectorAll('#comparison-content tbody tr').length")
        facts["root_nodes"] = d.script("return document.querySelectorAll('#dominators-content > ul > li.dom-node').length")
        facts["before"] = d.script(CENSUS)
        # Expand the first dominator node that has children, with a real click.
        toggle = d.find("#dominators-content li.dom-node > .row > button.toggle:not([disabled])")
        expected = d.script("const b = arguments[0]; return Number(b.closest('li').dataset.k)", {ELEMENT: toggle})
        d.click(toggle)
        facts["expanded"] = d.script(
            "const li = document.querySelector('#dominators-content li.dom-node[data-k=\"' + arguments[0] + '\"]');"
            "const ul = li.querySelector(':scope > ul');"
            "return {children: ul ? ul.querySelectorAll(':scope > li.dom-node').length : -1,"
            " more: ul ? ul.querySelectorAll(':scope > li.more').length : -1,"
            " aria: li.querySelector('button.toggle').getAttribute('aria-expanded')}", expected)
        # Open the object panel through the first child's link.
        link = d.find("#dominators-content li.dom-node li.dom-node a.o")
        facts["link_text"] = d.script("return arguments[0].textContent", {ELEMENT: link})
        d.click(link)
        d.wait_for("return !document.getElementById('panel').hidden")
        facts["panel"] = d.script(
            "const p = document.getElementById('panel-body');"
            "return {title: p.querySelector('h2').textContent, headings: Array.from(p.querySelectorAll('h3')).map(h => h.textContent),"
            " pathItems: p.querySelectorAll('ol.path li').length, links: p.querySelectorAll('a.o').length}")
        # A link inside the panel (a field, a referrer or a step of the path) opens its object.
        inner = d.find("#panel-body a.o")
        expected_title = d.script("return arguments[0].textContent", {ELEMENT: inner})
        d.click(inner)
        time.sleep(0.1)
        facts["panel_link"] = {"expected": expected_title,
                               "got": d.script("return document.querySelector('#panel-body h2').textContent")}
        # Every object link of the page (the first 150: Chromium throttles more than 200 navigations in
        # 10 s, fragment ones included), clicked: each opens the panel on its object.
        facts["links_checked"] = d.command("POST", "/execute/async", {"args": [], "script": """
            const done = arguments[arguments.length - 1];
            const panel = document.getElementById('panel');
            (async function () {
              let ok = 0; const bad = [];
              // The page's links (the panel's own change under each click; one of them is opened above).
              for (const a of Array.from(document.querySelectorAll('main a.o')).slice(0, 150)) {
                panel.hidden = true;
                const opened = a.hash === location.hash ? Promise.resolve()
                  : new Promise(function (r) { window.addEventListener('hashchange', r, {once: true}); });
                a.click();
                await opened;
                const title = document.querySelector('#panel-body h2').textContent;
                if (!panel.hidden && title === a.textContent) ok++; else bad.push(a.textContent + ' -> ' + (panel.hidden ? '(panel hidden) ' : '') + title + (a.hash === location.hash ? '' : ' at ' + location.hash));
              }
              done({ok: ok, bad: bad.slice(0, 5)});
            })();"""})
        d.wait_for("return !document.getElementById('panel').hidden")
        # Close the panel with its button, then sort the types table by its objects column (a click on
        # the heading), both ways.
        d.click(d.find("#panel-close"))
        facts["panel_closed"] = d.script("return document.getElementById('panel').hidden")
        heading = d.find("#types-content thead th:nth-child(2) button.sort")
        d.click(heading)
        column = "return Array.from(document.querySelectorAll('#types-content tbody tr td:nth-child(2)')).map(td => Number(td.textContent.replace(/,/g, '')))"
        first = d.script(column)
        d.click(heading)
        facts["sorted"] = {"descending": first, "ascending": d.script(column)}
        # Type in a table's filter box.
        box = d.find("#types-content input.filter")
        d.command("POST", "/element/%s/value" % box, {"text": "zz-no-such-type"})
        facts["filtered_rows"] = d.script("return document.querySelectorAll('#types-content tbody tr').length")
        d.command("POST", "/element/%s/clear" % box, {})
        d.script("arguments[0].dispatchEvent(new Event('input'))", {ELEMENT: box})
        facts["after"] = d.script(CENSUS)
        d.script("document.getElementById('panel').hidden = true; window.scrollTo(0, 0)")
        time.sleep(0.2)
        d.screenshot(screenshot)
        return facts
    finally:
        d.close()


def paint(pages, runs):
    """Seconds from navigation start to the page's first frame after it is built, best of `runs`.

    A heapscan report marks that frame itself ('heapscan-painted'); any other page is timed by its
    first contentful paint."""
    d = Driver()
    try:
        best = {p: float("inf") for p in pages}
        for _ in range(runs):
            for page in pages:
                d.open(os.devnull)
                d.open(page)
                value = d.wait_for(
                    "const m = performance.getEntriesByName('heapscan-painted')[0];"
                    "if (m) return m.startTime;"
                    "if (document.getElementById('heap-data')) return null;"
                    "const p = performance.getEntriesByName('first-contentful-paint')[0];"
                    "return p ? p.startTime : null", timeout=60)
                best[page] = min(best[page], float(value) / 1000)
        return best
    finally:
        d.close()


def main(argv):
    # A parent (a test runner) may have blocked signals; chromedriver and Chromium inherit the mask.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    if len(argv) == 4 and argv[1] == "inspect":
        print(json.dumps(inspect(argv[2], argv[3])))
    elif len(argv) >= 3 and argv[1] == "paint":
        runs = 3
        pages = argv[2:]
        if "--runs" in pages:
            i = pages.index("--runs")
            runs = int(pages[i + 1])
            pages = pages[:i] + pages[i + 2:]
        print(json.dumps(paint(pages, runs)))
    else:
        print(__doc__, file=sys.stderr)
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
