/* rexvet portal: a progress bar for evidence uploads, as progressive enhancement only.
   Without this script the form posts as usual and the page that comes back says how it went.
   With it: a file over the limit is refused before a byte is sent, and a bar shows how far the upload is. */
(function () {
  "use strict";
  function sayBesideFile(form, input, message) {
    var id = input.id + "-error";
    var error = document.getElementById(id);
    if (!error) {
      error = document.createElement("p");
      error.className = "error";
      error.id = id;
      input.parentNode.insertBefore(error, input);
      input.setAttribute("aria-describedby", (input.getAttribute("aria-describedby") || "") + " " + id);
    }
    error.textContent = message;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
  document.querySelectorAll("form.upload").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]");
      var file = input && input.files && input.files[0];
      var max = parseInt(form.getAttribute("data-max-bytes"), 10);
      if (file && max && file.size > max) {
        event.preventDefault();
        sayBesideFile(form, input, form.getAttribute("data-too-large"));
        return;
      }
      if (!file || !window.XMLHttpRequest || !window.FormData) { return; }  // the plain post does it
      event.preventDefault();
      var box = form.querySelector(".upload-progress");
      var bar = box.querySelector("progress");
      var button = form.querySelector("button[type=submit]");
      box.hidden = false;
      button.disabled = true;
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) { bar.value = Math.round((progress.loaded / progress.total) * 100); }
      });
      request.addEventListener("load", function () {
        if (request.status < 400 && request.responseURL) { window.location.assign(request.responseURL); return; }
        document.open();
        document.write(request.responseText);  // the portal's own page, with the errors beside their fields
        document.close();
      });
      request.addEventListener("error", function () { form.submit(); });  // let the browser try and report
      request.send(new FormData(form));
    });
  });
})();
