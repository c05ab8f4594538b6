"""Screenshot pages of a running app in Debian's Chromium (development aid, not a test).

    streamlit run app.py --server.port 8600 &
    python scripts/screenshot.py http://localhost:8600/overview /tmp/overview.png

Needs `apt-get install chromium fonts-noto-cjk` and `pip install playwright` (no browser
download: it drives /usr/bin/chromium).
"""

from __future__ import annotations

import argparse

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="+", help="URL PNG [URL PNG ...]")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--wait", type=float, default=6.0, help="seconds to let the page draw")
    parser.add_argument("--full-page", action="store_true")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        parser.error("give URL and PNG path in pairs")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        for url, path in zip(args.pairs[::2], args.pairs[1::2], strict=True):
            page.goto(url, wait_until="networkidle")
            page.wait_for_timeout(args.wait * 1000)
            page.screenshot(path=path, full_page=args.full_page)
            print(f"{url} -> {path}")
        browser.close()


if __name__ == "__main__":
    main()
