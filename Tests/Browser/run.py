#!/usr/bin/env python3
"""The sandbox's inbox page in a real browser (Debian's chromium, headless, through Selenium and
chromium-driver): the worker delivers fixture jobs to a real `mailroom sandbox`, and the checks
below drive the page as a person would. Closes with "browser: N passed, N failed" and exits
non-zero when any check failed.

    python3 Tests/Browser/run.py --binary .build/debug/mailroom [--screenshots docs/screenshots]
"""

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import traceback

from harness import Failure, Mailroom, Outputs, Sandbox, attachment_bytes, fake_key, wait_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JOBS = ["booking-confirmed.json", "password-reset.json", "template-welcome.json", "with-attachment.json"]

# A mail whose HTML tries everything a hostile template could: a script that would mark the frame and
# the page, a form, and a remote image (on loopback port 9, which nothing serves).
HOSTILE_JOB = {
    "to": [{"email": "qa@example.com", "name": "QA"}],
    "subject": "Hostile HTML",
    "text": "The HTML part of this mail tries to run a script.",
    "html": "<h1 id=\"headline\">Hostile HTML</h1><p>Nothing below may run.</p>"
    "<script>document.body.setAttribute('data-script-ran','yes');"
    "try{parent.document.body.setAttribute('data-script-ran','yes')}catch(e){}</script>"
    "<form action=\"/messages\" method=\"post\"><button>Submit</button></form>"
    "<img src=\"http://127.0.0.1:9/pixel.png\" alt=\"\">",
    "categories": ["qa"],
}


def make_driver(downloads):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,900",
                 "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps", "--force-device-scale-factor=1", "--lang=en-US",
                 # Every name but the loopback address fails to resolve: the page cannot reach off this machine.
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "download.default_directory": downloads, "download.prompt_for_download": False, "safebrowsing.enabled": False})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    driver.set_page_load_timeout(30)
    return driver


