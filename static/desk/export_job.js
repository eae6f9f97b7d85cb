// Polls an export job's progress until its file is ready, then shows the download link.
(function () {
  var box = document.getElementById("export-job");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        document.getElementById("export-status").textContent = job.status_label;
        document.getElementById("export-done").textContent = job.done;
        document.getElementById("export-total").textContent = job.total;
        document.getElementById("export-percent").textContent = job.percent;
        document.getElementById("export-progress").value = job.percent;
        if (job.status === "done") {
          document.getElementById("export-download").hidden = false;
        } else if (job.status !== "failed") {
          setTimeout(poll, 1500);
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  if (document.getElementById("export-download").hidden) setTimeout(poll, 1000);
})();
