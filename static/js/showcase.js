// 信用示范会员单位: confirmation for irreversible buttons (no inline scripts under the CSP).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// Score sheet: the running total while rating (the server shows the saved draft's total; this keeps it current
// on every click, before the sheet is submitted and locked).
(function () {
  var form = document.querySelector("form[data-score-sheet]");
  var line = document.querySelector("[data-running-total]");
  if (!form || !line) {
    return;
  }
  var fractions = JSON.parse(form.getAttribute("data-level-fractions") || "{}");
  var totalNode = line.querySelector("[data-total]");
  var ratedNode = line.querySelector("[data-rated]");

  function update() {
    var total = 0;
    var rated = 0;
    form.querySelectorAll("tr[data-weight]").forEach(function (row) {
      var chosen = row.querySelector("input[type=radio]:checked");
      if (chosen && Object.prototype.hasOwnProperty.call(fractions, chosen.value)) {
        total += parseFloat(row.getAttribute("data-weight")) * fractions[chosen.value];
        rated += 1;
      }
    });
    totalNode.textContent = String(Math.round(total * 100) / 100);
    ratedNode.textContent = String(rated);
  }

  form.addEventListener("change", function (event) {
    if (event.target.matches("input[type=radio]")) {
      update();
    }
  });
  update();
})();