class Suite:
    def __init__(self, binary, screenshots):
        self.key = fake_key()
        self.token = "browser-suite-" + fake_key()[3:19]
        self.outputs = Outputs([self.key, self.token])
        self.mailroom = Mailroom(binary, self.outputs)
        self.screenshots = screenshots
        self.downloads = tempfile.mkdtemp(prefix="mailroom-downloads-")
        self.sandbox = None
        self.driver = None
        self.ids = {}

    # MARK: set-up

    def start(self):
        self.sandbox = Sandbox(self.mailroom, self.token)
        with open(os.path.join(ROOT, "fixtures/integrations/create-request.json"), encoding="utf-8") as handle:
            request = json.load(handle)
        request["data"]["api_key"] = self.key
        self.mailroom.run("integrations", "add", self.mailroom.write("integration.json", request))
        self.job_paths = {name: os.path.join(ROOT, "fixtures/jobs", name) for name in JOBS}
        self.job_paths["hostile.json"] = self.mailroom.write("hostile.json", HOSTILE_JOB)
        for name, path in self.job_paths.items():
            # One at a time, so the list order is known: the worker delivers in claim order.
            job = self.mailroom.run("enqueue", path).strip()
            self.mailroom.run("run", "--drain", "--api-url", self.sandbox.url)
            self.ids[name] = next(m["id"] for m in self.sandbox.messages() if m["request"]["custom_args"]["mailroom_job"] == job)
        self.driver = make_driver(self.downloads)

    def stop(self):
        if self.driver:
            try:
                for entry in self.driver.get_log("browser"):
                    self.outputs.add("browser console", json.dumps(entry))
            except Exception:  # noqa: BLE001 - not every driver keeps a console log
                pass
            self.driver.quit()
        if self.sandbox:
            self.sandbox.stop()
        shutil.rmtree(self.downloads, ignore_errors=True)
        shutil.rmtree(self.mailroom.home, ignore_errors=True)

    # MARK: helpers

    def page(self):
        self.outputs.add("page source", self.driver.page_source)
        return self.driver

    def rows(self):
        from selenium.webdriver.common.by import By
        return [row.get_attribute("data-id") for row in self.driver.find_elements(By.CSS_SELECTOR, "#rows tr")]

    def open_inbox(self):
        # A full load (not a fragment change), so no search or page is left over from an earlier check.
        self.driver.get(self.sandbox.url + "/")
        wait_for(lambda: len(self.rows()) > 0 or self.driver.find_element("id", "empty").is_displayed(), "the list")

    def open_message(self, name):
        self.driver.get("about:blank")  # so the next load is a full one, not a fragment change
        self.driver.get(self.sandbox.url + "/#/m/" + self.ids[name])
        wait_for(lambda: self.driver.find_element("id", "message").find_elements("tag name", "section"), "the message view")

    def shoot(self, name):
        if self.screenshots:
            os.makedirs(self.screenshots, exist_ok=True)
            self.driver.save_screenshot(os.path.join(self.screenshots, name))

    # MARK: checks, in order (each leaves the page usable for the next)

    def check_the_page_and_control_routes_need_the_token(self):
        status, _, _ = self.sandbox.request("GET", "/messages", token=False)
        assert status == 401, f"GET /messages without the token answered {status}"
        self.driver.get(self.sandbox.url + "/")
        field = wait_for(lambda: self.driver.find_element("id", "token"), "the sign-in form")
        field.send_keys("not-the-token")
        field.submit()
        wait_for(lambda: "not this sandbox's token" in self.driver.page_source, "the wrong-token message")
        field = self.driver.find_element("id", "token")
        field.send_keys(self.token)
        field.submit()
        wait_for(lambda: len(self.rows()) == len(self.job_paths), "the inbox after signing in")
        assert self.token not in self.page().page_source

    def check_the_list_shows_every_delivered_job_newest_first(self):
        from selenium.webdriver.common.by import By
        self.open_inbox()
        expected = [self.ids[name] for name in reversed(list(self.job_paths))]
        assert self.rows() == expected, f"rows {self.rows()} are not newest first {expected}"
        text = self.page().find_element(By.ID, "rows").text
        fingerprint = hashlib.sha256(self.key.encode()).hexdigest()[:12]
        for needle in ["Your meeting room booking is confirmed", "template d-0123456789abcdef0123456789abcdef", "+1 bcc", "booking",
                       "sandbox mode", fingerprint]:
            assert needle in text, f"the list does not show {needle!r}: {text}"
        assert "SG." not in text
        self.shoot("inbox.png")

    def check_search_narrows_the_list(self):
        self.open_inbox()
        search = self.driver.find_element("id", "q")
        search.send_keys("finance")
        wait_for(lambda: self.rows() == [self.ids["with-attachment.json"]], "the search for finance")
        search.clear()
        search.send_keys("booking confirmed")
        wait_for(lambda: self.rows() == [self.ids["booking-confirmed.json"]], "the search for booking confirmed")
        search.clear()
        search.send_keys("nobody-at-all")
        wait_for(lambda: self.rows() == [] and self.driver.find_element("id", "empty").is_displayed(), "an empty search")

    def check_the_html_part_renders_in_a_sandboxed_frame_and_its_script_does_not_run(self):
        from selenium.webdriver.common.by import By
        self.open_message("hostile.json")
        frame = wait_for(lambda: self.driver.find_element(By.CSS_SELECTOR, "#message iframe"), "the HTML frame")
        assert frame.get_attribute("sandbox") == "", "the frame is not sandboxed"
        time.sleep(0.5)  # give a script every chance to run
        self.driver.switch_to.frame(frame)
        try:
            headline = wait_for(lambda: self.driver.find_element(By.ID, "headline"), "the mail's HTML in the frame")
            assert headline.text == "Hostile HTML"
            assert self.driver.find_element(By.TAG_NAME, "body").get_attribute("data-script-ran") is None, "the mail's script ran"
        finally:
            self.driver.switch_to.default_content()
        assert self.driver.find_element(By.TAG_NAME, "body").get_attribute("data-script-ran") is None, "the script reached the page"
        status, headers, _ = self.sandbox.request("GET", f"/messages/{self.ids['hostile.json']}/html")
        policy = {k.lower(): v for k, v in headers.items()}.get("content-security-policy", "")
        assert status == 200 and policy.startswith("sandbox"), f"the HTML route answered {status} with policy {policy!r}"
        text = self.driver.find_element(By.CSS_SELECTOR, "pre.text-part").text
        assert text == HOSTILE_JOB["text"], text

    def check_a_message_shows_its_parts_and_fields(self):
        from selenium.webdriver.common.by import By
        self.open_message("template-welcome.json")
        body = self.page().find_element(By.ID, "message").text
        for needle in ["d-0123456789abcdef0123456789abcdef", "Enspace Paulista", "audit@example.com", "mailroom_job", "Raw request JSON"]:
            assert needle in body, f"the template message does not show {needle!r}"
        self.open_message("password-reset.json")
        body = self.driver.find_element(By.ID, "message").text
        assert "X-Entity-Ref-ID" in body and "reset-abc123" in body, "the headers are not shown"
        self.open_message("booking-confirmed.json")
        frame = wait_for(lambda: self.driver.find_element(By.CSS_SELECTOR, "#message iframe"), "the HTML frame")
        self.driver.switch_to.frame(frame)
        wait_for(lambda: "Sala Ipê" in self.driver.find_element(By.TAG_NAME, "body").text, "the booking mail's HTML")
        self.driver.switch_to.default_content()
        self.shoot("message.png")

    def check_an_attachment_downloads_with_its_bytes(self):
        from selenium.webdriver.common.by import By
        self.open_message("with-attachment.json")
        link = self.driver.find_element(By.CSS_SELECTOR, "ul.attachments a")
        assert link.text == "invoice-2026-11.pdf"
        link.click()
        path = os.path.join(self.downloads, "invoice-2026-11.pdf")
        wait_for(lambda: os.path.exists(path) and not os.path.exists(path + ".crdownload"), "the download")
        with open(path, "rb") as handle:
            assert handle.read() == attachment_bytes(self.job_paths["with-attachment.json"]), "the download's bytes differ"
        status, headers, _ = self.sandbox.request("GET", f"/messages/{self.ids['with-attachment.json']}/attachments/0")
        lowered = {k.lower(): v for k, v in headers.items()}
        assert lowered.get("content-disposition", "").startswith("attachment;"), lowered
        assert lowered.get("content-type") == "application/pdf", lowered

    def check_new_messages_appear_without_a_reload(self):
        self.open_inbox()
        self.driver.execute_script("window.__sameDocument = true;")
        before = self.rows()
        self.sandbox.send(self.key, {
            "personalizations": [{"to": [{"email": "live@example.com"}]}], "from": {"email": "notifications@example.com"},
            "subject": "Arrived while you watched", "content": [{"type": "text/plain", "value": "Hello"}]})
        wait_for(lambda: len(self.rows()) == len(before) + 1, "the new message in the list", timeout=10)
        assert self.driver.execute_script("return window.__sameDocument === true;"), "the page reloaded"
        assert "Arrived while you watched" in self.driver.find_element("id", "rows").text

    def check_the_keyboard_reaches_search_and_messages(self):
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys
        self.open_inbox()
        ActionChains(self.driver).send_keys("/").perform()
        assert self.driver.switch_to.active_element.get_attribute("id") == "q", "/ does not focus the search"
        ActionChains(self.driver).send_keys(Keys.ESCAPE).send_keys("j").perform()
        focused = self.driver.switch_to.active_element
        assert focused.tag_name == "a" and focused.get_attribute("href").endswith("#/m/" + self.rows()[0]), "j does not reach the first message"
        ActionChains(self.driver).send_keys(Keys.ENTER).perform()
        wait_for(lambda: self.driver.find_element("id", "message-view").is_displayed(), "the message opened with Enter")
        ActionChains(self.driver).send_keys(Keys.ESCAPE).perform()
        wait_for(lambda: self.driver.find_element("id", "list-view").is_displayed(), "the list again after Esc")
        for field in self.driver.find_elements("css selector", "input"):
            label = self.driver.find_elements("css selector", f"label[for='{field.get_attribute('id')}']")
            assert label, f"input {field.get_attribute('id')} has no label"

    def check_the_side_panel_shows_stats_and_the_fault_plan(self):
        self.open_inbox()
        status, _, _ = self.sandbox.request("POST", "/faults", json.dumps({"latency_ms": 1}).encode())
        assert status == 200
        wait_for(lambda: '"latency_ms": 1' in self.driver.find_element("id", "faults").text, "the fault plan in the panel")
        total = json.loads(self.sandbox.request("GET", "/stats")[2])["total"]
        wait_for(lambda: f"total\n{total}" in self.driver.find_element("id", "stats").text or f"total {total}" in self.driver.find_element("id", "stats").text,
                 "the request total in the panel")
        self.sandbox.request("DELETE", "/faults")

    def check_the_page_requests_nothing_off_its_origin(self):
        self.open_inbox()
        self.open_message("hostile.json")
        time.sleep(0.3)
        names = self.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name);")
        strangers = [name for name in names if not name.startswith(self.sandbox.url + "/")]
        assert not strangers, f"the page requested {strangers}"

    def check_paging_walks_older_and_newer(self):
        from selenium.webdriver.common.by import By
        for index in range(26):
            self.sandbox.send(self.key, {
                "personalizations": [{"to": [{"email": f"bulk{index}@example.com"}]}], "from": {"email": "notifications@example.com"},
                "subject": f"Bulk {index}", "content": [{"type": "text/plain", "value": "Hello"}]})
        total = len(self.sandbox.messages())
        self.open_inbox()
        wait_for(lambda: len(self.rows()) == 25, "a full first page")
        first = self.rows()
        assert self.driver.find_element(By.ID, "newer").get_attribute("disabled") is not None
        self.driver.find_element(By.ID, "older").click()
        wait_for(lambda: len(self.rows()) == total - 25 and self.rows()[0] not in first, "the second page")
        assert "Page 2" in self.driver.find_element(By.ID, "page-label").text
        assert self.driver.find_element(By.ID, "older").get_attribute("disabled") is not None, "a last page offers no older one"
        self.driver.find_element(By.ID, "newer").click()
        wait_for(lambda: self.rows() == first, "the first page again")

    def check_delete_removes_one_message_then_all(self):
        self.open_message("password-reset.json")
        self.driver.find_element("id", "delete-one").click()
        wait_for(lambda: self.driver.find_element("id", "list-view").is_displayed() and self.rows() and self.ids["password-reset.json"] not in self.rows(),
                 "the list without the deleted message")
        assert self.sandbox.request("GET", "/messages/" + self.ids["password-reset.json"])[0] == 404
        self.driver.find_element("id", "delete-all").click()
        self.driver.switch_to.alert.accept()
        wait_for(lambda: self.rows() == [] and self.driver.find_element("id", "empty").is_displayed(), "the empty inbox")
        assert self.sandbox.messages() == []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/mailroom"))
    parser.add_argument("--screenshots", help="folder for inbox.png and message.png (default: none written)")
    arguments = parser.parse_args()
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never try to download a driver
    suite = Suite(arguments.binary, arguments.screenshots)
    passed, failed = 0, 0
    started = time.monotonic()
    try:
        suite.start()
        checks = [name for name in Suite.__dict__ if name.startswith("check_")]
        for name in checks:
            began = time.monotonic()
            try:
                getattr(suite, name)()
                passed += 1
                print(f"✔ {name[6:]} ({time.monotonic() - began:.1f} s)", flush=True)
            except Exception:  # noqa: BLE001 - report every failure, then go on
                failed += 1
                print(f"✘ {name[6:]}\n{traceback.format_exc()}", flush=True)
    except Exception:  # noqa: BLE001 - a set-up failure fails the suite
        failed += 1
        print(f"✘ set-up\n{traceback.format_exc()}", flush=True)
    finally:
        suite.stop()
    leaks = suite.outputs.leaks()
    if leaks:
        failed += 1
        print(f"✘ secrets: {leaks}", flush=True)
    else:
        passed += 1
        print(f"✔ no key or token in {len(suite.outputs.texts)} captured outputs", flush=True)
    print(f"({time.monotonic() - started:.1f} s)")
    print(f"browser: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
