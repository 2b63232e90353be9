#!/usr/bin/env python3
"""Renders the HTML report of every capture in pcaps/ in headless Chromium.

For each capture with an expected-verdict file (run with the arguments it
gives), the page trustcap writes is loaded in one browser, driven over the
DevTools protocol on a pipe, and checked against the JSON report of the same
run: one ladder diagram per flow, with a title and a description; one arrow
per timeline row; the arrows marked failing exactly those whose frames carry an
error or warning of the flow, or where a failed step without such a frame
ended; nothing written to the console, no script error, no load refused by
the page's Content Security Policy; and at a phone's width (390 px) nothing
wider than the screen but what scrolls in its own box. Full-page screenshots
at 1366 and 390 px of a few captures are kept in OUTPUT_DIR for review.

Usage: render_in_chromium.py TRUSTCAP PCAPS_DIR OUTPUT_DIR
Exit status: 0 passed, 1 failed, 77 skipped (no Chromium).
"""
import base64
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

SCREENSHOTS = [  # healthy, unknown CA, interception, proxy 407, injected reset, no SYN-ACK, through a proxy
    "lab/tls12-healthy.pcap",
    "generated-tls/tls12-server-unknown-ca.pcap",
    "generated-tls/tls12-interception-fortinet.pcap",
    "generated-tls/proxy-auth-required.pcap",
    "generated-tls/tls12-reset-injected.pcap",
    "generated/syn-unanswered.pcap",
    "generated-tls/tls12-mutual-via-proxy.pcap",
]
PHONE_WIDTH = 390
LAPTOP_WIDTH = 1366

PAGE_FACTS = """JSON.stringify({
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  ladders: document.querySelectorAll('svg.ladder').length,
  flows: Array.from(document.querySelectorAll('section.flow')).map(section => ({
    id: section.id,
    ladders: section.querySelectorAll('svg.ladder').length,
    titled: section.querySelector('svg.ladder > title') !== null && section.querySelector('svg.ladder > desc') !== null,
    arrows: section.querySelectorAll('svg.ladder g.arrow').length,
    failing: Array.from(section.querySelectorAll('svg.ladder g.arrow.failing')).map(g => Number(g.dataset.frame)),
  })),
})"""


class Browser:
    """Chromium driven over --remote-debugging-pipe: commands on its fd 3, answers on its fd 4."""

    def __init__(self, executable, profile):
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()

        def give_pipes():
            os.dup2(commands_read, 3)
            os.dup2(answers_write, 4)

        self._process = subprocess.Popen(
            [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=give_pipes, pass_fds=(3, 4), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(commands_read)
        os.close(answers_write)
        self._out = os.fdopen(self._commands, "wb")
        self._in = os.fdopen(self._answers, "rb")
        self._pending = b""
        self._next_id = 0
        self.events = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(domain + ".enable", session=self.session)

    def send(self, method, params=None, session=None):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._out.write(json.dumps(message).encode() + b"\0")
        self._out.flush()
        answer = self.wait_for(lambda m: m.get("id") == self._next_id)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def wait_for(self, wanted):
        while True:
            while b"\0" not in self._pending:
                chunk = self._in.read1(1 << 16)
                if not chunk:
                    raise RuntimeError("Chromium closed its pipe")
                self._pending += chunk
            text, self._pending = self._pending.split(b"\0", 1)
            message = json.loads(text)
            if wanted(message):
                return message
            self.events.append(message)

    def load(self, url, width):
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}, self.session)
        self.events.clear()
        self.send("Page.navigate", {"url": url}, self.session)
        self.wait_for(lambda m: m.get("method") == "Page.loadEventFired")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, self.session)
        return result["result"]["value"]

    def complaints(self):
        """What the page wrote to the console, threw, or had refused."""
        said = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                said.append(params["entry"]["text"])
            elif method == "Runtime.consoleAPICalled":
                said.append("console." + params["type"])
            elif method == "Runtime.exceptionThrown":
                said.append(params["exceptionDetails"].get("text", "exception"))
        return said

    def screenshot(self, path, width):
        height = self.evaluate("document.documentElement.scrollHeight")
        shot = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                    "clip": {"x": 0, "y": 0, "width": width, "height": height,
                                                             "scale": 1}}, self.session)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self):
        try:
            self.send("Browser.close")
        except RuntimeError:
            pass
        self._process.wait(timeout=30)


