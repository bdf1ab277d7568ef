// The upload's own progress (bytes sent), as htmx reports it; shown only while a file is sent.
// Looked up on each event: a form with errors is swapped in anew.
(function () {
  function parts() {
    return [document.getElementById("upload-sending"), document.getElementById("upload-bar")];
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var box = parts()[0], bar = parts()[1];
    if (!box || !bar || event.detail.elt.tagName !== "FORM") return;
    bar.value = 0;
    bar.textContent = "0%";
    box.hidden = false;
  });
  document.body.addEventListener("htmx:xhr:progress", function (event) {
    var bar = parts()[1];
    if (bar && event.detail.lengthComputable) {
      var percent = Math.round((event.detail.loaded / event.detail.total) * 100);
      bar.value = percent;
      bar.textContent = percent + "%";
    }
  });
  document.body.addEventListener("htmx:afterRequest", function () {
    var box = parts()[0];
    if (box) box.hidden = true;
  });
})();
