"""Odoo's test browser (odoo.tests.common.ChromeBrowser: headless Chromium over the DevTools
protocol) driven as a technician's phone that loses its network.

Offline is the browser's own network emulation (``Network.emulateNetworkConditions``) on the
page and on every service worker the page runs (attached with ``Target.setAutoAttach``),
and every request the page still makes fails as without network (``Fetch.failRequest``
``InternetDisconnected``: the emulation reaches a reloaded page a moment late). Taps are
touches (``Input.dispatchTouchEvent``), a photo is a file given to the page's file input
(``DOM.setFileInputFiles``), a signature is drawn with a finger."""
import json
import time
from concurrent.futures import Future

from odoo.tests.common import HOST, ChromeBrowser

OFFLINE = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
ONLINE = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


class PhoneBrowser(ChromeBrowser):

    def __init__(self, test_case, **kwargs):
        super().__init__(test_case, **kwargs)
        self.offline = False
        self.workers = []  # DevTools sessions of the page's service workers
        self._handlers["Target.attachedToTarget"] = self._on_attached
        # the technician answers OK to what the page asks (sign out with operations waiting)
        self._handlers["Page.javascriptDialogOpening"] = lambda **kw: self._websocket_send(
            "Page.handleJavaScriptDialog", params={"accept": True})
        self._websocket_request("Network.enable")
        self._websocket_request("Target.setAutoAttach", params={
            "autoAttach": True, "waitForDebuggerOnStart": False, "flatten": True})

    def _on_attached(self, sessionId, targetInfo, **kw):
        if targetInfo.get("type") == "service_worker":
            self.workers.append(sessionId)
            if self.offline:
                # a worker started while offline is offline too (sent, not awaited: this is
                # the receiving thread)
                self._send_to(sessionId, "Network.emulateNetworkConditions", OFFLINE, wait=False)

    def _send_to(self, session, method, params=None, wait=True):
        """A command to a target attached to the page (a service worker)."""
        request_id = next(self._request_id)
        future = self._responses[request_id] = Future()
        self.ws.send(json.dumps({"id": request_id, "method": method, "params": params or {}, "sessionId": session}))
        return future.result(timeout=10) if wait else None

    def _handle_request_paused(self, **params):
        if not self.offline:
            return super()._handle_request_paused(**params)
        self._websocket_send("Fetch.failRequest", params={
            "requestId": params["requestId"], "errorReason": "InternetDisconnected"})
        return None

    def set_offline(self, offline):
        self.offline = offline
        conditions = OFFLINE if offline else ONLINE
        for session in self.workers:
            self._send_to(session, "Network.enable")
            self._send_to(session, "Network.emulateNetworkConditions", conditions)
        self._websocket_request("Network.emulateNetworkConditions", params=conditions)

    # ------------------------------------------------------------------ the page
    def evaluate(self, expression, timeout=30):
        result = self._websocket_request("Runtime.evaluate", params={
            "expression": expression, "awaitPromise": True, "returnByValue": True}, timeout=timeout)
        if result.get("exceptionDetails"):
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout=30, message=None):
        end = time.time() + timeout
        while time.time() < end:
            try:
                if self.evaluate(f"!!({expression})"):
                    return True
            except (AssertionError, TimeoutError) as error:
                self.test_case._logger.debug("not yet: %s", error)  # a page being reloaded
            time.sleep(0.2)
        self.take_screenshot(prefix="sc_offline_day_")
        raise AssertionError(message or f"never true: {expression}")

    def element_center(self, selector):
        self.wait_for(f"document.querySelector({json.dumps(selector)}) && "
                      f"!document.querySelector({json.dumps(selector)}).disabled", message=f"no {selector}")
        return self.evaluate(f"""(() => {{
            const el = document.querySelector({json.dumps(selector)});
            el.scrollIntoView({{block: "center"}});
            const box = el.getBoundingClientRect();
            return [box.left + box.width / 2, box.top + box.height / 2];
        }})()""")

    def tap(self, selector):
        """One tap of a finger on the element."""
        x, y = self.element_center(selector)
        point = [{"x": x, "y": y}]
        self._websocket_request("Input.dispatchTouchEvent", params={"type": "touchStart", "touchPoints": point})
        self._websocket_request("Input.dispatchTouchEvent", params={"type": "touchEnd", "touchPoints": []})
        time.sleep(0.15)

    def type_text(self, selector, text):
        """Tap the field and type (the phone's keyboard inserts the text)."""
        self.tap(selector)
        found = json.dumps(selector)
        # a tap right after a drawing may be taken for the end of the gesture: the keyboard
        # then goes to the field the finger is on
        self.evaluate(f"document.activeElement === document.querySelector({found}) "
                      f"|| document.querySelector({found}).focus()")
        self._websocket_request("Input.insertText", params={"text": text})
        self.wait_for(f"document.querySelector({found}).value === {json.dumps(text)}", message=f"{text} typed")

    def choose(self, selector, value):
        """Pick an option of a select (the phone's own picker is not the page's)."""
        self.element_center(selector)
        self.evaluate(f"""(() => {{
            const el = document.querySelector({json.dumps(selector)});
            el.value = {json.dumps(str(value))};
            el.dispatchEvent(new Event("change", {{bubbles: true}}));
        }})()""")

    def give_file(self, selector, path):
        """The phone's camera gives the page a picture."""
        self.wait_for(f"document.querySelector({json.dumps(selector)})", message=f"no {selector}")
        node = self._websocket_request("Runtime.evaluate", params={
            "expression": f"document.querySelector({json.dumps(selector)})"})["result"]
        self._websocket_request("DOM.setFileInputFiles", params={"files": [path], "objectId": node["objectId"]})

    def draw(self, selector):
        """A signature: a finger drawn across the element."""
        x, y = self.element_center(selector)
        points = [(x - 120 + i * 12, y + (18 if i % 2 else -18)) for i in range(21)]
        self._websocket_request("Input.dispatchTouchEvent", params={
            "type": "touchStart", "touchPoints": [{"x": points[0][0], "y": points[0][1]}]})
        for px, py in points[1:]:
            self._websocket_request("Input.dispatchTouchEvent", params={
                "type": "touchMove", "touchPoints": [{"x": px, "y": py}]})
        self._websocket_request("Input.dispatchTouchEvent", params={"type": "touchEnd", "touchPoints": []})
        time.sleep(0.3)

    def reload(self):
        self._websocket_request("Page.reload", params={"ignoreCache": False})

    def base_url(self):
        return f"http://{HOST}:{self.test_case.http_port()}"