def expected_failing(flow):
    drawn = {row["frame"] for row in flow["timeline"]}
    evidence = {frame for finding in flow["findings"] if finding["severity"] != "info" for frame in finding["frames"]}
    failing = evidence & drawn
    for step in flow["steps"]:
        if step["status"] == "fail" and step["frames"] and not evidence & set(step["frames"]):
            failing |= {step["frames"][-1]} & drawn
    return failing


def problems_of(facts, report):
    problems = []
    flows = report["flows"]
    if facts["ladders"] != len(flows):
        problems.append(f"{facts['ladders']} ladder diagrams for {len(flows)} flows")
    drawn = {flow["id"]: flow for flow in facts["flows"]}
    for flow in flows:
        page = drawn.get(f"flow-{flow['id']}")
        if page is None:
            problems.append(f"no section for flow {flow['id']}")
            continue
        if page["ladders"] != 1 or not page["titled"]:
            problems.append(f"flow {flow['id']}: {page['ladders']} diagrams, title and description: {page['titled']}")
        if page["arrows"] != len(flow["timeline"]):
            problems.append(f"flow {flow['id']}: {page['arrows']} arrows for {len(flow['timeline'])} timeline rows")
        if set(page["failing"]) != expected_failing(flow):
            problems.append(f"flow {flow['id']}: arrows marked failing {sorted(page['failing'])}, "
                            f"expected {sorted(expected_failing(flow))}")
    return problems


def corpus(pcaps):
    for expected in sorted(pcaps.glob("*/*.expected.json")):
        verdict = json.loads(expected.read_text())
        if verdict.get("exit_status") == 2:
            continue
        name = expected.name[: -len(".expected.json")]
        captures = [p for p in (expected.with_name(name + ".pcap"), expected.with_name(name + ".pcapng")) if p.exists()]
        if captures:
            arguments = [a.replace("@PCAPS@", str(pcaps)) for a in verdict.get("args", [])]
            yield captures[0], arguments


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    trustcap, pcaps, output = sys.argv[1], pathlib.Path(sys.argv[2]).resolve(), pathlib.Path(sys.argv[3]).resolve()
    executable = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
                       if shutil.which(name)), None)
    if executable is None:
        print("SKIP: Chromium is not installed (apt-get install chromium)")
        return 77
    output.mkdir(parents=True, exist_ok=True)
    failures = 0
    pages = 0
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(executable, profile)
        try:
            for capture, arguments in corpus(pcaps):
                relative = str(capture.relative_to(pcaps))
                name = relative.replace("/", "-").rsplit(".", 1)[0]
                page = output / (name + ".html")
                with open(page, "wb") as html:
                    run = subprocess.run([trustcap, "--format", "html", *arguments, str(capture)], stdout=html,
                                         stderr=subprocess.PIPE)
                report = subprocess.run([trustcap, "--format", "json", *arguments, str(capture)],
                                        capture_output=True)
                if run.returncode > 1 or report.returncode > 1:
                    print(f"FAIL {relative}: trustcap exited {run.returncode}: {run.stderr.decode().strip()}")
                    failures += 1
                    continue
                browser.load(page.as_uri(), PHONE_WIDTH)
                facts = json.loads(browser.evaluate(PAGE_FACTS))
                problems = problems_of(facts, json.loads(report.stdout))
                problems += [f"the console says: {text}" for text in browser.complaints()]
                if facts["overflow"] > 0:
                    problems.append(f"the page is {facts['overflow']} px wider than a {PHONE_WIDTH} px screen")
                if relative in SCREENSHOTS:
                    browser.screenshot(output / f"{name}-{PHONE_WIDTH}.png", PHONE_WIDTH)
                    browser.load(page.as_uri(), LAPTOP_WIDTH)
                    browser.screenshot(output / f"{name}-{LAPTOP_WIDTH}.png", LAPTOP_WIDTH)
                pages += 1
                if problems:
                    failures += 1
                    print(f"FAIL {relative}:\n  " + "\n  ".join(problems))
        finally:
            browser.close()
    print(f"{pages} pages rendered, {failures} failed; pages and screenshots in {output}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
