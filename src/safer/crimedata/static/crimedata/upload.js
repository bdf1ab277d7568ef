// The upload's own progress, as htmx reports it; the bar is hidden until an upload starts.
(function () {
  var bar = document.getElementById("upload-bar");
  var box = document.getElementById("upload-progress");
  if (!bar || !box) return;
  box.hidden = true;
  document.body.addEventListener("htmx:beforeRequest", function () {
    bar.value = 0;
    bar.textContent = "0%";
    box.hidden = false;
  });
  document.body.addEventListener("htmx:xhr:progress", function (event) {
    if (event.detail.lengthComputable) {
      var percent = Math.round((event.detail.loaded / event.detail.total) * 100);
      bar.value = percent;
      bar.textContent = percent + "%";
    }
  });
  document.body.addEventListener("htmx:afterRequest", function () {
    box.hidden = true;
  });
})();
