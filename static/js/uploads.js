// Upload progress (DESIGN §3.11): a form marked data-upload-progress sends its files with XMLHttpRequest
// and shows how much has gone; the server's answer then replaces the page as a plain submission's would.
// Small uploads, and browsers without JavaScript, post the form as usual.
(function () {
  "use strict";
  var LARGE = 2 * 1024 * 1024; // below this in all, the plain submission is quick enough

  function totalSize(form) {
    var sum = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { sum += file.size; });
    });
    return sum;
  }

  function megabytes(bytes) { return (bytes / 1024 / 1024).toFixed(1) + " MB"; }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-upload-progress]") || !window.XMLHttpRequest) return;
    var size = totalSize(form);
    if (size < LARGE) return;
    event.preventDefault();
    var bar = form.querySelector("progress.upload-progress");
    var label = form.querySelector(".upload-progress-label");
    if (bar) { bar.hidden = false; bar.max = size; bar.value = 0; }
    form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (e) {
      if (bar) bar.value = e.loaded;
      if (label) label.textContent = "正在上传 " + megabytes(e.loaded) + " / " + megabytes(size) + "，请勿关闭页面";
    });
    request.addEventListener("load", function () {
      // The answer is the page the plain submission would show (its messages, or the form with its
      // errors): shown as it came, at its address, so that nothing it says is read twice or lost.
      if (request.responseURL) window.history.replaceState(null, "", request.responseURL);
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      if (label) label.textContent = "上传中断，请检查网络后重试。";
      form.querySelectorAll("button").forEach(function (button) { button.disabled = false; });
    });
    request.send(new FormData(form));
  });

  // The checklist item is chosen only for a document of kind "other" (the other kinds answer their own).
  function showOtherOnly(form) {
    var kind = form.querySelector("select[name=kind]");
    form.querySelectorAll("[data-other-only]").forEach(function (field) {
      field.hidden = !kind || kind.value !== "other";
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[name=kind]") && event.target.form) {
      showOtherOnly(event.target.form);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-upload-progress]").forEach(showOtherOnly);
  });
})();
