// The console's one script. Every page works without it; with it, a form's errors take the focus, the link can be
// copied with a button, a batch file goes straight to storage with a progress bar, and a request's or a batch's
// progress updates itself until it is final.
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

  var upload = document.getElementById("upload-form");
  if (upload && window.XMLHttpRequest && window.FormData) {
    upload.addEventListener("submit", function (event) {
      var file = upload.querySelector("input[type=file]").files[0];
      var token = upload.querySelector("input[name=__form]").value;
      var bar = document.getElementById("upload-bar");
      var status = document.getElementById("upload-status");
      event.preventDefault();

      function refuse(text) {
        var error = document.getElementById("file-error");
        error.querySelector(".message").textContent = text;
        error.hidden = false;
        upload.querySelector(".field").classList.add("invalid");
        var input = document.getElementById("file");
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", "file-hint file-error");
        document.getElementById("upload-progress").hidden = true;
        input.focus();
      }

      var limit = Number(upload.getAttribute("data-max-bytes"));
      if (!file) {
        refuse("Choose a CSV file to upload.");
        return;
      }
      if (!/\.csv$/i.test(file.name)) {
        refuse("The file must be a CSV file (ending .csv).");
        return;
      }
      if (file.size > limit) {
        refuse("The file is " + (file.size / 1048576).toFixed(1) + " MB: a batch file can be at most " + (limit / 1048576) + " MB. Split it into smaller files.");
        return;
      }

      var asked = new FormData();
      asked.append("__form", token);
      asked.append("fileName", file.name);
      asked.append("size", String(file.size));
      document.getElementById("upload-progress").hidden = false;
      status.textContent = "Starting the upload";
      fetch(upload.getAttribute("data-upload-url"), { method: "POST", body: asked, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) {
              throw new Error(body.error || "The upload could not start.");
            }
            return body;
          });
        })
        .then(function (started) {
          var put = new XMLHttpRequest();
          put.open("PUT", started.uploadUrl);
          put.setRequestHeader("x-ms-blob-type", "BlockBlob");
          put.setRequestHeader("Content-Type", "text/csv");
          var said = -1;
          put.upload.addEventListener("progress", function (progress) {
            if (progress.lengthComputable) {
              var percent = Math.floor(100 * progress.loaded / progress.total);
              bar.value = percent;
              if (percent >= said + 25 || percent === 100) {
                said = percent;
                status.textContent = percent + "% uploaded";
              }
            }
          });
          put.addEventListener("load", function () {
            if (put.status !== 201) {
              refuse("The file could not be stored (" + put.status + "). Try again.");
              return;
            }
            bar.value = 100;
            status.textContent = "Uploaded: checking the file";
            var done = document.createElement("form");
            done.method = "post";
            done.action = started.uploaded;
            var field = document.createElement("input");
            field.type = "hidden";
            field.name = "__form";
            field.value = token;
            done.appendChild(field);
            document.body.appendChild(done);
            done.submit();
          });
          put.addEventListener("error", function () {
            refuse("The file could not be sent to storage. Check the connection and try again.");
          });
          put.send(file);
        })
        .catch(function (error) {
          refuse(error.message);
        });
    });
  }

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
