// The console's one script. Every page works without it; with it, a form's errors take the focus, the link can be
// copied with a button, and a request's or a batch's progress updates itself until it is final.
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  var live = document.getElementById("live");
  function say(text) {
    if (live) {
      live.textContent = text;
    }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        say("Link copied");
      }, function () {
        input.select();
        say("Select the link and copy it");
      });
    });
  });

  function poll() {
    var current = document.getElementById("progress");
    if (!current || current.getAttribute("data-final") === "true") {
      return;
    }
    fetch(current.getAttribute("data-progress"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("progress");
        if (!next) {
          return;
        }
        var changed = next.textContent !== current.textContent;
        current.replaceWith(document.importNode(next, true));
        if (changed) {
          var words = next.querySelector(".status-line");
          say(words ? words.textContent.replace(/\s+/g, " ").trim() : "");
        }
        setTimeout(poll, 2000);
      })
      .catch(function () {
        setTimeout(poll, 10000);
      });
  }

  setTimeout(poll, 2000);
})();
