"""What a person sees in JupyterLab, measured in a real browser (the driver of the
browser test in experiments/commands/reproduce_test.ts, which makes the assertions).

Starts a private JupyterLab server (its own token, port, settings and
workspace), opens each notebook in Debian's Chromium through Playwright at a
1400x1000 window, and prints one JSON object on stdout: per notebook, every
Vega-Lite output as rendered (data marks, width against the output area),
error outputs, and whether opening it marked the notebook modified. With
--live, it also runs all cells of one notebook and samples its live loss chart
while the Train cell runs. Screenshots of every notebook go to --shots.

    python jupyterlab_check.py --chromium /usr/bin/chromium --root / --shots DIR \
        /abs/a.ipynb /abs/b.ipynb [--live /abs/live.ipynb]
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from playwright.sync_api import sync_playwright

# Data marks of every Vega view in a node: Vega's SVG renderer puts each data mark
# in a group with class "role-mark" (axes, legends and titles have their own
# roles). The signature grows with points: marks plus the length of path data.
MARKS_JS = """
(root) => Array.from(root.querySelectorAll('.vega-embed')).map((embed) => {
  const svg = embed.querySelector('svg');
  const items = svg ? Array.from(svg.querySelectorAll('g.role-mark > *')) : [];
  const pathData = items.reduce((n, el) => n + (el.getAttribute('d') || '').length, 0);
  const area = embed.closest('.jp-OutputArea-output');
  const title = svg ? Array.from(svg.querySelectorAll('.role-title-text text, g.role-title text')).map((t) => t.textContent).join(' ') : '';
  return {
    title,
    renderer: svg ? 'svg' : (embed.querySelector('canvas') ? 'canvas' : 'none'),
    marks: items.length,
    signature: items.length + pathData,
    width: svg ? svg.getBoundingClientRect().width : 0,
    areaWidth: area ? area.clientWidth : 0,
  };
})
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(root, work):
    port, token = free_port(), "deeper-check"
    # Settings overrides (in this private environment's app folder): windowing off, so every cell is
    # rendered and every chart can be measured; no news or update popups.
    app_settings = os.path.join(sys.prefix, "share", "jupyter", "lab", "settings")
    os.makedirs(app_settings, exist_ok=True)
    with open(os.path.join(app_settings, "overrides.json"), "w") as f:
        json.dump({
            "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
            "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
        }, f)
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=os.path.join(work, "user-settings"),
               JUPYTERLAB_WORKSPACES_DIR=os.path.join(work, "workspaces"))
    log = open(os.path.join(work, "lab.log"), "w")
    proc = subprocess.Popen([
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--ContentsManager.allow_hidden=True", "--allow-root", "--LabApp.expose_app_in_browser=True", f"--LabApp.user_settings_dir={env['JUPYTERLAB_SETTINGS_DIR']}",
        f"--LabApp.workspaces_dir={env['JUPYTERLAB_WORKSPACES_DIR']}",
    ], stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            return proc, url, token
        except Exception:
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"JupyterLab did not start; its log: {open(os.path.join(work, 'lab.log')).read()[-2000:]}")


PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def open_notebook(page, url, token, path):
    # `reset`: a fresh workspace each time, so only this notebook is open.
    page.goto(f"{url}/lab/tree/{path.lstrip('/')}?reset&token={token}")
    page.wait_for_selector(f"{PANEL} .jp-Cell", state="attached", timeout=60_000)
    # JupyterLab may ask which kernel to start (a fresh workspace has no session yet): the notebook's own, Deno.
    try:
        page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click(timeout=5_000)
    except Exception:
        pass  # no dialog


def wait_rendered(page, expected, timeout=60):
    """Waits until `expected` Vega embeds hold a drawing (or the time is up)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        done = page.evaluate(f"() => document.querySelectorAll('{PANEL} .vega-embed svg, {PANEL} .vega-embed canvas').length")
        if done >= expected:
            return
        time.sleep(0.25)


def check_static(page, url, token, path, expected, shots):
    open_notebook(page, url, token, path)
    wait_rendered(page, expected)
    time.sleep(1.0)  # let JupyterLab finish what rendering triggers (an added PNG would dirty the model here)
    panel = page.locator(PANEL).first
    charts = panel.evaluate(MARKS_JS)
    errors = panel.evaluate("""(root) => Array.from(root.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]'
      )).map((e) => e.textContent.slice(0, 300))""")
    dirty = page.evaluate("() => !!document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')")
    page.screenshot(path=os.path.join(shots, os.path.basename(path) + ".png"), full_page=True)
    return {"path": path, "charts": charts, "errors": errors, "dirty": dirty}


def check_live(page, url, token, path, shots, timeout=float(os.environ.get("DEEPER_LIVE_TIMEOUT", "420"))):
    """Runs all cells and samples the first 'Training loss' chart until the Train cell is done."""
    open_notebook(page, url, token, path)
    # Run > Run All Cells, through JupyterLab's command registry (exposed by --LabApp.expose_app_in_browser);
    # it waits for the kernel itself.
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.isEnabled('notebook:run-all-cells')",
                           timeout=60_000)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")  # not awaited: it resolves when all ran
    samples = []
    deadline = time.time() + timeout
    panel = page.locator(PANEL).first
    while time.time() < deadline:
        state = panel.evaluate("""(root) => {
          const cells = Array.from(root.querySelectorAll('.jp-CodeCell'));
          const train = cells.find((c) => (c.querySelector('.jp-InputArea-editor')?.textContent || '').includes('runLive('));
          if (!train) return { found: false };
          const prompt = train.querySelector('.jp-InputPrompt')?.textContent || '';
          const embeds = Array.from(train.querySelectorAll('.vega-embed'));
          const loss = embeds.find((e) => (e.querySelector('svg')?.textContent || '').includes('Training loss'));
          const items = loss ? Array.from(loss.querySelectorAll('g.role-mark > *')) : [];
          return {
            found: true,
            running: prompt.includes('*'),
            finished: /\\[\\d+\\]/.test(prompt),
            signature: items.length + items.reduce((n, el) => n + (el.getAttribute('d') || '').length, 0),
            progress: (train.querySelector('.jp-RenderedMarkdown')?.textContent || '').slice(0, 200),
          };
        }""")
        samples.append({"t": round(time.time(), 2), **state})
        print(json.dumps(samples[-1]), file=sys.stderr, flush=True)
        if state.get("finished"):
            break
        time.sleep(0.5)
    errors = panel.evaluate("""(root) => Array.from(root.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')).map((e) => e.textContent.slice(0, 300))""")
    page.screenshot(path=os.path.join(shots, "live-" + os.path.basename(path) + ".png"), full_page=True)
    return {"path": path, "samples": samples, "errors": errors}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chromium", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--shots", required=True)
    ap.add_argument("--live")
    ap.add_argument("--expect", action="append", default=[], help="PATH=N: N Vega-Lite outputs in PATH")
    args = ap.parse_args()
    expected = dict((p, int(n)) for p, n in (e.rsplit("=", 1) for e in args.expect))
    work = tempfile.mkdtemp(prefix="deeper-lab-")
    proc, url, token = start_lab(args.root, work)
    out = {"notebooks": [], "live": None}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for path, n in expected.items():
                out["notebooks"].append(check_static(page, url, token, path, n, args.shots))
            if args.live:
                out["live"] = check_live(page, url, token, args.live, args.shots)
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
