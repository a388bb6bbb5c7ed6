// The "Scan" page: reads participants' QR codes with the camera and checks them in.
// Where the browser reads QR codes itself (BarcodeDetector), the code's text is sent;
// elsewhere a frame is sent a few times a second and the server reads it.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var box = document.querySelector(".scanner");
    if (!box) { return; }
    var url = box.getAttribute("data-scan-url");
    var csrf = box.getAttribute("data-csrf");
    var video = document.getElementById("scan-video");
    var answer = document.getElementById("scan-answer");
    var log = document.getElementById("scan-log");
    var start = document.getElementById("scan-start");
    var canvas = document.createElement("canvas");
    var detector = null;
    var busy = false;
    var last = { code: "", at: 0 };
    var shown = { id: null, at: 0 };

    if ("BarcodeDetector" in window) {
      try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
    }

    function send(body) {
      busy = true;
      return fetch(url, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json();
      }).then(function (reply) {
        var now = Date.now();
        var again = reply.application_id && reply.application_id === shown.id && now - shown.at < 5000;
        if (reply.application_id) { shown = { id: reply.application_id, at: now }; }
        // The same card still held up: keep the first answer on screen.
        if (reply.result !== "nothing" && !again) {
          answer.textContent = reply.message;
          answer.setAttribute("data-result", reply.result);
          if (reply.result === "present") {
            var item = document.createElement("li");
            item.textContent = reply.message;
            log.insertBefore(item, log.firstChild);
          }
        }
      }).catch(function () {
        answer.textContent = "Not sent: check the connection; the camera keeps looking.";
      }).then(function () { busy = false; });
    }

    function codeFromBrowser() {
      return detector.detect(video).then(function (found) {
        if (!found.length) { return; }
        var code = found[0].rawValue;
        var now = Date.now();
        if (code === last.code && now - last.at < 5000) { return; }  // the same card, still held up
        last = { code: code, at: now };
        var body = new FormData();
        body.append("code", code);
        return send(body);
      });
    }

    function frameToServer() {
      var width = video.videoWidth, height = video.videoHeight;
      if (!width || !height) { return Promise.resolve(); }
      var scale = Math.min(1, 800 / Math.max(width, height));
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob) { resolve(); return; }
          var body = new FormData();
          body.append("frame", blob, "frame.jpg");
          send(body).then(resolve);
        }, "image/jpeg", 0.8);
      });
    }

    function tick() {
      if (!busy && video.readyState >= 2) {
        (detector ? codeFromBrowser() : frameToServer()).catch(function () {});
      }
      window.setTimeout(tick, detector ? 250 : 700);
    }

    start.addEventListener("click", function () {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        answer.textContent = "This browser cannot use the camera: mark people on the list instead.";
        return;
      }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (stream) {
          video.srcObject = stream;
          return video.play();
        }).then(function () {
          start.parentNode.hidden = true;
          answer.textContent = "Looking for a QR code…";
          tick();
        }).catch(function () {
          answer.textContent = "The camera could not be opened: allow it in the browser, or mark people on the list.";
        });
    });
  });
})();
